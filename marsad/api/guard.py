"""What every request passes before a route: the ``Host`` allow-list (against DNS rebinding), a token
bucket per client address (429 with ``Retry-After``), and ``HEAD`` answered as ``GET`` without a body;
past the response cache (:mod:`.cache`), a bound on the requests under way (503 with ``Retry-After``).

All three are pure ASGI middleware (no per-response stream wrapping).  Their state (the allowed names,
the buckets) lives on objects the application keeps in ``app.state``, never in this module.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Callable, Iterable, Optional

# always allowed: a browser page can only name these for a loopback server by being on this machine
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
# binding to these means "every interface": they name no host a client would send
WILDCARD_BINDS = ("0.0.0.0", "::", "")


def host_name(header: str) -> str:
    """The name of a ``Host`` header, lower-case, without port, IPv6 brackets or trailing dot:
    ``'[::1]:8000'`` → ``'::1'``, ``'Example.org.:80'`` → ``'example.org'``."""
    h = header.strip().lower()
    if h.startswith("["):
        end = h.find("]")
        return h[1:end] if end > 0 else ""
    if h.count(":") == 1:
        h = h.split(":", 1)[0]
    return h.rstrip(".")


class HostPolicy:
    """The host names a request may name: the loopback names, plus ``allowed`` (exact names, ``*.domain``
    for its subdomains; ``*`` lets every name through)."""

    def __init__(self, allowed: Optional[Iterable[str]] = None):
        self.names = set(LOOPBACK_HOSTS)
        self.suffixes: list[str] = []
        self.any = False
        for a in allowed or ():
            name = a.strip().lower() if a.strip() == "*" or a.strip().startswith("*.") else host_name(a)
            if name == "*":
                self.any = True
            elif name.startswith("*."):
                self.suffixes.append(name[1:])
            elif name:
                self.names.add(name)

    def allows(self, header: Optional[str]) -> bool:
        if self.any:
            return True
        if not header:
            return False
        name = host_name(header)
        return name in self.names or any(name.endswith(s) for s in self.suffixes)


class RateLimiter:
    """A token bucket per client address: ``rate`` requests a second sustained, ``burst`` at once
    (default three seconds' worth).  Each process of ``serve --workers N`` has its own."""

    MAX_CLIENTS = 10_000  # buckets kept; full ones are dropped first, then the longest idle

    def __init__(self, rate: float, burst: Optional[int] = None, clock: Callable[[], float] = time.monotonic):
        if rate <= 0:
            raise ValueError("rate must be > 0 (no limiter at all for none)")
        self.rate = float(rate)
        self.burst = max(1, int(burst if burst is not None else math.ceil(3 * rate)))
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when counted)
        self.lock = threading.Lock()

    def take(self, client: str) -> float:
        """Spend one token of ``client``'s bucket: 0.0 when the request may go on, else the seconds
        until it could."""
        now = self.clock()
        with self.lock:
            tokens, then = self.buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            if tokens >= 1.0:
                self.buckets[client] = (tokens - 1.0, now)
                if len(self.buckets) > self.MAX_CLIENTS:
                    self.prune(now)
                return 0.0
            self.buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def prune(self, now: float) -> None:
        """Forget the buckets that are full again (they would start full anyway), then, if still too
        many, the longest idle."""
        full = [c for c, (t, then) in self.buckets.items() if t + (now - then) * self.rate >= self.burst]
        for c in full:
            del self.buckets[c]
        if len(self.buckets) > self.MAX_CLIENTS:
            keep = sorted(self.buckets.items(), key=lambda kv: kv[1][1])[-(self.MAX_CLIENTS // 2) :]
            self.buckets = dict(keep)


# (scope, status, message, extra headers) -> an ASGI response (JSON under /api/, else the error page)
Refuse = Callable[[dict, int, str, dict], Callable]


class Guard:
    """Refuses a request whose ``Host`` the policy does not allow (400), then one over its client's
    rate (429 with ``Retry-After``); passes the others on untouched."""

    def __init__(self, app, hosts: HostPolicy, limiter: Optional[RateLimiter], refuse: Refuse):
        self.app, self.hosts, self.limiter, self.refuse = app, hosts, limiter, refuse

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if not self.hosts.any:
            host = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), None)
            if not self.hosts.allows(host):
                msg = f"host {host!r} is not served here (marsad serve --allow-host NAME allows it)"
                return await self.refuse(scope, 400, msg, {})(scope, receive, send)
        if self.limiter is not None:
            client = (scope.get("client") or ("?", 0))[0]
            wait = self.limiter.take(client)
            if wait > 0:
                secs = max(1, math.ceil(wait))
                msg = f"too many requests from {client}: at most {self.limiter.rate:g}/s; retry in {secs} s"
                return await self.refuse(scope, 429, msg, {"Retry-After": str(secs)})(scope, receive, send)
        await self.app(scope, receive, send)


class Shed:
    """Sheds load instead of queueing it: at most ``max_pending`` requests of this process are under
    way (running or waiting for a thread) at once; one more is answered at once with 503 and
    ``Retry-After`` (a client's retry later costs less than a queue that grows until every request
    times out).  Counted on the event loop's thread only: no lock."""

    def __init__(self, app, max_pending: int, refuse: Refuse, retry_after: int = 1):
        self.app, self.max_pending, self.refuse, self.retry_after = app, max_pending, refuse, retry_after
        self.pending = 0
        self.shed = 0  # requests answered 503 so far

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.max_pending <= 0:
            return await self.app(scope, receive, send)
        if self.pending >= self.max_pending:
            self.shed += 1
            msg = f"the server is busy ({self.pending} requests under way); retry in {self.retry_after} s"
            return await self.refuse(scope, 503, msg, {"Retry-After": str(self.retry_after)})(scope, receive, send)
        self.pending += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.pending -= 1


class HeadAsGet:
    """Answers ``HEAD`` on any route as ``GET`` would, headers (``content-length`` included) without
    the body.  The application sees a ``GET``; the server still knows the request was a ``HEAD``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, headers_only)


class EmptyFieldsAsAbsent:
    """A page's filter form sends every field, the empty ones as ``until=``: on the pages (not under
    ``/api/``) an empty query parameter is dropped before the route reads it, so an empty date or
    outlet field means "no filter" rather than a malformed value (422)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        qs = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if qs and not scope.get("path", "").startswith("/api/"):
            parts = [p for p in qs.split(b"&") if p and not p.endswith(b"=")]
            if len(parts) != qs.count(b"&") + 1:
                scope = dict(scope, query_string=b"&".join(parts))
        await self.app(scope, receive, send)
