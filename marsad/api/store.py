"""One read-only DuckDB connection per application, a fresh cursor per request.

A DuckDB connection must not be used by two threads at once; ``con.cursor()`` gives each request its
own connection to the same database instance, which is cheap and safe across threads.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from ..store.db import connect


class Store:
    def __init__(self, path: str | Path, read_only: bool = True):
        self.path = str(path)
        self.read_only = read_only
        self.con = connect(self.path, read_only=read_only)
        self._lock = threading.Lock()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:  # creating cursors is cheap; serialize it on the shared connection
            cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def close(self) -> None:
        self.con.close()
