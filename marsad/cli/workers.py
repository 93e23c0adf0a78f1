"""Worker processes for ``marsad serve --workers N`` that share the load evenly.

uvicorn's own ``--workers`` has every process accept on one shared socket: the first process to
wake takes every connection waiting (a keep-alive client's connections usually arrive together),
so one worker could serve nearly all of a load while the other idled (measured: 12.7 against 0.1
CPU seconds).  On Linux each worker here listens on its own socket with ``SO_REUSEPORT`` on the
same address, and the kernel spreads new connections over the sockets by a hash of the client's
address and port.  Elsewhere (no ``SO_REUSEPORT`` balancing) uvicorn's workers are used.

The supervisor starts the workers (each a fresh interpreter: ``python -m marsad.cli.workers``, with
the supervisor's environment), starts again a worker that dies while serving, and on SIGINT/SIGTERM
asks every worker to stop and waits for it.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

BALANCED = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
RESTARTS_PER_MINUTE = 5  # a worker that keeps dying at start is not started again forever


def listening_socket(host: str, port: int, listen: bool = True) -> socket.socket:
    """A TCP socket bound to host:port with SO_REUSEPORT (listening unless ``listen`` is False)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind((host, port))
        if listen:
            sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def _worker(app: str, host: str, port: int, log_level: str) -> None:
    import uvicorn

    sock = listening_socket(host, port)
    config = uvicorn.Config(app, factory=True, host=host, port=port, log_level=log_level)
    uvicorn.Server(config).run(sockets=[sock])


def run_workers(app: str, host: str, port: int, workers: int, log_level: str, announce=None) -> int:
    """Serve the app factory ``app`` ("module:function") with ``workers`` processes on host:port, until
    SIGINT or SIGTERM; returns the exit code.  Raises OSError if the address cannot be bound.
    ``announce(port)`` is called with the port bound (the one picked, for port 0) before serving."""
    # Bound, not listening: checks the address (and picks the port for port 0) without taking
    # connections; kept until the workers listen, so nothing else takes the port meanwhile.
    probe = listening_socket(host, port, listen=False)
    port = probe.getsockname()[1]
    if announce is not None:
        announce(port)
    stopping = False

    def start() -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "marsad.cli.workers", app, host, str(port), log_level])

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    procs = [start() for _ in range(workers)]
    probe.close()
    restarts: list[float] = []
    code = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for i, p in enumerate(procs):
                if p.poll() is None or stopping:
                    continue
                now = time.monotonic()
                restarts = [t for t in restarts if now - t < 60] + [now]
                if len(restarts) > RESTARTS_PER_MINUTE:
                    stopping, code = True, 1
                    break
                procs[i] = start()
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for s, h in old.items():
            signal.signal(s, h)
    return code


if __name__ == "__main__":  # one worker: python -m marsad.cli.workers APP HOST PORT LOG_LEVEL
    _worker(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
