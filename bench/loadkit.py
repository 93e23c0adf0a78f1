"""What the load checks share (bench/load_search.py, bench/load_mixed.py): a store to serve, `marsad serve`
in a subprocess on a free loopback port, an HTTP client in this process (httpx, asyncio) that fires
requests in a closed loop (N at a time, back to back: the most the server gives) or an open loop (a
fixed rate, whatever the answers take: queueing shows as latency), and the figures (requests/s,
errors, p50/p95/p99 per route and overall, the CPU time of the server and of the client, the load
average of the machine before and after).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
REQUEST_TIMEOUT = 10.0  # s: an answer slower than this counts as an error (the client gave up)


@dataclass(frozen=True)
class Req:
    route: str  # the route's pattern, e.g. "GET /articles/{id}": the figures are grouped by it
    path: str
    params: Optional[dict] = None
    json_list: Optional[str] = None  # a JSON answer must hold a list under this key


# --- the store -----------------------------------------------------------------------------------
def build_real_store(db: Path, shared: Path) -> Path:
    """The store of real articles the browser tests use (tests/real_store.py: ``marsad run`` over the
    ANT articles of 10-13 April 2018 outside the reserved ids, 426 articles)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from real_store import build_real_store as build

    db.parent.mkdir(parents=True, exist_ok=True)
    return build(db, shared)


