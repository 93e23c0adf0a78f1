"""Query results kept while the store does not change: the pages and API answers of one store
generation share the results of the read queries they have in common (an actor's events list and
timeline on `/events` and `/api/timeline`, the event types, the outlets, a name's resolution).

On this store most of a small read query's time is DuckDB planning it (the events list of a
filter: ~7 of ~8.5 ms), which prepared statements do not save (DuckDB plans again for new values),
so a query asked again with the same parameters under the same generation is answered from the
rows kept.  :class:`QueryMemo` belongs to one generation (:meth:`marsad.api.store.Store.cursor`
gives a new one when the generation moves on); :class:`MemoCursor` wraps a DuckDB cursor for the
read functions, which only ever call ``execute(...)`` then ``fetchone``/``fetchall``/``description``.
Results of more than ``MAX_ROWS`` rows are not kept; the memo holds at most ``max_cells`` values."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, datetime
from typing import Any, Optional

MAX_ROWS = 5000


def _frozen(v: Any):
    if isinstance(v, (list, tuple)):
        return tuple(_frozen(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _frozen(x)) for k, x in v.items()))
    if v is None or isinstance(v, (str, int, float, bool, date, datetime)):
        return (type(v).__name__, v)  # 1 and True and 1.0 are different parameters
    raise TypeError(f"not a parameter to key on: {type(v).__name__}")


class QueryMemo:
    """The kept results of one store generation: (sql, parameters) → (description, rows)."""

    def __init__(self, max_cells: int = 2_000_000):
        self.max_cells = max_cells
        self.cells = 0
        self.entries: OrderedDict[tuple, tuple] = OrderedDict()
        self.hits = self.misses = 0
        self._mu = threading.Lock()

    def get(self, key: tuple) -> Optional[tuple]:
        with self._mu:
            got = self.entries.get(key)
            if got is not None:
                self.entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return got

    def put(self, key: tuple, description, rows: list) -> None:
        cells = max(1, len(rows) * max(1, len(description or ())))
        with self._mu:
            if key in self.entries:
                return
            self.entries[key] = (description, rows)
            self.cells += cells
            while self.cells > self.max_cells and len(self.entries) > 1:
                _, (d, r) = self.entries.popitem(last=False)
                self.cells -= max(1, len(r) * max(1, len(d or ())))


class _Result:
    """The rows of one query, read like a DuckDB result (``fetchone`` then ``fetchall`` go on
    from where the last read stopped)."""

    def __init__(self, description, rows: list):
        self.description = description
        self._rows, self._at = rows, 0

    def fetchone(self):
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list:
        out = self._rows[self._at :]
        self._at = len(self._rows)
        return list(out)

    def fetchmany(self, size: int = 1) -> list:
        out = self._rows[self._at : self._at + size]
        self._at += len(out)
        return list(out)


class MemoCursor:
    """A DuckDB cursor whose ``execute`` answers from ``memo`` when the same query with the same
    parameters ran under the same generation; anything else goes to the cursor itself."""

    def __init__(self, cur, memo: QueryMemo):
        self._cur, self._memo = cur, memo

    def execute(self, sql: str, parameters=None):
        try:
            key = (sql, _frozen(list(parameters or ())))
        except TypeError:
            return self._cur.execute(sql, parameters)
        got = self._memo.get(key)
        if got is None:
            res = self._cur.execute(sql, parameters) if parameters is not None else self._cur.execute(sql)
            description, rows = res.description, res.fetchall()
            if len(rows) <= MAX_ROWS:
                self._memo.put(key, description, rows)
            got = (description, rows)
        return _Result(*got)

    def __getattr__(self, name):
        return getattr(self._cur, name)
