"""Placing newly stored articles into stories: the stored articles near them in time are put back
with their stories (:meth:`StoryIndex.load`), then the new ones join or found stories."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Optional

from .docfreq import DocFreq
from .index import StoryIndex, StoryParams

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoryUpdate:
    placed: int = 0  # articles placed in this update
    founded: int = 0  # of them, those that started a story
    near_duplicates: int = 0  # of them, those that nearly repeat an earlier article


def _day(ts: float) -> Optional[date]:
    return datetime.fromtimestamp(ts, timezone.utc).date() if ts else None


def update_stories(con, docfreq: Optional[DocFreq] = None, params: StoryParams = StoryParams()) -> StoryUpdate:
    """Place every stored article that has no story yet (or was replaced since it was placed)."""
    from ..store.read.story_docs import ids_near, placed, story_docs, unplaced_ids
    from ..store.story_rows import save_placements

    new_ids = unplaced_ids(con)
    if not new_ids:
        return StoryUpdate()
    docfreq = docfreq or DocFreq.load()
    new_docs = story_docs(con, new_ids)
    days = [d for d in (_day(x.ts) for x in new_docs) if d]
    reach = int(params.window_hours // 24) + 1
    old = set(ids_near(con, min(days) if days else None, max(days) if days else None, reach)) - set(new_ids)
    where = placed(con)
    index = StoryIndex(docfreq, params)
    index.load(story_docs(con, old), {a: where[a][0] for a in old})
    hashes = {d.id: d.content_hash for d in new_docs}
    out = index.add(new_docs)
    save_placements(
        con,
        (
            (a.article_id, a.story_id, a.score, a.duplicate_of, a.duplicate_similarity, hashes[a.article_id])
            for a in out
        ),
    )
    founded = sum(1 for a in out if a.story_id == a.article_id)
    dups = sum(1 for a in out if a.duplicate_of)
    log.info("stories: %d articles placed, %d new stories, %d near-duplicates", len(out), founded, dups)
    return StoryUpdate(len(out), founded, dups)
