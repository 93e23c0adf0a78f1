"""An event's date as an interval, the one semantics of every date filter and of the timeline.

An event's own date (``e.date``, when ``e.date_from_published`` is false) is a day ('2018-04-05'), a
month ('2018-04') or a year ('2018'): its interval is that day, the month's first..last day, or Jan
1..Dec 31.  An event without a usable own date (none, unparseable, or outside 1900..2100) takes its
article's publication day (precision ``published``); with no publication day either it is undated.

* a range [since, until] keeps an event whose interval overlaps it (:data:`START` ≤ until and
  :data:`END` ≥ since);
* ``precision`` (day | month | year) keeps an event whose interval is at most that wide (a
  publication day is a day);
* the timeline buckets an event by its :data:`START`, counting only the events no wider than its
  bucket, so the bar's range (with ``precision`` = the bucket) lists exactly the bar's events.
"""

from __future__ import annotations

_DAY_RE = r"^\d{4}-\d{2}-\d{2}"
_OWN_KIND = (
    "CASE WHEN coalesce(e.date_from_published, false) THEN NULL "
    f"WHEN regexp_matches(e.date, '{_DAY_RE}') THEN 'day' "
    r"WHEN regexp_full_match(e.date, '\d{4}-\d{2}') THEN 'month' "
    r"WHEN regexp_full_match(e.date, '\d{4}') THEN 'year' END"
)
_OWN_START = (
    f"TRY_CAST(CASE {_OWN_KIND} WHEN 'day' THEN substr(e.date, 1, 10) WHEN 'month' THEN e.date || '-01' "
    "WHEN 'year' THEN e.date || '-01-01' END AS DATE)"
)
_OWN_OK = f"coalesce(year({_OWN_START}) BETWEEN 1900 AND 2100, false)"

# day | month | year | published (NULL: undated)
PRECISION = f"(CASE WHEN {_OWN_OK} THEN {_OWN_KIND} WHEN a.published IS NOT NULL THEN 'published' END)"
# the first day of the event's interval (its day for the day-wide ones)
START = f"(CASE WHEN {_OWN_OK} THEN {_OWN_START} ELSE CAST(a.published AS DATE) END)"
# the last day of the event's interval
END = (
    f"(CASE {PRECISION} WHEN 'month' THEN last_day({START}) "
    f"WHEN 'year' THEN make_date(year({START}), 12, 31) ELSE {START} END)"
)

PRECISIONS = ("day", "month", "year")  # narrowest first
# the precisions no wider than each of PRECISIONS
NO_WIDER = {"day": ("day", "published"), "month": ("day", "published", "month"), "year": PRECISIONS + ("published",)}


def narrower(a: str | None, b: str | None) -> str | None:
    """The narrower of two precisions (None: no bound)."""
    if a is None or b is None:
        return a or b
    return a if PRECISIONS.index(a) <= PRECISIONS.index(b) else b
