"""Analysts' corrections of the extraction, kept apart from the store: a small SQLite file
(``<db>.corrections.sqlite`` by default) that the web server writes while the DuckDB store stays
read-only (a run may be writing it; ``marsad serve --workers N`` runs N processes).

A correction is never changed or deleted: a new record on the same target *supersedes* the one
before it (``supersedes`` names it), and ``withdraw`` is such a record that leaves the target with
no correction.  The *current* corrections are the records no other supersedes, withdrawals left out.

Each record names its target by a stable key, not a row number (a re-run renumbers rows): the
layer, the article id and the span offsets (:func:`target_key`).  The client's address is not
stored; ``author`` is whatever the analyst typed (optional).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

from ..errors import StoreError

LAYERS = ("event", "quote", "mention")
ACTIONS = ("wrong", "fix", "withdraw")

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS corrections (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        layer TEXT NOT NULL,
        article_id TEXT NOT NULL,
        target TEXT NOT NULL,
        action TEXT NOT NULL,
        fields TEXT NOT NULL,
        item TEXT NOT NULL,
        text_hash TEXT,
        note TEXT,
        author TEXT,
        supersedes TEXT,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS corrections_article ON corrections (article_id)",
    "CREATE INDEX IF NOT EXISTS corrections_target ON corrections (target)",
    "CREATE INDEX IF NOT EXISTS corrections_supersedes ON corrections (supersedes)",
)
COLUMNS = "seq, id, layer, article_id, target, action, fields, item, text_hash, note, author, supersedes, created_at"
# the records no later record on the same target replaces, withdrawals left out
CURRENT = "c.action != 'withdraw' AND NOT EXISTS (SELECT 1 FROM corrections d WHERE d.supersedes = c.id)"


def default_path(db_path: str | Path) -> Path:
    """Where the corrections of the store at ``db_path`` live unless told otherwise."""
    return Path(str(db_path) + ".corrections.sqlite")


def target_key(layer: str, article_id: str, start: int, end: int, trigger: Optional[tuple] = None, type_=None) -> str:
    """The stable name of an extracted item: ``event|<article>|<start>-<end>|<trigger start>-<end>|<type>``
    (an evidence span may hold several events: the trigger and the type as extracted tell them
    apart), ``quote|<article>|<start>-<end>`` (the quoted words), ``mention|<article>|<start>-<end>``.
    A re-run that renumbers the rows keeps the keys; one that changes the item leaves the
    correction without its target (shown as such, still exported)."""
    key = f"{layer}|{article_id}|{int(start)}-{int(end)}"
    if layer == "event":
        ts, te = trigger if trigger else (-1, -1)
        key += f"|{int(ts)}-{int(te)}|{type_ or ''}"
    return key


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record(row: tuple) -> dict:
    names = [c.strip() for c in COLUMNS.split(",")]
    r = dict(zip(names, row))
    r["fields"] = json.loads(r["fields"])
    r["item"] = json.loads(r["item"])
    return r


def _wal(con: sqlite3.Connection, tries: int = 40) -> None:
    """Put the file in WAL mode (it stays so).  Switching needs the file to itself, and SQLite
    answers "locked" at once, without its busy wait, when another connection is switching or
    writing: two writers opening a new file together met it.  So the mode is read first (a file
    already in WAL needs nothing) and the switch is tried again for up to ~16 s."""
    for k in range(tries):
        try:
            if str(con.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                con.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or k == tries - 1:
                raise
            time.sleep(0.02 * (k + 1))


class CorrectionsStore:
    """The corrections file.  A connection per call (SQLite connections are cheap and must not be
    shared between threads); WAL mode, so readers never wait for a writer and two server processes
    can add records at once (each write is one ``BEGIN IMMEDIATE`` transaction)."""

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        self.writable = not read_only and _can_write(self.path)

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        try:
            if write:
                con = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
                con.execute("PRAGMA busy_timeout=10000")
                _wal(con)
            else:
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the corrections file {self.path.name}: {e}") from e
        try:
            yield con
        finally:
            con.close()

    def exists(self) -> bool:
        return self.path.exists()

    def add(self, rec: dict) -> dict:
        """Store one correction (``layer``, ``article_id``, ``target``, ``action``, ``fields``,
        ``item``, optional ``text_hash``, ``note``, ``author``) after the target's current one,
        which it supersedes.  ``withdraw`` needs a current correction on the target."""
        if not self.writable:
            raise StoreError(f"the corrections file {self.path.name} is read-only here")
        try:
            cid = self._insert(rec)
        except sqlite3.Error as e:
            raise StoreError(f"cannot write the corrections file {self.path.name}: {e}") from e
        return self.get(cid)

    def _insert(self, rec: dict) -> str:
        with self._connect(write=True) as con:
            for ddl in SCHEMA:
                con.execute(ddl)
            con.execute("BEGIN IMMEDIATE")
            try:
                prev = con.execute(
                    "SELECT id, action FROM corrections c WHERE target = ? AND NOT EXISTS "
                    "(SELECT 1 FROM corrections d WHERE d.supersedes = c.id) ORDER BY seq DESC LIMIT 1",
                    [rec["target"]],
                ).fetchone()
                supersedes = prev[0] if prev else None
                if rec["action"] == "withdraw" and (prev is None or prev[1] == "withdraw"):
                    raise ValueError("nothing to withdraw: the item has no current correction")
                if rec.get("withdraws") and prev[0] != rec["withdraws"]:
                    raise ValueError(f"{rec['withdraws']} is no longer the item's current correction ({prev[0]} is)")
                cid = "c-" + uuid.uuid4().hex[:16]
                con.execute(
                    f"INSERT INTO corrections ({COLUMNS.split(', ', 1)[1]}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        cid,
                        rec["layer"],
                        rec["article_id"],
                        rec["target"],
                        rec["action"],
                        json.dumps(rec.get("fields") or {}, ensure_ascii=False),
                        json.dumps(rec.get("item") or {}, ensure_ascii=False),
                        rec.get("text_hash"),
                        rec.get("note") or None,
                        rec.get("author") or None,
                        supersedes,
                        _now(),
                    ],
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return cid

    def _query(self, sql: str, params: list) -> list[tuple]:
        if not self.exists():
            return []
        with self._connect(write=False) as con:
            try:
                return con.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                if "no such table" in str(e):
                    return []
                raise StoreError(f"cannot read the corrections file {self.path.name}: {e}") from e

    def version(self) -> Optional[int]:
        """The number of the last record (0 before the first): records are only ever added, so what
        the corrections show is unchanged while this is; None when the file cannot be read."""
        try:
            rows = self._query("SELECT coalesce(max(seq), 0) FROM corrections", [])
        except (StoreError, sqlite3.Error):
            return None
        return int(rows[0][0]) if rows else 0

    def get(self, cid: str) -> Optional[dict]:
        found = self._query(f"SELECT {COLUMNS} FROM corrections WHERE id = ?", [cid])
        return _record(found[0]) if found else None

    def list(
        self,
        layer: Optional[str] = None,
        article_id: Optional[str] = None,
        action: Optional[str] = None,
        history: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[dict]]:
        """``(total, page)`` newest first: the current corrections, or with ``history`` every record
        (superseded and withdrawal records too)."""
        conds, params = ([] if history else [CURRENT]), []
        for col, val in (("layer", layer), ("article_id", article_id), ("action", action)):
            if val:
                conds.append(f"c.{col} = ?")
                params.append(val)
        where = (" WHERE " + " AND ".join(conds)) if conds else ""
        total = self._query("SELECT count(*) FROM corrections c" + where, params)
        rows = self._query(
            f"SELECT {COLUMNS} FROM corrections c{where} ORDER BY seq DESC LIMIT ? OFFSET ?", params + [limit, offset]
        )
        return (total[0][0] if total else 0), [_record(r) for r in rows]

    def current(self, article_ids: Optional[list[str]] = None) -> dict[str, dict]:
        """The current correction of each corrected target (of these articles), by target key."""
        sql, params = f"SELECT {COLUMNS} FROM corrections c WHERE {CURRENT}", []
        if article_ids is not None:
            if not article_ids:
                return {}
            sql += f" AND c.article_id IN ({','.join('?' * len(article_ids))})"
            params = list(article_ids)
        return {r["target"]: r for r in map(_record, self._query(sql + " ORDER BY seq", params))}

    def iter_current(self) -> Iterator[dict]:
        """Every current correction, by article then offsets (what the export writes)."""
        rows = self._query(f"SELECT {COLUMNS} FROM corrections c WHERE {CURRENT} ORDER BY article_id, seq", [])
        yield from map(_record, rows)

    def stats(self) -> dict:
        """Counts of the current corrections per layer and action, and of every record kept."""
        per = {layer: {"wrong": 0, "fix": 0, "total": 0} for layer in LAYERS}
        for layer, action, n in self._query(
            f"SELECT layer, action, count(*) FROM corrections c WHERE {CURRENT} GROUP BY 1, 2", []
        ):
            per.setdefault(layer, {"wrong": 0, "fix": 0, "total": 0})
            per[layer][action] = n
            per[layer]["total"] += n
        records = self._query("SELECT count(*), count(DISTINCT article_id) FROM corrections", [])
        articles = self._query(f"SELECT count(DISTINCT article_id) FROM corrections c WHERE {CURRENT}", [])
        return {
            "layers": per,
            "current": sum(v["total"] for v in per.values()),
            "articles": articles[0][0] if articles else 0,
            "records": records[0][0] if records else 0,
        }


def _can_write(path: Path) -> bool:
    """Whether the corrections file can be written (created in its folder when missing)."""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return path.parent.is_dir() and os.access(path.parent, os.W_OK)
