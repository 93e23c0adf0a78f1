"""Stories as the readers see them: the list (with dates, outlets and a title), and one story with
its articles and its events merged across them (:mod:`marsad.stories.summary`)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Optional

from ...outlets import outlet_condition, outlet_sql
from ...stories.features import timestamp
from ...stories.summary import merge_events, story_title
from .sql import evidence_url, rows as _rows, where

_MEMBERS = " FROM story_members m JOIN articles a ON a.id = m.article_id AND a.content_hash = m.content_hash"


def list_stories(
    con,
    since: Optional[date] = None,
    until: Optional[date] = None,
    outlet: Optional[str] = None,
    min_articles: int = 1,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict]]:
    """(how many, a page of) the stories with an article published in [since, until] (and, with
    ``outlet``, one from an outlet whose name contains it), latest first."""
    conds, params = [], []
    if since:
        conds.append("a.published >= ?")
        params.append(since)
    if until:
        conds.append("a.published <= ?")
        params.append(until)
    if outlet:
        known = outlet_condition(outlet)  # any alias of a listed outlet
        if known:
            conds.append(known[0])
            params += known[1]
        else:
            conds.append(f"(lower({outlet_sql()}) LIKE ? OR lower(a.outlet) LIKE ?)")
            params += [f"%{outlet.lower()}%"] * 2
    sel = f"SELECT DISTINCT m.story_id{_MEMBERS}{where(conds)}"
    name = outlet_sql()
    total = con.execute(
        f"SELECT count(*) FROM (SELECT m.story_id{_MEMBERS} WHERE m.story_id IN ({sel}) "
        f"GROUP BY m.story_id HAVING count(*) >= ?)",
        params + [min_articles],
    ).fetchone()[0]
    stories = _rows(
        con,
        f"""
        SELECT m.story_id AS story, count(*) AS articles, min(a.published) AS first, max(a.published) AS last,
               list(DISTINCT {name} ORDER BY {name})
                 FILTER (WHERE coalesce(a.outlet_name, a.outlet) IS NOT NULL) AS outlets,
               list(a.headline ORDER BY a.published, a.id) AS headlines, list(a.id ORDER BY a.published, a.id) AS ids
        {_MEMBERS} WHERE m.story_id IN ({sel}) GROUP BY m.story_id HAVING count(*) >= ?
        ORDER BY last DESC, articles DESC, story LIMIT ? OFFSET ?""",
        params + [min_articles, limit, offset],
    )
    for s in stories:
        s["title"] = story_title(list(zip(s.pop("ids"), s.pop("headlines"))))
    return total, stories


def story_of(con, article_id: str) -> Optional[str]:
    row = con.execute("SELECT story_id FROM story_members WHERE article_id = ?", [article_id]).fetchone()
    return row[0] if row else None


def get_story(con, story_id: str, side_of=None) -> Optional[dict]:
    """One story: its articles (with how each joined), its title, dates, outlets, its events
    merged into occasions, each report linked to its evidence, and what its outlets report
    differently (``differs``, :mod:`marsad.stories.differ`; ``side_of``: :func:`marsad.names.kb_side`)."""
    from .outlet_profiles import story_differences

    arts = _rows(
        con,
        f"""
        SELECT a.id, a.headline, a.published, a.meta, {outlet_sql()} AS outlet, m.score,
               m.duplicate_of, m.duplicate_similarity{_MEMBERS} WHERE m.story_id = ? ORDER BY a.published, a.id""",
        [story_id],
    )
    if not arts:
        return None
    for a in arts:  # the time of publication when the input gave one (UTC), for the timeline
        raw = (json.loads(a.pop("meta")) if a["meta"] else {}).get("published_raw")
        ts = timestamp(None, raw) if raw else 0.0
        a["time"] = datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if ts else None
    arts.sort(key=lambda a: (a["time"] or str(a["published"]), a["id"]))
    ids = [a["id"] for a in arts]
    events = _rows(
        con,
        f"""
        SELECT e.article_id, e.idx, e.type, e.source, e.target, e.source_ids, e.target_ids, e.evidence,
               e.start, e."end", CASE WHEN e.date_from_published THEN NULL ELSE e.date END AS date,
               {outlet_sql()} AS outlet
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE list_contains(?, e.article_id) AND e.status = 'realized' ORDER BY a.published, e.article_id, e.idx""",
        [ids],
    )
    occasions = merge_events(events)
    for o in occasions:
        for r in o["reports"]:
            r["url"] = evidence_url(r["article_id"], f"e-{r['idx']}")
    dups = _rows(
        con,
        "SELECT input_id AS id, duplicate_of, source FROM rejects "
        "WHERE reason = 'duplicate' AND list_contains(?, duplicate_of) ORDER BY input_id",
        [ids],
    )
    outlets = sorted({a["outlet"] for a in arts if a["outlet"]})
    return {
        "story": story_id,
        "title": story_title([(a["id"], a["headline"]) for a in arts]),
        "first": arts[0]["published"],
        "last": arts[-1]["published"],
        "outlets": outlets,
        "articles": arts,
        "copies": dups,
        "events": occasions,
        "differs": story_differences(con, ids, side_of),
    }


def events_by_story(con, f=None, kb_names=None, limit: int = 100, most: int = 20_000) -> dict:
    """The events ``f`` selects (at most ``most``), counted by occasion: the events of one story's
    articles merged (:func:`~marsad.stories.summary.merge_events`), an article without a story
    being its own.  ``{"events", "articles", "stories", "occasions", "items"}``, the occasions
    reported by the most articles first."""
    from .events import list_events

    _, evs = list_events(con, f, limit=most, kb_names=kb_names)
    by: dict[str, list[dict]] = {}
    for e in evs:
        e["outlet"] = e.get("outlet_name") or e.get("outlet")
        by.setdefault(e["story"] or e["article_id"], []).append(e)
    items = []
    for story, group in by.items():
        for o in merge_events(sorted(group, key=lambda e: (str(e["published"]), e["article_id"], e["idx"]))):
            items.append({"story": story, **o})
    items.sort(key=lambda o: (-o["articles"], -len(o["reports"]), o["story"], o["type"]))
    return {
        "events": len(evs),
        "articles": len({e["article_id"] for e in evs}),
        "stories": len(by),
        "occasions": len(items),
        "items": items[:limit],
    }