def build_sample_store(db: Path, synthetic: int) -> Path:
    """Generated articles and the hand-written samples (tests/sample_store.py)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from sample_store import build_store

    build_store(db, synthetic=synthetic)
    return db


# --- the server ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    db: Path, port: int, workers: int = 1, extra: tuple[str, ...] = (), code: Path = ROOT
) -> subprocess.Popen:
    """``marsad serve`` on 127.0.0.1:``port``, answering ``/api/stats`` (waits at most 60 s); ``code``:
    the checkout whose ``marsad`` serves (another commit's worktree, for a before/after comparison)."""
    cmd = [sys.executable, "-m", "marsad.cli", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(workers), "--rate-limit", "0", *extra]  # one client: a per-client limit would refuse it
    env = dict(os.environ, PYTHONPATH=str(code))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=code, env=env)
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
    stop_server(proc)
    raise SystemExit("the server did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def server_cpu(proc: subprocess.Popen) -> Optional[float]:
    """CPU seconds the server and its worker processes have used so far (None without psutil)."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        p = psutil.Process(proc.pid)
        total = 0.0
        for q in [p, *p.children(recursive=True)]:
            t = q.cpu_times()
            total += t.user + t.system
        return total
    except psutil.Error:
        return None


def worker_cpu(proc: subprocess.Popen) -> list[float]:
    """CPU seconds of each process of the server (the supervisor first), to see how the load spread."""
    try:
        import psutil

        p = psutil.Process(proc.pid)
        return [round(sum(q.cpu_times()[:2]), 1) for q in [p, *p.children(recursive=True)]]
    except (ImportError, Exception):
        return []


def client_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# --- the client ----------------------------------------------------------------------------------
# A small HTTP/1.1 client on asyncio streams, keep-alive, one request at a time per connection: httpx's
# pool spends CPU quadratic in the requests waiting for a connection (an open loop that falls behind
# had the client itself take a core), and the client shares the machine with the server.
# route, latency s, outcome ("200" or the error), bytes, start s, answered from the server's cache
Result = tuple[str, float, str, int, float, bool]


class Conn:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def get(self, target: str) -> tuple[int, dict, bytes]:
        for attempt in (0, 1):  # a kept-alive connection the server closed meanwhile: once more on a new one
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: */*\r\n\r\n".encode())
            try:
                await self.writer.drain()
                line = await self.reader.readline()
            except (ConnectionError, OSError):
                line = b""
            if line:
                break
            await self.close()
            if fresh or attempt:
                raise ConnectionError("the server closed the connection")
        status = int(line.split()[1])
        headers: dict = {}
        while (h := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            k, _, v = h.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while (size := int((await self.reader.readline()).split(b";")[0], 16)) > 0:
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body


def target(req: Req) -> str:
    return req.path + ("?" + urlencode(req.params) if req.params else "")


async def _one(conn: Conn, req: Req, t_sched: float, t_start: float) -> Result:
    """``req`` on ``conn``; the latency counts from ``t_sched`` (when it was due), so time spent waiting
    for a free connection counts too."""
    left = t_sched + REQUEST_TIMEOUT - time.perf_counter()
    try:
        if left <= 0:
            raise asyncio.TimeoutError
        status, headers, body = await asyncio.wait_for(conn.get(target(req)), left)
        ok = status == 200
        if ok and req.json_list is not None:
            ok = isinstance(json.loads(body).get(req.json_list), list)
        hit = headers.get("x-marsad-cache") == "hit"
        return (
            req.route,
            time.perf_counter() - t_sched,
            "200" if ok else f"HTTP {status}",
            len(body),
            t_sched - t_start,
            hit,
        )
    except (asyncio.TimeoutError, ConnectionError, OSError, ValueError, IndexError, asyncio.IncompleteReadError) as e:
        await conn.close()  # a connection left mid-answer cannot be reused
        kind = "timeout" if isinstance(e, asyncio.TimeoutError) else type(e).__name__
        return req.route, time.perf_counter() - t_sched, kind, 0, t_sched - t_start, False


async def closed_loop(base: str, pick: Callable[[int], Req], n: int, concurrency: int) -> list[Result]:
    """``n`` requests over ``concurrency`` connections, each sending its next as soon as it is answered."""
    host, port = _host_port(base)
    out: list[Result] = []
    nxt = iter(range(n))
    t_start = time.perf_counter()

    async def worker():
        conn = Conn(host, port)
        for i in nxt:
            out.append(await _one(conn, pick(i), time.perf_counter(), t_start))
        await conn.close()

    await asyncio.gather(*(worker() for _ in range(max(1, min(concurrency, n)))))
    return out


async def open_loop(
    base: str, pick: Callable[[int], Req], rate: float, duration: float, connections: int = 128
) -> list[Result]:
    """``rate`` requests a second for ``duration`` seconds, each due at its time whether or not the
    ones before it were answered, over at most ``connections`` connections (a request due while all
    are busy waits for one, and the wait counts in its latency: a server that falls behind shows it
    as latency, not as a lower request rate)."""
    host, port = _host_port(base)
    n = max(1, int(rate * duration))
    queue: asyncio.Queue = asyncio.Queue()
    out: list[Result] = []
    t_start = time.perf_counter()

    async def worker():
        conn = Conn(host, port)
        while (item := await queue.get()) is not None:
            out.append(await _one(conn, item[0], item[1], t_start))
        await conn.close()

    workers = [asyncio.create_task(worker()) for _ in range(connections)]
    for i in range(n):
        due = t_start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((pick(i), due))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return out


def _host_port(base: str) -> tuple[str, int]:
    u = urlsplit(base)
    return u.hostname or "127.0.0.1", u.port or 80


# --- the figures ---------------------------------------------------------------------------------
def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


def figures(results: list[Result], wall: float) -> dict:
    """Requests/s, errors and latency (ms) overall and per route."""

    def summary(rs: list[Result]) -> dict:
        lat = [r[1] * 1000 for r in rs]
        errs = [r[2] for r in rs if r[2] != "200"]
        return {
            "requests": len(rs),
            "errors": len(errs),
            "error_kinds": sorted(set(errs)),
            "p50_ms": round(statistics.median(lat), 1),
            "p95_ms": round(pct(lat, 95), 1),
            "p99_ms": round(pct(lat, 99), 1),
            "max_ms": round(max(lat), 1),
            "kb_mean": round(sum(r[3] for r in rs) / len(rs) / 1024, 1),
            "cache_hits": round(sum(r[5] for r in rs) / len(rs), 2),
        }

    by_route: dict[str, list[Result]] = {}
    for r in results:
        by_route.setdefault(r[0], []).append(r)
    return {
        **summary(results),
        "wall_s": round(wall, 2),
        "req_per_s": round(len(results) / wall, 1),  # answered, errors included
        "ok_per_s": round(sum(r[2] == "200" for r in results) / wall, 1),
        "routes": {k: summary(v) for k, v in sorted(by_route.items())},
    }


def table(fig: dict) -> str:
    """The figures as a Markdown table, one row per route and the overall row last."""
    head = (
        "| route | requests | errors | p50 ms | p95 ms | p99 ms | max ms | KB | cached |\n"
        + "| --- "
        + "| ---: " * 8
        + "|"
    )
    rows = [head]
    for name, s in [*fig["routes"].items(), ("**all**", fig)]:
        rows.append(
            f"| {name} | {s['requests']} | {s['errors']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} "
            f"| {s['max_ms']} | {s['kb_mean']} | {s['cache_hits']:.0%} |"
        )
    return "\n".join(rows)


def conditions() -> dict:
    """What the machine was doing: its CPUs and load averages (1, 5, 15 min), the commit measured."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return {"cpus": os.cpu_count(), "load_avg": [round(x, 2) for x in os.getloadavg()], "commit": commit}
