"""The Python API: ``marsad.process(text, published=...) -> Article``."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Optional, Sequence

from .engine import to_article
from .model import Article
from .pipeline import Pipeline, build_pipeline


@lru_cache(maxsize=4)
def _pipeline(steps: Optional[tuple] = None) -> Pipeline:
    return build_pipeline(steps)


def process(text: str, published: Optional[date | str] = None, id: str = "doc",
            html: Optional[str] = None, steps: Optional[Sequence[str]] = None) -> Article:
    """Clean and analyse one raw article (plain text, or ``html=``) and return the Article."""
    from .ingest import RawDoc
    if isinstance(published, str):
        published = date.fromisoformat(published)
    raw = RawDoc(id=id, source="<api>", text=None if html else text, html=html,
                 published=published, published_basis="option" if published else "")
    return _pipeline(tuple(steps) if steps is not None else None)(to_article(raw))
