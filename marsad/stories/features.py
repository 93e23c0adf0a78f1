"""What a story comparison needs of one article (:class:`StoryDoc`), from an :class:`Article`
or from its stored rows: headline and lead words, the actors, events and speakers of the lead,
the word shingles of the body (near-duplicates), and the time of publication."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Iterable, Optional

from ..text.normalize import fold
from .docfreq import lead_of
from .tokens import WORD, story_words

SHINGLE = 4  # words per shingle


@dataclass(frozen=True)
class StoryDoc:
    id: str
    outlet: Optional[str]
    ts: float  # publication time, seconds since the epoch (UTC)
    headline: str
    title_words: tuple[str, ...]
    lead_words: tuple[str, ...]
    actors: frozenset[str] = frozenset()  # actor ids of the lead (headline included)
    events: frozenset[tuple[str, str]] = frozenset()  # (type, actor id or "") of the lead's events
    speakers: frozenset[str] = frozenset()  # who is quoted in the lead
    shingles: frozenset[int] = frozenset()  # crc32 of the body's word 4-grams
    content_hash: str = ""


def timestamp(published: Optional[date], raw: Optional[str] = None) -> float:
    """Seconds since the epoch of the publication time: the raw field when it parses (RFC 2822 or
    ISO 8601), else noon UTC of the publication date, else 0."""
    if raw:
        for parse in (parsedate_to_datetime, datetime.fromisoformat):
            try:
                dt = parse(raw.strip())
            except (TypeError, ValueError, IndexError):
                continue
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=timezone.utc)
            return dt.timestamp()
    if published is not None:
        return datetime(published.year, published.month, published.day, 12, tzinfo=timezone.utc).timestamp()
    return 0.0


def shingles(body: str) -> frozenset[int]:
    words = WORD.findall(fold(body))
    if len(words) < SHINGLE:
        return frozenset([zlib.crc32(" ".join(words).encode("utf-8"))]) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[i : i + SHINGLE]).encode("utf-8")) for i in range(len(words) - SHINGLE + 1)
    )


def make_doc(
    id: str,
    outlet: Optional[str],
    ts: float,
    headline: str,
    body: str,
    lead_end: int,
    actors: Iterable[tuple[int, Optional[str]]],
    events: Iterable[tuple[int, str, Iterable[str]]],
    speakers: Iterable[tuple[int, Optional[str]]],
    content_hash: str = "",
) -> StoryDoc:
    """``lead_end``: offset (in the stored text) where the lead ends; the other arguments give
    (offset, value) pairs of the whole article, of which those before ``lead_end`` count."""
    ev: set[tuple[str, str]] = set()
    for start, typ, ids in events:
        if start < lead_end:
            ev.add((typ, ""))
            ev.update((typ, i) for i in ids if i)
    return StoryDoc(
        id=id,
        outlet=outlet,
        ts=ts,
        headline=headline,
        title_words=tuple(story_words(headline)),
        lead_words=tuple(story_words(lead_of(body))),
        actors=frozenset(a for s, a in actors if a and s < lead_end),
        events=frozenset(ev),
        speakers=frozenset(p for s, p in speakers if p and s < lead_end),
        shingles=shingles(body),
        content_hash=content_hash,
    )


def lead_end_of(text: str, body_start: int) -> int:
    body = text[body_start:]
    lead = lead_of(body)
    # the lead is the first lines of the body, blank lines skipped: find where its last line ends
    last = lead.rsplit("\n", 1)[-1]
    at = body.find(last) if last else 0
    return body_start + (at + len(last) if at >= 0 else len(lead))


def from_article(article) -> StoryDoc:
    """The :class:`StoryDoc` of an analysed :class:`~marsad.model.Article`."""
    meta = dict(article.meta)
    end = lead_end_of(article.text, article.body_start)
    return make_doc(
        article.id,
        article.outlet_name or article.outlet,
        timestamp(article.published, meta.get("published_raw")),
        article.headline or article.text[: article.body_start].strip(),
        article.body,
        end,
        ((m.start, m.actor_id) for m in article.mentions),
        ((e.start, e.type, tuple(e.source_ids) + tuple(e.target_ids)) for e in article.events),
        ((q.start, q.speaker_actor or q.speaker) for q in article.quotes),
        article.content_hash,
    )
