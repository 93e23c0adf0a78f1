"""Whole answers kept in memory while the store cannot change: the same ``GET`` (path, query string and
the request headers an answer may depend on) is answered from memory until the store's generation
moves on (:meth:`marsad.api.store.Store.generation`: a run committed a batch, or may be about to).

Every route reads only the store and the request, so an answer is a function of the two.  A route
whose answer depends on anything else (a file beside the store, the clock) sends
``Cache-Control: no-store`` and is never kept.  Kept: ``200`` answers of ``GET`` (``HEAD`` arrives
here as ``GET``), in one body message (a streamed download is passed through untouched), at most
``max_body`` bytes, without ``Set-Cookie``.  The memory is bounded (``max_bytes``, least recently used
first out) and per process: each worker of ``serve --workers N`` has its own.  An answer read under
a generation is kept only when the generation was the same before and after it was computed, so no
answer computed across a change is ever served.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Optional

# request headers an answer may depend on: part of the key
VARY = (b"host", b"cookie", b"accept-language", b"accept")
CACHE_HEADER = b"x-marsad-cache"  # hit | miss: for tests and the load check


class ResponseCache:
    """Pure ASGI middleware: answers a repeated ``GET`` from memory while ``generation()`` (None: do
    not cache now) gives the number it was computed under."""

    def __init__(
        self, app, generation: Callable[[], Optional[int]], max_bytes: int = 64 << 20, max_body: int = 1 << 20
    ):
        self.app, self.generation = app, generation
        self.max_bytes, self.max_body = max_bytes, max_body
        self.entries: OrderedDict[tuple, tuple[list, bytes]] = OrderedDict()  # key -> (headers, body)
        self.size = 0
        self.gen: Optional[int] = None  # the generation the entries were computed under
        self.hits = self.misses = 0

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0

    def key(self, scope) -> tuple:
        wanted = {k: v for k, v in scope.get("headers", ()) if k in VARY}
        return (scope["path"], scope.get("query_string", b""), *(wanted.get(h) for h in VARY))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or self.max_bytes <= 0:
            return await self.app(scope, receive, send)
        gen = self.generation()
        if gen is None:
            return await self.app(scope, receive, send)
        if gen != self.gen:
            self.clear()
            self.gen = gen
        key = self.key(scope)
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers + [(CACHE_HEADER, b"hit")]})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        self.misses += 1
        start: dict = {}
        parts: list[bytes] = []
        keep = True

        async def capture(message):
            nonlocal keep
            if message["type"] == "http.response.start":
                start.update(message)
                keep = message.get("status") == 200 and _cacheable(message.get("headers", ()))
                message = dict(message, headers=[*message.get("headers", ()), (CACHE_HEADER, b"miss")])
            elif message["type"] == "http.response.body" and keep:
                if message.get("more_body", False) or parts:  # streamed: not kept
                    keep = False
                else:
                    parts.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if keep and parts and len(parts[0]) <= self.max_body and self.generation() == gen == self.gen:
            self.put(key, list(start.get("headers", ())), parts[0])

    def put(self, key: tuple, headers: list, body: bytes) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= _size(*old)
        self.entries[key] = (headers, body)
        self.size += _size(headers, body)
        while self.size > self.max_bytes and self.entries:
            _, old = self.entries.popitem(last=False)
            self.size -= _size(*old)


def _size(headers: list, body: bytes) -> int:
    return len(body) + sum(len(k) + len(v) for k, v in headers) + 200  # 200: the entry's own cost, roughly


def _cacheable(headers) -> bool:
    for k, v in headers:
        k = k.lower()
        if k == b"set-cookie":
            return False
        if k == b"cache-control" and (b"no-store" in v.lower() or b"private" in v.lower()):
            return False
    return True
