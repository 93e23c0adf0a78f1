"""The DuckDB store: opening, the single writer (batched transactions, idempotent), rejects, runs."""

from __future__ import annotations

import json
import logging
import os
import uuid
from datetime import datetime, timezone
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

import duckdb
import pyarrow as pa

from ..model import Article
from ..text.normalize import search_key, skeleton
from .access import OUTSIDE_WAIT, WriteAccess, open_reader, open_writable, writer_settings
from .rows import row_of
from .schema import CHILD_TABLES, create_all

log = logging.getLogger(__name__)

DEFAULT_DB = "marsad.duckdb"


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def connect(path: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The store, read-only (waiting while a run commits a batch: :func:`access.open_reader`) or
    read-write, created if needed.  A run writes through :class:`access.WriteAccess` instead, which
    lets readers in between its batches."""
    path = str(path)
    if read_only:
        return open_reader(path)
    if path == ":memory:":
        con = duckdb.connect(path)
        create_all(con)
        return con
    return open_writable(path, OUTSIDE_WAIT, create_all)


@dataclass
class Rows:
    """One article as the rows the writer inserts (made by :func:`to_rows` where the article was
    processed, e.g. in a worker process, so the single writer only inserts)."""

    article: dict  # the ``articles`` row, without run_id and ingested_at
    children: dict[str, list[dict]]  # child table -> rows

    def stamped(self, run_id: str, at: datetime) -> dict:
        """The ``articles`` row with the run that stores it."""
        return {**self.article, "run_id": run_id, "ingested_at": at}


def to_rows(a: Article) -> Rows:
    return Rows(_article_row(a), article_rows(a))


def child_tables(batch: Iterable[Rows]) -> dict[str, Optional[pa.Table]]:
    """The child rows of several articles as one Arrow table per child table (None: no rows)."""
    children: dict[str, list[dict]] = {t: [] for t in CHILD_TABLES}
    for r in batch:
        for t, rows in r.children.items():
            children[t].extend(rows)
    return {t: pa.Table.from_pylist(rows) if rows else None for t, rows in children.items()}


def _article_row(a: Article) -> dict:
    return {
        "id": a.id,
        "content_hash": a.content_hash,
        "url": a.url,
        "outlet": a.outlet,
        "outlet_name": a.outlet_name,
        "published": a.published,
        "published_basis": a.published_basis,
        "headline": a.headline,
        "byline": a.byline,
        "text": a.text,
        "body_start": a.body_start,
        "source": a.source,
        "boilerplate": list(a.boilerplate),
        "meta": json.dumps(dict(a.meta), ensure_ascii=False) if a.meta else None,
        "search_text": search_key(a.text),
    }


def article_rows(a: Article) -> dict[str, list[dict]]:
    """The child-table rows of one article (everything but the ``articles`` row)."""
    aid = a.id
    out: dict[str, list[dict]] = {t: [] for t in CHILD_TABLES}
    for table, items in (
        ("sentences", a.sentences),
        ("mentions", a.mentions),
        ("times", a.times),
        ("quotes", a.quotes),
        ("attributions", a.attributions),
        ("events", a.events),
    ):
        out[table] = [row_of(x, aid, None if table == "sentences" else i) for i, x in enumerate(items)]
    for r in out["mentions"]:
        r["search_key"] = skeleton(r["text"])
    return out


class Writer:
    """The single writer.  ``add`` buffers articles; ``flush`` writes a batch in one transaction.

    Every input unit is accounted for exactly once (see :meth:`write_rows`): a unit (known by its
    ``source``) keeps the article id it was first stored under, so a rerun stores nothing new and
    a changed unit replaces its own article; a unit whose text another stored article already has
    becomes a ``duplicate`` row of the rejects ledger naming that article; a unit whose id another
    unit already holds is stored under its id qualified by its folder or feed."""

    def __init__(self, con: Union[duckdb.DuckDBPyConnection, WriteAccess], run_id: str, batch_size: int = 256):
        # con: a connection the writer keeps open, or a WriteAccess: then the store is opened for
        # a batch and closed when a reader asks for it (between articles or after the batch)
        self.access = con if isinstance(con, WriteAccess) else None
        self.con = None if self.access else con
        self.run_id, self.batch_size = run_id, batch_size
        self.buf: list[Rows] = []
        self.rejects: list[tuple[str, str, str]] = []
        self.stored = self.duplicates = self.replaced = self.already = 0
        with self.session() as c:
            if self.access is None:
                writer_settings(c)  # a WriteAccess applies them each time it opens the store
            self._cols = {
                t: [r[0] for r in c.execute(f"DESCRIBE {t}").fetchall()] for t in ("articles",) + CHILD_TABLES
            }

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """``self.con`` for the block: the writer's own connection, or the store opened through the
        WriteAccess (kept open after the block until a reader waits for it)."""
        if self.access is None:
            yield self.con
            return
        with self.access.connection() as con:
            self.con = con
            try:
                yield con
            finally:
                self.con = None

    def reject(self, source: str, reason: str, detail: str) -> None:
        """Record a rejected input in the ledger with the next batch."""
        self.rejects.append((source, reason, detail))
        if len(self.rejects) >= self.batch_size:
            self.flush()

    def add(self, a: Union[Article, Rows]) -> None:
        self.buf.append(a if isinstance(a, Rows) else to_rows(a))
        if len(self.buf) >= self.batch_size:
            self.flush()
        elif self.access is not None:
            self.access.let_readers_in()

    def _insert(self, table: str, tbl: Optional[pa.Table]) -> None:
        if tbl is None or not tbl.num_rows:
            return
        cols = self._cols[table]
        self.con.register("_batch", tbl)
        try:
            sel = ", ".join(f'"{c}"' if c in tbl.column_names else "NULL" for c in cols)
            self.con.execute(f"INSERT INTO {table} SELECT {sel} FROM _batch")
        finally:
            self.con.unregister("_batch")

    def flush(self) -> None:
        """Write the buffered articles (one transaction) and rejects."""
        if not self.buf and not self.rejects:
            return
        batch, self.buf = self.buf, []
        rejects, self.rejects = self.rejects, []
        at = now()
        with self.session() as con:
            if batch:
                self.write_rows([r.stamped(self.run_id, at) for r in batch], child_tables(batch))
            if rejects:
                record_rejects(con, rejects, self.run_id)

    def write_rows(self, arts: list[dict], children: dict[str, Optional[pa.Table]]) -> None:
        """Write one batch (article rows + child tables as Arrow) in one transaction.  The ids of
        ``arts`` are unique within the batch (the reader's :func:`~marsad.ingest.ids.assign_ids`)."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            plan = self._plan(arts)
            if plan.drop:
                for t in CHILD_TABLES + ("articles",):
                    key = "id" if t == "articles" else "article_id"
                    con.execute(f"DELETE FROM {t} WHERE {key} IN (SELECT unnest(?))", [plan.drop])
            for r, (stored_id, src) in plan.duplicates:
                record_reject(
                    con,
                    r["source"] or _unit(r["id"], ""),
                    "duplicate",
                    f"the same text as the stored article {stored_id} (read from {src}); "
                    "stored once, this input is not stored again",
                    self.run_id,
                    duplicate_of=stored_id,
                    input_id=r["id"],
                )
            if plan.new:
                # a unit rejected by an earlier run and stored now leaves the ledger
                con.execute("DELETE FROM rejects WHERE source IN (SELECT unnest(?))", [[r["source"] for r in plan.new]])
            self._insert("articles", pa.Table.from_pylist(plan.new) if plan.new else None)
            keep = pa.array(list(plan.final), pa.string())
            for t in CHILD_TABLES:
                tbl = children.get(t)
                if tbl is not None and tbl.num_rows and plan.new:
                    import pyarrow.compute as pc

                    tbl = tbl.filter(pc.is_in(tbl.column("article_id"), value_set=keep))
                    if plan.renamed:
                        ids = [plan.final[x] for x in tbl.column("article_id").to_pylist()]
                        tbl = tbl.set_column(
                            tbl.schema.get_field_index("article_id"), "article_id", pa.array(ids, pa.string())
                        )
                    self._insert(t, tbl)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        self.stored += len(plan.new)
        self.replaced += len(plan.drop)
        self.duplicates += len(plan.duplicates)
        self.already += plan.already
        log.info("batch committed: %d new, %d stored so far", len(plan.new), self.stored)

    def _plan(self, arts: list[dict]) -> "_Plan":
        """What the batch does to the store: which rows are new (under which id), which stored
        articles they replace, which are duplicates of stored text and which are stored already."""
        from ..ingest.ids import qualified_ids

        known = self.con.execute(
            "SELECT id, content_hash, source FROM articles WHERE source IN (SELECT unnest(?)) "
            "OR id IN (SELECT unnest(?)) OR content_hash IN (SELECT unnest(?))",
            [[r["source"] for r in arts if r["source"]], [r["id"] for r in arts], [r["content_hash"] for r in arts]],
        ).fetchall()
        by_unit = {_unit(i, s): (i, h) for i, h, s in known}
        by_hash = {h: (i, s) for i, h, s in known}
        owner = {i: _unit(i, s) for i, _, s in known}
        plan = _Plan()
        for r in arts:
            unit, h = _unit(r["id"], r["source"]), r["content_hash"]
            mine = by_unit.get(unit)
            if mine is not None and mine[1] == h:
                plan.already += 1  # this very input, stored before: nothing to do
                continue
            other = by_hash.get(h)
            if other is not None and _unit(*other) != unit:
                plan.duplicates.append((r, other))
                continue
            if mine is not None:  # the same input with new text: it replaces its article
                final = mine[0]
                plan.drop.append(final)
            else:
                final = None
                for cand in qualified_ids(r["id"], r["source"] or r["id"]):
                    if cand not in owner:
                        owner[cand] = self._owner(cand)
                    if owner[cand] in (None, unit):
                        final = cand
                        break
            owner[final], by_unit[unit], by_hash[h] = unit, (final, h), (final, r["source"])
            plan.final[r["id"]] = final
            plan.renamed |= final != r["id"]
            plan.new.append(r if final == r["id"] else {**r, "id": final})
        return plan

    def _owner(self, aid: str) -> Optional[str]:
        row = self.con.execute("SELECT source FROM articles WHERE id = ?", [aid]).fetchone()
        return _unit(aid, row[0]) if row else None


def _unit(aid: str, source: Optional[str]) -> str:
    """An input unit's identity: its source, or — for articles given without one — its id."""
    return source if source else "id:" + aid


@dataclass
class _Plan:
    new: list = field(default_factory=list)  # article rows to insert (final ids)
    final: dict = field(default_factory=dict)  # batch id -> stored id, for the new rows
    drop: list = field(default_factory=list)  # stored ids replaced by new text of the same input
    duplicates: list = field(default_factory=list)  # (row, (stored id, its source))
    already: int = 0
    renamed: bool = False


def record_reject(
    con,
    source: str,
    reason: str,
    detail: str,
    run_id: str,
    duplicate_of: Optional[str] = None,
    input_id: Optional[str] = None,
) -> None:
    """Add or refresh the input unit's row of the rejects ledger (one row per unit, keyed by its
    source, so reruns add no rows)."""
    at = now()
    con.execute(
        "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
        "reason = excluded.reason, detail = excluded.detail, run_id = excluded.run_id, "
        "last_seen = excluded.last_seen, duplicate_of = excluded.duplicate_of, input_id = excluded.input_id",
        [source, reason, detail, run_id, at, at, duplicate_of, input_id],
    )


def record_rejects(con, rejects: Iterable[tuple[str, str, str]], run_id: str) -> None:
    """:func:`record_reject` for several (source, reason, detail), in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for source, reason, detail in rejects:
            record_reject(con, source, reason, detail, run_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def start_run(con, args: dict, engine: str, steps: Iterable[str]) -> str:
    """Record a new run.  The caller is the store's only writer, so a run still marked running is
    one that was killed: it is marked ``interrupted``."""
    con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
    run_id = now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    con.execute(
        "INSERT INTO runs (run_id, started, args, engine, steps, status, pid) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            now(),
            json.dumps(args, ensure_ascii=False, default=str),
            engine,
            ",".join(steps),
            "running",
            os.getpid(),
        ],
    )
    return run_id


def finish_run(
    con,
    run_id: str,
    stored: int,
    duplicates: int,
    rejected: int,
    status: str,
    step_stats: Optional[dict] = None,
    seen: Optional[int] = None,
    already: Optional[int] = None,
    replaced: Optional[int] = None,
) -> None:
    """Close the run's record: what it saw (input units), stored, found stored already, replaced,
    recorded as duplicates and rejected."""
    con.execute(
        "UPDATE runs SET finished = ?, stored = ?, duplicates = ?, rejected = ?, status = ?, "
        "step_stats = ?, seen = ?, already = ?, replaced = ? WHERE run_id = ?",
        [
            now(),
            stored,
            duplicates,
            rejected,
            status,
            json.dumps(step_stats or {}, ensure_ascii=False),
            seen,
            already,
            replaced,
            run_id,
        ],
    )
