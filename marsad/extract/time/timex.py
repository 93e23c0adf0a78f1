"""TimeML-style tagging (TIMEX3 DATE / TIME / DURATION / SET) for evaluation on TimeML corpora.

``find_times`` returns only calendar-resolvable expressions, which is what the record needs.
TimeML also tags durations ('26 عاما'), sets ('يومياً'), vague references ('حالياً' →
PRESENT_REF), weeks, decades and centuries.  :func:`find_timexes` adds those on top of the
``find_times`` candidates so that ``bench/timeml.py`` can measure extraction on the same footing
as the annotators.  Nothing here feeds the pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from marsad.text.normalize import fold as F
from marsad.text.normalize import normalize

from .extract import select, source_span, extract, resolve_all
from .values import Cand
from .lexicon import CARDINALS, ORDINALS, PART_OF
from .patterns import B, E, alt

_UNIT = {  # folded unit word -> (TimeML unit letter, count implied by the form or None)
    **{F(w): ("Y", None) for w in ["عام", "عاما", "أعوام", "سنة", "سنوات", "سنين", "سنه"]},
    **{F(w): ("M", None) for w in ["شهر", "شهرا", "أشهر", "شهور"]},
    **{F(w): ("W", None) for w in ["أسبوع", "أسبوعا", "أسابيع"]},
    **{F(w): ("D", None) for w in ["يوم", "يوما", "أيام"]},
    **{F(w): ("TH", None) for w in ["ساعة", "ساعات"]},
    **{F(w): ("TM", None) for w in ["دقيقة", "دقائق"]},
    **{F(w): ("CE", None) for w in ["قرن", "قرنا", "قرون"]},
    **{F(w): ("DE", None) for w in ["عقد", "عقود"]},
}
_DUAL = {
    F(w): u
    for w, u in [
        ("عامين", "Y"),
        ("سنتين", "Y"),
        ("شهرين", "M"),
        ("أسبوعين", "W"),
        ("يومين", "D"),
        ("ساعتين", "TH"),
        ("دقيقتين", "TM"),
        ("قرنين", "CE"),
        ("عقدين", "DE"),
    ]
}
_DUAL.update({"ال" + k: u for k, u in list(_DUAL.items())})
_ACC = {F(w): u for w, u in [("يوما", "D"), ("عاما", "Y"), ("شهرا", "M"), ("قرنا", "CE")]}
_CARD = alt(CARDINALS)
_SETS = {
    F(w): v
    for w, v in [
        ("يوميا", "P1D"),
        ("اليومية", "P1D"),
        ("اليومي", "P1D"),
        ("يومية", "P1D"),
        ("أسبوعيا", "P1W"),
        ("الأسبوعية", "P1W"),
        ("الأسبوعي", "P1W"),
        ("شهريا", "P1M"),
        ("الشهرية", "P1M"),
        ("الشهري", "P1M"),
        ("سنويا", "P1Y"),
        ("السنوية", "P1Y"),
        ("السنوي", "P1Y"),
        ("كل يوم", "P1D"),
        ("كل أسبوع", "P1W"),
        ("كل شهر", "P1M"),
        ("كل عام", "P1Y"),
        ("كل سنة", "P1Y"),
    ]
}
_REFS = {
    F(w): v
    for w, v in [
        ("حاليا", "PRESENT_REF"),
        ("الآن", "PRESENT_REF"),
        ("حتى الآن", "PRESENT_REF"),
        ("في الوقت الحاضر", "PRESENT_REF"),
        ("في الوقت الحالي", "PRESENT_REF"),
        ("في الوقت الراهن", "PRESENT_REF"),
        ("نفس الوقت", "PRESENT_REF"),
        ("في اللحظة", "PRESENT_REF"),
        ("مؤخرا", "PAST_REF"),
        ("آنذاك", "PAST_REF"),
        ("حينذاك", "PAST_REF"),
        ("وقتذاك", "PAST_REF"),
        ("في السابق", "PAST_REF"),
        ("سابقا", "PAST_REF"),
        ("في الماضي", "PAST_REF"),
        ("قريبا", "FUTURE_REF"),
        ("لاحقا", "FUTURE_REF"),
        ("في المستقبل", "FUTURE_REF"),
        ("مستقبلا", "FUTURE_REF"),
    ]
}
_SPAN_MOD = {
    F(w): v
    for w, v in [
        ("الماضية", "PAST_REF"),
        ("الأخيرة", "PAST_REF"),
        ("السابقة", "PAST_REF"),
        ("المقبلة", "FUTURE_REF"),
        ("القادمة", "FUTURE_REF"),
        ("القليلة الماضية", "PAST_REF"),
        ("القليلة المقبلة", "FUTURE_REF"),
        ("القليلة القادمة", "FUTURE_REF"),
    ]
}
_DECADES = {
    F(w): i
    for i, w in enumerate(
        [
            "العشرينيات",
            "الثلاثينيات",
            "الأربعينيات",
            "الخمسينيات",
            "الستينيات",
            "السبعينيات",
            "الثمانينيات",
            "التسعينيات",
        ],
        2,
    )
}
_DECADES.update({k.replace("يات", "ات"): v for k, v in list(_DECADES.items())})
_CENT_ORD = {
    F(w): i
    for i, w in enumerate(
        [
            "الأول",
            "الثاني",
            "الثالث",
            "الرابع",
            "الخامس",
            "السادس",
            "السابع",
            "الثامن",
            "التاسع",
            "العاشر",
            "الحادي عشر",
            "الثاني عشر",
            "الثالث عشر",
            "الرابع عشر",
            "الخامس عشر",
            "السادس عشر",
            "السابع عشر",
            "الثامن عشر",
            "التاسع عشر",
            "العشرين",
            "الحادي والعشرين",
        ],
        1,
    )
}
_PART = alt(PART_OF)
_PLURAL_SPAN = alt(F(w) for w in ["الأيام", "الأسابيع", "الأشهر", "الشهور", "السنوات", "الأعوام", "الساعات", "العقود"])

_SRC = {
    "duration": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>(?:(?:أكثر|اكثر|أقل|اقل|نحو|حوالي)\s+من\s+)?(?P<n>\d+|{_CARD})"
    rf"\s+(?P<u>{alt(_UNIT)})){E}",
    "duration_dual": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>(?P<u>{alt(_DUAL)})){E}",
    "duration_acc": rf"{B}(?P<x>(?P<u>{alt(_ACC)})){E}",
    "duration_span": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>{_PLURAL_SPAN}(?:\s+(?:ال)?(?P<n>{_CARD}))?"
    rf"\s+(?P<ref>{alt(_SPAN_MOD)})){E}",
    "set": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>(?P<s>{alt(_SETS)})){E}",
    "ref": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>(?P<r>{alt(_REFS)})){E}",
    "one_day": rf"{B}(?:[وف])?(?P<x>يوم)\s+من\s+الايام{E}",
    "tomorrow": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>الغد){E}",
    "week": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>(?:الاسبوع\s+(?P<mod>الماضي|المقبل|القادم|الجاري|الحالي|المنصرم)"
    rf"|هذا\s+الاسبوع)){E}",
    "decade": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>(?:(?P<part>{_PART})\s+)?(?P<dec>{alt(_DECADES)})){E}",
    "century": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>(?:(?P<part>{_PART})\s+)?القرن\s+(?:(?P<c>{alt(_CENT_ORD)})"
    rf"|(?P<cm>الماضي|الحالي|المنصرم|الجاري)){E})",
    "clock": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>الساعه\s+(?:\d{{1,2}}(?:[:.]\d\d)?|{alt(ORDINALS)}"
    rf"|{alt(F(w) for w in ['الواحدة', 'الحادية عشرة', 'الثانية عشرة', 'الثانية', 'الثالثة', 'الرابعة', 'الخامسة', 'السادسة', 'السابعة', 'الثامنة', 'التاسعة', 'العاشرة'])})"
    rf"(?:\s+(?:صباحا|مساء|ظهرا|فجرا|ليلا))?){E}",
    "quarter": rf"{B}(?:[وفبل]{{1,2}})?(?P<x>الربع\s+(?:الاول|الثاني|الثالث|الرابع|الاخير)){E}",
}
_RULES = [(k, re.compile(v)) for k, v in _SRC.items()]


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: Optional[str]
    rule: str


def _n(s: Optional[str]) -> Optional[int]:
    if not s:
        return None
    s = " ".join(s.split())
    return int(s) if s.isdigit() else CARDINALS.get(s)


def _value(c: Cand, dct: Optional[date]) -> tuple[str, Optional[str]]:
    p, r = c.parts, c.rule
    if r == "duration":
        u = _UNIT[" ".join(p["u"].split())][0]
        n = _n(p.get("n"))
        return "DURATION", _dur(n, u)
    if r in ("duration_dual", "duration_acc"):
        u = (_DUAL if r == "duration_dual" else _ACC)[p["u"]]
        return "DURATION", _dur(2 if r == "duration_dual" else 1, u)
    if r == "duration_span":
        if p.get("n"):  # 'السنوات الخمس الماضية': a counted span is a duration
            unit = {
                "الايام": "D",
                "الاسابيع": "W",
                "الاشهر": "M",
                "الشهور": "M",
                "السنوات": "Y",
                "الاعوام": "Y",
                "الساعات": "TH",
                "العقود": "DE",
            }.get(p["x"].split()[0])
            if unit:
                return "DURATION", _dur(_n(p["n"]), unit)
        return "DATE", _SPAN_MOD[" ".join(p["ref"].split())]
    if r == "set":
        return "SET", _SETS[" ".join(p["s"].split())]
    if r == "ref":
        return "DATE", _REFS[" ".join(p["r"].split())]
    if r == "one_day":
        return "DURATION", "P1D"
    if r == "tomorrow":
        return "DATE", (date.fromordinal(dct.toordinal() + 1).isoformat() if dct else None)
    if r == "week":
        if not dct:
            return "DATE", None
        k = {"الماضي": -1, "المنصرم": -1, "المقبل": 1, "القادم": 1}.get(p.get("mod") or "", 0)
        y, w, _ = date.fromordinal(dct.toordinal() + 7 * k).isocalendar()
        return "DATE", f"{y}-W{w:02d}"
    if r == "decade":
        return "DATE", f"19{_DECADES[p['dec']]}"
    if r == "century":
        if p.get("c"):
            return "DATE", f"{_CENT_ORD[' '.join(p['c'].split())] - 1:02d}"
        if dct:
            k = -1 if p["cm"] in ("الماضي", "المنصرم") else 0
            return "DATE", f"{(dct.year - 1) // 100 + k:02d}"
        return "DATE", None
    if r == "clock":
        return "TIME", None
    if r == "quarter":
        return "DATE", None
    return "DATE", c.value


def _dur(n: Optional[int], u: str) -> Optional[str]:
    if n is None:
        return None
    if u.startswith("T"):
        return f"PT{n}{u[1]}"
    if u == "DE":
        return f"P{n * 10}Y"
    return f"P{n}{u}"


def find_timexes(text: str, dct: Optional[date]) -> list[Timex]:
    """All TIMEX3-like expressions: the find_times dates plus durations, sets, references,
    weeks, decades, centuries and clock times."""
    view = normalize(text)
    nt = view.text
    cands = resolve_all(nt, extract(nt), dct)
    for name, rx in _RULES:
        for m in rx.finditer(nt):
            gd = {k: v for k, v in m.groupdict().items() if v is not None}
            cands.append(Cand(m.start("x"), m.end("x"), name, gd, kind="timeml"))
    out = []
    for c in select(cands):
        if c.kind == "date" and c.value is None and c.anchored and dct is not None:
            continue
        typ, val = _value(c, dct) if c.kind == "timeml" else ("DATE", c.value)
        s, e = source_span(view, c.start, c.end)
        out.append(Timex(s, e, text[s:e], typ, val, c.rule))
    return out
