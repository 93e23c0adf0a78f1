"""Downloads of filtered lists: time, size and the Python memory a download takes, per format.

    python bench/downloads.py --db my.duckdb              # an existing store (e.g. the 426 real articles)
    python bench/downloads.py --synthetic 20000           # a generated store of 20,000 meeting reports

Each download is asked of the application served by uvicorn on loopback (in a thread of this process,
as the browser tests serve it) as the web's download bar asks for it: every event, then CONSULT
events; the client streams the body to a file.  Reported per format: rows, bytes, seconds (a first
pass), and the peak of Python's own allocations during the download, server and client together
(tracemalloc, a second pass; DuckDB's native memory is not counted): a download written batch by
batch keeps that peak near one batch's worth whatever the file's size.  Also checks that DuckDB
loads each file with as many rows as the list.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

READ = {"csv": "read_csv", "parquet": "read_parquet", "geojson": "read_json"}


def _loaded(path: Path, fmt: str) -> int:
    if fmt == "plover":
        return len(json.loads(path.read_text(encoding="utf-8"))["events"])
    return duckdb.connect().execute(f"SELECT count(*) FROM {READ[fmt]}(?)", [str(path)]).fetchone()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="an existing store (default: a generated one)")
    ap.add_argument("--synthetic", type=int, default=5000, help="generated articles when --db is not given")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="marsad-bench-downloads-"))
    try:
        return _run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args, work: Path) -> int:
    import httpx
    from browser_kit import serving

    from marsad.api import create_app

    db = args.db
    if not db:
        from sample_store import build_store

        db = str(build_store(work / "bench.duckdb", synthetic=args.synthetic))
    print(f"store: {Path(db).name}")

    def fetch(c, fmt, filters, out):
        with c.stream("GET", "/api/download/events", params={"format": fmt, **filters}) as r:
            assert r.status_code == 200, r.read()
            with open(out, "wb") as fh:
                for block in r.iter_bytes():
                    fh.write(block)

    with serving(create_app(db, rate_limit=0)) as url, httpx.Client(base_url=url, timeout=600) as c:
        for filters in ({}, {"type": "CONSULT"}):
            total = c.get("/api/events", params={**filters, "limit": 1}).json()["total"]
            print(f"events {filters or 'all'}: list total {total}")
            for fmt in ("csv", "parquet", "geojson", "plover"):
                out = work / f"events.{fmt}"
                t = time.perf_counter()
                fetch(c, fmt, filters, out)
                secs = time.perf_counter() - t
                tracemalloc.start()
                fetch(c, fmt, filters, out)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                size = out.stat().st_size
                n = _loaded(out, fmt)
                print(
                    f"  {fmt:8} rows {n:>7}  {size / 1e6:8.2f} MB  {secs:6.2f} s  "
                    f"python peak {peak / 1e6:6.2f} MB ({peak / max(size, 1):.0%} of the file)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
