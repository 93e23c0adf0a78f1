"""One writer and many readers on one store file, taking turns.

DuckDB lets one process open a database file read-write, and then no other process can open it at
all; several processes may open it read-only together, and then nobody can write it.  So a run and
its readers (the CLI's commands, the web server) share the file by taking turns: a reader opens it
read-only for one command or one web request and closes it; the writer opens it to commit a batch
and keeps it open only until a reader asks for it, then closes it (which also checkpoints it).
A batch is visible to every reader that opens the store after its commit.

Three lock files beside the store coordinate the turns (``flock``: the kernel drops a lock when its
process dies, ``kill -9`` included, so a crash never leaves a stale lock):

- ``<db>.lock``: held by the writer for its whole life.  A second writer is refused at once, with the
  first one's process id and command line (written into the file).
- ``<db>.gate``: held exclusively by the writer while it has the file open; readers hold it shared
  only while they open the file.  Readers arriving while the writer has the file wait at the gate,
  so a stream of readers cannot starve the writer; readers already in keep their connection and the
  writer waits for them to close it.
- ``<db>.wait``: held shared by readers waiting at the gate.  The writer looks at it after each
  batch and between articles, and gives the file up as soon as someone waits; with no reader about
  it keeps the file open, and a run costs what it cost before readers could share the store.

Opening is retried while the other side holds the file; every wait is bounded and ends with an error
naming the process that holds the store.  A long-lived reader (the web server) keeps one connection
between its reads and gives it up when a writer comes: :mod:`marsad.store.shared`.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import duckdb

from ..errors import StoreError
from .locks import (
    Backoff,
    command_line,
    forget_inherited,
    gate_path,
    holder,
    keep_from_children,
    lock_conflict,
    lock_path,
    open_existing,
    run_owner,
    try_lock,
    wait_path,
)

log = logging.getLogger(__name__)

READ_WAIT = 60.0  # s a reader waits while a run writes a batch (a batch commit takes well under 1 s)
OUTSIDE_WAIT = 3.0  # s a reader waits for a holder that is not a marsad run taking turns
WRITE_WAIT = 600.0  # s the writer waits for readers to close the store (an export may read for a while)
WARN_EVERY = 10.0  # s between the writer's log lines while it waits


def writer_settings(con: duckdb.DuckDBPyConnection) -> None:
    """The writer shares the machine with the pipeline's workers: one thread and a small buffer pool
    keep its CPU and memory flat whatever the corpus size.  DuckDB's allocator also keeps up to
    128 MB (512 MB after bulk frees) of freed memory by default: handing it back after each batch
    costs no CPU measured.  Both together kept the writing process ~50 MB smaller (32 MB instead of
    64 MB of buffers costs ~0.07 ms of CPU per article).  Rows written since the last checkpoint
    stay in memory, and DuckDB checkpoints only once its write-ahead log reaches 16 MB by default:
    about 1,000 news articles came to ~30 MB in memory before that, and the next batch failed
    with "Out of Memory".  A 4 MB threshold checkpoints every batch or two and keeps them well
    under the limit."""
    con.execute("SET threads = 1")
    con.execute("SET memory_limit = '32MB'")
    con.execute("SET checkpoint_threshold = '4MB'")
    con.execute("SET allocator_flush_threshold = '8MB'")
    con.execute("SET allocator_bulk_deallocation_flush_threshold = '8MB'")


# --- readers -------------------------------------------------------------------------------------
def open_reader(db: str | Path, wait: float = READ_WAIT) -> duckdb.DuckDBPyConnection:
    """The store opened read-only, waiting (at most ``wait`` seconds) while a run writes it.  Close
    it promptly: while it is open the run cannot write its next batch."""
    db = str(db)
    if db == ":memory:":
        return duckdb.connect(db)
    if not Path(db).exists():
        raise StoreError(f"no store at {db}: run `marsad run INPUT --db {db}` first")
    gate = waiting = None
    start, backoff = time.monotonic(), Backoff()
    try:
        while True:
            if gate is None:  # none: no run has written here taking turns (yet)
                gate = open_existing(gate_path(db))
            if gate is None or try_lock(gate, fcntl.LOCK_SH):
                try:
                    return duckdb.connect(db, read_only=True)
                except duckdb.Error as e:
                    if not lock_conflict(e):
                        raise StoreError(f"cannot open the store {db}: {e}") from e
                    # the gate is open yet the file is held: a holder that does not take turns
                    # (another program, `marsad serve --writable`, an older marsad)
                    if time.monotonic() - start > min(wait, OUTSIDE_WAIT):
                        raise StoreError(
                            f"cannot read the store {db}: {holder(e)} has it open for "
                            f"writing and does not let readers in; stop it or wait for it to "
                            f"finish"
                        ) from None
                finally:
                    if gate is not None:
                        fcntl.flock(gate, fcntl.LOCK_UN)
            else:
                if waiting is None:  # tell the writer that someone waits (dropped when closed)
                    waiting = open_existing(wait_path(db))
                if waiting is not None:
                    try_lock(waiting, fcntl.LOCK_SH)  # fails only while the writer looks: next turn
                if time.monotonic() - start > wait:
                    owner = run_owner(db)
                    raise StoreError(
                        f"cannot read the store {db}: "
                        f"{'process ' + owner if owner else 'a marsad run'} has been writing "
                        f"it (or waiting for other readers to close it) for over {wait:.0f} s; "
                        f"try again"
                    )
            backoff.sleep()
    finally:
        for fd in (gate, waiting):
            if fd is not None:
                os.close(fd)


@contextmanager
def reading(db: str | Path, wait: float = READ_WAIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with reading(db) as con:`` the store read-only, closed on leaving the block."""
    con = open_reader(db, wait)
    try:
        yield con
    finally:
        con.close()


