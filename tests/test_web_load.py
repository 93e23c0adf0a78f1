"""The server under load: whole answers kept in memory while the store does not change (never a stale
one once a run has committed a batch), and load shed with 503 + Retry-After instead of queued.
No timing here: the speed goals live in bench/load_mixed.py."""

import asyncio
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from browser_kit import serving
from marsad.api import create_app
from marsad.api.cache import ResponseCache
from marsad.store.access import WriteAccess
from marsad.store.shared import SharedReader
from test_read_while_write import cli, other_corpus
from test_scale import make_corpus

CACHE = "x-marsad-cache"
STEPS = ("--quiet", "--steps", "segment")  # enough for articles, search and pages; fast


def small_store(tmp_path, n=10):
    db = tmp_path / "s.duckdb"
    r = cli("run", str(make_corpus(tmp_path / "a.jsonl", n, bad=False)), "--db", str(db), "--workers", "1", *STEPS)
    assert r.returncode == 0, r.stderr
    return db


def test_a_new_batch_shows_up_in_answers_kept_in_memory(tmp_path):
    """Answers come from memory while the store is unchanged; once `marsad run` commits new articles
    while the app is up, every page and API answer shows them (no stale answer is served)."""
    db = small_store(tmp_path)
    app = create_app(db, allowed_hosts=["testserver"], rate_limit=0)
    urls = ["/api/articles?limit=1", "/api/stats", "/", "/api/search?q=الجديد", "/search?q=الجديد", "/events"]
    with TestClient(app) as c:
        before = {u: c.get(u) for u in urls}
        again = {u: c.get(u) for u in urls}
        for u in urls:
            assert before[u].status_code == 200, u
            assert before[u].headers[CACHE] == "miss" and again[u].headers[CACHE] == "hit", u
            assert again[u].content == before[u].content, u
            assert again[u].headers["content-security-policy"], u  # the security headers on a kept answer too
        assert before["/api/articles?limit=1"].json()["total"] == 10
        assert before["/api/search?q=الجديد"].json()["items"] == []

        second = cli("run", str(other_corpus(tmp_path / "b.jsonl", 30)), "--db", str(db), "--workers", "1", *STEPS)
        assert second.returncode == 0 and "30 stored" in second.stdout, second.stderr

        after = {u: c.get(u) for u in urls}
        assert all(r.status_code == 200 for r in after.values())
        assert all(r.headers.get(CACHE) != "hit" for r in after.values())
        assert after["/api/articles?limit=1"].json()["total"] == 40
        assert after["/api/stats"].json() != before["/api/stats"].json()
        assert len(after["/api/search?q=الجديد"].json()["items"]) > 0
        assert "b1" in after["/search?q=الجديد"].text and "b1" not in before["/search?q=الجديد"].text
        assert after["/"].text != before["/"].text
        assert c.get("/api/articles/b3").status_code == 200
        # kept again under the new generation
        c.get("/api/stats")
        kept = c.get("/api/stats")
        assert kept.headers[CACHE] == "hit" and kept.json() == after["/api/stats"].json()


def test_a_writable_store_is_never_cached(tmp_path):
    db = small_store(tmp_path, 3)
    app = create_app(db, read_only=False, allowed_hosts=["testserver"], rate_limit=0)
    with TestClient(app) as c:
        assert c.get("/api/stats").headers.get(CACHE) is None
        assert c.get("/api/stats").headers.get(CACHE) is None


