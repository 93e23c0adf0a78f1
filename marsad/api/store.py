"""The application's store: a connection per request, of one read-only connection shared by the
application's threads (:class:`~marsad.store.shared.SharedReader`).

A run writing the same store needs every reader to close it before it can write a batch
(:mod:`marsad.store.access`): the shared connection is closed as soon as a run asks for the store,
and the requests that come meanwhile wait for the batch and open it again.  Every request sees the
batches committed before it began.  A DuckDB connection must not be used by two threads at once:
each request has its own (a cursor of the shared one, cheap and safe across threads).

With ``read_only=False`` (``marsad serve --writable``) the server keeps one read-write connection
for its whole life and hands out cursors of it; it holds the store's writer lock meanwhile, so a run
is refused with a message naming the server, and other readers with one naming it too.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import duckdb

from ..store.access import WriteAccess
from ..store.read.names import KbNames, MemoNames
from ..store.shared import SharedReader
from .querymemo import MemoCursor, QueryMemo


class Store:
    def __init__(self, path: str | Path, read_only: bool = True):
        self.path = str(path)
        self.read_only = read_only
        self.reader: Optional[SharedReader] = None
        self.access: Optional[WriteAccess] = None
        self.con: Optional[duckdb.DuckDBPyConnection] = None
        self._lock = threading.Lock()
        self._kept: dict[str, tuple] = {}  # what is kept per generation: name -> (generation, key, object)
        if read_only:
            self.reader = SharedReader(self.path)  # a missing or unreadable store fails here, clearly
            return
        self.access = WriteAccess(self.path, what="marsad serve --writable")
        try:
            self.con = self.access.hold()
        except BaseException:
            self.access.close()
            raise

    @contextmanager
    def cursor(self, memo: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one request.  ``memo``: reads answered from the results kept for the store's
        generation when the same query ran before (:mod:`.querymemo`; for the bounded reads of the
        pages and the API, not for downloads)."""
        if self.reader is not None:
            with self.reader.connection() as cur:
                kept = self.query_memo() if memo else None
                yield MemoCursor(cur, kept) if kept is not None else cur
            return
        with self._lock:  # creating cursors is cheap; serialize it on the shared connection
            cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def generation(self) -> Optional[int]:
        """The store's generation while it cannot change (:meth:`SharedReader.generation`), else None.
        None for a writable store too: nothing here tells when it changes."""
        return self.reader.generation() if self.reader is not None else None

    def query_memo(self) -> Optional[QueryMemo]:
        """The kept query results of the store's current generation (a new memo when it moved on);
        None without a generation.  Call it holding a cursor, as :meth:`names`."""
        return self._of_generation("queries", None, QueryMemo)

    def names(self, kb_names: Optional[KbNames]) -> Optional[KbNames]:
        """``kb_names`` with a memo of the actor names resolved while the store's generation lasts
        (:class:`MemoNames`): one per generation, shared by the requests.  Call it while holding a
        cursor, so the generation is the one the cursor reads; without a generation (a writer at the
        gate, a writable store) ``kb_names`` itself."""
        kept = self._of_generation("names", kb_names, lambda: MemoNames(kb_names))
        return kb_names if kept is None else kept

    def _of_generation(self, name: str, key, make):
        """The object ``name`` kept for the current generation (and ``key``), made by ``make()`` the
        first time; None without a generation."""
        g = self.generation()
        if g is None:
            return None
        with self._lock:
            held = self._kept.get(name)
            if held is None or held[0] != g or held[1] is not key:
                held = self._kept[name] = (g, key, make())
            return held[2]

    def identity(self) -> Optional[tuple]:
        """The store's identity while it cannot change, the same in every worker process
        (:meth:`SharedReader.identity`), else None."""
        return self.reader.identity() if self.reader is not None else None

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
        if self.access is not None:
            self.access.close()
            self.access = self.con = None
