"""The web server's guards (issue 20, item 5), through FastAPI's test client: the Host allow-list
against DNS rebinding, no filesystem path of the ingesting machine in any answer, the rate limit per
client (429 with Retry-After), the same 422 for the same bad range on every route, HEAD on every GET route."""

from __future__ import annotations

import warnings

import duckdb
import pytest
from click.testing import CliRunner

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api import create_app  # noqa: E402
from marsad.api.checks import public_source  # noqa: E402
from marsad.api.guard import HostPolicy, RateLimiter, host_name  # noqa: E402
from sample_store import build_store  # noqa: E402

SECRET_DIR = "/home/analyst/secret-folder/inputs"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The sample store, its articles' sources made machine paths, and a duplicate in the ledger
    (the story JSON lists it with its source)."""
    path = build_store(tmp_path_factory.mktemp("store") / "sec.duckdb", synthetic=6)
    con = duckdb.connect(str(path))
    try:
        con.execute("UPDATE articles SET source = ? || '/batch.jsonl:' || id", [SECRET_DIR])
        story, art = con.execute("SELECT story_id, article_id FROM story_members ORDER BY 1, 2 LIMIT 1").fetchone()
        con.execute(
            "INSERT INTO rejects VALUES (?, 'duplicate', 'same text', 'r1', now(), now(), ?, 'copy-1')",
            [f"{SECRET_DIR}/copies.jsonl:7", art],
        )
    finally:
        con.close()
    return path, story


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db[0], allowed_hosts=["testserver"], rate_limit=0)) as c:
        yield c


def first_article(client) -> str:
    return client.get("/api/articles", params={"limit": 1}).json()["items"][0]["id"]


# ------------------------------------------------------------------------------------- Host check


@pytest.mark.parametrize("url", ["/api/stats", "/", "/static/app.css", "/no-such-page"])
def test_a_rebinding_host_is_refused(client, url):
    r = client.get(url, headers={"Host": "evil.example"})
    assert r.status_code == 400, (url, r.status_code)
    if url.startswith("/api/"):
        assert r.json()["error"] == "bad_request" and "evil.example" in r.json()["message"]
    else:
        assert r.headers["content-type"].startswith("text/html") and "evil.example" in r.text


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8000", "127.0.0.1:9", "[::1]:8000", "LOCALHOST.", "testserver"]
)
def test_loopback_names_and_the_allowed_ones_are_served(client, host):
    assert client.get("/api/stats", headers={"Host": host}).status_code == 200


def test_hosts_beyond_loopback_need_allowing(db):
    with TestClient(create_app(db[0])) as c:  # nothing allowed beyond loopback: testserver is refused
        assert c.get("/api/stats").status_code == 400
        assert c.get("/api/stats", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    with TestClient(create_app(db[0], allowed_hosts=["*"]), base_url="http://evil.example") as c:
        assert c.get("/api/stats").status_code == 200  # '*' turns the check off, explicitly
    with TestClient(create_app(db[0], allowed_hosts=["*.example.org"]), base_url="http://a.example.org") as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"Host": "example.org.evil.net"}).status_code == 400


def test_host_policy_parses_headers():
    assert host_name("[::1]:8000") == "::1" and host_name("Example.ORG.:80") == "example.org"
    p = HostPolicy(["news.example", "*.corp.example"])
    assert p.allows("news.example:443") and p.allows("a.b.corp.example") and p.allows("[::1]")
    assert not p.allows("corp.example.evil") and not p.allows("") and not p.allows(None)
    assert not p.allows("evil.example") and HostPolicy(["*"]).allows("evil.example")


def test_serve_passes_allow_host_and_rate_limit(monkeypatch, tmp_path):
    """``marsad serve --allow-host A --allow-host '*' --rate-limit 5`` builds the app with them (uvicorn
    itself is not started)."""
    import uvicorn

    from marsad.cli import main

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    path = build_store(tmp_path / "s.duckdb", synthetic=0)
    out = CliRunner().invoke(
        main, ["serve", "--db", str(path), "--host", "10.1.2.3", "--allow-host", "news.example", "--rate-limit", "5"]
    )
    assert out.exit_code == 0, out.output
    hosts, limiter = seen["app"].state.hosts, seen["app"].state.rate_limiter
    assert hosts.allows("news.example") and hosts.allows("10.1.2.3:8000") and not hosts.allows("evil.example")
    assert limiter.rate == 5 and limiter.burst == 15
    seen["app"].state.store.close()
    out = CliRunner().invoke(main, ["serve", "--db", str(path), "--allow-host", "*", "--rate-limit", "0"])
    assert out.exit_code == 0, out.output
    assert seen["app"].state.hosts.allows("evil.example") and seen["app"].state.rate_limiter is None
    seen["app"].state.store.close()


# ------------------------------------------------------------------------------ no machine paths


def test_public_source_keeps_the_file_name_and_record():
    assert public_source("/home/x/data/a.jsonl:12") == "a.jsonl:12"
    assert public_source("C:\\in\\b.trec#AR/2019-1") == "b.trec#AR/2019-1"
    assert public_source("a.jsonl (after 3 unit(s))") == "a.jsonl (after 3 unit(s))"
    assert public_source("") == "" and public_source(None) is None


def test_no_answer_names_the_ingesting_machines_folders(client, db):
    aid = first_article(client)
    art = client.get(f"/api/articles/{aid}").json()
    assert art["source"] == f"batch.jsonl:{aid}"
    story = client.get(f"/api/stories/{db[1]}").json()
    assert [c["source"] for c in story["copies"]] == ["copies.jsonl:7"]
    urls = [
        f"/api/articles/{aid}",
        "/api/articles",
        "/api/stats",
        f"/api/stories/{db[1]}",
        "/api/stories",
        "/api/events",
        "/api/quotes",
        "/api/search?q=سوريا",
        "/",
        f"/articles/{aid}",
        f"/stories/{db[1]}",
        "/events",
        "/search?q=سوريا",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        assert "secret-folder" not in r.text and "/home/" not in r.text, url


# ----------------------------------------------------------------------------------- rate limit


def test_over_the_burst_a_client_gets_429_with_retry_after(db):
    with TestClient(create_app(db[0], allowed_hosts=["testserver"], rate_limit=0.1, rate_burst=3)) as c:
        assert [c.get("/api/stats").status_code for _ in range(3)] == [200, 200, 200]
        r = c.get("/api/stats")
        assert r.status_code == 429 and r.json()["error"] == "too_many_requests"
        assert 1 <= int(r.headers["retry-after"]) <= 10
        page = c.get("/")
        assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
        assert "retry-after" in page.headers


def test_buckets_refill_per_client_and_stay_bounded():
    now = [0.0]
    lim = RateLimiter(2, burst=2, clock=lambda: now[0])
    assert [lim.take("a"), lim.take("a")] == [0.0, 0.0] and lim.take("a") == pytest.approx(0.5)
    assert lim.take("b") == 0.0  # another client has its own bucket
    now[0] = 0.5
    assert lim.take("a") == 0.0 and lim.take("a") > 0
    lim.MAX_CLIENTS = 10
    for i in range(50):
        lim.take(f"c{i}")
    assert len(lim.buckets) <= 10
    with pytest.raises(ValueError):
        RateLimiter(0)


# --------------------------------------------------------------------------- consistent 422s


@pytest.mark.parametrize(
    "url",
    ["/api/events", "/api/timeline", "/api/network", "/api/places", "/api/articles", "/api/stories", "/api/quotes"],
)
@pytest.mark.parametrize(
    "params", [{"since": "2024-05-01", "until": "2024-01-01"}, {"since": "2024-13-40"}, {"until": "yesterday"}]
)
def test_the_same_bad_range_is_422_json_on_every_api_route(client, url, params):
    r = client.get(url, params=params)
    assert r.status_code == 422, (url, params, r.status_code)
    assert r.headers["content-type"].startswith("application/json") and r.json()["status"] == 422


@pytest.mark.parametrize("url", ["/events", "/", "/stories", "/map"])
@pytest.mark.parametrize("params", [{"since": "2024-05-01", "until": "2024-01-01"}, {"since": "2024-13-40"}])
def test_the_same_bad_range_is_a_422_page(client, url, params):
    r = client.get(url, params=params)
    assert r.status_code == 422, (url, params, r.status_code)
    assert r.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("url", ["/api/events", "/api/articles", "/api/stories", "/api/quotes", "/api/search?q=x"])
def test_a_limit_out_of_range_is_422_everywhere(client, url):
    for limit in (0, 201):
        assert client.get(url, params={"limit": limit}).status_code == 422, (url, limit)


# ---------------------------------------------------------------------------------------- HEAD


def test_head_answers_like_get_without_a_body(client):
    aid = first_article(client)
    for url in ["/", "/api/stats", f"/articles/{aid}", f"/api/articles/{aid}", "/events", "/static/app.css"]:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b"", url
        assert head.headers["content-type"] == get.headers["content-type"], url
        assert head.headers.get("content-length") == get.headers.get("content-length"), url
        assert "content-security-policy" in head.headers
    assert client.head("/api/articles/no-such-id").status_code == 404
    assert client.head("/api/events", params={"since": "2024-05-01", "until": "2024-01-01"}).status_code == 422
    assert client.head("/api/stats", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("page", ["/", "/events", "/map", "/quotes", "/stories"])
def test_a_filter_form_with_empty_fields_is_no_filter(client, page):
    """A form sends its empty fields (`until=`): on the pages they mean no filter, not a bad date."""
    full = client.get(page)
    empty = client.get(page + "?since=&until=&outlet=&type=")
    assert full.status_code == empty.status_code == 200
    assert client.get(page + "?since=2024-03-01&until=").status_code == 200
    if page != "/quotes":  # the pages that take dates
        assert client.get(page + "?since=nonsense&until=").status_code == 422  # a bad date still is


def test_the_api_still_refuses_an_empty_date(client):
    assert client.get("/api/events?until=").status_code == 422
