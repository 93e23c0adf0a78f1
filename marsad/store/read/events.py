"""Events: ONE filter (:class:`EventFilter`) for every reader of the store (``marsad events``, the
JSON API, the web pages), the filtered list and the timeline buckets (per day, ISO week, month or
year); the who-meets-whom network and the map points, under the same filter, are in
:mod:`marsad.store.read.map_network`.

The semantics of the filter, the same everywhere:

* ``actor`` / ``partner``: an actor on either side, named by its id or its canonical name in any
  case ('Q-lavrov', 'sergey lavrov'), or by any other spelling, resolved as ``marsad actor`` resolves
  it (:func:`marsad.store.read.actors.find_actor_ids`: the KB's spellings when the caller hands the KB
  in, then the transliteration skeleton of the stored mentions, so 'لافروف' finds Lavrov's events);
* ``type``: a PLOVER type, any case;
* ``outlet``: part of the outlet's name or of its surface, any case;
* ``place``: the location id, or part of the location's name, any case;
* ``since`` / ``until``: the event's date is an interval (a day, a month, a year, else its article's
  publication day: :mod:`marsad.store.read.dates`); the range keeps the events whose interval overlaps it;
* ``precision``: day | month | year, the events whose interval is at most that wide;
* ``status``: realized | negated | planned | conditional (None: any).

Every value travels as a SQL parameter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Callable, Optional

from ...outlets import STORED, outlet_condition, outlet_names, outlet_sql
from .dates import END, EVENTS, NO_WIDER, PRECISION, START, narrower
from .names import find_actor_ids
from .sql import evidence_url, rows as _rows

# the first day of the event's date interval (its day, a month's or a year's first day, else its
# article's publication day): the order of the lists and the timeline's bucket
DAY = START
FROM = (
    f" FROM {EVENTS} e JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN story_members sm ON sm.article_id = e.article_id AND sm.content_hash = a.content_hash"
)
# every name and id on either side, in lower case (an actor typed as stored matches it)
_NAMES = "list_transform(e.source || e.target || e.source_ids || e.target_ids, lambda x: lower(x))"

KbNames = Callable[[str], dict]  # a spelling -> {actor id: canonical name} (the KB's resolver)


@dataclass(frozen=True)
class EventFilter:
    actor: Optional[str] = None  # an actor on either side: id, canonical name or any spelling
    partner: Optional[str] = None  # a second actor that must also take part
    type: Optional[str] = None  # PLOVER type, e.g. CONSULT
    outlet: Optional[str] = None  # part of the outlet name
    place: Optional[str] = None  # location id, or part of the location name
    since: Optional[date] = None
    until: Optional[date] = None
    status: Optional[str] = None  # realized | negated | planned | conditional (None: any)
    precision: Optional[str] = None  # day | month | year: the date's interval at most that wide

    def sql(self, con, kb_names: Optional[KbNames] = None) -> tuple[str, list]:
        """`` WHERE ...`` over ``events e JOIN articles a`` and its parameters (``con`` resolves actors)."""
        conds, params = [], []
        for who in (self.actor, self.partner):
            if who:
                ids = self.actor_ids(con, who, kb_names)
                if ids == [who]:  # an actor's own id: its events are those that carry it (no names to match)
                    conds.append("list_has_any(e.source_ids || e.target_ids, ?)")
                    params.append(ids)
                    continue
                conds.append(f"(list_contains({_NAMES}, lower(?)) OR list_has_any(e.source_ids || e.target_ids, ?))")
                params += [who, ids]
        if self.type:
            conds.append("upper(e.type) = upper(?)")
            params.append(self.type)
        if self.outlet:
            known = outlet_condition(self.outlet)  # any alias of a listed outlet
            if known:
                conds.append(known[0])
                params += known[1]
            else:
                conds.append(
                    f"(contains(lower(coalesce({outlet_sql()}, '')), lower(?)) "
                    "OR contains(lower(coalesce(a.outlet, '')), lower(?)))"
                )
                params += [self.outlet, self.outlet]
        if self.place:
            conds.append("(e.location_id = ? OR contains(lower(coalesce(e.location, '')), lower(?)))")
            params += [self.place, self.place]
        if self.since:
            conds.append(f"{END} >= ?")
            params.append(self.since)
        if self.until:
            conds.append(f"{START} <= ?")
            params.append(self.until)
        if self.precision:
            conds.append(f"{PRECISION} IN (SELECT unnest(?))")
            params.append(list(NO_WIDER.get(self.precision, ())))
        if self.status:
            conds.append("e.status = ?")
            params.append(self.status)
        return (" WHERE " + " AND ".join(conds)) if conds else "", params

    def actor_ids(self, con, who: str, kb_names: Optional[KbNames] = None) -> list[str]:
        """The actors ``who`` resolves to; resolved once per filter (a page's list, timeline and
        network share one filter, built for its request)."""
        memo = self.__dict__.get("_ids")
        if memo is None:
            memo = {}
            object.__setattr__(self, "_ids", memo)  # not a field: neither compared nor in query()
        key = (who, kb_names is not None)
        if key not in memo:
            memo[key] = [aid for aid, _, _ in find_actor_ids(con, who, kb_names)]
        return memo[key]

    def but(self, **changes) -> "EventFilter":
        """This filter with ``changes``, sharing its resolved actors (the actor fields unchanged)."""
        g = replace(self, **changes)
        if "_ids" in self.__dict__ and not {"actor", "partner"} & set(changes):
            object.__setattr__(g, "_ids", self.__dict__["_ids"])
        return g

    def query(self) -> dict:
        """The non-empty filters, as query-string values."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v}


