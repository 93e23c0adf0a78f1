"""Events: ONE filter (:class:`EventFilter`) for every reader of the store (``marsad events``, the
JSON API, the web pages), the filtered list, the timeline buckets, the who-meets-whom network, the
map points.

The semantics of the filter, the same everywhere:

* ``actor`` / ``partner``: an actor on either side, named by its id or its canonical name in any
  case ('Q-lavrov', 'sergey lavrov'), or by any other spelling, resolved as ``marsad actor`` resolves
  it (:func:`marsad.store.read.actors.find_actor_ids`: the KB's spellings when the caller hands the KB
  in, then the transliteration skeleton of the stored mentions, so 'لافروف' finds Lavrov's events);
* ``type``: a PLOVER type, any case;
* ``outlet``: part of the outlet's name or of its surface, any case;
* ``place``: the location id, or part of the location's name, any case;
* ``since`` / ``until``: the event's day, which is its own date when a time expression gave a full
  day, else its article's publication day (:data:`DAY`);
* ``status``: realized | negated | planned | conditional (None: any).

Every value travels as a SQL parameter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Callable, Optional

from .names import find_actor_ids
from .sql import evidence_url, q, rows as _rows

# the event's day: its own date when the text gave a full day, else its article's publication day
DAY = "coalesce(CASE WHEN e.date_from_published THEN NULL ELSE TRY_CAST(e.date AS DATE) END, a.published)"
FROM = (
    " FROM events e JOIN articles a ON a.id = e.article_id"
    " LEFT JOIN story_members sm ON sm.article_id = e.article_id AND sm.content_hash = a.content_hash"
)
_NAMES = "'|' || lower(array_to_string(e.source || e.target || e.source_ids || e.target_ids, '|')) || '|'"

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

    def sql(self, con, kb_names: Optional[KbNames] = None) -> tuple[str, list]:
        """`` WHERE ...`` over ``events e JOIN articles a`` and its parameters (``con`` resolves actors)."""
        conds, params = [], []
        for who in (self.actor, self.partner):
            if who:
                ids = [aid for aid, _, _ in find_actor_ids(con, who, kb_names)]
                conds.append(
                    f"(instr({_NAMES}, '|' || lower(?) || '|') > 0 OR list_has_any(e.source_ids || e.target_ids, ?))"
                )
                params += [who, ids]
        if self.type:
            conds.append("upper(e.type) = upper(?)")
            params.append(self.type)
        if self.outlet:
            conds.append(
                "(contains(lower(coalesce(a.outlet_name, '')), lower(?)) "
                "OR contains(lower(coalesce(a.outlet, '')), lower(?)))"
            )
            params += [self.outlet, self.outlet]
        if self.place:
            conds.append("(e.location_id = ? OR contains(lower(coalesce(e.location, '')), lower(?)))")
            params += [self.place, self.place]
        if self.since:
            conds.append(f"{DAY} >= ?")
            params.append(self.since)
        if self.until:
            conds.append(f"{DAY} <= ?")
            params.append(self.until)
        if self.status:
            conds.append("e.status = ?")
            params.append(self.status)
        return (" WHERE " + " AND ".join(conds)) if conds else "", params

    def query(self) -> dict:
        """The non-empty filters, as query-string values."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v}


def list_events(
    cur, f: Optional[EventFilter] = None, limit: int = 20, offset: int = 0, kb_names: Optional[KbNames] = None, **kw
) -> tuple[int, list[dict]]:
    """``(total, page)`` of the events ``f`` selects, latest day first."""
    f = f or EventFilter(**kw)
    where, params = f.sql(cur, kb_names)
    total = cur.execute("SELECT count(*)" + FROM + where, params).fetchone()[0]
    rows = _rows(
        cur,
        (
            'SELECT e.article_id, e.idx, e.type, e.mode, e.start, e."end", e.evidence, e.source, e.target, '
            "e.source_ids, e.target_ids, e.location, e.location_id, e.lat, e.lon, e.date, e.date_from_published, "
            "e.status, e.confidence, e.cameo, a.headline, a.outlet, a.outlet_name, a.published, sm.story_id AS story, "
            f'{DAY} AS day, CAST({DAY} AS VARCHAR) AS "when"'
            + FROM
            + where
            + " ORDER BY day DESC NULLS LAST, e.article_id, e.idx LIMIT ? OFFSET ?"
        ),
        params + [limit, offset],
    )
    for r in rows:
        r["evidence_url"] = evidence_url(r["article_id"], f"e-{r['idx']}")
        r["sides"] = {
            side: [
                {"name": n, "actor_id": (r[f"{side}_ids"][i] if i < len(r[f"{side}_ids"] or ()) else None)}
                for i, n in enumerate(r[side] or ())
            ]
            for side in ("source", "target")
        }
    return total, rows


def event_types(cur) -> list[str]:
    return [t for (t,) in cur.execute("SELECT DISTINCT type FROM events WHERE type IS NOT NULL ORDER BY 1").fetchall()]


def _as_date(s: Optional[str]) -> Optional[date]:
    """An ISO day, month or year as a date (its first day); None if unparseable or implausible."""
    try:
        d = (
            (
                date.fromisoformat(s[:10])
                if len(s) >= 10
                else date(int(s[:4]), int(s[5:7]), 1)
                if len(s) == 7
                else date(int(s), 1, 1)
                if len(s) == 4
                else None
            )
            if s
            else None
        )
    except ValueError:
        return None
    return d if d and 1900 <= d.year <= 2100 else None


