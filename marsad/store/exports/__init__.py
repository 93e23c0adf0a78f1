"""Exports of the store, one module per kind of output, and their registry :data:`FORMATS`, built
here explicitly (nothing registers itself on import; the store never imports extraction).

Every writer is ``write(con, out: Path, table=...) -> records written``; ``table`` matters to csv
and parquet only.  Readers open the store through :mod:`marsad.store.access` and pass it in.

The downloads of a filtered list (events, quotes, articles under the lists' own filters: the web's
download bar, ``/api/download/*``, ``marsad download``) are apart: :mod:`.views` (the lists as
queries) and :mod:`.download` (CSV, Parquet, GeoJSON, PLOVER written in batches, the filters in the
file's metadata).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ...errors import ConfigError
from . import gold, jsonl, plover, stories, tables
from .gold import gold_record
from .jsonl import article_json


@dataclass(frozen=True)
class Format:
    name: str
    write: Callable[..., int]
    help: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", jsonl.write, "every article with every layer, one JSON object a line"),
        Format("csv", tables.write_csv, "one table (--table) as CSV"),
        Format("parquet", tables.write_parquet, "one table (--table) as Parquet"),
        Format("gold", gold.write, "the shared gold standard's schema, one article a line"),
        Format("plover", plover.write_plover, "realized events as PLOVER JSON records, one a line"),
        Format("acled", plover.write_acled, "realized events as an ACLED-like CSV"),
        Format("geojson", plover.write_geojson, "located realized events as a GeoJSON FeatureCollection"),
        Format("stories", stories.write, "the story of each stored article (and of each input it repeats), one a line"),
    )
}


def export(con, fmt: str, out: str | Path, table: str = "articles") -> int:
    """Write the store in ``fmt`` to ``out``; returns the number of records written."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    return FORMATS[fmt].write(con, out, table=table)


__all__ = ["FORMATS", "Format", "article_json", "export", "gold_record"]
