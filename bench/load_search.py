"""Load check of the web API: 200 concurrent searches against `marsad serve` on loopback.

    python bench/load_search.py                      # build a store, serve it, fire 200 searches
    python bench/load_search.py --db my.duckdb       # an existing store
    python bench/load_search.py --requests 400 --concurrency 100

The store is built from examples/ (`marsad run examples --db ...`) when that folder has articles and
the run succeeds, else from generated articles (tests/sample_store.py).  The server runs in a subprocess
(`python -m marsad.cli serve`) on a free 127.0.0.1 port; this process is the client (bench/loadkit.py,
asyncio).  Everything is bounded: at most 5,000 requests, a 10 s timeout per request, 300 s in all.
bench/load_mixed.py is the mixed workload (search, events, articles, actors, map, timeline...).
Prints the error count and p50/p95/max latency; exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadkit import ROOT, Req, build_sample_store, closed_loop, figures, free_port, start_server, stop_server  # noqa: E402

QUERIES = [
    "سوريا",
    "سورية",
    "لافروف",
    "الصفدي",
    "دمشق",
    "عمان",
    "بغداد",
    "الأوضاع",
    "التقى",
    "العلاقات الثنائية",
    "موسكو",
    "طهران",
    "القاهرة",
    "بيروت",
    "Lavrov",
    "الرياض",
    "أنقرة",
    "الحل السياسي",
    "نظيره",
    "الأزمة",
]
MAX_REQUESTS, TOTAL_TIMEOUT = 5000, 300.0


def build_store(tmp: Path, synthetic: int) -> Path:
    db = tmp / "load.duckdb"
    examples = ROOT / "examples"
    if examples.is_dir() and any(p.is_file() for p in examples.rglob("*")):
        r = subprocess.run(
            [sys.executable, "-m", "marsad.cli", "run", str(examples), "--db", str(db), "--quiet"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if r.returncode == 0 and db.exists():
            print(f"store: examples/ → {db}")
            return db
        print(f"`marsad run examples` failed ({r.returncode}); using generated articles instead", file=sys.stderr)
        db.unlink(missing_ok=True)
    build_sample_store(db, synthetic)
    print(f"store: {synthetic} generated articles + 5 samples → {db}")
    return db


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="an existing store (default: build one)")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--synthetic", type=int, default=2000, help="generated articles when building a store")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    a = ap.parse_args()
    n = max(1, min(a.requests, MAX_REQUESTS))
    pick = lambda i: Req("GET /api/search", "/api/search", {"q": QUERIES[i % len(QUERIES)], "limit": 20}, "items")
    with tempfile.TemporaryDirectory(prefix="marsad-load-") as tmp:
        db = Path(a.db) if a.db else build_store(Path(tmp), a.synthetic)
        port = free_port()
        proc = start_server(db, port)
        try:
            base = f"http://127.0.0.1:{port}"
            asyncio.run(closed_loop(base, lambda i: Req("warm", "/api/search", {"q": "سوريا"}), 1, 1))
            t0 = time.perf_counter()
            res = asyncio.run(
                asyncio.wait_for(closed_loop(base, pick, n, max(1, min(a.concurrency, n))), TOTAL_TIMEOUT)
            )
            wall = time.perf_counter() - t0
        finally:
            stop_server(proc)
    fig = figures(res, wall)
    out = {
        "requests": n,
        "concurrency": min(a.concurrency, n),
        **{k: fig[k] for k in ("errors", "error_kinds", "p50_ms", "p95_ms", "max_ms", "wall_s", "req_per_s")},
        "cpus": os.cpu_count(),
    }
    if a.json:
        print(json.dumps(out))
    else:
        print(
            f"{n} searches, {out['concurrency']} concurrent, on 127.0.0.1: {out['errors']} errors"
            + (f" ({', '.join(out['error_kinds'])})" if out["errors"] else "")
        )
        print(
            f"latency p50 {out['p50_ms']} ms, p95 {out['p95_ms']} ms, max {out['max_ms']} ms; "
            f"{out['wall_s']} s in all, {out['req_per_s']} req/s ({out['cpus']} CPUs)"
        )
    return 1 if out["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
