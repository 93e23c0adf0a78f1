"""Time candidates and their values: :class:`Cand` (a matched expression in normalized-text
coordinates) and :func:`evaluate`, which fills its calendar value from the rule's parts and, for
relative expressions, the anchor (publication) date.  Matching lives in :mod:`.extract`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

from . import resolve as R
from .lexicon import CARDINALS, GREGORIAN, HIJRI, ORDINALS, WEEKDAYS
from .patterns import FUTURE, MODS

_WS = re.compile(r"\s+")
_SENT_END = re.compile(r"[.!?؟؛\n]")


@dataclass
class Cand:
    """A matched expression in normalized-text coordinates (``start``/``end``) with its parts."""

    start: int
    end: int
    rule: str
    parts: dict = field(default_factory=dict)
    kind: str = "date"  # date | week | duration | set | ref (TimeML-only kinds)
    value: Optional[str] = None
    precision: str = "none"
    anchored: bool = False  # the value depends on the anchor (publication) date


def word_key(s: Optional[str]) -> str:
    return _WS.sub(" ", s).strip() if s else ""


def modifier(s: Optional[str]) -> Optional[str]:
    return MODS.get(word_key(s)) if s else None


def number(s: str) -> Optional[int]:
    s = word_key(s)
    if s.isdigit():
        return int(s)
    return CARDINALS.get(s)


def _future_cue(nt: str, c: Cand) -> bool:
    lo = max(0, c.start - 90)
    seg = nt[lo : c.start]
    cut = max((m.end() for m in _SENT_END.finditer(seg)), default=0)
    return bool(FUTURE.search(seg[cut:]))


def _set_day(c: Cand, d: Optional[date], anchored: bool) -> None:
    if d is not None:
        c.value, c.precision, c.anchored = d.isoformat(), "day", anchored


def _set_month(c: Cand, y: int, m: int, anchored: bool) -> None:
    c.value, c.precision, c.anchored = f"{y:04d}-{m:02d}", "month", anchored


def _set_year(c: Cand, y: int, anchored: bool) -> None:
    c.value, c.precision, c.anchored = f"{y:04d}", "year", anchored


_DEICTIC = {
    "امس": -1,
    "الامس": -1,
    "البارحه": -1,
    "اول امس": -2,
    "اول من امس": -2,
    "امس الاول": -2,
    "اليوم": 0,
    "غدا": 1,
    "الغد": 1,
    "بعد غد": 2,
    "الليله": 0,
    "الليله الماضيه": -1,
    "الليله المقبله": 0,
    "هذا الصباح": 0,
    "هذا المساء": 0,
}


def evaluate(c: Cand, anchor: Optional[date], nt: str = "") -> None:
    """Fill ``c.value``/``c.precision``; relative expressions need ``anchor``."""
    p, r = c.parts, c.rule
    mod = modifier(p.get("mod")) or modifier(p.get("rmod")) or modifier(p.get("bmod"))
    c.anchored = True
    if p.get("ymod") and "y" not in p:
        if anchor is None:
            return
        p = dict(p, y=str(R.relative_year(anchor, modifier(p["ymod"]) or "current")))
    if r in ("numeric_ymd", "numeric_dmy"):
        y, m, d = int(p["y"]), int(p["m"]), int(p["d"])
        if p.get("h") or y < 1600:
            return _set_day(c, R.hijri_date(None, d, m, y) if 1 <= m <= 12 else None, False)
        return _set_day(c, R.valid(y, m, d), False)
    if r in ("day_month", "ordinal_month") and "mon" in p:
        day = int(p["d"]) if "d" in p else ORDINALS[word_key(p["ord"])]
        mon = GREGORIAN[word_key(p["mon"])]
        if "y" in p:
            return _set_day(c, R.valid(int(p["y"]), mon, day), "ymod" in p)
        if anchor:
            _set_day(c, R.day_month(anchor, day, mon, mod), True)
        return
    if r in ("ordinal_month", "day_of_month"):
        day = int(p["d"]) if "d" in p else ORDINALS[word_key(p["ord"])]
        if anchor:
            _set_day(c, R.day_of_relative_month(anchor, day, mod or "current"), True)
        return
    if r == "hijri_day":
        day = int(p["d"]) if "d" in p else ORDINALS[word_key(p["ord"])]
        y = int(p["y"]) if "y" in p else None
        if y is not None or anchor:
            _set_day(c, R.hijri_date(anchor, day, HIJRI[word_key(p["hm"])], y, mod), y is None)
        return
    if r == "hijri_month":
        y = int(p["y"]) if "y" in p else None
        if y is not None or anchor:
            ym = R.hijri_month(anchor, HIJRI[word_key(p["hm"])], y, mod)
            if ym:
                _set_month(c, ym[0], ym[1], y is None)
        return
    if r in ("month_year", "month_mod", "month_part", "month_bare"):
        mon = GREGORIAN[word_key(p["mon"])]
        if "y" in p:
            return _set_month(c, int(p["y"]), mon, "ymod" in p)
        if anchor:
            _set_month(c, R.month_year(anchor, mon, mod), mon, True)
        return
    if r == "relative_month":
        if anchor:
            y, m = R.relative_month(anchor, mod or "current")
            _set_month(c, y, m, True)
        return
    if r == "relative_year":
        if anchor:
            _set_year(c, R.relative_year(anchor, mod or "current"), True)
        return
    if r in ("year", "year_bare", "same_year"):
        return _set_year(c, int(p["y"]), False)
    if r == "deictic":
        if anchor:
            _set_day(c, anchor + timedelta(days=_DEICTIC[word_key(p["w"])]), True)
        return
    if r == "weekday":
        if anchor:
            wd = WEEKDAYS[word_key(p["wd"])]
            if mod == "next":
                d = R.weekday_after(anchor, wd)
            elif mod == "past":
                d = R.weekday_before(anchor, wd)
            elif nt and _future_cue(nt, c):
                d = R.weekday_after(anchor, wd, inclusive=True)
            else:
                d = R.weekday_before(anchor, wd, inclusive=True)
            _set_day(c, d, True)
        return
    if r == "days_ago":
        n = 2 if p.get("dual") else (number(p["n"]) if p.get("n") else 1)
        if anchor and n:
            _set_day(c, anchor - timedelta(days=n), True)
        return
