"""``gold``: the store in the schema of the shared gold standard (../shared/gold/GUIDELINES.md), so
its scorer can grade marsad."""

from __future__ import annotations

from pathlib import Path

from ...model import Article
from ..read import iter_articles
from .jsonl import iso, write_lines


def gold_record(a: Article) -> dict:
    """One article in the gold schema of ../shared/gold/GUIDELINES.md."""
    ents, seen = [], set()
    for m in a.mentions:
        key = (m.text, m.type)
        if key in seen:
            continue
        seen.add(key)
        ents.append({"surface": m.text, "type": m.type, "canonical": m.canonical or m.actor_id, "title": m.title})
    times, tseen = [], set()
    for t in a.times:
        if t.value is None or (t.text, t.value) in tseen:
            continue
        tseen.add((t.text, t.value))
        times.append({"surface": t.text, "value": t.value})
    return {
        "id": a.id,
        "published": iso(a.published),
        "headline": a.headline,
        "outlet": {"surface": a.outlet, "name_en": a.outlet_name} if a.outlet else None,
        "byline": a.byline,
        "boilerplate": list(a.boilerplate),
        "body": a.body,
        "entities": ents,
        "quotes": [
            {
                "speaker": q.speaker or q.speaker_surface or None,
                "speaker_surface": q.speaker_surface or None,
                "cue": q.cue,
                "kind": q.kind,
                "text": q.text,
            }
            for q in a.quotes
        ],
        "events": [gold_event(e) for e in a.events if e.status == "realized"],
        "times": times,
        "attributions": [{"surface": t.text, "outlet": t.outlet} for t in a.attributions],
    }


def write(con, out: Path, **_) -> int:
    return write_lines((gold_record(a) for a in iter_articles(con)), out)


def gold_event(e) -> dict:
    """An event as the gold files write it (a date taken from the publication day is no date)."""
    return {
        "type": e.type,
        "mode": e.mode,
        "source": list(e.source),
        "target": list(e.target),
        "location": e.location,
        "date": None if e.date_from_published else e.date,
        "evidence": e.evidence,
    }