def list_events(
    cur, f: Optional[EventFilter] = None, limit: int = 20, offset: int = 0, kb_names: Optional[KbNames] = None, **kw
) -> tuple[int, list[dict]]:
    """``(total, page)`` of the events ``f`` selects, latest day first."""
    f = f or EventFilter(**kw)
    where, params = f.sql(cur, kb_names)
    # the total rides along with the page (one pass over the events instead of two); a page past the
    # end has no row to carry it, and is counted apart
    rows = _rows(
        cur,
        (
            'SELECT e.article_id, e.idx, e.type, e.mode, e.start, e."end", e.evidence, e.source, e.target, '
            "e.source_ids, e.target_ids, e.location, e.location_id, e.lat, e.lon, e.date, e.date_from_published, "
            f"e.status, e.confidence, e.cameo, a.headline, a.outlet, {STORED} AS outlet_name, a.published, sm.story_id AS story, "
            f"{START} AS day, {END} AS day_end, {PRECISION} AS precision, count(*) OVER () AS total_"
            + FROM
            + where
            + " ORDER BY day DESC NULLS LAST, e.article_id, e.idx LIMIT ? OFFSET ?"
        ),
        params + [limit, offset],
    )
    if rows:
        total = rows[0]["total_"]
    else:
        total = cur.execute("SELECT count(*)" + FROM + where, params).fetchone()[0]
    outlet_names(rows)
    for r in rows:
        del r["total_"]
        r["when"] = _when(r["day"], r["precision"])
        r["evidence_url"] = evidence_url(r["article_id"], f"e-{r['idx']}")
        r["sides"] = {
            side: [
                {"name": n, "actor_id": (r[f"{side}_ids"][i] if i < len(r[f"{side}_ids"] or ()) else None)}
                for i, n in enumerate(r[side] or ())
            ]
            for side in ("source", "target")
        }
    return total, rows


def _when(day: Optional[date], precision: Optional[str]) -> Optional[str]:
    """The event's date as its precision writes it: '2018-04-05', '2018-04', '2018'."""
    if day is None:
        return None
    iso = day.isoformat()
    return iso[:7] if precision == "month" else iso[:4] if precision == "year" else iso


