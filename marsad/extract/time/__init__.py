"""Arabic time expressions: extraction, resolution against the publication date, and finding the
publication date itself (see docs/time.md).

    from marsad.extract.time import find_times, find_published
    find_times(text, published)                  -> list[TimeExpr]
    find_published(text=, html=, meta=, url=)    -> (date | None, basis)
"""
from .extract import find_times
from .pubdate import find_published

__all__ = ["find_times", "find_published"]
