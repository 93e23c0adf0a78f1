"""The FastAPI application: JSON API, web pages, bundled static files, JSON errors, security headers,
the Host allow-list, the rate limit per client and ``HEAD`` on every route (:mod:`.guard`)."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Iterable, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import StoreError
from ..store.search_index import SearchIndex
from .cache import ResponseCache, SharedAnswers
from .guard import EmptyFieldsAsAbsent, Guard, HeadAsGet, HostPolicy, RateLimiter, Shed
from .store import Store

log = logging.getLogger(__name__)

# pages may load only our own scripts, styles and images: no inline script, no third party
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Pure ASGI middleware adding the security headers to every response (cheaper than
    ``@app.middleware("http")``, which wraps each response in a stream)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


REASONS = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_parameters",
    429: "too_many_requests",
    503: "store_unavailable",
}
RATE_LIMIT = 20.0  # requests a second per client, sustained; bursts of three seconds' worth
CACHE_MB = 64.0  # MB of whole answers kept per process while the store does not change (.cache)
MAX_PENDING = 64  # requests under way per process; one more gets 503 + Retry-After (guard.Shed)


def error_response(
    request: Request, status: int, message: str, detail=None, headers: Optional[dict] = None, reason: str = ""
):
    """The error as JSON under ``/api/``, else as the error page."""
    if request.url.path.startswith("/api/") or request.url.path == "/api":
        body = {"error": reason or REASONS.get(status, "error"), "status": status, "message": message}
        if detail is not None:
            body["detail"] = detail
        return JSONResponse(body, status_code=status, headers=headers)
    from ..web.pages import error_page

    response = error_page(request, status, message)
    response.headers.update(headers or {})
    return response


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def open_corrections(db_path: str | Path, corrections: str | Path | bool | None):
    """The corrections file of a store (None: corrections are off)."""
    from ..store.corrections import CorrectionsStore, default_path

    if corrections is False:
        return None
    if corrections is None or corrections is True:
        return CorrectionsStore(default_path(db_path))
    return CorrectionsStore(corrections)


def _search_index(db_path, store: Store) -> SearchIndex:
    """The store's search index, brought up to date now (a store made before its index is indexed
    at the server's start, not at its first search)."""
    try:
        index = SearchIndex(db_path)
        with store.cursor() as cur:
            index.sync(cur)
    except BaseException:
        store.close()
        raise
    return index


def create_app(
    db_path: str | Path,
    read_only: bool = True,
    allowed_hosts: Optional[Iterable[str]] = None,
    rate_limit: float = RATE_LIMIT,
    rate_burst: Optional[int] = None,
    corrections: str | Path | bool | None = None,
    cache_mb: float = CACHE_MB,
    max_pending: int = MAX_PENDING,
    shared_cache: str | Path | None = None,
) -> FastAPI:
    """The marsad web application over the store at ``db_path`` (opened read-only by default).

    ``allowed_hosts``: the ``Host`` names served besides localhost, 127.0.0.1 and [::1] (``*.domain``
    for subdomains, ``*`` for any); another gets 400.  ``rate_limit``: requests a second per client
    address, sustained (bursts of ``rate_burst``, default three seconds' worth); over it, 429 with
    ``Retry-After``; 0 turns the limit off.  ``corrections``: the analysts' corrections file (default
    ``<db>.corrections.sqlite``, created on the first correction; read-only when it cannot be
    written; ``False``: no corrections).  ``cache_mb``: memory for whole answers kept while neither
    the store nor the corrections change (:mod:`.cache`; 0: none).  ``max_pending``: requests under
    way at once in this process; one more gets 503 with ``Retry-After`` (0: no bound).
    ``shared_cache``: a file where the worker processes of one server share the answers they kept
    (:class:`.cache.SharedAnswers`; ``marsad serve --workers N`` makes one per server)."""
    store = Store(db_path, read_only=read_only)
    index = _search_index(db_path, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        store.close()

    app = FastAPI(
        title="marsad",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        description="A structured, cited record of conflict and diplomacy from Arabic news. "
        "Every span links to its evidence: `/articles/{id}#m-3` (mention), `#q-` "
        "(quote), `#t-` (time), `#e-` (event), `#a-` (attribution).",
    )
    app.state.store = store
    app.state.corrections = open_corrections(db_path, corrections)
    app.state.search_index = index
    app.state.hosts = HostPolicy(allowed_hosts)
    app.state.rate_limiter = RateLimiter(rate_limit, rate_burst) if rate_limit > 0 else None

    _layers(app, store, cache_mb, max_pending, shared_cache)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        msg = exc.detail if isinstance(exc.detail, str) and exc.detail else "error"
        if exc.status_code == 404 and msg == "Not Found":
            msg = f"no page at {request.url.path}"
        return error_response(request, exc.status_code, msg, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        return error_response(request, 422, _validation_message(exc), detail)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        # the store could not be opened for this request (e.g. a run kept it busy): try again later
        return error_response(request, 503, str(exc))

    _mount(app)
    return app


def _layers(app: FastAPI, store: Store, cache_mb: float, max_pending: int, shared_cache=None) -> None:
    """The middleware every request passes before a route (the last added runs first)."""

    def refuse(scope, status: int, message: str, headers: dict):
        return error_response(Request(scope), status, message, headers=headers)

    def busy(scope, status: int, message: str, headers: dict):
        return error_response(Request(scope), status, message, headers=headers, reason="overloaded")

    def generation():
        """The store's generation and the corrections' last record: what every answer depends on."""
        g = store.generation()
        fixes = app.state.corrections
        if g is None or fixes is None:
            return g
        v = fixes.version()
        return None if v is None else (g, v)

    def shared_generation():
        """The same as :func:`generation`, alike in every worker process of the server."""
        i = store.identity()
        fixes = app.state.corrections
        v = fixes.version() if i is not None and fixes is not None else 0
        return None if i is None or v is None else repr((i, v))

    shared = SharedAnswers(shared_cache, int(cache_mb * (1 << 20))) if shared_cache and cache_mb > 0 else None

    # the last added runs first: security headers on every answer, HEAD seen as GET, the guard, the
    # answers kept in memory, then the bound on the requests under way
    app.add_middleware(Shed, max_pending=max_pending, refuse=busy)
    app.add_middleware(
        ResponseCache,
        generation=generation,
        max_bytes=int(cache_mb * (1 << 20)),
        shared=shared,
        shared_generation=shared_generation,
    )
    app.add_middleware(Guard, hosts=app.state.hosts, limiter=app.state.rate_limiter, refuse=refuse)
    app.add_middleware(HeadAsGet)
    app.add_middleware(EmptyFieldsAsAbsent)
    app.add_middleware(SecurityHeaders)


def _mount(app: FastAPI) -> None:
    """The routers (the API, the downloads, the corrections, the pages) and the static files."""
    from fastapi.staticfiles import StaticFiles

    from ..web import STATIC_DIR
    from ..web.corrections_page import router as correction_pages
    from ..web.map_page import router as map_page
    from ..web.pages import router as pages
    from .corrections import router as corrections_api
    from .downloads import router as downloads
    from ..web.search_page import router as search_page
    from .routes import router as api
    from .search_routes import router as search_api

    for router in (corrections_api, api, search_api, downloads, pages, search_page, map_page, correction_pages):
        app.include_router(router)
    # only the package's own folder: StaticFiles refuses paths that leave it
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
