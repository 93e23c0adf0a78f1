"""An input record → the :class:`~marsad.model.Article` the pipeline reads: cleaned, with its
publication date and where that date came from."""

from __future__ import annotations

from marsad.ingest.clean import clean_document
from marsad.ingest.published import find_published
from marsad.ingest.records import RawDoc
from marsad.model import Article

__all__ = ["to_article"]


def to_article(raw: RawDoc) -> Article:
    """Clean a RawDoc into an Article (no extraction yet).  Raises InputError."""
    c = clean_document(raw)
    published, basis = c.published, c.published_basis  # record > sidecar > page > --published
    if published is None:
        meta = dict(raw.meta) if raw.meta else None
        published, basis = find_published(text=c.text, html=raw.html, meta=meta, url=raw.url)
    return Article(
        id=raw.id,
        text=c.text,
        url=raw.url or c.url,
        outlet=c.outlet,
        published=published,
        published_basis=basis or "",
        headline=c.headline,
        byline=c.byline,
        source=raw.source,
        body_start=c.body_start,
        boilerplate=tuple(c.boilerplate),
        meta=tuple(raw.meta),
    )
