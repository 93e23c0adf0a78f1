"""Saving story placements (computed by :mod:`marsad.stories`) into ``story_members``."""

from __future__ import annotations

from typing import Iterable

from .db import now


def save_placements(con, rows: Iterable[tuple[str, str, float, object, float, str]]) -> int:
    """Replace the placement of each article: (article id, story id, score, duplicate of,
    duplicate similarity, content hash)."""
    rows = list(rows)
    if not rows:
        return 0
    at = now()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM story_members WHERE list_contains(?, article_id)", [[r[0] for r in rows]])
        con.executemany("INSERT INTO story_members VALUES (?, ?, ?, ?, ?, ?, ?)", [(*r, at) for r in rows])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(rows)
