"""Event exports: ``plover`` (PLOVER JSON records, JSONL, validated by
``resources/events/plover.schema.json``), ``acled`` (an ACLED-like CSV) and ``geojson`` (a
FeatureCollection of the located events).

Only realized events whose evidence is verbatim are exported (negated, planned and conditional ones
stay in the store).  The records are built from model objects; the writers read the store through
:mod:`marsad.store.read`.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from ... import __version__
from ...model import Article, Event

SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "events" / "plover.schema.json"
QUAD = {
    "AGREE": 1,
    "CONSULT": 1,
    "SUPPORT": 1,
    "CONCEDE": 1,
    "COOPERATE": 2,
    "AID": 2,
    "RETREAT": 2,
    "REQUEST": 3,
    "ACCUSE": 3,
    "REJECT": 3,
    "SANCTION": 3,
    "THREATEN": 3,
    "PROTEST": 4,
    "MOBILIZE": 4,
    "COERCE": 4,
    "ASSAULT": 4,
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ACLED_COLUMNS = (
    "event_id",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "cameo",
    "actor1",
    "actor1_id",
    "actor2",
    "actor2_id",
    "location",
    "location_id",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_url",
    "notes",
    "status",
    "confidence",
    "article_id",
    "evidence_start",
    "evidence_end",
    "story_id",
    "origin",
)


def event_id(a: Article, i: int) -> str:
    return f"marsad-{a.id}-{i:03d}"


def exported(a: Article) -> Iterator[tuple[int, Event]]:
    """The article's events that are exported: realized ones whose evidence is verbatim."""
    for i, e in enumerate(a.events):
        if e.status == "realized" and a.text[e.start : e.end] == e.evidence:
            yield i, e


def _day(e: Event, a: Article) -> tuple[str | None, str]:
    """(YYYY-MM-DD, basis): the event's own day when a time expression gave one, else the publication day."""
    if e.date and _DAY.match(e.date) and not e.date_from_published:
        return e.date, "text"
    if a.published:
        return (a.published.isoformat() if isinstance(a.published, date) else str(a.published)), "published"
    return None, "published"


def _actors(names: Iterable[str], ids: Iterable[str]) -> list[dict]:
    ids = list(ids)
    return [
        {"actor_text": n, "identifier_id": (ids[k] if k < len(ids) and ids[k] else None), "identifier_text": n}
        for k, n in enumerate(names)
    ]


def _loc(e: Event) -> dict | None:
    if not e.location:
        return None
    return {"name": e.location, "latitude": e.lat, "longitude": e.lon, "identifier_id": e.location_id}


def plover_record(a: Article, i: int, e: Event, story: str | None = None, sequence: int | None = None) -> dict:
    """The PLOVER record of event ``i`` of ``a``; ``sequence``: the index of the sentence holding its
    evidence when the caller knows it (else found in ``a.sentences``)."""
    day, basis = _day(e, a)
    sent = sequence if sequence is not None else next((s.index for s in a.sentences if s.start <= e.start < s.end), 0)
    return {
        "id": event_id(a, i),
        "date": day or "",
        "source": _actors(e.source, e.source_ids),
        "recipient": _actors(e.target, e.target_ids),
        "event": [e.type],
        "mode": e.mode,
        "event_loc": _loc(e),
        # every report of the occasion (a download, whose rows carry no article text, gives the first;
        # evidence_spans has them all)
        "event_text": [e.evidence] + ([a.text[x:y] for x, y in e.more_evidence] if a.text else []),
        "quad_code": QUAD[e.type],
        "text_info": {"sequence": sent, "start": e.start, "end": e.end},
        "cite_info": {
            "corpus": "marsad",
            "url": a.url,
            "title": a.headline or None,
            "language": "ar",
            "publication": a.outlet_name or a.outlet,
            "coder": f"marsad {__version__}",
            "codebook": "plover (marsad event_triggers lexicon)",
            "citation": a.id,
        },
        "coder": f"marsad {__version__}",
        "coded_date": date.today().isoformat(),
        **({"cameo": e.cameo} if e.cameo else {}),  # no CAMEO code (a learned type without one): no field
        "status": e.status,
        "confidence": e.confidence,
        "date_basis": basis,
        "evidence_spans": [[e.start, e.end]] + [[x, y] for x, y in e.more_evidence],  # event_text's offsets
        "origin": e.origin or "rules",
        "article_id": a.id,
        "story_id": story,  # the story of the article (docs/stories.md): one occasion, several reports
    }


def plover_records(articles: Iterable[Article], stories: dict | None = None) -> Iterator[dict]:
    for a in articles:
        for i, e in exported(a):
            r = plover_record(a, i, e, (stories or {}).get(a.id))
            if r["date"]:  # PLOVER requires a date: an article with no publication date cannot be exported
                yield r


def acled_rows(articles: Iterable[Article], stories: dict | None = None) -> Iterator[dict]:
    for a in articles:
        for i, e in exported(a):
            day, basis = _day(e, a)
            yield {
                "event_id": event_id(a, i),
                "event_date": day,
                "year": day[:4] if day else "",
                "time_precision": 1 if basis == "text" else 3,
                "event_type": e.type,
                "sub_event_type": e.mode,
                "cameo": e.cameo,
                "actor1": "; ".join(e.source),
                "actor1_id": "; ".join(x for x in e.source_ids if x),
                "actor2": "; ".join(e.target),
                "actor2_id": "; ".join(x for x in e.target_ids if x),
                "location": e.location or "",
                "location_id": e.location_id or "",
                "latitude": "" if e.lat is None else e.lat,
                "longitude": "" if e.lon is None else e.lon,
                "geo_precision": "" if e.lat is None else 1,
                "source": a.outlet_name or a.outlet or "",
                "source_url": a.url or "",
                "notes": e.evidence,
                "status": e.status,
                "confidence": e.confidence,
                "article_id": a.id,
                "evidence_start": e.start,
                "evidence_end": e.end,
                "story_id": (stories or {}).get(a.id, ""),
                "origin": e.origin or "rules",
            }


def geojson(articles: Iterable[Article], stories: dict | None = None) -> dict:
    feats = []
    for a in articles:
        for i, e in exported(a):
            if e.lat is None or e.lon is None:
                continue
            day, basis = _day(e, a)
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
                    "properties": {
                        "id": event_id(a, i),
                        "type": e.type,
                        "mode": e.mode,
                        "date": day,
                        "date_basis": basis,
                        "source": list(e.source),
                        "target": list(e.target),
                        "location": e.location,
                        "location_id": e.location_id,
                        "evidence": e.evidence,
                        "article_id": a.id,
                        "cameo": e.cameo,
                        "story_id": (stories or {}).get(a.id),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": feats}


# --- writers ------------------------------------------------------------------------------------------
def _articles(con):
    from ..read import iter_articles

    return iter_articles(con)


def _stories(con) -> dict:
    return dict(
        con.execute(
            "SELECT m.article_id, m.story_id FROM story_members m JOIN articles a "
            "ON a.id = m.article_id AND a.content_hash = m.content_hash"
        ).fetchall()
    )


def write_plover(con, out: Path, **_) -> int:
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for r in plover_records(_articles(con), _stories(con)):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_acled(con, out: Path, **_) -> int:
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=ACLED_COLUMNS)
        w.writeheader()
        for r in acled_rows(_articles(con), _stories(con)):
            w.writerow(r)
            n += 1
    return n


def write_geojson(con, out: Path, **_) -> int:
    fc = geojson(_articles(con), _stories(con))
    Path(out).write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    return len(fc["features"])


def load_schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))
