"""The store's full-text index: an SQLite FTS5 file beside the store (``<db>.search``), kept in step
with the store's articles by its readers.

What is indexed: per article, its headline and its text, each folded by
:func:`marsad.text.normalize.search_key` (the ``articles.search_text`` the writer stores), split
into words by FTS5's ``unicode61`` tokenizer (the words of ``search_key``: it leaves only word
characters and single spaces).  Words are indexed as they are written (``ومصر``, ``بالقاهره``): the
proclitics are handled by the query (:mod:`marsad.store.read.query`), which asks for every form a
word may take with them.

Freshness: every search first compares the store's *signature* (the number of articles, the last
``ingested_at`` and a hash of every ``(id, content_hash)``: ~1 ms) seen by the search's own
DuckDB connection with the one the index was last brought to.  When they differ, the index is
brought to that snapshot of the store (:meth:`SearchIndex.sync`): the articles whose id or content
hash the index does not hold are indexed, those the store no longer holds (or holds with another
text: a replaced article) are removed.  So a committed batch of ``marsad run`` is searchable at the
next search, and a replaced article leaves no stale hit.  The file is shared by every process
reading the store (``marsad serve --workers N``, ``marsad search``): SQLite's write lock lets one of
them bring it up to date while the others wait, and WAL mode lets searches read meanwhile.  A store
made before the index existed is indexed at its first search (or by ``marsad index``).

Where the store's folder cannot be written, the index lives in a temporary folder of the process.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from ..errors import StoreError
from ..text.normalize import search_key

log = logging.getLogger(__name__)

# what the file holds; another value (an older marsad's file) is rebuilt from the store
INDEX_VERSION = "2"
HEADLINE_WEIGHT = 3.0  # bm25 weight of a word in the headline against one in the text
BUSY_MS = 300_000  # how long a process waits for another one's update of the file (a first build)
CHUNK = 500  # articles read from the store at a time while indexing

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS docs_ids (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, hash TEXT)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(headline, body, tokenize = 'unicode61')",
)

_SIGNATURE_SQL = "SELECT count(*), max(ingested_at)::VARCHAR, bit_xor(hash(content_hash))::VARCHAR FROM articles"


# Arabic letters as they stand after folding; a word that changes script («31mأحمر», «لCNN», «ب50»)
# is two words to the index
ARABIC_LETTERS = "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff"
_SCRIPT_CHANGE = re.compile(
    f"(?<=[{ARABIC_LETTERS}])(?=[^\\W{ARABIC_LETTERS}_])|(?<=[^\\W{ARABIC_LETTERS}_])(?=[{ARABIC_LETTERS}])"
)


def index_text(folded: str) -> str:
    """A text folded by :func:`~marsad.text.normalize.search_key` as the index reads it: a word is
    also cut where Arabic letters meet Latin letters or digits."""
    return _SCRIPT_CHANGE.sub(" ", folded)


def index_path(db: str | Path) -> Path:
    """Where the index of the store ``db`` lives: ``<db>.search``."""
    return Path(str(db) + ".search")


def store_signature(con) -> str:
    """What identifies the set of articles the DuckDB connection ``con`` sees."""
    n, last, mix = con.execute(_SIGNATURE_SQL).fetchone()
    return f"{INDEX_VERSION}|{n}|{last}|{mix}"


@dataclass(frozen=True)
class SyncStats:
    added: int = 0
    removed: int = 0
    articles: int = 0
    seconds: float = 0.0


class SearchIndex:
    """The FTS5 index of the store at ``db`` (its file: ``path``, by default ``<db>.search``).

    Thread-safe: each :meth:`reading` opens its own SQLite connection (~0.1 ms)."""

    def __init__(self, db: str | Path | None, path: str | Path | None = None):
        self.db = str(db) if db else None
        wanted = Path(path) if path else (index_path(db) if db else None)
        self.path = str(wanted) if wanted and _writable(wanted) else None
        if self.path is None:
            folder = tempfile.mkdtemp(prefix="marsad-search-")
            self.path = os.path.join(folder, "index.search")
            if wanted:
                log.warning("cannot write %s: the search index lives in %s", wanted, self.path)
        with self._connect(prepare=True):
            pass

    @contextmanager
    def _connect(self, prepare: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection to the file; a missing file (deleted since) is made again, empty."""
        prepare = prepare or not os.path.exists(self.path)
        lite = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
        try:
            lite.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            if prepare:
                lite.execute("PRAGMA journal_mode=WAL")
                self._prepare(lite)
            yield lite
        except sqlite3.Error as e:
            raise StoreError(f"the search index {self.path} failed: {e}; delete the file to rebuild it") from e
        finally:
            lite.close()

    def _prepare(self, lite: sqlite3.Connection) -> None:
        lite.execute("BEGIN IMMEDIATE")
        try:
            have = {r[0] for r in lite.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = None
            if "meta" in have:
                row = lite.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
                version = row[0] if row else None
            if version != INDEX_VERSION:
                for t in ("docs", "docs_ids", "meta"):
                    lite.execute(f"DROP TABLE IF EXISTS {t}")
                for sql in _SCHEMA:
                    lite.execute(sql)
                lite.execute("INSERT INTO meta VALUES ('version', ?)", [INDEX_VERSION])
            lite.execute("COMMIT")
        except BaseException:
            lite.execute("ROLLBACK")
            raise

    @contextmanager
    def reading(self, con) -> Iterator[sqlite3.Connection]:
        """An SQLite connection to the index brought to the articles the DuckDB connection ``con``
        sees, in a read transaction (one snapshot for every query of the block)."""
        sig = store_signature(con)
        with self._connect() as lite:
            if _meta(lite, "signature") != sig:
                self._sync(lite, con, sig)
            lite.execute("BEGIN")
            try:
                yield lite
            finally:
                lite.execute("ROLLBACK")

    def sync(self, con) -> SyncStats:
        """Bring the index to the articles ``con`` sees (what every search does first)."""
        with self._connect() as lite:
            return self._sync(lite, con, store_signature(con))

    def _sync(self, lite: sqlite3.Connection, con, sig: str) -> SyncStats:
        t0 = time.perf_counter()
        lite.execute("BEGIN IMMEDIATE")  # one process updates the file at a time; the others wait here
        try:
            if _meta(lite, "signature") == sig:  # another process did it meanwhile
                lite.execute("COMMIT")
                return SyncStats(articles=_count(lite))
            stored = {i: (rowid, h) for rowid, i, h in lite.execute("SELECT rowid, id, hash FROM docs_ids")}
            current = dict(con.execute("SELECT id, coalesce(content_hash, '') FROM articles").fetchall())
            gone = [rowid for i, (rowid, h) in stored.items() if current.get(i) != h]
            for k in range(0, len(gone), CHUNK):
                part = [(r,) for r in gone[k : k + CHUNK]]
                lite.executemany("DELETE FROM docs WHERE rowid = ?", part)
                lite.executemany("DELETE FROM docs_ids WHERE rowid = ?", part)
            new = [i for i, h in current.items() if stored.get(i, (None, None))[1] != h]
            for k in range(0, len(new), CHUNK):
                self._add(lite, con, new[k : k + CHUNK])
            lite.execute("INSERT OR REPLACE INTO meta VALUES ('signature', ?)", [sig])
            lite.execute("COMMIT")
        except BaseException:
            lite.execute("ROLLBACK")
            raise
        done = SyncStats(len(new), len(gone), _count(lite), time.perf_counter() - t0)
        if new or gone:
            log.info(
                "search index %s: %d articles indexed, %d removed (%.2f s)",
                self.path,
                len(new),
                len(gone),
                done.seconds,
            )
        return done

    def _add(self, lite: sqlite3.Connection, con, ids: list[str]) -> None:
        rows = con.execute(
            "SELECT id, coalesce(content_hash, ''), headline, search_text, text FROM articles "
            "WHERE id IN (SELECT unnest(?))",
            [ids],
        ).fetchall()
        for aid, h, headline, body, text in rows:
            rowid = lite.execute("INSERT INTO docs_ids (id, hash) VALUES (?, ?)", [aid, h]).lastrowid
            body = index_text(body if body is not None else search_key(text or ""))
            lite.execute(
                "INSERT INTO docs (rowid, headline, body) VALUES (?, ?, ?)",
                [rowid, index_text(search_key(headline or "")), body],
            )


def match(lite: sqlite3.Connection, fts_query: str) -> list[tuple[str, float]]:
    """``(article id, bm25 score)`` of every article matching the FTS5 query (lower is better)."""
    return lite.execute(
        f"SELECT i.id, bm25(docs, {HEADLINE_WEIGHT}, 1.0) FROM docs JOIN docs_ids i ON i.rowid = docs.rowid "
        "WHERE docs MATCH ?",
        [fts_query],
    ).fetchall()


def _meta(lite: sqlite3.Connection, key: str) -> Optional[str]:
    row = lite.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _count(lite: sqlite3.Connection) -> int:
    return lite.execute("SELECT count(*) FROM docs_ids").fetchone()[0]


def _writable(path: Path) -> bool:
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return path.parent.is_dir() and os.access(path.parent, os.W_OK)
