"""Downloads of a filtered list (:mod:`.views`) as CSV, Parquet, GeoJSON or PLOVER JSON, with the
filters in the file's metadata, written in batches (never the whole export in memory).

A download is made in two steps:

1. :func:`snapshot`: one read of the store copies the view's rows to a Parquet file (DuckDB's
   ``COPY ... (FORMAT PARQUET, KV_METADATA {...})``), the filters and counts in its key-value
   metadata.  The store is held only for that copy (a run waiting to write is not kept waiting for a
   slow client), and every format holds the same rows, those the list had when the download began.
2. :func:`chunks`: the file as it is (``parquet``), or read back in batches of ``batch`` rows by a
   private in-memory DuckDB and written as ``csv`` (UTF-8 with a byte-order mark, so that Excel reads
   the Arabic; DuckDB's ``read_csv`` skips the mark), ``geojson`` (a FeatureCollection with a
   top-level ``metadata`` object; an event without coordinates is a Feature whose geometry is null,
   RFC 7946 §3.2) or ``plover`` (``{"metadata": ..., "events": [PLOVER records]}``, each record made by
   :func:`.plover.plover_record`).

CSV has no place for metadata that every reader skips (measured, DuckDB 2.0: ``#`` lines before the
header defeat ``read_csv``'s sniffer as soon as they hold a comma, and ``comment='#'`` cuts every
unquoted ``#``, as in the ``evidence_url`` column): its filters travel in the file's name and in the
response's ``X-Marsad-Metadata`` header; Parquet, GeoJSON and PLOVER carry them inside.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from ... import __version__
from ...model import Article, Event
from ..rows import from_row
from .plover import plover_record
from .views import View

# format -> (media type, file suffix)
MEDIA = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "parquet": ("application/vnd.apache.parquet", "parquet"),
    "geojson": ("application/geo+json", "geojson"),
    "plover": ("application/json", "plover.json"),
}
# the formats each view downloads as (GeoJSON and PLOVER are event formats)
VIEW_FORMATS = {
    "events": ("csv", "parquet", "geojson", "plover"),
    "quotes": ("csv", "parquet"),
    "articles": ("csv", "parquet"),
}
BATCH = 1000
BOM = "\ufeff"


def metadata(view: View, fmt: str, store: str, count: int, undated: int = 0) -> dict:
    """What a download says about itself: the view, its filters, the store's file name (never its
    folders), when, how many rows and which marsad wrote it."""
    meta = {
        "view": view.name,
        "format": fmt,
        "filters": view.filters,
        "store": Path(store).name,
        "generated_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "count": count,
        "marsad_version": __version__,
        "evidence": "each row's article_id, its span's offsets into the article's stored text, and evidence_url",
    }
    if fmt == "plover" and undated:
        # PLOVER requires a date: events with no date of their own and no publication day are left out
        meta["left_out_undated"] = undated
        meta["count"] = count - undated
    return meta


def counts(cur, view: View) -> tuple[int, int]:
    """(rows, rows without any date) of the view."""
    undated = f"count(*) FILTER (WHERE {view.undated})" if view.undated else "0"
    n, u = cur.execute(f"SELECT count(*), {undated} FROM ({view.select})", view.params).fetchone()
    return n, u


def snapshot(cur, view: View, out: Path, meta: dict) -> int:
    """Copy the view's rows to the Parquet file ``out``, ``meta`` in its key-value metadata (the
    filters as JSON under ``filters``, the whole of ``meta`` under ``marsad``); the rows copied."""
    kv = {"marsad": json.dumps(meta, ensure_ascii=False), "filters": json.dumps(meta["filters"], ensure_ascii=False)}
    kv_sql = ", ".join(f"{k}: '{_lit(v)}'" for k, v in kv.items())
    (n,) = cur.execute(
        f"COPY ({view.select}) TO '{_lit(str(out))}' (FORMAT PARQUET, KV_METADATA {{{kv_sql}}})", view.params
    ).fetchone()
    return n


def _lit(s: str) -> str:
    """A SQL string literal's body (COPY's file name and options take no parameters)."""
    return s.replace("'", "''")


def chunks(path: Path, fmt: str, meta: dict, batch: int = BATCH) -> Iterator[bytes]:
    """The download's bytes, batch by batch, from the snapshot at ``path``."""
    if fmt == "parquet":
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                yield block
        return
    encode = {"csv": _csv, "geojson": _geojson, "plover": _plover}[fmt]
    batches = _batches(path, batch)
    names = next(batches)
    yield from encode(names, batches, meta)


