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
_KIND = (
    f"CASE WHEN regexp_matches(date, '{_DAY_RE}') THEN 'day' "
    r"WHEN regexp_full_match(date, '\d{4}-\d{2}') THEN 'month' "
    r"WHEN regexp_full_match(date, '\d{4}') THEN 'year' END"
)
_FIRST = (
    "TRY_CAST(CASE own_kind_raw WHEN 'day' THEN substr(date, 1, 10) WHEN 'month' THEN date || '-01' "
    "WHEN 'year' THEN date || '-01-01' END AS DATE)"
)
# the events, each with its own date's first day (``own_start``) and its kind (``own_kind``: day |
# month | year), both NULL when the event has no usable own date; read once per event
EVENTS = (
    "(SELECT * EXCLUDE (own_first, own_kind_raw), CASE WHEN year(own_first) BETWEEN 1900 AND 2100 THEN own_first END AS own_start, "
    "CASE WHEN year(own_first) BETWEEN 1900 AND 2100 THEN own_kind_raw END AS own_kind "
    f"FROM (SELECT *, {_FIRST} AS own_first FROM (SELECT *, CASE WHEN coalesce(date_from_published, false) "
    f"THEN NULL ELSE {_KIND} END AS own_kind_raw FROM events)))"
)

# day | month | year | published (NULL: undated)
PRECISION = "(CASE WHEN e.own_start IS NOT NULL THEN e.own_kind WHEN a.published IS NOT NULL THEN 'published' END)"
# the first day of the event's interval (its day for the day-wide ones)
START = "coalesce(e.own_start, CAST(a.published AS DATE))"
# the last day of the event's interval
END = (
    "(CASE e.own_kind WHEN 'month' THEN last_day(e.own_start) "
    f"WHEN 'year' THEN make_date(year(e.own_start), 12, 31) ELSE {START} END)"
)

PRECISIONS = ("day", "month", "year")  # narrowest first
# the precisions no wider than each of PRECISIONS
NO_WIDER = {"day": ("day", "published"), "month": ("day", "published", "month"), "year": PRECISIONS + ("published",)}


def narrower(a: str | None, b: str | None) -> str | None:
    """The narrower of two precisions (None: no bound)."""
    if a is None or b is None:
        return a or b
    return a if PRECISIONS.index(a) <= PRECISIONS.index(b) else b
