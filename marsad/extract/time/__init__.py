"""Arabic time expressions: extraction and resolution against the publication date (see
docs/time.md).  The publication date itself is found in ingest
(:func:`marsad.ingest.published.find_published`).

    from marsad.extract.time import find_times
    find_times(text, published)                  -> list[TimeExpr]
"""

from .extract import find_times

__all__ = ["find_times"]
