"""Whole answers kept in memory while the store cannot change: the same ``GET`` (path, query string and
the request headers an answer may depend on) is answered from memory until the store's generation
moves on (:meth:`marsad.api.store.Store.generation`: a run committed a batch, or may be about to).

Every route reads only the store and the request, so an answer is a function of the two.  A route
whose answer depends on anything else (a file beside the store, the clock) sends
``Cache-Control: no-store`` and is never kept.  Kept: ``200`` answers of ``GET`` (``HEAD`` arrives
here as ``GET``), in one body message (a streamed download is passed through untouched), at most
``max_body`` bytes, without ``Set-Cookie``.  The memory is bounded (``max_bytes``, least recently used
first out) and per process.  An answer read under a generation is kept only when the generation was
the same before and after it was computed, so no answer computed across a change is ever served.

The workers of ``serve --workers N`` also share the answers they computed through a SQLite file
(:class:`SharedAnswers`), under a generation every process computes alike (the store's files as
opened, :meth:`marsad.api.store.Store.identity`, and the corrections' last record): an answer one
worker computed is served by the others, so the memory of each is not the only one that counts.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from typing import Callable, Optional

# request headers an answer may depend on: part of the key
VARY = (b"host", b"cookie", b"accept-language", b"accept")
CACHE_HEADER = b"x-marsad-cache"  # hit | miss: for tests and the load check


class ResponseCache:
    """Pure ASGI middleware: answers a repeated ``GET`` from memory while ``generation()`` (None: do
    not cache now) gives the number it was computed under."""

    def __init__(
        self,
        app,
        generation: Callable[[], Optional[int]],
        max_bytes: int = 64 << 20,
        max_body: int = 1 << 20,
        shared: Optional["SharedAnswers"] = None,
        shared_generation: Optional[Callable[[], Optional[str]]] = None,
    ):
        self.app, self.generation = app, generation
        self.shared, self.shared_generation = shared, shared_generation
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
        sgen = self.shared_generation() if self.shared is not None and self.shared_generation else None
        if hit is None and sgen is not None:
            hit = self.shared.get(sgen, repr(key))
            if hit is not None and self.generation() == gen:
                self.put(key, *hit)
        if hit is not None:
            if key in self.entries:
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
            headers = list(start.get("headers", ()))
            self.put(key, headers, parts[0])
            if sgen is not None and self.shared_generation() == sgen:
                self.shared.put(sgen, repr(key), headers, parts[0])

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


class SharedAnswers:
    """Answers kept in a SQLite file that the worker processes of one server share: ``get`` and
    ``put`` under a generation string (every process must compute it alike), at most ``max_bytes``
    of bodies (the oldest out first, and the other generations' answers at every trim).  Best
    effort: a locked or unreadable file is a miss, never an error.  One connection per process,
    used from the server's event loop (a read or a write takes well under a millisecond)."""

    TRIM_EVERY = 64  # puts between two checks of the size

    def __init__(self, path: str, max_bytes: int = 64 << 20):
        self.path, self.max_bytes = str(path), max_bytes
        self._con: Optional[sqlite3.Connection] = None
        self._puts = 0

    def _db(self) -> sqlite3.Connection:
        if self._con is None:
            con = sqlite3.connect(self.path, timeout=0.2, isolation_level=None, check_same_thread=False)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=OFF")  # a cache: losing it in a crash loses nothing
            con.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, gen TEXT NOT NULL, headers TEXT NOT NULL, "
                "body BLOB NOT NULL, size INTEGER NOT NULL)"
            )
            self._con = con
        return self._con

    def get(self, gen: str, key: str) -> Optional[tuple[list, bytes]]:
        try:
            row = (
                self._db().execute("SELECT headers, body FROM answers WHERE key = ? AND gen = ?", (key, gen)).fetchone()
            )
        except sqlite3.Error:
            return None
        if row is None:
            return None
        return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(row[0])], bytes(row[1])

    def put(self, gen: str, key: str, headers: list, body: bytes) -> None:
        heads = json.dumps([(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers])
        try:
            con = self._db()
            con.execute(
                "INSERT OR REPLACE INTO answers (key, gen, headers, body, size) VALUES (?, ?, ?, ?, ?)",
                (key, gen, heads, body, len(body) + len(heads) + len(key)),
            )
            self._puts += 1
            if self._puts % self.TRIM_EVERY == 0:
                self.trim(gen)
        except sqlite3.Error:
            pass

    def trim(self, gen: str) -> None:
        """Drop the other generations' answers, then the oldest until within ``max_bytes``."""
        con = self._db()
        con.execute("DELETE FROM answers WHERE gen <> ?", (gen,))
        total, n = con.execute("SELECT coalesce(sum(size), 0), count(*) FROM answers").fetchone()
        while total > self.max_bytes and n:
            con.execute(
                "DELETE FROM answers WHERE rowid IN (SELECT rowid FROM answers ORDER BY rowid LIMIT ?)",
                (max(1, n // 4),),
            )
            total, n = con.execute("SELECT coalesce(sum(size), 0), count(*) FROM answers").fetchone()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
