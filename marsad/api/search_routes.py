"""``GET /api/search``: full-text search with its total, facets and filters (:mod:`marsad.store.read.search`)."""

from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import APIRouter, HTTPException, Query, Request

from ..errors import ConfigError
from ..names import kb_names
from ..store.read import SearchFilter, evidence_url, search
from .checks import check_range
from .jsonout import JSONRoute

MAX_LIMIT = 200
Text = dict(min_length=1, max_length=200)

router = APIRouter(prefix="/api", route_class=JSONRoute)


def run_search(request: Request, q: str, f: SearchFilter, limit: int, offset: int) -> dict:
    """The search of a request (API or page): the store's cursor and the application's index;
    a query with no word in it is 400."""
    check_range(f.since, f.until)
    with request.app.state.store.cursor(memo=True) as cur:
        try:
            out = search(
                cur,
                request.app.state.search_index,
                q,
                f,
                limit=limit,
                offset=offset,
                kb_names=request.app.state.store.names(kb_names),
            )
        except ConfigError as e:
            raise HTTPException(400, str(e)) from e
    for r in out["items"]:
        r["url_html"] = evidence_url(r["id"])
    return out


@router.get("/search", summary="Full-text search: words with their Arabic proclitics, phrases, BM25, facets, filters")
def api_search(
    request: Request,
    q: str = Query(..., **Text, description='words (all must occur) and "phrases" in double quotes'),
    outlet: Optional[str] = Query(None, **Text, description="the outlet's name or surface"),
    type: Optional[str] = Query(None, **Text, description="articles with an event of this PLOVER type"),
    actor: Optional[str] = Query(None, **Text, description="articles naming this actor (id or any spelling)"),
    since: Optional[date] = Query(None, description="published on or after (YYYY-MM-DD)"),
    until: Optional[date] = Query(None, description="published on or before (YYYY-MM-DD)"),
    limit: int = Query(20, ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}"),
    offset: int = Query(0, ge=0, le=1_000_000, description="rows to skip"),
):
    f = SearchFilter(outlet=outlet, type=type, actor=actor, since=since, until=until)
    out = run_search(request, q, f, limit, offset)
    nxt = offset + limit if offset + limit < out["total"] else None
    return {
        "query": q,
        "total": out["total"],
        "limit": limit,
        "offset": offset,
        "next_offset": nxt,
        "filters": out["filters"],
        "words": out["words"],
        "phrases": out["phrases"],
        "variants": out["variants"],
        "facets": out["facets"],
        "items": out["items"],
    }