def test_the_store_generation_moves_on_when_a_writer_comes(tmp_path):
    """The generation stays while no writer comes, is None while one wants the store, and is new
    (never an old one again) once the reader opened the store after the write."""
    db = tmp_path / "s.duckdb"
    with WriteAccess(db) as w, w.connection() as con:
        con.execute("INSERT INTO meta VALUES ('n', '0')")
    reader = SharedReader(db)
    try:
        g0 = reader.generation()
        with reader.connection() as cur:
            cur.execute("SELECT 1").fetchall()
        assert g0 is not None and reader.generation() == g0
        with WriteAccess(db) as w2:
            with w2.connection() as c2:  # waits until the idle shared connection is given up
                assert reader.generation() is None
                c2.execute("UPDATE meta SET value = '1' WHERE key = 'n'")
        assert reader.generation() is None  # the shared connection was closed: nothing to vouch for
        with reader.connection() as cur:
            assert cur.execute("SELECT value FROM meta WHERE key = 'n'").fetchone() == ("1",)
        g1 = reader.generation()
        assert g1 is not None and g1 > g0
    finally:
        reader.close()
    assert reader.generation() is None


# --- the cache on its own: a toy ASGI app whose answer is a counter --------------------------------
class Toy:
    def __init__(self):
        self.calls = 0
        self.during = None  # called while an answer is computed (to move the generation)

    async def __call__(self, scope, receive, send):
        self.calls += 1
        if self.during:
            self.during()
        path = scope["path"]
        status = 404 if path == "/missing" else 200
        headers = [(b"content-type", b"text/plain")]
        if path == "/private":
            headers.append((b"cache-control", b"no-store"))
        if path == "/cookie":
            headers.append((b"set-cookie", b"a=b"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        body = f"{path} {self.calls}".encode()
        if path == "/stream":
            await send({"type": "http.response.body", "body": body, "more_body": True})
            await send({"type": "http.response.body", "body": b"!", "more_body": False})
        else:
            await send({"type": "http.response.body", "body": body, "more_body": False})


def fetch(app, path, method="GET", headers=()):
    async def go():
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(m):
            sent.append(m)

        scope = {"type": "http", "method": method, "path": path, "query_string": b"", "headers": list(headers)}
        await app(scope, receive, send)
        hdrs = dict(sent[0]["headers"])
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), hdrs.get(CACHE.encode())

    return asyncio.run(go())


def test_the_cache_keeps_only_what_it_may():
    gen = {"n": 1}
    toy = Toy()
    cache = ResponseCache(toy, generation=lambda: gen["n"], max_bytes=10_000)
    assert fetch(cache, "/a") == (200, b"/a 1", b"miss")
    assert fetch(cache, "/a") == (200, b"/a 1", b"hit")
    # another Host, cookie or language is another answer
    assert fetch(cache, "/a", headers=[(b"host", b"other")])[1] == b"/a 2"
    assert fetch(cache, "/a", headers=[(b"accept-language", b"ar")])[1] == b"/a 3"
    # never kept: errors, no-store, Set-Cookie, streamed bodies, other methods
    for path in ("/missing", "/private", "/cookie", "/stream"):
        first, second = fetch(cache, path), fetch(cache, path)
        assert second[2] == b"miss" and first[1] != second[1], path
    assert fetch(cache, "/a", method="POST")[2] is None
    # a new generation: the old answers are gone
    gen["n"] = 2
    assert fetch(cache, "/a")[2] == b"miss"
    # an answer computed while the generation moved is not kept
    toy.during = lambda: gen.update(n=gen["n"] + 1)
    assert fetch(cache, "/b")[2] == b"miss"
    toy.during = None
    assert fetch(cache, "/b")[2] == b"miss"
    # no generation (a writer wants the store): nothing served from memory, nothing kept
    gen["n"] = None
    assert fetch(cache, "/a")[2] is None and fetch(cache, "/a")[2] is None
    # the memory stays bounded
    gen["n"] = 5
    for i in range(200):
        fetch(cache, f"/many/{i}")
    assert cache.size <= 10_000 and 0 < len(cache.entries) < 200


def test_over_max_pending_the_server_answers_503_with_retry_after(tmp_path, monkeypatch):
    """With one request under way and room for one, the next is answered at once with 503 and
    Retry-After (JSON under /api/, the error page elsewhere); afterwards requests go through again."""
    import marsad.store.read as read

    db = small_store(tmp_path, 3)
    entered, release = threading.Event(), threading.Event()
    real_stats = read.stats

    def slow_stats(cur):
        entered.set()
        assert release.wait(timeout=60)
        return real_stats(cur)

    monkeypatch.setattr(read, "stats", slow_stats)
    app = create_app(db, rate_limit=0, max_pending=1, cache_mb=0)
    with serving(app) as base:
        first: dict = {}
        t = threading.Thread(target=lambda: first.update(r=httpx.get(base + "/api/stats", timeout=60)))
        t.start()
        try:
            assert entered.wait(timeout=60), "the first request never reached the store"
            api = httpx.get(base + "/api/articles", timeout=30)
            page = httpx.get(base + "/quotes", timeout=30)
        finally:
            release.set()
            t.join(timeout=60)
        assert api.status_code == 503 and api.headers["retry-after"] == "1"
        assert api.json()["error"] == "overloaded"
        assert page.status_code == 503 and page.headers["retry-after"] == "1" and "busy" in page.text
        assert first["r"].status_code == 200
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the slot is given back once the first answer is sent
            again = httpx.get(base + "/api/articles", timeout=30)
            if again.status_code == 200:
                break
            time.sleep(0.05)
        assert again.status_code == 200


@pytest.mark.parametrize("max_pending", [0, 64])
def test_a_request_under_the_bound_is_served(tmp_path, max_pending):
    db = small_store(tmp_path, 3)
    with TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=0, max_pending=max_pending)) as c:
        assert c.get("/api/stats").status_code == 200
        assert c.head("/api/stats").status_code == 200


