"""A read-only connection shared by the threads of a long-lived reader (the web server), kept open
between reads and given up as soon as a run wants the store (:mod:`marsad.store.access`)."""

from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import duckdb

from ..errors import StoreError
from .access import READ_WAIT, open_reader
from .locks import gate_path, open_existing, try_lock


def _open(db: str, wait: float) -> duckdb.DuckDBPyConnection:
    """The store read-only, one DuckDB thread per query: a server's concurrency comes from its requests
    (and ``--workers``), and two workers each running queries on two threads oversubscribed the two
    cores (the mixed load: 18.5-19.9 against 20.9-22.5 ms of server CPU per request, noisy)."""
    con = open_reader(db, wait)
    con.execute("SET threads = 1")
    return con


def file_identity(db: str) -> tuple:
    """(inode, size, mtime ns) of the store's file and of its WAL (None: no WAL)."""
    out = []
    for path in (db, db + ".wal"):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            out.append(None)
            continue
        out.append((st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(out)


class SharedReader:
    """A read-only connection for many short reads from many threads (a web server's requests):
    kept open between them, since opening costs ~15 ms (DuckDB builds a whole database instance,
    measured even for ``:memory:``) against ~0.3 ms for a cursor of an open one; given up as soon as
    a writer wants the store, so a run is never kept waiting for long.

    Each :meth:`connection` is a cursor of the shared connection while no writer is at the gate.
    Once one is, new reads wait at the gate like any reader (:func:`open_reader`) and the shared
    connection is closed when its last read ends, or within ``poll`` seconds if none is under way
    (a watcher thread), so an idle server does not hold the store either.  A read never sees the
    store older than the last batch committed before it began."""

    def __init__(self, db: str | Path, wait: float = READ_WAIT, poll: float = 0.02):
        self.db, self.wait, self.poll = str(db), wait, poll
        self._mu = threading.Lock()
        self._users = 0
        self._gate: Optional[int] = None
        self._con: Optional[duckdb.DuckDBPyConnection] = _open(self.db, wait)  # fails early
        self.opened = 1  # how many times the store was opened (for tests and benchmarks)
        self._identity = file_identity(self.db)  # of the files as this open sees them
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name=f"marsad-reader {self.db}", daemon=True)
        self._watcher.start()

    def _writer_wants(self) -> bool:
        """Whether a writer holds the gate (wants the store or has it).  Called under ``_mu``."""
        if self._gate is None:
            self._gate = open_existing(gate_path(self.db))  # a run may have started since
            if self._gate is None:
                return False
        if try_lock(self._gate, fcntl.LOCK_SH):
            fcntl.flock(self._gate, fcntl.LOCK_UN)
            return False
        return True

    def _drop(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one read (one request), on this thread only."""
        con, shared = self._acquire()
        try:
            yield con
        finally:
            con.close()
            if shared:
                with self._mu:
                    self._users -= 1
                    if self._users == 0 and self._writer_wants():
                        self._drop()

    def _acquire(self) -> tuple[duckdb.DuckDBPyConnection, bool]:
        with self._mu:
            if self._stop.is_set():
                raise StoreError(f"the reader of {self.db} is closed")
            if self._con is not None:
                if not self._writer_wants():
                    self._users += 1
                    return self._con.cursor(), True
                if self._users == 0:
                    self._drop()
        con = _open(self.db, self.wait)  # waits while the writer has the store
        with self._mu:
            self.opened += 1
            if self._con is None and not self._stop.is_set():
                self._con, self._users = con, self._users + 1
                self._identity = file_identity(self.db)  # unchanged while con is open: no writer can write
                return con.cursor(), True
        return con, False  # the shared one still serves reads begun before the writer came

    def generation(self) -> Optional[int]:
        """A number that stays the same only while the store cannot have changed: the count of opens
        while the shared connection is open and no writer wants the store (a writer can commit only
        after every reader closed the file, and the next open counts one more); None otherwise.  A
        cache of what was read is valid while this gives the number it was read under."""
        with self._mu:
            if self._con is None or self._stop.is_set() or self._writer_wants():
                return None
            return self.opened

    def identity(self) -> Optional[tuple]:
        """Like :meth:`generation`, but the same in every process that reads the same unchanged
        store: the store's files (inode, size, modification time of the database and of its WAL)
        as seen when the shared connection was opened.  A writer commits only after every reader
        closed the file and a commit writes one of them, so a reopen after a commit sees another
        identity.  For answers kept across the workers of one server."""
        with self._mu:
            if self._con is None or self._stop.is_set() or self._writer_wants():
                return None
            return self._identity

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            with self._mu:
                if self._con is not None and self._users == 0 and self._writer_wants():
                    self._drop()

    def close(self) -> None:
        self._stop.set()
        with self._mu:
            self._drop()
            if self._gate is not None:
                os.close(self._gate)
                self._gate = None
        if self._watcher is not threading.current_thread():
            self._watcher.join(timeout=1)