# --- the writer ----------------------------------------------------------------------------------
def open_writable(db: str, wait: float, create) -> duckdb.DuckDBPyConnection:
    """The store opened read-write (``create(con)`` applied), retried while readers hold it."""
    start, backoff, warned = time.monotonic(), Backoff(), time.monotonic()
    while True:
        try:
            con = duckdb.connect(db)
        except duckdb.Error as e:
            if not lock_conflict(e):
                raise StoreError(f"cannot open the store {db}: {e}") from e
            waited = time.monotonic() - start
            if waited > wait:
                raise StoreError(
                    f"cannot write the store {db}: {holder(e)} has kept it open for over "
                    f"{wait:.0f} s; close it (a reader holding it that long is an export or "
                    f"another program) and run again"
                ) from None
            if time.monotonic() - warned > WARN_EVERY:
                log.warning("waiting %.0f s so far for %s to close the store %s", waited, holder(e), db)
                warned = time.monotonic()
            backoff.sleep()
            continue
        try:
            create(con)
        except BaseException:
            con.close()
            raise
        return con


class WriteAccess:
    """The right to write a store: ``<db>.lock`` held from construction to :meth:`close` (a second
    writer is refused with a :class:`StoreError`), and :meth:`connection` to have the file open for
    a batch.  ``what`` names the holder in the messages other processes get."""

    def __init__(self, db: str | Path, what: str = "", wait: float = WRITE_WAIT):
        self.db, self.wait = str(db), wait
        self._created = False
        self._con: Optional[duckdb.DuckDBPyConnection] = None
        self._held = False  # open for good (hold), not taking turns
        self._lock = self._gate = self._waiting = None
        self.opened = 0  # how many times the file was opened (for tests and benchmarks)
        self._gave_up = None  # why the store could not be opened: later opens fail at once
        self._pid = os.getpid()
        if self.db == ":memory:":  # nobody else can see it: one connection for the whole life
            self._con, self._held = duckdb.connect(self.db), True
            return
        try:
            fd = os.open(lock_path(self.db), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(
                f"cannot write the store {self.db}: its lock file {lock_path(self.db)} cannot be "
                f"created ({e.strerror}); check the folder exists and is writable"
            ) from e
        if not try_lock(fd, fcntl.LOCK_EX):
            os.close(fd)
            owner = run_owner(self.db)
            raise StoreError(
                f"the store {self.db} is being written by "
                f"{'process ' + owner if owner else 'another marsad process'}; "
                f"wait for it to finish, or write another store (--db)"
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} ({what or command_line(os.getpid()) or 'marsad'})\n".encode("utf-8"))
        self._lock = fd
        try:
            self._gate = os.open(gate_path(self.db), os.O_RDWR | os.O_CREAT, 0o644)
            self._waiting = os.open(wait_path(self.db), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            self.close()
            raise StoreError(
                f"cannot write the store {self.db}: a lock file beside it cannot be created ({e.strerror})"
            ) from e
        keep_from_children(self._lock, self._gate, self._waiting)

    def _schema(self, con) -> None:
        if not self._created:  # the schema once per writer, not once per batch
            from .schema import create_all

            create_all(con)
            self._created = True

    def _create(self, con) -> None:
        self._schema(con)
        writer_settings(con)

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            if self._lock is None:
                raise StoreError(f"the writer of {self.db} is closed")
            if self._gave_up is not None:  # the run's last writes (on its way out) do not wait again
                raise StoreError(str(self._gave_up))
            fcntl.flock(self._gate, fcntl.LOCK_EX)  # readers only pass through it: never held for long
            try:
                self._con = open_writable(self.db, self.wait, self._create)
            except BaseException as e:
                fcntl.flock(self._gate, fcntl.LOCK_UN)
                self._gave_up = (
                    e
                    if isinstance(e, StoreError)
                    else f"cannot write the store {self.db}: interrupted while waiting for it"
                )
                raise
            self.opened += 1
        return self._con

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The store open read-write for the block (one batch).  It stays open after the block
        until a reader waits for it (:meth:`let_readers_in`), or an error leaves the block."""
        con = self._open()
        try:
            yield con
        except BaseException:
            if not self._held:
                self.release()
            raise
        self.let_readers_in()

    def readers_waiting(self) -> bool:
        if self._waiting is None:
            return False
        if try_lock(self._waiting, fcntl.LOCK_EX):
            fcntl.flock(self._waiting, fcntl.LOCK_UN)
            return False
        return True

    def let_readers_in(self) -> None:
        """Close the store if a reader waits for it (cheap enough to call for every article)."""
        if self._con is not None and not self._held and self.readers_waiting():
            self.release()

    def release(self) -> None:
        """Close the store (a checkpoint: the batches written go into the file) and let readers in."""
        if self._con is not None and not self._held:
            try:
                self._con.close()
            finally:
                self._con = None
                fcntl.flock(self._gate, fcntl.LOCK_UN)

    def hold(self) -> duckdb.DuckDBPyConnection:
        """The store open read-write until :meth:`close`, readers refused meanwhile (for a process
        that keeps one connection, e.g. ``marsad serve --writable``)."""
        if self._con is None:
            self._con = open_writable(self.db, self.wait, self._schema)
            self._held = True
        return self._con

    def close(self) -> None:
        if self._lock is not None and self._pid != os.getpid():  # a forked copy: nothing is its own
            self._con = self._waiting = self._gate = self._lock = None
            return
        if self._held and self._con is not None:
            self._con.close()
            self._con = None
        self.release()
        for fd in (self._waiting, self._gate, self._lock):
            if fd is not None:
                forget_inherited(fd)
                os.close(fd)  # closing the descriptor drops its flock
        self._waiting = self._gate = self._lock = None

    def __enter__(self) -> "WriteAccess":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