def event_types(cur) -> list[str]:
    return [t for (t,) in cur.execute("SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY 1").fetchall()]


UNITS = ("day", "week", "month", "year")
# the widest precision a bucket of each unit holds whole: a week holds day-dated events only
BAR_PRECISION = {"day": "day", "week": "day", "month": "month", "year": "year"}


def _next(d: date, unit: str) -> date:
    """The first day of the bucket after the one holding ``d``."""
    if unit == "day":
        return d + timedelta(days=1)
    if unit == "week":
        return _bucket_start(d, unit) + timedelta(days=7)
    if unit == "month":
        return date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def _bucket_start(d: date, unit: str) -> date:
    """The first day of the bucket holding ``d`` (a week starts on Monday: ISO 8601)."""
    if unit == "week":
        return d - timedelta(days=d.weekday())
    return d if unit == "day" else date(d.year, d.month, 1) if unit == "month" else date(d.year, 1, 1)


def bucket_key(d: date, unit: str) -> str:
    """A bucket's name: '2018-04-09' (day), '2018-W15' (the ISO week), '2018-04' (month), '2018'."""
    if unit == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return d.isoformat()[: {"day": 10, "month": 7, "year": 4}[unit]]


def timeline(
    cur, f: Optional[EventFilter] = None, kb_names: Optional[KbNames] = None, unit: Optional[str] = None
) -> dict:
    """Event counts per day (a span up to 92 days), month (up to 8 years) or year (``unit`` forces
    one of these or ``week``, the ISO week from Monday), split by type.  An event counts in the
    bucket of its interval's start when its interval is no wider than a bucket (a week holds the
    day-dated events, not the month-dated ones); the wider ones are counted apart (``wider``:
    {precision: n}), so that a bucket's ``since``/``until``/``precision`` list exactly its
    ``total`` events."""
    f = f or EventFilter()
    where, params = f.sql(cur, kb_names)
    raw = cur.execute(
        f"SELECT {START} AS d, {PRECISION} AS p, e.type, count(*)" + FROM + where + " GROUP BY 1, 2, 3", params
    ).fetchall()
    dated = [(d, p, t, n) for d, p, t, n in raw if d is not None]
    undated = sum(n for d, _, _, n in raw if d is None)
    if not dated:
        return {"bucket": unit or "day", "types": [], "buckets": [], "undated": undated, "wider": {}}
    if unit is None:
        span = (max(d for d, *_ in dated) - min(d for d, *_ in dated)).days
        unit = "day" if span <= 92 else "month" if span <= 8 * 366 else "year"
    if unit not in UNITS:
        raise ValueError(f"unit: one of {', '.join(UNITS)}, not {unit!r}")
    precision = narrower(f.precision, BAR_PRECISION[unit])
    counts: dict[date, Counter] = defaultdict(Counter)
    types: Counter = Counter()
    wider: Counter = Counter()
    for d, p, t, n in dated:
        if p not in NO_WIDER[BAR_PRECISION[unit]]:
            wider[p] += n
            continue
        counts[_bucket_start(d, unit)][t or "?"] += n
        types[t or "?"] += n
    buckets = []
    if counts:  # every bucket between the first and the last, empty ones included: a linear axis
        first, hi = min(counts), max(counts)
        while first <= hi:
            nxt = _next(first, unit)
            c = counts.get(first, Counter())
            buckets.append(
                {
                    "key": bucket_key(first, unit),
                    "since": max(first, f.since or first).isoformat(),  # the bucket within the filter's range
                    "until": min(nxt - timedelta(days=1), f.until or nxt).isoformat(),
                    "precision": precision,
                    "counts": dict(c),
                    "total": sum(c.values()),
                }
            )
            first = nxt
    return {
        "bucket": unit,
        "types": [t for t, _ in types.most_common()],
        "buckets": buckets,
        "undated": undated,
        "wider": dict(wider),
    }
