"""Mixed load on the web UI and API: what analysts do all day (search, filtered event lists, articles,
actors, the map, the timeline, the network, quotes), from a second process on loopback, against
`marsad serve --workers 2` over a store of real articles.

    python bench/load_mixed.py                                  # build the real store, 150 req/s open loop, 30 s
    python bench/load_mixed.py --db /tmp/real.duckdb            # keep the store there (built if absent)
    python bench/load_mixed.py --mode closed --concurrency 32   # the most the server gives, 32 at a time
    python bench/load_mixed.py --rate 200 --duration 60 --json  # the figures as JSON

The store is the browser tests' store of real articles (tests/real_store.py: `marsad run` over the 426
ANT articles of 10-13 April 2018 outside the reserved ids, from ../shared); `--db PATH` reuses a store
there or builds it there.  The server is `python -m marsad.cli serve --workers 2 --rate-limit 0` on a
free 127.0.0.1 port (`--serve-args` adds options); this process is the client (httpx, asyncio).  The
requests are drawn at random (seeded) from MIX by weight, over the ids, actors and names the store holds
(listed through the API before the clock starts).  Open loop (default): requests are sent at a fixed
rate whatever the answers take, so a server that falls behind shows it in the latency.  Closed loop:
`--concurrency` requests at a time, each sent when one is answered.

Prints a table per route (requests, errors, p50/p95/p99/max ms) and the overall figures, with the CPU
time of the server and of the client and the load average of the machine (the client shares the
machine); exits 1 on any error, 2 when the bar (--min-rate req/s, --max-p95 ms) is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadkit import (  # noqa: E402
    ROOT,
    Req,
    build_real_store,
    client_cpu,
    closed_loop,
    conditions,
    figures,
    free_port,
    open_loop,
    server_cpu,
    worker_cpu,
    start_server,
    stop_server,
    table,
)

# Arabic and English names of actors the real store holds, as analysts type them
NAMES = ["الأسد", "بشار الأسد", "لافروف", "ترامب", "بوتين", "ماكرون", "Bashar al-Assad", "Donald Trump", "Lavrov"]
NAMES += ["روسيا", "سوريا", "إيران", "Russia", "France", "الحوثيين", "مجلس الأمن"]
QUERIES = ["سوريا", "سورية", "دوما", "الكيماوي", "ترامب", "روسيا", "لافروف", "مجلس الأمن", "الغوطة الشرقية"]
QUERIES += ["مصر", "عمان", "الضربة", "الحوثي", "السعودية", "إسرائيل", "Trump", "الأمم المتحدة", "طهران"]
TYPES = ["CONSULT", "ASSAULT", "ACCUSE", "REQUEST", "REJECT", "THREATEN"]
PLACES = ["Douma", "Syria", "Damascus", "دوما"]
RANGES = [
    ("2018-04-10", "2018-04-11"),
    ("2018-04-12", "2018-04-13"),
    ("2018-04-01", "2018-04-30"),
    ("2018-01-01", None),
]


def event_filters(rng: random.Random) -> dict:
    """A filter an analyst might set: an actor (often in Arabic), a type, a place, a date range."""
    f: dict = {}
    if rng.random() < 0.6:
        f["actor"] = rng.choice(NAMES)
    if rng.random() < 0.4:
        f["type"] = rng.choice(TYPES)
    if rng.random() < 0.15:
        f["place"] = rng.choice(PLACES)
    if rng.random() < 0.3:
        since, until = rng.choice(RANGES)
        f["since"] = since
        if until:
            f["until"] = until
    return f


def mix(ids: dict) -> list[tuple[int, callable]]:
    """(weight, request maker) for each kind of request: ``ids`` holds the articles' and actors' ids."""
    arts, actors = ids["articles"], ids["actors"]
    return [
        (12, lambda r: Req("GET /api/search", "/api/search", {"q": r.choice(QUERIES), "limit": 20}, "items")),
        (6, lambda r: Req("GET /search", "/search", {"q": r.choice(QUERIES)})),
        (12, lambda r: Req("GET /api/events", "/api/events", event_filters(r), "items")),
        (8, lambda r: Req("GET /events", "/events", event_filters(r))),
        (10, lambda r: Req("GET /articles/{id}", f"/articles/{r.choice(arts)}")),
        (6, lambda r: Req("GET /api/articles/{id}", f"/api/articles/{r.choice(arts)}")),
        (6, lambda r: Req("GET /actors/{id}", f"/actors/{r.choice(actors)}")),
        (5, lambda r: Req("GET /api/actor", "/api/actor", {"name": r.choice(NAMES), "limit": 50})),
        (4, lambda r: Req("GET /map", "/map", event_filters(r) if r.random() < 0.5 else {})),
        (4, lambda r: Req("GET /api/places", "/api/places", event_filters(r) if r.random() < 0.5 else {}, "items")),
        (5, lambda r: Req("GET /api/timeline", "/api/timeline", event_filters(r))),
        (4, lambda r: Req("GET /api/network", "/api/network", event_filters(r))),
        (4, lambda r: Req("GET /quotes", "/quotes", {"speaker": r.choice(NAMES)} if r.random() < 0.5 else {})),
        (3, lambda r: Req("GET /", "/", {})),
    ]


def store_ids(base: str) -> dict:
    """The articles' and the most mentioned actors' ids, through the API (200 at most of each)."""
    with httpx.Client(base_url=base, timeout=60) as c:
        arts = [a["id"] for a in c.get("/api/articles", params={"limit": 200}).json()["items"]]
        arts += [a["id"] for a in c.get("/api/articles", params={"limit": 200, "offset": 200}).json()["items"]]
        actors = [a["actor_id"] for a in c.get("/api/actors", params={"limit": 200}).json()["items"]]
    if not arts or not actors:
        raise SystemExit("the store holds no articles or no actors")
    return {"articles": arts, "actors": actors}


def picker(ids: dict, seed: int):
    """``pick(i)``: the i-th request of the sequence (the same sequence for the same seed and store)."""
    rng = random.Random(seed)
    kinds = mix(ids)
    weights = [w for w, _ in kinds]
    reqs: dict[int, Req] = {}

    def pick(i: int) -> Req:
        while len(reqs) <= i:  # drawn in order, so the sequence does not depend on the client's timing
            reqs[len(reqs)] = rng.choices(kinds, weights)[0][1](rng)
        return reqs[i]

    return pick


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="the store (built there from ../shared when absent; default: a temporary one)")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder (../shared)")
    ap.add_argument("--mode", choices=["open", "closed"], default="open")
    ap.add_argument("--rate", type=float, default=150.0, help="open loop: requests a second")
    ap.add_argument("--duration", type=float, default=30.0, help="open loop: seconds")
    ap.add_argument("--concurrency", type=int, default=32, help="closed loop: requests at a time")
    ap.add_argument("--requests", type=int, default=3000, help="closed loop: requests in all")
    ap.add_argument("--workers", type=int, default=2, help="marsad serve --workers")
    ap.add_argument("--code", default=str(ROOT), help="the checkout that serves (e.g. a worktree of an older commit)")
    ap.add_argument("--url", help="load a server already running there (e.g. under a profiler) instead of starting one")
    ap.add_argument("--serve-args", default="", help="more `marsad serve` options, e.g. '--no-cache'")
    ap.add_argument("--warmup", type=int, default=100, help="requests sent (closed loop, 8 at a time) before the clock")
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--min-rate", type=float, default=150.0, help="the bar: requests a second at least")
    ap.add_argument("--max-p95", type=float, default=250.0, help="the bar: overall p95 in ms at most")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    a = ap.parse_args()
    n_max, rate = min(a.requests, 20_000), min(a.rate, 2000.0)
    with tempfile.TemporaryDirectory(prefix="marsad-load-") as tmp:
        db = Path(a.db) if a.db else Path(tmp) / "real.duckdb"
        if not db.exists() and not a.url:
            shared = Path(a.shared)
            if not (shared / "corpus" / "ant_unlabeled.jsonl").exists():
                raise SystemExit(f"no store at {db} and no {shared}/corpus/ant_unlabeled.jsonl to build one from")
            t = time.perf_counter()
            build_real_store(db, shared)
            print(f"store: real articles from {shared} → {db} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
        port = free_port()
        proc = None if a.url else start_server(db, port, a.workers, tuple(a.serve_args.split()), Path(a.code))
        try:
            base = a.url or f"http://127.0.0.1:{port}"
            ids = store_ids(base)
            if a.warmup:  # the workers' first requests load templates, the KB, DuckDB's catalog
                warm = picker(ids, a.seed + 1)
                asyncio.run(closed_loop(base, warm, a.warmup, 8))
            pick = picker(ids, a.seed)
            before = conditions()
            cpu0, ccpu0, t0 = proc and server_cpu(proc), client_cpu(), time.perf_counter()
            w0 = worker_cpu(proc) if proc else []
            if a.mode == "open":
                res = asyncio.run(open_loop(base, pick, rate, a.duration))
            else:
                res = asyncio.run(closed_loop(base, pick, n_max, max(1, a.concurrency)))
            wall = time.perf_counter() - t0
            cpu1, ccpu1 = proc and server_cpu(proc), client_cpu()
            w1 = worker_cpu(proc) if proc else []
            after = conditions()
        finally:
            if proc is not None:
                stop_server(proc)
    fig = figures(res, wall)
    out = {
        "mode": a.mode,
        **({"offered_req_per_s": rate} if a.mode == "open" else {"concurrency": a.concurrency}),
        "workers": a.workers,
        "serve_args": a.serve_args,
        "code": a.code,
        "articles": len(ids["articles"]),
        **fig,
        "server_cpu_s": round(cpu1 - cpu0, 1) if cpu0 is not None and cpu1 is not None else None,
        "server_cpu_ms_per_request": round(1000 * (cpu1 - cpu0) / len(res), 1) if cpu0 is not None and cpu1 else None,
        "client_cpu_s": round(ccpu1 - ccpu0, 1),
        "server_processes_cpu_s": [round(b - a, 1) for a, b in zip(w0, w1)],
        "cpus": before["cpus"],
        "load_avg_before": before["load_avg"],
        "load_avg_after": after["load_avg"],
        "commit": before["commit"],
    }
    met = fig["errors"] == 0 and fig["ok_per_s"] >= a.min_rate and fig["p95_ms"] <= a.max_p95
    out["bar"] = {"min_req_per_s": a.min_rate, "max_p95_ms": a.max_p95, "met": met}
    if a.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(table(fig))
        print(json.dumps({k: v for k, v in out.items() if k != "routes"}, ensure_ascii=False))
    return 1 if fig["errors"] else 0 if met else 2


if __name__ == "__main__":
    sys.exit(main())
