"""The who-meets-whom network and the map's places, under the events' ONE filter
(:class:`marsad.store.read.events.EventFilter`).

* :func:`network`: the actors linked by the events of one type (CONSULT unless the filter names
  another), an undirected edge between each source and each target.  Only actors are nodes: a place
  (a town, a region) on a side of an event is left out, with its edges.  A KB actor is a place when
  the KB says so (``kb_place``: a LOC, or a GPE below a state, e.g. 'gpe:jeddah'; states, people,
  organisations and groups are actors); an actor outside the KB is a place when the store types
  every one of its mentions GPE or LOC (the KB lists every UN member state, so a GPE it does not
  know is a town or a region).
* :func:`places`: the located events grouped by place, each with its events' date intervals (the
  map's time slider counts them without asking again), its kind (country, place, region) and its
  names from the KB (``kb_place``) when the caller hands the KB in.

The KB travels as a callable (``kb_place``: an actor id -> ``{"kind", "name", "name_ar",
"country"}`` or None), as ``kb_names`` does: nothing here imports extraction.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Optional

from .dates import END, START
from .events import FROM, EventFilter, KbNames
from .sql import evidence_url, q, rows as _rows

KbPlace = Callable[[str], Optional[dict]]  # an actor id -> {"kind", "name", "name_ar", "country"} or None
PLACE_KINDS = ("place", "region")  # kb_place kinds that are not actors ("country" and "actor" are)


def _side(ids, names) -> list[tuple[str, str]]:
    """(id, name) of each actor on one side of an event; the name stands in for a missing id."""
    ids, names = list(ids or ()), list(names or ())
    return [(ids[i] if i < len(ids) and ids[i] else names[i], names[i]) for i in range(len(names)) if names[i]] or [
        (i, i) for i in ids if i
    ]


def place_only(cur, ids: list[str], kb_place: Optional[KbPlace] = None) -> set[str]:
    """The ids among ``ids`` that name a place, not an actor: a KB id by the KB's word
    (``kb_place``); an id outside the KB ('x:…') when every stored mention of it is typed GPE or
    LOC; a name standing in for a missing id is kept."""
    out, outside = set(), []
    for i in ids:
        info = kb_place(i) if kb_place else None
        if info is not None:
            if info.get("kind") in PLACE_KINDS:
                out.add(i)
        elif i.startswith("x:"):
            outside.append(i)
    if outside:
        out |= {
            aid
            for aid, only_places in cur.execute(
                "SELECT actor_id, bool_and(type IN ('GPE', 'LOC')) FROM mentions "
                "WHERE actor_id IN (SELECT unnest(?)) GROUP BY 1",
                [outside],
            ).fetchall()
            if only_places
        }
    return out


def network(
    cur,
    f: Optional[EventFilter] = None,
    max_nodes: int = 60,
    kb_names: Optional[KbNames] = None,
    kb_place: Optional[KbPlace] = None,
) -> dict:
    """Who meets whom: the events of the filter's type (CONSULT when it names none), an undirected
    edge between each source and each target; actors only (``places``: how many places were left
    out)."""
    f = f or EventFilter()
    etype = (f.type or "CONSULT").upper()
    where, params = f.but(type=etype).sql(cur, kb_names)
    nodes: dict[str, dict] = {}
    edges: Counter = Counter()
    pairs = []
    for s_ids, s_names, t_ids, t_names in cur.execute(
        "SELECT e.source_ids, e.source, e.target_ids, e.target" + FROM + where, params
    ).fetchall():
        for a_id, a_name in _side(s_ids, s_names):
            for b_id, b_name in _side(t_ids, t_names):
                if a_id != b_id:
                    pairs.append(((a_id, a_name), (b_id, b_name)))
    dropped = place_only(cur, sorted({i for p in pairs for i, _ in p}), kb_place)
    for (a_id, a_name), (b_id, b_name) in pairs:
        if a_id in dropped or b_id in dropped:
            continue
        for nid, name in ((a_id, a_name), (b_id, b_name)):
            nodes.setdefault(nid, {"id": nid, "name": name or nid, "weight": 0})["weight"] += 1
        edges[tuple(sorted((a_id, b_id)))] += 1
    keep = {n["id"] for n in sorted(nodes.values(), key=lambda n: (-n["weight"], n["id"]))[:max_nodes]}
    out_nodes = [dict(n, url=f"/actors/{q(n['id'])}") for n in nodes.values() if n["id"] in keep]
    base = {k: v for k, v in f.query().items() if k not in ("actor", "partner", "type")}
    out_edges = [
        {
            "source": a,
            "target": b,
            "weight": w,
            "url": "/events?"
            + "&".join(f"{k}={q(v)}" for k, v in (("type", etype), ("actor", a), ("partner", b), *base.items())),
        }
        for (a, b), w in edges.items()
        if a in keep and b in keep
    ]
    out_nodes.sort(key=lambda n: n["id"])
    out_edges.sort(key=lambda e: (e["source"], e["target"]))
    return {"type": etype, "nodes": out_nodes, "edges": out_edges, "places": len(dropped)}


def _spans(pairs) -> list[list]:
    """[[first day, last day, events], …] of one place's events (ISO dates; undated ones apart, as
    [None, None, n])."""
    c = Counter((s.isoformat() if s else None, e.isoformat() if e else None) for s, e in pairs)
    return [[s, e, n] for (s, e), n in sorted(c.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or ""))]


def places(
    cur,
    f: Optional[EventFilter] = None,
    limit: int = 500,
    kb_names: Optional[KbNames] = None,
    kb_place: Optional[KbPlace] = None,
) -> list[dict]:
    """Located events grouped by place (location and coordinates rounded to 0.01°), each with
    ``spans`` (its events' date intervals: ``[first, last, n]``), ``first``/``last`` (its dated
    events' range), and, from the KB, ``kind`` (country, place, region; None when unknown),
    ``name_ar`` and ``country``.  A country's place carries the country's own name."""
    f = f or EventFilter()
    where, params = f.sql(cur, kb_names)
    where = (where + " AND " if where else " WHERE ") + "e.lat IS NOT NULL AND e.lon IS NOT NULL"
    rows = _rows(
        cur,
        (
            "SELECT coalesce(e.location, e.location_id, '?') AS location, any_value(e.location_id) AS location_id, "
            "round(e.lat, 2) AS lat, round(e.lon, 2) AS lon, count(*) AS events, "
            "list(DISTINCT e.type ORDER BY e.type) AS types, min(e.article_id) AS article_id, "
            f"arg_min(e.idx, e.article_id) AS idx, list([{START}, {END}]) AS days"
            + FROM
            + where
            + " GROUP BY 1, 3, 4 ORDER BY events DESC, location LIMIT ?"
        ),
        params + [limit],
    )
    for r in rows:
        r["spans"] = _spans(r.pop("days"))
        dated = [s for s in r["spans"] if s[0]]
        r["first"] = min((s[0] for s in dated), default=None)
        r["last"] = max((s[1] for s in dated), default=None)
        info = (kb_place(r["location_id"]) if kb_place and r["location_id"] else None) or {}
        r["kind"] = info.get("kind") if info.get("kind") in ("country", *PLACE_KINDS) else None
        if r["kind"] == "country" and info.get("name"):
            r["location"] = info["name"]
        r["name_ar"] = info.get("name_ar")
        r["country"] = info.get("country")
        r["evidence_url"] = evidence_url(r["article_id"], f"e-{r['idx']}")
        r["events_url"] = "/events?" + "&".join(
            f"{k}={q(v)}" for k, v in {**f.query(), "place": r["location_id"] or r["location"]}.items()
        )
    return rows
