"""Calendar arithmetic: resolve a parsed time expression against the publication date.

Conventions (see docs/time.md and ../shared/gold/GUIDELINES.md):
- a bare weekday is its most recent occurrence on or before the anchor (the publication day itself
  when the weekdays agree: wire copy says 'الخميس' for the day it is filed); with الماضي strictly
  before it; with المقبل/القادم strictly after it; a bare weekday in a clause with a future cue is
  the first occurrence on or after the anchor;
- a month with الماضي is the latest such month before the anchor's month, with المقبل the first one
  after it, with الجاري/الحالي the anchor's year; a month (or day + month) with no modifier and no
  year is the occurrence nearest to the anchor;
- الشهر/العام + الماضي/الجاري/المقبل step from the anchor's month/year.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Optional

from .lexicon import hijri_to_gregorian, gregorian_to_hijri, hijri_month_length

PAST, CURRENT, NEXT = "past", "current", "next"


def valid(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def weekday_before(anchor: date, wd: int, inclusive: bool = False) -> date:
    """The latest ``wd`` before the anchor (or on it, when ``inclusive``)."""
    delta = (anchor.weekday() - wd) % 7
    if delta == 0 and not inclusive:
        delta = 7
    return anchor - timedelta(days=delta)


def weekday_after(anchor: date, wd: int, inclusive: bool = False) -> date:
    """The first ``wd`` after the anchor (or on it, when ``inclusive``)."""
    delta = (wd - anchor.weekday()) % 7
    if delta == 0 and not inclusive:
        delta = 7
    return anchor + timedelta(days=delta)


def month_year(anchor: date, month: int, mod: Optional[str]) -> int:
    """The year of a named month read against the anchor's month."""
    if mod == CURRENT:
        return anchor.year
    if mod == PAST:
        return anchor.year if month < anchor.month else anchor.year - 1
    if mod == NEXT:
        return anchor.year if month > anchor.month else anchor.year + 1
    # nearest occurrence; a tie (six months away) goes to the past
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        dist = abs((y * 12 + month) - (anchor.year * 12 + anchor.month))
        key = (dist, 0 if y <= anchor.year else 1)
        if best is None or key < best[0]:
            best = (key, y)
    return best[1]


def day_month(anchor: date, day: int, month: int, mod: Optional[str]) -> Optional[date]:
    """Day + month name without a year."""
    if mod is not None:
        return valid(month_year(anchor, month, mod), month, day)
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = valid(y, month, day)
        if d is None:
            continue
        key = (abs((d - anchor).days), 0 if d <= anchor else 1)
        if best is None or key < best[0]:
            best = (key, d)
    return best[1] if best else None


def day_of_relative_month(anchor: date, day: int, mod: Optional[str]) -> Optional[date]:
    """'9 الجاري', 'السابع من الشهر الماضي'."""
    k = {PAST: -1, NEXT: 1}.get(mod or CURRENT, 0)
    y, m = add_months(anchor.year, anchor.month, k)
    return valid(y, m, day)


def relative_month(anchor: date, mod: str) -> tuple[int, int]:
    return add_months(anchor.year, anchor.month, {PAST: -1, NEXT: 1}.get(mod, 0))


def relative_year(anchor: date, mod: str) -> int:
    return anchor.year + {PAST: -1, NEXT: 1}.get(mod, 0)


def hijri_date(
    anchor: Optional[date], day: int, month: int, year: Optional[int], mod: Optional[str] = None
) -> Optional[date]:
    """A Hijri day (+ year); without a year the Hijri year is read against the anchor."""
    if year is None:
        if anchor is None:
            return None
        hy, hm, _ = gregorian_to_hijri(anchor)
        if mod == CURRENT:
            cands = [hy]
        elif mod == PAST:
            cands = [hy if month < hm else hy - 1]
        elif mod == NEXT:
            cands = [hy if month > hm else hy + 1]
        else:
            cands = [hy - 1, hy, hy + 1]
        best = None
        for y in cands:
            if day > hijri_month_length(y, month):
                continue
            g = hijri_to_gregorian(y, month, day)
            key = abs((g - anchor).days)
            if best is None or key < best[0]:
                best = (key, g)
        return best[1] if best else None
    if not (1 <= day <= 30) or day > hijri_month_length(year, month):
        return None
    return hijri_to_gregorian(year, month, day)


def hijri_month(
    anchor: Optional[date], month: int, year: Optional[int], mod: Optional[str] = None
) -> Optional[tuple[int, int]]:
    """A Hijri month as the Gregorian month holding its 15th day (month precision)."""
    d = hijri_date(anchor, 15, month, year, mod)
    return (d.year, d.month) if d else None


def days_in_month(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]
