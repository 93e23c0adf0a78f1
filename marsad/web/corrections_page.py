"""The ``/corrections`` page: the analysts' corrections, newest first, with their counts per layer and
action (filters: layer, action, article; ``history`` shows superseded and withdrawal records too)."""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ..store.corrections import ACTIONS, LAYERS
from .corrections import store_of
from .pages import render

router = APIRouter(include_in_schema=False)
PAGE = 50


def pager(total: int, offset: int, n: int, params: dict) -> dict:
    base = {k: v for k, v in params.items() if v not in (None, "")}
    return {
        "total": total,
        "first": offset + 1 if n else 0,
        "last": offset + n,
        "prev": urlencode({**base, "offset": max(0, offset - PAGE)}) if offset > 0 else None,
        "next": urlencode({**base, "offset": offset + PAGE}) if offset + PAGE < total else None,
    }


@router.get("/corrections", response_class=HTMLResponse)
def corrections_page(
    request: Request,
    layer: Optional[str] = Query(None, pattern=f"^({'|'.join(LAYERS)})?$"),
    action: Optional[str] = Query(None, pattern=f"^({'|'.join(ACTIONS)})?$"),
    article: Optional[str] = Query(None, max_length=200),
    history: bool = False,
    offset: int = Query(0, ge=0, le=1_000_000),
):
    store = store_of(request)
    params = {"layer": layer, "action": action, "article": article, "history": "true" if history else None}
    if store is None:
        total, rows, stats = 0, [], None
    else:
        total, rows = store.list(layer or None, article or None, action or None, history, PAGE, offset)
        stats = store.stats()
    return render(
        request,
        "corrections.html",
        title="Corrections",
        nav="corrections",
        on=store is not None,
        rows=rows,
        stats=stats,
        params=params,
        layers=LAYERS,
        pg=pager(total, offset, len(rows), params),
    )
