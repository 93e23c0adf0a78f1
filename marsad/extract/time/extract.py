"""Find Arabic time expressions and resolve them against the publication date.

``find_times(text, published)`` works on the normalized view of ``text`` (diacritics, tatweel,
hamza forms and Arabic-Indic digits folded) and maps every span back to the source, so
``text[t.start:t.end] == t.text``.  Only calendar-resolvable expressions are returned: a day, a
month or a year.  Weeks, durations, sets and vague words (قريباً، مؤخراً، الأيام المقبلة) are not.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from datetime import date
from typing import Optional

from marsad.model import TimeExpr
from marsad.text.spans import Taken
from marsad.text.normalize import fold, normalize

from .lexicon import AMBIGUOUS_MONTHS, GREGORIAN, HIJRI, ORDINALS, WEEKDAYS
from .patterns import (
    COUNT_AFTER,
    NAMED_EVENT_BEFORE,
    NOT_TODAY_AFTER,
    OUTLET_BEFORE_TODAY,
    RULES,
    WEEKDAY_NOT_AFTER,
    WEEKDAY_NOT_BEFORE,
)
from .values import Cand, evaluate, number, word_key

_PRIORITY = {name: i for i, (name, _) in enumerate(RULES)}
_YEAR_CUE_BEFORE = {
    fold(w)
    for w in [
        "في",
        "منذ",
        "حتى",
        "خلال",
        "قبل",
        "بعد",
        "من",
        "إلى",
        "الى",
        "بين",
        "عامي",
        "وحتى",
        "ومنذ",
        "وفي",
        "لعام",
        "حتي",
    ]
}


_LAST_WORD = re.compile(r"(\w+)\W*$")
_FIRST_WORD = re.compile(r"\W*(\w+)")


def _word_before(nt: str, i: int) -> str:
    m = _LAST_WORD.search(nt[max(0, i - 40) : i])
    return m.group(1) if m else ""


def _word_after(nt: str, j: int) -> str:
    m = _FIRST_WORD.match(nt[j : j + 40])
    return m.group(1) if m else ""


def _strip_clitic(w: str, vocab) -> bool:
    return w in vocab or (len(w) > 2 and w[0] in "وفبل" and w[1:] in vocab)


# --- prefilter: a rule runs only on a text holding a word that every one of its matches contains
# (a rule's regex costs ~0.1 ms per article even where it finds nothing).  Words are looked up
# as runs of letters (so digits they run into, 'و13يونيو', 'ديسمبر2015', split them off) and
# with their proclitics (و ف ب ل, up to two) stripped; the sets hold the first word of each
# multi-word lexicon entry.
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_NUMSEP = re.compile(r"\d[/.\-]\d")


def _firsts(words) -> frozenset:
    return frozenset(w.split()[0] for w in words if w.strip())


_G = _firsts(GREGORIAN)
_H = _firsts(HIJRI)
_WDS = _firsts(WEEKDAYS)
_ORD = _firsts(ORDINALS)
_YEAR_WORD = frozenset({"العام", "السنه"})
_DEICTIC_WORDS = frozenset({"امس", "الامس", "البارحه", "اليوم", "غدا", "الغد", "غد", "الليله", "الصباح", "المساء"})
_BMOD = frozenset({"الجاري", "الحالي", "الماضي", "المنصرم", "المقبل", "القادم"})
_AGO = frozenset({"منذ", "قبل"})


def _words(nt: str) -> set[str]:
    out = set()
    for w in set(_LETTERS.findall(nt)):
        out.add(w)
        if len(w) > 1 and w[0] in "وفبل":
            out.add(w[1:])
            if len(w) > 2 and w[1] in "وفبل":
                out.add(w[2:])
    return out


def _rules_for(nt: str, w: Optional[set[str]] = None):
    """The rules that may match somewhere in ``nt`` (a necessary condition per rule); ``w`` is
    ``_words(nt)`` when the caller has it already."""
    if w is None:
        w = _words(nt)
    digit = _DIGIT.search(nt) is not None
    g = not w.isdisjoint(_G)
    month_word = "الشهر" in w
    year_word = not w.isdisjoint(_YEAR_WORD)
    need = {
        "numeric_ymd": _NUMSEP.search(nt) is not None,
        "day_month": g and digit,
        "ordinal_month": (g or month_word) and not w.isdisjoint(_ORD),
        "day_of_month": digit and (month_word or not w.isdisjoint(_BMOD)),
        "hijri_day": not w.isdisjoint(_H),
        "month_year": g,
        "relative_month": month_word,
        "relative_year": year_word,
        "year": digit,
        "deictic": not w.isdisjoint(_DEICTIC_WORDS),
        "weekday": not w.isdisjoint(_WDS),
        "days_ago": not w.isdisjoint(_AGO),
    }
    for same, rule in (
        ("numeric_dmy", "numeric_ymd"),
        ("hijri_month", "hijri_day"),
        ("month_mod", "month_year"),
        ("month_part", "month_year"),
        ("month_bare", "month_year"),
        ("same_year", "relative_year"),
        ("year_bare", "year"),
    ):
        need[same] = need[rule]
    return [(name, rx) for name, rx in RULES if need[name]]


# --- stretches: no match of a rule other than the numeric dates can hold one of the characters of
# _CUT (none of their patterns consumes one; their look-arounds read one character), so the text
# splits at these characters into stretches that each rule scans on its own: a rule runs only over
# the stretches holding one of its words (as above), which finds exactly the matches of a scan of
# the whole text.  A stretch includes the cut characters at both its ends, so every look-around
# inside it reads the same character as in the whole text.
_CUT = re.compile(r"[.!?؟؛;:«»\"“”']")
# the year of a 'year' or 'year_bare' match opens a run of digits, where this finds it (a match
# that started earlier in the run would need a digit before the year)
_YEARISH = re.compile(r"[12]\d\d\d")
_WHOLE = frozenset({"numeric_ymd", "numeric_dmy"})  # their patterns consume '.'


# the words one of which every match of a rule contains; None: the rule is found by _YEARISH
_ANCHORS = {
    "day_month": _G,
    "month_year": _G,
    "month_mod": _G,
    "month_part": _G,
    "month_bare": _G,
    "ordinal_month": _ORD,
    "day_of_month": _BMOD | {"الشهر"},
    "hijri_day": _H,
    "hijri_month": _H,
    "relative_month": frozenset({"الشهر"}),
    "relative_year": _YEAR_WORD,
    "same_year": _YEAR_WORD,
    "deictic": _DEICTIC_WORDS,
    "weekday": _WDS,
    "days_ago": _AGO,
    "year": None,
    "year_bare": None,
}


class _Stretches:
    """The stretches of one text between the characters of ``_CUT``."""

    def __init__(self, nt: str):
        self.nt = nt
        self.cuts = [m.start() for m in _CUT.finditer(nt)]

    def of(self, anchors) -> list[tuple[int, int]]:
        """``(lo, hi)`` ranges covering every stretch that holds one of ``anchors`` (a letters run
        may carry proclitics, so the words are looked up as substrings), adjacent ones merged."""
        nt, cuts = self.nt, self.cuts
        hit = set()
        if anchors is None:
            for m in _YEARISH.finditer(nt):
                hit.add(bisect_right(cuts, m.start()))
        else:
            for a in anchors:
                i = nt.find(a)
                while i >= 0:
                    k = bisect_right(cuts, i)
                    hit.add(k)
                    # the rest of this stretch needs no look-up
                    i = nt.find(a, cuts[k]) if k < len(cuts) else -1
        out: list[tuple[int, int]] = []
        last = len(cuts)
        for k in sorted(hit):
            lo = cuts[k - 1] if k else 0
            hi = cuts[k] + 1 if k < last else len(nt)
            if out and out[-1][1] > lo:  # the next stretch: they share a cut character
                out[-1] = (out[-1][0], hi)
            else:
                out.append((lo, hi))
        return out


def _candidates(nt: str) -> list[Cand]:
    out = []
    w = _words(nt)
    parts = _Stretches(nt)
    by_anchors: dict = {}  # rules sharing their words share their stretches
    for name, rx in _rules_for(nt, w):
        if name in _WHOLE:
            spans = [(0, len(nt))]
        else:
            key = _ANCHORS[name]
            spans = by_anchors.get(key)
            if spans is None:
                spans = by_anchors[key] = parts.of(None if key is None else w & key)
        for m in (m for lo, hi in spans for m in rx.finditer(nt, lo, hi)):
            gd = {k: v for k, v in m.groupdict().items() if v is not None}
            tag = "x" if m.group("x") is not None else "x2"
            s, e = m.span(tag)
            if name == "month_bare" and tag == "x2":
                gd["mon"] = gd.pop("mon2")
            c = Cand(s, e, name, gd)
            if _accept(nt, c):
                out.append(c)
    return out


def _accept(nt: str, c: Cand) -> bool:
    """Context checks that a regex cannot express."""
    p, before, after = c.parts, _word_before(nt, c.start), _word_after(nt, c.end)
    if c.rule in ("day_month", "ordinal_month", "month_part", "month_mod", "month_year", "month_bare"):
        if "y" not in p and _strip_clitic(before, NAMED_EVENT_BEFORE):
            return False  # قوى 14 آذار, ثورة 25 يناير
    if (
        c.rule == "month_part"
        and word_key(p.get("mon")) in AMBIGUOUS_MONTHS
        and word_key(p.get("part")) in ("اول", "اخر")
    ):
        return False
    if c.rule == "deictic":
        w = word_key(p["w"])
        if w == "اليوم" and not p.get("pod") and not p.get("wd"):
            if _strip_clitic(before, OUTLET_BEFORE_TODAY) or after in NOT_TODAY_AFTER:
                return False
        if w == "الغد" and not p.get("pod"):
            return False  # 'الغد' alone: a newspaper, or 'the next day' of a story
    if c.rule == "weekday":
        if _strip_clitic(before, WEEKDAY_NOT_AFTER) or after in WEEKDAY_NOT_BEFORE:
            return False
        if word_key(p["wd"]) == "الاثنين" and not (
            p.get("pod")
            or p.get("mod")
            or re.search(r"(?:يوم|نهار)\s+$", nt[max(0, c.start - 8) : c.start])
            or "يوم" in nt[c.start : c.end]
        ):
            # 'الاثنين' is also 'the two': only accept it where it reads as a day
            if before in ("بين", "كلا", "هذين", "ان", "إن") or after in ("معا", "منهما"):
                return False
    if c.rule == "year_bare":
        # a bare number is a year only with a cue: in parentheses or after a dash (1881), after a
        # preposition (في 2016, منذ 2011; 1900-2099 only) or with م / ميلادي after it
        prev = nt[max(0, c.start - 2) : c.start]
        strong = "(" in prev or "-" in prev or nt[c.end : c.end + 1] == ")" or "م" in p["x"][4:]
        if not (strong or (p["y"][:2] in ("19", "20") and _strip_clitic(before, _YEAR_CUE_BEFORE))):
            return False
        if after in COUNT_AFTER:
            return False  # '(1500) كيلومتر', '(1930 بتوقيت غرينتش)
    if c.rule == "hijri_day":
        hm = word_key(p["hm"])
        strong = "y" in p or "h" in p or "mod" in p
        if hm in ("صفر", "رجب") and not strong:
            return False
    if c.rule == "days_ago" and re.match(r"\s+(?:من|علي)(?!\w)", nt[c.end : c.end + 5]):
        return False  # 'قبل أربعة أيام من الانتخابات': relative to an event
    if c.rule == "days_ago" and p.get("n"):
        n = number(p["n"])
        if n is None or n > 10:
            return False
    return True


def select(cands: list[Cand]) -> list[Cand]:
    """Keep the longest non-overlapping candidates (ties: rule order)."""
    chosen: list[Cand] = []
    taken = Taken()  # the characters of the chosen: linear, where a scan of them was quadratic
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), _PRIORITY.get(c.rule, 99), c.start)):
        if taken.overlaps(c.start, c.end):
            continue
        chosen.append(c)
        taken.add(c.start, c.end)
    return sorted(chosen, key=lambda c: c.start)


_RANGE_HEAD = re.compile(
    r"(?:(?:بين|من|يومي|ايام|الفتره\s+من)\s+)?(?P<d>3[01]|[12]\d|0?[1-9])\s*"
    r"(?:[-–]|و|الي|حتي|لغايه|ولغايه|وحتي)\s*$"
)


def _ranges(nt: str, chosen: list[Cand]) -> list[Cand]:
    """'بين 5 و7 آب', '12 إلى 15 من الشهر الجاري', '10 و11 أبريل': the first day is its own
    expression and borrows month, modifier and year from the second."""
    extra = []
    taken = Taken()
    for c in chosen:
        taken.add(c.start, c.end)
    for c in chosen:
        if c.rule not in ("day_month", "day_of_month", "hijri_day") or "d" not in c.parts or c.parts.get("wd"):
            continue
        m = _RANGE_HEAD.search(nt[max(0, c.start - 30) : c.start])
        if not m:
            continue
        base = max(0, c.start - 30)
        s, e = base + m.start("d"), base + m.end("d")
        if taken.overlaps(s, e) or int(m.group("d")) >= int(c.parts["d"]):
            continue
        parts = dict(c.parts, d=m.group("d"))
        extra.append(Cand(s, e, c.rule + "_range", parts))
    return extra


def extract(nt: str) -> list[Cand]:
    """Candidates in normalized coordinates, overlaps resolved, ranges split (no values yet)."""
    chosen = select(_candidates(nt))
    return sorted(chosen + _ranges(nt, chosen), key=lambda c: c.start)


def resolve_all(nt: str, cands: list[Cand], anchor: Optional[date]) -> list[Cand]:
    last_year = None  # for 'العام نفسه': the year last written before it
    for c in cands:
        if c.parts.get("ysame"):
            if last_year is None:
                continue
            c.parts = dict(c.parts, y=last_year)
        elif c.parts.get("y") and c.rule not in ("hijri_day", "hijri_month") and not c.parts.get("ymod"):
            if not (c.rule.startswith("numeric") and int(c.parts["y"]) < 1600):
                last_year = c.parts["y"]
        base = c.rule[:-6] if c.rule.endswith("_range") else c.rule
        rule = c.rule
        c.rule = base
        evaluate(c, anchor, nt)
        c.rule = rule
    return cands


def source_span(view, start: int, end: int) -> tuple[int, int]:
    """Map a normalized range to the source, keeping marks that trail the last letter (غداً, هـ)."""
    s, e = view.to_source(start, end)
    limit = view.offsets[end] if end < len(view.offsets) else len(view.source)
    while e < limit and (view.source[e] == "\u0640" or unicodedata.category(view.source[e]) == "Mn"):
        e += 1
    return s, e


def find_times(text: str, published: Optional[date]) -> list[TimeExpr]:
    """Every calendar-resolvable time expression in ``text``, resolved against ``published``.

    Relative expressions get ``value=None`` and ``precision='none'`` when ``published`` is None.
    """
    if not text:
        return []
    view = normalize(text)
    out = []
    for c in resolve_all(view.text, extract(view.text), published):
        if c.kind != "date":
            continue
        s, e = source_span(view, c.start, c.end)
        if c.value is None and not c.anchored:
            continue  # an impossible date (31 شباط)
        if c.value is None and published is not None:
            continue
        value, precision = (c.value, c.precision) if c.value else (None, "none")
        anchor = published.isoformat() if (c.anchored and published and value) else None
        out.append(TimeExpr(s, e, text[s:e], value, precision, c.rule, anchor))
    return out
