"""The search index's costs on a store: a full build of ``<db>.search`` (what a store made before the
index pays once, and what an index in each server process's memory would pay at every start), an
update after a batch of new articles, the freshness check every search makes, and searches.

    python bench/search_index.py --db all.duckdb            # a store you have
    python bench/search_index.py                             # builds one: every ANT article of
                                                             # ../shared, `marsad run --steps segment`

The store is only read; the index is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from marsad.store.read import search
from marsad.store.search_index import SearchIndex, store_signature

QUERIES = ["مصر", "سوريا", "عمان", "الأسد", "دي ميستورا", '"مجلس الأمن"', "لافروف", "مجلس الامن الدولي"]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def build_store(folder: Path) -> Path:
    db = folder / "all.duckdb"
    src = SHARED / "corpus" / "ant_unlabeled.jsonl"
    cmd = [sys.executable, "-m", "marsad.cli", "run", str(src), "--db", str(db), "--steps", "segment"]
    subprocess.run(cmd + ["--no-stories", "--quiet"], check=True)
    return db


def median_ms(fn, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="a store (default: build one from ../shared)")
    ap.add_argument("--batch", type=int, default=256, help="articles of the update measured")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-search-"))
    db = Path(args.db) if args.db else build_store(tmp)
    con = duckdb.connect(str(db), read_only=True)
    n, chars = con.execute("SELECT count(*), sum(length(search_text)) FROM articles").fetchone()
    print(f"store {db}: {n:,} articles, {chars / 1e6:.1f} M characters of folded text")

    path = tmp / "index.search"
    t = time.perf_counter()
    ix = SearchIndex(db, path)
    done = ix.sync(con)
    build = time.perf_counter() - t
    size = os.path.getsize(path) + sum(os.path.getsize(p) for p in tmp.glob("index.search-*"))
    print(f"full build: {build:.1f} s ({done.articles / build:,.0f} articles/s), file {size / 1e6:.0f} MB")

    # an update: take `batch` articles out of the index, as if a run had just committed them
    import sqlite3

    lite = sqlite3.connect(path, isolation_level=None)
    rows = [r for (r,) in lite.execute("SELECT rowid FROM docs_ids ORDER BY random() LIMIT ?", [args.batch])]
    lite.execute("BEGIN")
    lite.executemany("DELETE FROM docs WHERE rowid = ?", [(r,) for r in rows])
    lite.executemany("DELETE FROM docs_ids WHERE rowid = ?", [(r,) for r in rows])
    lite.execute("UPDATE meta SET value = 'stale' WHERE key = 'signature'")
    lite.execute("COMMIT")
    lite.close()
    t = time.perf_counter()
    upd = ix.sync(con)
    print(f"update after a batch of {upd.added} new articles: {(time.perf_counter() - t) * 1000:.0f} ms")

    print(f"freshness check (the store's signature): {median_ms(lambda: store_signature(con), 20):.1f} ms")

    def fresh_read():
        with ix.reading(con):
            pass

    print(f"an up-to-date index, opened for a search: {median_ms(fresh_read, 20):.1f} ms")
    print("| query | total | ms (median of 5, page of 20 with facets) |")
    print("| --- | --- | --- |")
    for q in QUERIES:
        total = search(con, ix, q, limit=20)["total"]
        print(f"| {q} | {total:,} | {median_ms(lambda: search(con, ix, q, limit=20)):.0f} |")
    con.close()


if __name__ == "__main__":
    main()