def _batches(path: Path, batch: int) -> Iterator[list[dict]]:
    """The snapshot's rows, ``batch`` at a time; the first item is the list of column names."""
    con = duckdb.connect()  # private, in memory: reads the snapshot only
    try:
        cur = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [d[0] for d in cur.description]
        yield names
        while rows := cur.fetchmany(batch):
            yield [dict(zip(names, r)) for r in rows]
    finally:
        con.close()


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "; ".join("" if x is None else str(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return v


def _csv(names: list[str], batches: Iterator[list[dict]], meta: dict) -> Iterator[bytes]:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    buf.write(BOM)
    w.writerow(names)
    for rows in batches:
        for r in rows:
            w.writerow([_cell(v) for v in r.values()])
        yield buf.getvalue().encode("utf-8")
        buf.seek(0)
        buf.truncate()
    if buf.tell():  # no rows: the header alone
        yield buf.getvalue().encode("utf-8")


def _json(v):
    return v.isoformat() if isinstance(v, (date, datetime)) else str(v)


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=_json)


def _feature(r: dict) -> dict:
    point = r["lat"] is not None and r["lon"] is not None
    props = {k: v for k, v in r.items() if k not in ("lat", "lon")}
    return {
        "type": "Feature",
        "id": r["event_id"],
        "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]} if point else None,
        "properties": props,
    }


def _array(head: str, items: Iterator[str], tail: str = "]}") -> Iterator[bytes]:
    """``head`` + the items, comma separated, + ``tail``, a batch at a time."""
    yield head.encode("utf-8")
    first = True
    for piece in items:
        yield ((("" if first else ",") + piece).encode("utf-8"))
        first = False
    yield tail.encode("utf-8")


def _geojson(names: list[str], batches: Iterator[list[dict]], meta: dict) -> Iterator[bytes]:
    head = '{"type":"FeatureCollection","metadata":' + _dumps(meta) + ',"features":['
    return _array(head, (",".join(_dumps(_feature(r)) for r in rows) for rows in batches if rows))


def _record(r: dict) -> dict | None:
    """The PLOVER record of one event row (None: it has no date, which PLOVER requires)."""
    e = from_row(Event, {**r, "start": r["evidence_start"], "end": r["evidence_end"]})
    a = Article(  # the article's fields a record cites; its text is not needed
        id=r["article_id"],
        text="",
        url=r["url"],
        outlet=r["outlet"],
        outlet_name=r["outlet_name"],
        published=r["published"],
        headline=r["headline"] or "",
    )
    rec = plover_record(a, r["idx"], e, r["story_id"], sequence=r["sentence"])
    if not rec["date"]:
        return None
    rec["evidence_url"] = r["evidence_url"]
    return rec


def _plover(names: list[str], batches: Iterator[list[dict]], meta: dict) -> Iterator[bytes]:
    head = '{"metadata":' + _dumps(meta) + ',"events":['

    def pieces():
        for rows in batches:
            recs = [rec for rec in map(_record, rows) if rec is not None]
            if recs:
                yield ",".join(_dumps(rec) for rec in recs)

    return _array(head, pieces())


def write(con, view: View, fmt: str, out: Path, store: str) -> dict:
    """Write the view to the file ``out`` in ``fmt`` (``marsad download``): the same snapshot and
    the same bytes as the API's download; returns the metadata (``count``: the rows written)."""
    import shutil
    import tempfile

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    n, undated = counts(con, view)
    meta = metadata(view, fmt, store, n, undated)
    folder = Path(tempfile.mkdtemp(prefix="marsad-download-"))
    try:
        snap = folder / "rows.parquet"
        snapshot(con, view, snap, meta)
        with open(out, "wb") as fh:
            for piece in chunks(snap, fmt, meta):
                fh.write(piece)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return meta
