"""``marsad serve --workers N``: each worker listens on its own SO_REUSEPORT socket, so the kernel
spreads connections over the workers; a worker that dies is started again; SIGTERM stops them all."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.cli.workers import BALANCED, listening_socket
from sample_store import build_store

pytestmark = pytest.mark.skipif(not BALANCED, reason="SO_REUSEPORT balancing is Linux's")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        kids = (task / "children").read_text().split()
        out += [int(k) for k in kids]
    return out


def _established_by_process(pids: list[int], port: int) -> dict[int, int]:
    """How many established TCP connections to ``port`` each process holds (from /proc)."""
    inodes = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(name):
            continue
        for line in Path(name).read_text().splitlines()[1:]:
            f = line.split()
            local_port, state, inode = int(f[1].rsplit(":", 1)[1], 16), f[3], f[9]
            if local_port == port and state == "01":  # ESTABLISHED, on the server's side
                inodes[inode] = True
    out = {}
    for pid in pids:
        n = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                n += 1
        out[pid] = n
    return out


def _get(port: int, conn: http.client.HTTPConnection | None = None) -> int:
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", "/api/stats")
    r = conn.getresponse()
    r.read()
    return r.status


def _wait_up(proc: subprocess.Popen, port: int, workers: int) -> list[int]:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        kids = _children(proc.pid)
        if len(kids) == workers:
            try:
                if _get(port) == 200:
                    return kids
            except OSError:
                pass
        time.sleep(0.2)
    pytest.fail("the workers did not start")


def test_workers_share_the_connections_restart_and_stop(tmp_path):
    db = build_store(tmp_path / "s.duckdb", synthetic=0)
    port = _free_port()
    cmd = [sys.executable, "-m", "marsad.cli", "serve", "--db", str(db), "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(cmd + ["--rate-limit", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        kids = _wait_up(proc, port, 2)
        # 24 keep-alive connections opened together: a shared socket let one worker take them all
        conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=20) for _ in range(24)]
        for c in conns:
            c.connect()
        assert all(_get(port, c) == 200 for c in conns)
        held = _established_by_process(kids, port)
        assert sum(held.values()) == 24 and all(n > 0 for n in held.values()), held
        for c in conns:
            c.close()

        os.kill(kids[0], signal.SIGKILL)  # a worker dies: the supervisor starts another
        deadline = time.monotonic() + 90
        while True:
            now = _children(proc.pid)
            if len(now) == 2 and kids[0] not in now:
                break
            assert time.monotonic() < deadline, now
            time.sleep(0.2)
        kids = _wait_up(proc, port, 2)
        assert all(_get(port) == 200 for _ in range(8))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 0
    assert all(not Path(f"/proc/{k}").exists() for k in kids)
    assert f":{port}/" in proc.stdout.read()  # the address is announced


def test_a_port_taken_is_a_clear_error(tmp_path):
    db = build_store(tmp_path / "s.duckdb", synthetic=0)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cmd = [sys.executable, "-m", "marsad.cli", "serve", "--db", str(db), "--port", str(port), "--workers", "2"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "cannot listen" in r.stderr, r.stderr


def test_listening_socket_joins_a_group_of_its_own_kind():
    a = listening_socket("127.0.0.1", 0)
    try:
        port = a.getsockname()[1]
        b = listening_socket("127.0.0.1", port)  # SO_REUSEPORT on both: the second joins
        b.close()
    finally:
        a.close()
