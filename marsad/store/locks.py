"""The lock files beside a store and who holds the store: the primitives :mod:`marsad.store.access`
(one writer and many readers taking turns) and :mod:`marsad.store.shared` build on.

``<db>.lock``, ``<db>.gate`` and ``<db>.wait`` are ``flock``-ed (the kernel drops a lock when its process
dies); a DuckDB lock error names the process holding the file, which :func:`holder` turns into a message.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from pathlib import Path
from typing import Optional

import duckdb


def lock_path(db: str | Path) -> Path:
    return Path(str(db) + ".lock")


def gate_path(db: str | Path) -> Path:
    return Path(str(db) + ".gate")


def wait_path(db: str | Path) -> Path:
    return Path(str(db) + ".wait")


# --- who holds the store -------------------------------------------------------------------------
_PID = re.compile(r"\(PID (\d+)\)")


def lock_conflict(e: duckdb.Error) -> bool:
    """Whether the store is open elsewhere: in another process, or in this one in the other mode
    (read-only vs read-write), e.g. a server's shared reader and a writer in one test process."""
    msg = str(e)
    return "Could not set lock" in msg or "Conflicting lock" in msg or "different configuration" in msg


def command_line(pid: int) -> str:
    """The command line of process ``pid`` ('' when it cannot be read), shortened for a message."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    args = [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]
    for k, a in enumerate(args):  # python -m marsad.cli run ... -> marsad run ...
        if a in ("marsad.cli", "marsad") or a.endswith("/marsad"):
            args = ["marsad"] + args[k + 1 :]
            break
    return " ".join(args)[:200]


def _process(pid: int) -> str:
    cmd = command_line(pid)
    return f"process {pid} ({cmd})" if cmd else f"process {pid}"


def holder(e: duckdb.Error) -> str:
    """The process a DuckDB lock error names, as 'process PID (command)'."""
    if "different configuration" in str(e):
        return "this process"
    m = _PID.search(str(e))
    if not m:
        return "another process"
    pid = int(m.group(1))
    return "this process" if pid == os.getpid() else _process(pid)


def run_owner(db: str) -> str:
    """Who holds ``<db>.lock`` (as its holder wrote it), or ''."""
    try:
        return lock_path(db).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def try_lock(fd: int, how: int) -> bool:
    """``flock(fd, how)`` without waiting: whether it was taken."""
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


# Lock descriptors a forked child must not keep: a flock belongs to the open file, shared with every
# forked copy, so a pipeline worker outliving a killed run would keep the run's locks.
_INHERITED: set[int] = set()


def _drop_inherited() -> None:
    for fd in _INHERITED:
        try:
            os.close(fd)  # only this process's copy: the parent's lock stays as it is
        except OSError:
            pass
    _INHERITED.clear()


os.register_at_fork(after_in_child=_drop_inherited)


def keep_from_children(*fds: int) -> None:
    """Close these lock descriptors in every process forked from now on."""
    _INHERITED.update(fds)


def forget_inherited(fd: int) -> None:
    """``fd`` is about to be closed: forked children need not close it any more."""
    _INHERITED.discard(fd)


class Backoff:
    """Sleeps of 2 ms growing to 50 ms: short waits end quickly, long ones poll gently."""

    def __init__(self):
        self.delay = 0.002

    def sleep(self) -> None:
        time.sleep(self.delay)
        self.delay = min(self.delay * 1.5, 0.05)


def open_existing(path: Path) -> Optional[int]:
    """A read-only descriptor of ``path``, or None where it does not exist (or cannot be read)."""
    try:
        return os.open(path, os.O_RDONLY)
    except OSError:
        return None