def test_a_correction_shows_at_once_on_every_worker(tmp_path):
    """Two apps over one store and one corrections file (two workers): a page and the corrections API
    kept in memory by the second show a correction written through the first at once."""
    from test_corrections import ART, event_body, items

    from sample_store import build_store

    db = build_store(tmp_path / "corr.duckdb")
    fixes = tmp_path / "c.sqlite"
    opts = dict(allowed_hosts=["testserver"], rate_limit=0, corrections=fixes)
    with TestClient(create_app(db, **opts)) as one, TestClient(create_app(db, **opts)) as two:
        urls = [f"/articles/{ART}", "/api/corrections/stats", f"/api/corrections?article={ART}"]
        before = {u: two.get(u) for u in urls}
        assert all(two.get(u).headers[CACHE] == "hit" for u in urls)
        ev = items(db)[0]
        r = one.post("/api/corrections", json=event_body(ev, action="wrong", note="kept-answer check"))
        assert r.status_code == 201, r.text
        after = {u: two.get(u) for u in urls}
        for u in urls:
            assert after[u].status_code == 200 and after[u].headers[CACHE] == "miss", u
            assert after[u].content != before[u].content, u
        assert after[f"/api/corrections?article={ART}"].json()["total"] == 1
        assert "kept-answer check" in after[f"/articles/{ART}"].text or r.json()["id"] in after[f"/articles/{ART}"].text