def timeline(cur, f: Optional[EventFilter] = None, kb_names: Optional[KbNames] = None) -> dict:
    """Event counts per day (a span up to 92 days), month (up to 8 years) or year, split by type."""
    f = f or EventFilter()
    where, params = f.sql(cur, kb_names)
    raw = cur.execute(
        f"SELECT CAST({DAY} AS VARCHAR) AS d, e.type, count(*)" + FROM + where + " GROUP BY 1, 2", params
    ).fetchall()
    parsed = [(_as_date(d), t, n) for d, t, n in raw]
    dated = [x for x in parsed if x[0] is not None]
    undated = sum(n for d, _, n in parsed if d is None)
    if not dated:
        return {"bucket": "day", "types": [], "buckets": [], "undated": undated}
    lo, hi = min(d for d, _, _ in dated), max(d for d, _, _ in dated)
    span = (hi - lo).days
    unit = "day" if span <= 92 else "month" if span <= 8 * 366 else "year"
    key = {"day": lambda d: d.isoformat(), "month": lambda d: d.isoformat()[:7], "year": lambda d: str(d.year)}[unit]
    counts: dict[str, Counter] = defaultdict(Counter)
    types: Counter = Counter()
    for d, t, n in dated:
        counts[key(d)][t or "?"] += n
        types[t or "?"] += n
    # every bucket between the first and the last, empty ones included, so the axis is linear
    keys, d = [], lo
    while d <= hi:
        k = key(d)
        if not keys or keys[-1] != k:
            keys.append(k)
        d = (
            d + timedelta(days=1)
            if unit == "day"
            else (date(d.year + (d.month == 12), d.month % 12 + 1, 1) if unit == "month" else date(d.year + 1, 1, 1))
        )
    buckets = []
    for k in keys:
        first = _as_date(k) or lo
        last = {
            "day": first,
            "month": (date(first.year + (first.month == 12), first.month % 12 + 1, 1) - timedelta(days=1)),
            "year": date(first.year, 12, 31),
        }[unit]
        buckets.append(
            {
                "key": k,
                "since": first.isoformat(),
                "until": last.isoformat(),
                "counts": dict(counts.get(k, {})),
                "total": sum(counts.get(k, Counter()).values()),
            }
        )
    return {"bucket": unit, "types": [t for t, _ in types.most_common()], "buckets": buckets, "undated": undated}


def _side(ids, names) -> list[tuple[str, str]]:
    """(id, name) of each actor on one side of an event; the name stands in for a missing id."""
    ids, names = list(ids or ()), list(names or ())
    return [(ids[i] if i < len(ids) and ids[i] else names[i], names[i]) for i in range(len(names)) if names[i]] or [
        (i, i) for i in ids if i
    ]


def network(cur, f: Optional[EventFilter] = None, max_nodes: int = 60, kb_names: Optional[KbNames] = None) -> dict:
    """Who meets whom: CONSULT events, an undirected edge between each source and each target."""
    f = f or EventFilter()
    where, params = replace(f, type="CONSULT").sql(cur, kb_names)
    nodes: dict[str, dict] = {}
    edges: Counter = Counter()
    for s_ids, s_names, t_ids, t_names in cur.execute(
        "SELECT e.source_ids, e.source, e.target_ids, e.target" + FROM + where, params
    ).fetchall():
        for a_id, a_name in _side(s_ids, s_names):
            for b_id, b_name in _side(t_ids, t_names):
                if a_id == b_id:
                    continue
                for nid, name in ((a_id, a_name), (b_id, b_name)):
                    nodes.setdefault(nid, {"id": nid, "name": name or nid, "weight": 0})["weight"] += 1
                edges[tuple(sorted((a_id, b_id)))] += 1
    keep = {n["id"] for n in sorted(nodes.values(), key=lambda n: (-n["weight"], n["id"]))[:max_nodes]}
    out_nodes = [dict(n, url=f"/actors/{q(n['id'])}") for n in nodes.values() if n["id"] in keep]
    out_edges = [
        {
            "source": a,
            "target": b,
            "weight": w,
            "url": "/events?" + "&".join(f"{k}={q(v)}" for k, v in (("type", "CONSULT"), ("actor", a), ("partner", b))),
        }
        for (a, b), w in edges.items()
        if a in keep and b in keep
    ]
    out_nodes.sort(key=lambda n: n["id"])
    out_edges.sort(key=lambda e: (e["source"], e["target"]))
    return {"nodes": out_nodes, "edges": out_edges}


def places(cur, f: Optional[EventFilter] = None, limit: int = 500, kb_names: Optional[KbNames] = None) -> list[dict]:
    """Located events grouped by place (location and coordinates rounded to 0.01°)."""
    f = f or EventFilter()
    where, params = f.sql(cur, kb_names)
    where = (where + " AND " if where else " WHERE ") + "e.lat IS NOT NULL AND e.lon IS NOT NULL"
    rows = _rows(
        cur,
        (
            "SELECT coalesce(e.location, e.location_id, '?') AS location, any_value(e.location_id) AS location_id, "
            "round(e.lat, 2) AS lat, round(e.lon, 2) AS lon, count(*) AS events, "
            "list(DISTINCT e.type ORDER BY e.type) AS types, min(e.article_id) AS article_id, "
            "arg_min(e.idx, e.article_id) AS idx"
            + FROM
            + where
            + " GROUP BY 1, 3, 4 ORDER BY events DESC, location LIMIT ?"
        ),
        params + [limit],
    )
    for r in rows:
        r["evidence_url"] = evidence_url(r["article_id"], f"e-{r['idx']}")
        r["events_url"] = "/events?place=" + q(r["location_id"] or r["location"])
    return rows
