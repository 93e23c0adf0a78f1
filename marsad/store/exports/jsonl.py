"""``jsonl``: every article with every field and layer, spans included, one JSON object a line."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Iterable

from ...model import Article
from ..read import iter_articles


def iso(d) -> str | None:
    return d.isoformat() if d else None


def article_json(a: Article) -> dict:
    """Every field and layer of an article, spans included."""

    def spans(items):
        return [asdict(x) for x in items]

    return {
        "id": a.id,
        "url": a.url,
        "outlet": a.outlet,
        "outlet_name": a.outlet_name,
        "published": iso(a.published),
        "published_basis": a.published_basis,
        "headline": a.headline,
        "byline": a.byline,
        "source": a.source,
        "content_hash": a.content_hash,
        "body_start": a.body_start,
        "text": a.text,
        "boilerplate": list(a.boilerplate),
        "sentences": spans(a.sentences),
        "mentions": spans(a.mentions),
        "times": spans(a.times),
        "quotes": spans(a.quotes),
        "attributions": spans(a.attributions),
        "events": spans(a.events),
    }


def write_lines(records: Iterable[dict], out: Path) -> int:
    """One JSON object a line; the number written."""
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def write(con, out: Path, **_) -> int:
    return write_lines((article_json(a) for a in iter_articles(con)), out)
