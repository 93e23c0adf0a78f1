"""Downloads of the filtered lists: ``/api/download/events``, ``/quotes``, ``/articles`` with the
filters of ``/api/events`` (``located=true``: the map's located events), ``/api/quotes`` and
``/api/articles``, and ``format`` = csv | parquet (every list), geojson | plover (events).

The rows are those the list shows, in its order, every one (no page); the file's name says what it
holds, its metadata the filters (:mod:`marsad.store.exports.download`).  Bad parameters are 422 as
on the lists (a malformed or empty date range, an unknown format or one the list does not take)."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from ..names import kb_names
from ..store.exports.download import MEDIA, VIEW_FORMATS, chunks, counts, metadata, snapshot
from ..store.exports.views import View, articles_view, events_view, quotes_view
from ..store.read import EventFilter
from .checks import check_range
from .routes import Text, event_query

router = APIRouter(prefix="/api/download")


def _format(view: str):
    formats = VIEW_FORMATS[view]
    return Query(..., pattern=f"^({'|'.join(formats)})$", description=" | ".join(formats))


_UNSAFE = re.compile(r"[^\w.\-]+")


def filename(view: View, fmt: str) -> str:
    """``marsad-events-type-CONSULT-since-2018-04-10.csv``: the view and its filters (any script;
    anything but letters, digits, '.', '-' and '_' becomes '_'), at most 150 characters."""
    parts = ["marsad", view.name] + [f"{k}-{v}" for k, v in view.filters.items()]
    stem = _UNSAFE.sub("_", "-".join(parts)).strip("_")[:150]
    return f"{stem}.{MEDIA[fmt][1]}"


def _disposition(name: str) -> str:
    """An attachment named ``name`` (RFC 6266: an ASCII fallback, the UTF-8 name in ``filename*``)."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(request: Request, fmt: str, make: Callable[..., View]):
    """Snapshot the view ``make(cur, base)`` builds (one short read of the store), then answer the
    file: Parquet as it is, the other formats written batch by batch as the client reads them."""
    store = request.app.state.store
    folder = Path(tempfile.mkdtemp(prefix="marsad-download-"))
    try:
        with store.cursor() as cur:
            view = make(cur, str(request.base_url))
            n, undated = counts(cur, view)
            meta = metadata(view, fmt, store.path, n, undated)
            snap = folder / "rows.parquet"
            snapshot(cur, view, snap, meta)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    headers = {
        "Content-Disposition": _disposition(filename(view, fmt)),
        "X-Marsad-Count": str(meta["count"]),
        "X-Marsad-Metadata": json.dumps(meta, ensure_ascii=True),
        "Cache-Control": "no-store",
    }
    cleanup = BackgroundTask(shutil.rmtree, folder, ignore_errors=True)
    media = MEDIA[fmt][0]
    if fmt == "parquet":
        return FileResponse(snap, media_type=media, headers=headers, background=cleanup)

    def body():
        try:
            yield from chunks(snap, fmt, meta)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return StreamingResponse(body(), media_type=media, headers=headers, background=cleanup)


@router.get("/events", summary="The filtered events (the filters of /api/events) as CSV, Parquet, GeoJSON or PLOVER")
def events_download(
    request: Request,
    format: str = _format("events"),
    f: EventFilter = Depends(event_query),
    located: bool = Query(False, description="only the events with coordinates (the map's)"),
):
    return download(request, format, lambda cur, base: events_view(cur, f, base, located, kb_names))


@router.get("/quotes", summary="The filtered quotes (the filters of /api/quotes) as CSV or Parquet")
def quotes_download(
    request: Request,
    format: str = _format("quotes"),
    speaker: Optional[str] = Query(None, **Text, description="speaker actor id or name, any spelling"),
    kind: Optional[str] = Query(None, pattern="^(direct|indirect)$"),
    outlet: Optional[str] = Query(None, **Text),
    since: Optional[date] = None,
    until: Optional[date] = None,
):
    check_range(since, until)
    return download(
        request, format, lambda cur, base: quotes_view(cur, speaker, kind, outlet, since, until, base, kb_names)
    )


@router.get("/articles", summary="The filtered articles (the filters of /api/articles) as CSV or Parquet")
def articles_download(
    request: Request,
    format: str = _format("articles"),
    outlet: Optional[str] = Query(None, **Text),
    since: Optional[date] = Query(None, description="published on or after (YYYY-MM-DD)"),
    until: Optional[date] = Query(None, description="published on or before (YYYY-MM-DD)"),
):
    check_range(since, until)
    return download(request, format, lambda cur, base: articles_view(cur, outlet, since, until, base))
