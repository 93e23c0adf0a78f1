"""Load check of the web API: 200 concurrent searches against `marsad serve` on loopback.

    python bench/load_search.py                      # build a store, serve it, fire 200 searches
    python bench/load_search.py --db my.duckdb       # an existing store
    python bench/load_search.py --requests 400 --concurrency 100

The store is built from examples/ (`marsad run examples --db ...`) when that folder has articles and
the run succeeds, else from generated articles (tests/sample_store.py).  The server runs in a subprocess
(`python -m marsad.cli serve`) on a free 127.0.0.1 port; this process is the client (httpx, asyncio).
Everything is bounded: at most 5,000 requests, a 30 s timeout per request, 300 s in all.
Prints the error count and p50/p95/max latency; exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
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
MAX_REQUESTS, REQUEST_TIMEOUT, TOTAL_TIMEOUT = 5000, 30.0, 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    sys.path.insert(0, str(ROOT / "tests"))
    from sample_store import build_store as build

    build(db, synthetic=synthetic)
    print(f"store: {synthetic} generated articles + 5 samples → {db}")
    return db


def start_server(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
        + ["--rate-limit", "0"],  # the load comes from one client: the per-client limit would refuse it
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not answer within 60 s")


async def fire(base: str, n: int, concurrency: int) -> list[tuple[float, int | str, int]]:
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, limits=limits) as client:

        async def one(i: int):
            q = QUERIES[i % len(QUERIES)]
            async with sem:
                t0 = time.perf_counter()
                try:
                    r = await client.get("/api/search", params={"q": q, "limit": 20})
                    ok = r.status_code == 200 and isinstance(r.json().get("items"), list)
                    return time.perf_counter() - t0, (r.status_code if not ok else 200), len(r.content)
                except (httpx.HTTPError, json.JSONDecodeError) as e:
                    return time.perf_counter() - t0, type(e).__name__, 0

        return await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(n))), TOTAL_TIMEOUT)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="an existing store (default: build one)")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--synthetic", type=int, default=2000, help="generated articles when building a store")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    a = ap.parse_args()
    n = max(1, min(a.requests, MAX_REQUESTS))
    with tempfile.TemporaryDirectory(prefix="marsad-load-") as tmp:
        db = Path(a.db) if a.db else build_store(Path(tmp), a.synthetic)
        port = free_port()
        proc = start_server(db, port)
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "سوريا"}, timeout=30)  # warm up
            t0 = time.perf_counter()
            res = asyncio.run(fire(f"http://127.0.0.1:{port}", n, max(1, min(a.concurrency, n))))
            wall = time.perf_counter() - t0
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    lat = [r[0] * 1000 for r in res]
    errors = [r[1] for r in res if r[1] != 200]
    out = {
        "requests": n,
        "concurrency": min(a.concurrency, n),
        "errors": len(errors),
        "error_kinds": sorted({str(e) for e in errors}),
        "p50_ms": round(statistics.median(lat), 1),
        "p95_ms": round(pct(lat, 95), 1),
        "max_ms": round(max(lat), 1),
        "wall_s": round(wall, 2),
        "req_per_s": round(n / wall, 1),
        "cpus": os.cpu_count(),
    }
    if a.json:
        print(json.dumps(out))
    else:
        print(
            f"{n} searches, {out['concurrency']} concurrent, on 127.0.0.1: {out['errors']} errors"
            + (f" ({', '.join(out['error_kinds'])})" if errors else "")
        )
        print(
            f"latency p50 {out['p50_ms']} ms, p95 {out['p95_ms']} ms, max {out['max_ms']} ms; "
            f"{out['wall_s']} s in all, {out['req_per_s']} req/s ({out['cpus']} CPUs)"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