def test_workers_share_kept_answers_and_none_outlives_a_new_batch(tmp_path):
    """Two apps over one store and one shared answers file (two workers): an answer one computed is
    served by the other; after `marsad run` commits a batch neither serves an answer from before."""
    db = small_store(tmp_path)
    opts = dict(allowed_hosts=["testserver"], rate_limit=0, shared_cache=tmp_path / "answers.sqlite")
    urls = ["/api/articles?limit=1", "/api/stats", "/", "/api/search?q=الجديد", "/events"]
    with TestClient(create_app(db, **opts)) as one, TestClient(create_app(db, **opts)) as two:
        first = {u: one.get(u) for u in urls}
        other = {u: two.get(u) for u in urls}
        for u in urls:
            assert first[u].status_code == 200 and first[u].headers[CACHE] == "miss", u
            assert other[u].headers[CACHE] == "hit" and other[u].content == first[u].content, u
            assert other[u].headers["content-type"] == first[u].headers["content-type"], u
        second = cli("run", str(other_corpus(tmp_path / "b.jsonl", 30)), "--db", str(db), "--workers", "1", *STEPS)
        assert second.returncode == 0 and "30 stored" in second.stdout, second.stderr
        after_two = {u: two.get(u) for u in urls}
        for u in urls:
            assert after_two[u].status_code == 200 and after_two[u].headers.get(CACHE) != "hit", u
        assert after_two["/api/articles?limit=1"].json()["total"] == 40
        after_two = {u: two.get(u) for u in urls}  # computed again, now that the store is open again
        assert after_two["/api/articles?limit=1"].json()["total"] == 40
        one.get("/api/actors")  # the first request after the batch opens the store again
        after_one = {u: one.get(u) for u in urls}  # the answers the other computed after the batch
        for u in urls:
            assert after_one[u].headers[CACHE] == "hit" and after_one[u].content == after_two[u].content, u


def test_shared_answers_stay_within_their_size_and_a_bad_file_is_a_miss(tmp_path):
    from marsad.api.cache import SharedAnswers

    s = SharedAnswers(tmp_path / "a.sqlite", max_bytes=10_000)
    heads = [(b"content-type", b"text/plain; charset=utf-8")]
    for i in range(300):
        s.put("g1", f"k{i}", heads, b"x" * 100)
    assert s.get("g1", "k299") == (heads, b"x" * 100)
    assert s.get("g2", "k299") is None  # another generation's answer is not served
    s.trim("g1")
    total = s._db().execute("SELECT sum(size) FROM answers").fetchone()[0]
    assert total <= 10_000 and s.get("g1", "k0") is None  # the oldest went first
    s.put("g2", "new", heads, b"y")
    s.trim("g2")
    assert s._db().execute("SELECT count(*) FROM answers").fetchone()[0] == 1  # other generations dropped
    s.close()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    b = SharedAnswers(bad)
    assert b.get("g", "k") is None
    b.put("g", "k", heads, b"z")  # no error: a cache that cannot be written is no cache
    assert b.get("g", "k") is None


def test_actor_names_and_query_results_are_kept_once_per_store_generation(tmp_path, monkeypatch):
    """The app resolves a name typed again, and answers a query asked again, from the memo of the
    store's generation; a batch committed by `marsad run` starts new ones (a name may name new
    actors after it, a count may have grown)."""
    from marsad.api.store import Store
    from marsad.store.read import names

    db = small_store(tmp_path)
    store = Store(db)
    calls = []
    real = names._find
    monkeypatch.setattr(names, "_find", lambda con, name, kb: calls.append(name) or real(con, name, kb))
    try:
        with store.cursor() as cur:
            first = store.names(None)
            a = names.find_actor_ids(cur, "الجديد", first)
            b = names.find_actor_ids(cur, "الجديد", store.names(None))
        assert a == b and calls == ["الجديد"] and store.names(None) is first
        with store.cursor(memo=True) as cur:
            kept = store.query_memo()
            assert cur.execute("SELECT count(*) FROM articles").fetchone() == (10,)
            assert cur.execute("SELECT count(*) FROM articles").fetchone() == (10,) and kept.hits == 1
        second = cli("run", str(other_corpus(tmp_path / "b.jsonl", 5)), "--db", str(db), "--workers", "1", *STEPS)
        assert second.returncode == 0, second.stderr
        with store.cursor() as cur:
            fresh = store.names(None)
            names.find_actor_ids(cur, "الجديد", fresh)
        assert fresh is not first and calls == ["الجديد", "الجديد"]
        with store.cursor(memo=True) as cur:
            assert store.query_memo() is not kept
            assert cur.execute("SELECT count(*) FROM articles").fetchone() == (15,)
    finally:
        store.close()
