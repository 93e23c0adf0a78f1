"""Reading while writing: what readers cost a run, how long they wait, and how fresh their view is.

    python bench/read_while_write.py                       # 1,000 articles of ../shared/corpus/ant_bench.jsonl
    python bench/read_while_write.py --articles 2000 --repeat 2 --json

Three figures (run from the repository root; generated articles when ../shared is absent):
- open cost: a read-only open + close of the store (what each CLI command pays once), against a
  cursor of a connection kept open (what a server request pays), median of 50 each;
- the run alone against the run while `marsad serve` (127.0.0.1, a free port) answers a client
  (one request at a time, /api/articles and /api/search in turn, ``--rate`` requests/s; 0: no
  pause): articles/s and the run's CPU per article (its workers included) of each, alternating,
  ``--repeat`` times;
- during the run with the server: request latency (p50/p95/max), errors, and the staleness of what
  the readers see: from each batch's commit (the run's log line) to the first request that began
  after it and saw it;
- the writer alone (CPU per article): one connection for the whole run, as before readers could
  share the store, against taking turns with no reader about and with a reader always waiting.

Every loop is bounded: at most 20,000 requests and 900 s in all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
BENCH = SHARED / "corpus" / "ant_bench.jsonl"
CLI = [sys.executable, "-m", "marsad.cli"]
COMMITTED = re.compile(r"batch committed: \d+ new, (\d+) stored so far")
MAX_REQUESTS, TOTAL_TIMEOUT = 20_000, 900.0
SEED = 50  # articles in the store before the measured run (the server needs a store to start on)


def corpus(tmp: Path, n: int) -> Path:
    out = tmp / "corpus.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        if BENCH.exists():
            with open(BENCH, encoding="utf-8") as src:
                for k, line in enumerate(src):
                    if k >= n + SEED:
                        break
                    f.write(line)
        else:  # our own sentences, varied so that no two articles are duplicates
            words = ["التقى", "وزير", "الخارجية", "نظيره", "في", "دمشق", "وبحث", "الجانبان", "الأوضاع", "في", "سورية"]
            for i in range(n + SEED):
                body = " ".join(words[(i + k) % len(words)] for k in range(40)) + f" رقم {i}."
                f.write(
                    json.dumps(
                        {"id": f"g{i}", "title": f"خبر {i}", "text": body, "published": "2020-01-02"},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return out


def split(path: Path) -> tuple[Path, Path]:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    seed, rest = path.with_name("seed.jsonl"), path.with_name("rest.jsonl")
    seed.write_text("".join(lines[:SEED]), encoding="utf-8")
    rest.write_text("".join(lines[SEED:]), encoding="utf-8")
    return seed, rest


def open_cost(db: Path) -> dict:
    import duckdb

    def med(f, n=50):
        xs = []
        for _ in range(n):
            t0 = time.perf_counter()
            f()
            xs.append((time.perf_counter() - t0) * 1000)
        return round(statistics.median(xs), 3)

    def fresh():
        con = duckdb.connect(str(db), read_only=True)
        con.execute("SELECT count(*) FROM articles").fetchall()
        con.close()

    out = {"fresh_open_query_close_ms": med(fresh)}  # first: no connection of this process is open
    kept = duckdb.connect(str(db), read_only=True)

    def cursor():
        cur = kept.cursor()
        cur.execute("SELECT count(*) FROM articles").fetchall()
        cur.close()

    out["cursor_query_close_ms"] = med(cursor)
    kept.close()
    return out


def writer_cost(rest: Path, batch_size: int, repeat: int = 4) -> dict:
    """CPU of the store's writer alone (the corpus processed once, its rows written again and again),
    ms per article, medians of ``repeat``: one connection for the whole run (as before turns were
    taken), turns with no reader about, and turns with a reader always waiting (a close, which
    checkpoints, and a reopen per batch)."""
    from marsad.run.local import process_stream
    from marsad.run import RunOptions
    from marsad.ingest import read_inputs
    from marsad.store.access import WriteAccess
    from marsad.store.db import Rows, Writer, connect

    rows = [r for r in process_stream(read_inputs([str(rest)]), RunOptions(workers=0)) if isinstance(r, Rows)]

    def one_connection(db):
        con = connect(db)
        w = Writer(con, "bench", batch_size)
        for r in rows:
            w.add(r)
        w.flush()
        con.close()

    def turns(db, waiting: bool):
        with WriteAccess(db) as acc:
            if waiting:
                acc.readers_waiting = lambda: True
            w = Writer(acc, "bench", batch_size)
            for r in rows:
                w.add(r)
            w.flush()

    modes = {
        "one_connection": one_connection,
        "turns_no_reader": lambda db: turns(db, False),
        "turns_reader_waiting": lambda db: turns(db, True),
    }
    cpu: dict[str, list[float]] = {m: [] for m in modes}
    with tempfile.TemporaryDirectory(prefix="marsad-writer-") as tmp:
        for k in range(repeat):
            for m, f in modes.items():  # alternating
                t0 = time.process_time()
                f(Path(tmp) / f"{m}{k}.duckdb")
                cpu[m].append(time.process_time() - t0)
    return {
        "articles": len(rows),
        **{m: round(1000 * statistics.median(v) / max(1, len(rows)), 3) for m, v in cpu.items()},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seeded_store(tmp: Path, name: str, seed: Path) -> Path:
    db = tmp / f"{name}.duckdb"
    subprocess.run(
        CLI + ["run", str(seed), "--db", str(db), "--quiet", "--workers", "1"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return db


def timed_run(db: Path, rest: Path, a, commits: list | None = None) -> tuple[float, subprocess.Popen]:
    cmd = CLI + ["-v", "run", str(rest), "--db", str(db), "--quiet", "--batch-size", str(a.batch_size)]
    if a.workers:
        cmd += ["--workers", str(a.workers)]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def read():
        for line in p.stderr:
            m = COMMITTED.search(line)
            if m and commits is not None:
                commits.append((time.monotonic(), int(m.group(1))))

    t = threading.Thread(target=read, daemon=True)
    t.start()
    return t0, p


def alive(p: subprocess.Popen) -> bool:
    """Whether the run is still going (without reaping it: :func:`finish` needs its CPU figures)."""
    return os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None


def finish(p: subprocess.Popen, t0: float) -> tuple[float, int, float]:
    """Wall seconds, articles stored and CPU seconds of the run (its worker processes included)."""
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    m = re.search(r"(\d+) stored", out)
    if p.returncode != 0 or not m:
        raise SystemExit(f"the run failed ({p.returncode}): {out[-500:]}")
    return wall, int(m.group(1)), ru.ru_utime + ru.ru_stime


def with_server(db: Path, rest: Path, a) -> dict:
    import httpx

    port = free_port()
    srv = subprocess.Popen(
        CLI + ["serve", "--db", str(db), "--port", str(port), "--rate-limit", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/articles", params={"limit": 1}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or srv.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
        base_n = httpx.get(base + "/api/articles", params={"limit": 1}, timeout=10).json()["total"]
        commits: list[tuple[float, int]] = []
        t0, run = timed_run(db, rest, a, commits)
        seen, lat, errors = [], [], 0
        end = time.monotonic() + TOTAL_TIMEOUT
        next_at = time.monotonic()
        with httpx.Client(base_url=base, timeout=60) as c:
            for _ in range(MAX_REQUESTS // 2):
                if not alive(run) or time.monotonic() > end:
                    break
                if a.rate:
                    time.sleep(max(0.0, next_at - time.monotonic()))
                    next_at = max(next_at, time.monotonic() - 1.0) + 2.0 / a.rate
                began = time.monotonic()
                r = c.get("/api/articles", params={"limit": 1})
                lat.append(time.monotonic() - began)
                if r.status_code == 200:
                    seen.append((began, r.json()["total"]))
                else:
                    errors += 1
                s0 = time.monotonic()
                r = c.get("/api/search", params={"q": "سوريا", "limit": 10})
                lat.append(time.monotonic() - s0)
                errors += r.status_code != 200
        wall, stored, cpu = finish(run, t0)
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.kill()
    stale = []  # from the moment the commit's log line was read (the commit is a little earlier)
    for at, k in commits:
        later = [t for t, n in seen if t >= at and n >= base_n + k]
        if later:
            stale.append(later[0] - at)
    lat_ms = sorted(x * 1000 for x in lat)
    return {
        "wall_s": round(wall, 2),
        "stored": stored,
        "articles_per_s": round(stored / wall, 1),
        "cpu_ms_per_article": round(1000 * cpu / stored, 2),
        "requests": len(lat),
        "errors": errors,
        "latency_ms": {
            "p50": round(statistics.median(lat_ms), 1) if lat_ms else None,
            "p95": round(lat_ms[int(0.95 * (len(lat_ms) - 1))], 1) if lat_ms else None,
            "max": round(lat_ms[-1], 1) if lat_ms else None,
        },
        "batches": len(commits),
        "store_before_run": base_n,
        "staleness_s": {
            "median": round(statistics.median(stale), 2) if stale else None,
            "max": round(max(stale), 2) if stale else None,
            "batches_measured": len(stale),
        },
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--workers", type=int, default=0, help="run processes (0 = all cores)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument(
        "--rate",
        type=float,
        default=20.0,
        help="requests/s the client makes during the run (0: one after another, no pause)",
    )
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    results: dict = {
        "articles": a.articles,
        "batch_size": a.batch_size,
        "rate": a.rate,
        "cpus": os.cpu_count(),
        "alone": [],
        "with_server": [],
    }
    with tempfile.TemporaryDirectory(prefix="marsad-rww-") as tmp:
        tmp = Path(tmp)
        seed, rest = split(corpus(tmp, a.articles))
        for k in range(max(1, a.repeat)):
            db = seeded_store(tmp, f"alone{k}", seed)
            t0, p = timed_run(db, rest, a)
            wall, stored, cpu = finish(p, t0)
            results["alone"].append(
                {
                    "wall_s": round(wall, 2),
                    "stored": stored,
                    "articles_per_s": round(stored / wall, 1),
                    "cpu_ms_per_article": round(1000 * cpu / stored, 2),
                }
            )
            if k == 0:
                results["open_cost"] = open_cost(db)
            results["with_server"].append(with_server(seeded_store(tmp, f"served{k}", seed), rest, a))
        results["writer_cpu_ms_per_article"] = writer_cost(rest, a.batch_size)
    if a.json:
        print(json.dumps(results, ensure_ascii=False))
        return 0
    oc, wc = results["open_cost"], results["writer_cpu_ms_per_article"]
    print(
        f"open cost: fresh read-only open+query+close {oc['fresh_open_query_close_ms']} ms, "
        f"cursor of an open connection {oc['cursor_query_close_ms']} ms (medians of 50)"
    )
    for alone, served in zip(results["alone"], results["with_server"]):
        print(
            f"run of {alone['stored']} articles alone: {alone['articles_per_s']} articles/s, "
            f"{alone['cpu_ms_per_article']} ms CPU/article; with the server answering: "
            f"{served['articles_per_s']} articles/s, {served['cpu_ms_per_article']} ms CPU/article"
        )
        print(
            f"  server during the run: {served['requests']} requests, {served['errors']} errors, latency "
            f"p50 {served['latency_ms']['p50']} / p95 {served['latency_ms']['p95']} / max "
            f"{served['latency_ms']['max']} ms"
        )
        st = served["staleness_s"]
        print(
            f"  staleness: a batch is seen {st['median']} s after its commit (median; max {st['max']}; "
            f"{st['batches_measured']} of {served['batches']} batches)"
        )
    print(
        f"the writer alone ({wc['articles']} articles, ms CPU/article, medians of 4): one connection "
        f"{wc['one_connection']}, turns with no reader {wc['turns_no_reader']}, turns with a reader always "
        f"waiting {wc['turns_reader_waiting']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
