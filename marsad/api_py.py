"""The Python API: ``marsad.process(text, published=...) -> Article``."""

from __future__ import annotations

from datetime import date
from typing import Optional, Sequence

from .errors import InputError
from .ingest import to_article
from .model import Article
from .pipeline import Pipeline, build_pipeline
from .resources import default_resources


def _pipeline(steps: Optional[tuple] = None) -> Pipeline:
    """The pipeline of ``steps``, built once with the process's default resources."""
    res = default_resources()
    return res.derived(("pipeline", steps), lambda: build_pipeline(steps, res))


def process(
    text: str,
    published: Optional[date | str] = None,
    id: str = "doc",
    html: Optional[str] = None,
    steps: Optional[Sequence[str]] = None,
) -> Article:
    """Clean and analyse one raw article (plain text, or ``html=``) and return the Article.

    Raises :class:`~marsad.errors.InputError` (``reason``: ``too-large``) for more than
    :data:`~marsad.ingest.MAX_ARTICLE_BYTES` of UTF-8, the cap the readers apply to every input,
    and (``no-text``) when nothing of it is article text."""
    from .ingest import MAX_ARTICLE_BYTES, RawDoc

    raw_text = html if html is not None else text
    if raw_text and len(raw_text) * 4 > MAX_ARTICLE_BYTES:  # else it cannot be over the cap
        size = len(raw_text.encode("utf-8", errors="surrogatepass"))
        if size > MAX_ARTICLE_BYTES:
            e = InputError(
                f"{size / 1e6:.1f} MB is more than one article may hold "
                f"({MAX_ARTICLE_BYTES // (1024 * 1024)} MB); give one article at a time"
            )
            e.reason = "too-large"  # type: ignore[attr-defined]
            raise e
    if isinstance(published, str):
        published = date.fromisoformat(published)
    raw = RawDoc(
        id=id,
        source="<api>",
        text=None if html else text,
        html=html,
        published=published,
        published_basis="option" if published else "",
    )
    return _pipeline(tuple(steps) if steps is not None else None)(to_article(raw))
