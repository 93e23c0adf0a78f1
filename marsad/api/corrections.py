"""The corrections API: ``POST /api/corrections`` (mark an extracted event, quote or mention wrong,
fix it, or withdraw a correction), ``GET /api/corrections`` (the list), ``/api/corrections/stats``
(counts per layer and action) and ``/api/corrections/export`` (the corpus-format download).

Writes go to the corrections file (``app.state.corrections``, a
:class:`~marsad.store.corrections.CorrectionsStore`), never to the store, which stays read-only.
A write must come from this server's own pages or from a client that is not a browser: a request
whose ``Sec-Fetch-Site`` is not ``same-origin``/``none``, or whose ``Origin`` is not this server's
``Host``, is refused (403) before its body is read.  Bodies are JSON or an HTML form, at most
:data:`MAX_BODY` bytes; a form post is answered with a redirect to the article.
"""

from __future__ import annotations

import json
from typing import Optional
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse

from ..errors import StoreError
from ..names import kb_names
from ..store.correction_items import Invalid, build
from ..store.corrections import ACTIONS, LAYERS, CorrectionsStore
from ..store.exports import corrections as export

router = APIRouter(prefix="/api/corrections", tags=["corrections"])
MAX_BODY = 16 * 1024
Text = dict(max_length=200)


def corrections_of(request: Request, write: bool = False) -> CorrectionsStore:
    store = getattr(request.app.state, "corrections", None)
    if store is None:
        raise HTTPException(404, "corrections are off on this server (marsad serve --no-corrections)")
    if write and not store.writable:
        raise HTTPException(403, f"corrections are read-only here: {store.path.name} cannot be written")
    return store


def cross_site(request: Request) -> Optional[str]:
    """Why a write request is refused as cross-site (None: it is not)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return f"a correction must come from this server's own pages (Sec-Fetch-Site: {site})"
    origin = request.headers.get("origin")
    if origin is not None:
        host = (request.headers.get("host") or "").strip().lower()
        netloc = urlsplit(origin).netloc.lower() if origin != "null" else ""
        if not netloc or netloc != host:
            return f"a correction must come from this server's own pages (Origin {origin[:100]!r})"
    return None


async def read_body(request: Request) -> dict:
    """The request's JSON object or form fields (first value of each), at most MAX_BODY bytes."""
    size = request.headers.get("content-length")
    if size is not None and (not size.isdigit() or int(size) > MAX_BODY):
        raise HTTPException(413, f"the body is over {MAX_BODY} bytes")
    chunks, n = [], 0
    async for chunk in request.stream():
        n += len(chunk)
        if n > MAX_BODY:
            raise HTTPException(413, f"the body is over {MAX_BODY} bytes")
        chunks.append(chunk)
    raw = b"".join(chunks)
    kind = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    try:
        if kind == "application/json":
            body = json.loads(raw.decode("utf-8"))
            if not isinstance(body, dict):
                raise Invalid("request: a JSON object is required")
            return body
        if kind == "application/x-www-form-urlencoded":
            return {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise Invalid(f"request: not valid {kind}: {e}") from None
    raise HTTPException(415, "send application/json or an HTML form (application/x-www-form-urlencoded)")


@router.post("", status_code=201, summary="Mark an event, quote or mention wrong, fix it, or withdraw a correction")
async def add_correction(request: Request):
    why = cross_site(request)
    if why:
        raise HTTPException(403, why)
    store = corrections_of(request, write=True)
    try:
        body = await read_body(request)
        with request.app.state.store.cursor() as cur:
            rec = build(cur, store, body, kb_names)
        saved = store.add(rec)
    except Invalid as e:
        raise HTTPException(e.status, str(e)) from None
    except ValueError as e:  # a withdrawal of what is not current
        raise HTTPException(409, str(e)) from None
    except StoreError as e:
        raise HTTPException(503, str(e)) from None
    if "application/json" not in (request.headers.get("content-type") or ""):
        return RedirectResponse(f"/articles/{quote(saved['article_id'], safe='')}#corrections", status_code=303)
    return JSONResponse(saved, status_code=201)


@router.get("", summary="Corrections, newest first (current ones unless history=true)")
def list_corrections(
    request: Request,
    layer: Optional[str] = Query(None, pattern=f"^({'|'.join(LAYERS)})?$"),
    article: Optional[str] = Query(None, **Text),
    action: Optional[str] = Query(None, pattern=f"^({'|'.join(ACTIONS)})?$"),
    history: bool = False,
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    store = corrections_of(request)
    total, items = store.list(layer or None, article or None, action or None, history, limit, offset)
    nxt = offset + limit if offset + limit < total else None
    return {"total": total, "limit": limit, "offset": offset, "next_offset": nxt, "items": items}


@router.get("/stats", summary="Current corrections per layer and action, records kept")
def corrections_stats(request: Request):
    return corrections_of(request).stats()


@router.get("/export", summary="The current corrections as corpus annotation records (JSON lines)")
def export_corrections(request: Request):
    store = corrections_of(request)
    with request.app.state.store.cursor() as cur:
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in export.records(cur, store.iter_current())]
    return StreamingResponse(
        iter(lines),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="marsad-corrections.jsonl"'},
    )
