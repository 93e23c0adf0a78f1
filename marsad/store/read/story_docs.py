"""Stored articles as :class:`~marsad.stories.StoryDoc` (what story building compares), and the
stories they were placed in."""

from __future__ import annotations

import json
from typing import Iterable, Optional

from ...stories.features import StoryDoc, lead_end_of, make_doc, timestamp


def _grouped(con, sql: str, ids: list[str]) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for row in con.execute(sql, [ids]).fetchall():
        out.setdefault(row[0], []).append(row[1:])
    return out


def story_docs(con, ids: Iterable[str]) -> list[StoryDoc]:
    """The StoryDocs of the stored articles ``ids`` (ids not stored are left out)."""
    ids = sorted(set(ids))
    if not ids:
        return []
    arts = con.execute(
        "SELECT id, coalesce(outlet_name, outlet), published, meta, headline, text, body_start, content_hash "
        "FROM articles WHERE list_contains(?, id) ORDER BY id",
        [ids],
    ).fetchall()
    mentions = _grouped(
        con,
        "SELECT article_id, start, actor_id FROM mentions WHERE actor_id IS NOT NULL AND list_contains(?, article_id)",
        ids,
    )
    events = _grouped(
        con,
        "SELECT article_id, start, type, list_concat(coalesce(source_ids, []), "
        "coalesce(target_ids, [])) FROM events WHERE list_contains(?, article_id)",
        ids,
    )
    quotes = _grouped(
        con,
        "SELECT article_id, start, coalesce(speaker_actor, speaker) FROM quotes WHERE list_contains(?, article_id)",
        ids,
    )
    docs = []
    for aid, outlet, published, meta, headline, text, body_start, chash in arts:
        raw = (json.loads(meta) if meta else {}).get("published_raw")
        docs.append(
            make_doc(
                aid,
                outlet,
                timestamp(published, raw),
                headline or text[:body_start].strip(),
                text[body_start:],
                lead_end_of(text, body_start),
                mentions.get(aid, ()),
                events.get(aid, ()),
                quotes.get(aid, ()),
                chash,
            )
        )
    return docs


def placed(con) -> dict[str, tuple[str, str]]:
    """article id -> (story id, content hash it was placed with)."""
    return {
        a: (s, h) for a, s, h in con.execute("SELECT article_id, story_id, content_hash FROM story_members").fetchall()
    }


def unplaced_ids(con) -> list[str]:
    """Stored articles without a story, or placed in a version since replaced."""
    return [
        r[0]
        for r in con.execute(
            "SELECT a.id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id "
            "WHERE m.article_id IS NULL OR m.content_hash IS DISTINCT FROM a.content_hash ORDER BY a.id"
        ).fetchall()
    ]


def ids_near(con, start: Optional[object], end: Optional[object], days: int = 2) -> list[str]:
    """Placed articles published within ``days`` of [start, end] (dates): the stories new articles may join."""
    return [
        r[0]
        for r in con.execute(
            "SELECT m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id "
            "WHERE a.content_hash = m.content_hash AND (a.published IS NULL OR ? IS NULL OR "
            "a.published BETWEEN CAST(? AS DATE) - ? AND CAST(? AS DATE) + ?)",
            [start, start, days, end, days],
        ).fetchall()
    ]
