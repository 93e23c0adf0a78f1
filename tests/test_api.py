"""The JSON API and the server-rendered pages, through FastAPI's test client, over a store written by
the real writer from hand-built articles (``tests/sample_store.py``), one of them an XSS article."""

from __future__ import annotations

import re
import warnings
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api import create_app  # noqa: E402
from sample_store import EVIL_NAME, XSS_IMG, XSS_SCRIPT, build_store  # noqa: E402
from marsad.errors import StoreError  # noqa: E402
from marsad.web.highlight import Mark, article_html, render  # noqa: E402

SYNTHETIC = 30
N_ARTICLES = 5 + SYNTHETIC


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("store") / "api.duckdb", synthetic=SYNTHETIC)


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=0)) as c:
        yield c


def ok(client, url, **params):
    r = client.get(url, params=params)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r.json()


def err(client, url, code, **params):
    r = client.get(url, params=params)
    assert r.status_code == code, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["status"] == code and body["message"], body
    return body


# ------------------------------------------------------------------------------------------- JSON


def test_openapi_lists_every_endpoint(client):
    paths = ok(client, "/openapi.json")["paths"]
    for p in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/actors",
        "/api/actors/{actor_id}",
        "/api/events",
        "/api/quotes",
        "/api/stats",
        "/api/timeline",
        "/api/network",
        "/api/places",
    ):
        assert p in paths, p
    assert not any(p.startswith("/articles") for p in paths)  # pages stay out of the API schema


def test_articles_list_paginates_and_filters(client):
    page = ok(client, "/api/articles", limit=10)
    assert page["total"] == N_ARTICLES and len(page["items"]) == 10 and page["next_offset"] == 10
    dates = [a["published"] for a in page["items"]]
    assert dates == sorted(dates, reverse=True)
    last = ok(client, "/api/articles", limit=10, offset=30)
    assert len(last["items"]) == N_ARTICLES - 30 and last["next_offset"] is None
    seen = {a["id"] for o in range(0, N_ARTICLES, 10) for a in ok(client, "/api/articles", limit=10, offset=o)["items"]}
    assert len(seen) == N_ARTICLES
    sana = ok(client, "/api/articles", outlet="SANA", limit=200)
    assert sana["total"] > 2 and all(a["outlet_name"] == "SANA" for a in sana["items"])
    assert ok(client, "/api/articles", outlet="سانا", limit=200)["total"] == sana["total"]  # the surface works too
    march = ok(client, "/api/articles", since="2024-03-01", until="2024-03-31", limit=200)["items"]
    ids = {a["id"] for a in march}
    assert {"sana-2024-03-04-lavrov", "aljazeera-2024-03-10-safadi", "xss-test"} <= ids
    assert "aljazeera-2024-04-02-moscow" not in ids
    assert all("2024-03-01" <= a["published"] <= "2024-03-31" for a in march)
    lav = next(a for a in march if a["id"] == "sana-2024-03-04-lavrov")
    assert (lav["mentions"], lav["quotes"], lav["events"]) == (13, 2, 1)


def test_article_has_every_layer_with_exact_offsets(client):
    a = ok(client, "/api/articles/sana-2024-03-04-lavrov")
    text = a["text"]
    for layer in ("sentences", "mentions", "times", "quotes", "attributions", "events"):
        assert a[layer], layer
    for layer in ("mentions", "times", "quotes", "attributions"):
        for s in a[layer]:
            assert text[s["start"] : s["end"]] == s["text"], (layer, s)
    for e in a["events"]:
        assert text[e["start"] : e["end"]] == e["evidence"]
        assert text[e["trigger_start"] : e["trigger_end"]] == "التقى"
    assert a["times"][0]["value"] == "2024-03-04"
    assert {m["canonical"] for m in a["mentions"]} >= {"Sergey Lavrov", "Faisal Mekdad", "Syria"}
    assert a["quotes"][1]["speaker_actor"] == "Q-lavrov"
    assert a["url_html"] == "/articles/sana-2024-03-04-lavrov"
    assert ok(client, "/api/articles/sana-2024-03-04")["id"] == a["id"]  # a unique prefix


def test_unknown_ids_are_json_404(client):
    body = err(client, "/api/articles/no-such-article", 404)
    assert body["error"] == "not_found" and "no-such-article" in body["message"]
    assert "Q-nobody" in err(client, "/api/actors/Q-nobody", 404)["message"]
    err(client, "/api/no-such-endpoint", 404)


def test_search_is_normalization_insensitive_ranked_and_paginated(client):
    a = ok(client, "/api/search", q="سورية", limit=200)["items"]  # the texts spell it سوريا
    b = ok(client, "/api/search", q="سوريا", limit=200)["items"]
    assert [r["id"] for r in a] == [r["id"] for r in b]
    assert "sana-2024-03-04-lavrov" in {r["id"] for r in a}
    scores = [r["score"] for r in a]  # BM25: lower is better
    assert scores == sorted(scores) and all(r["hits"] >= 1 for r in a)
    assert ok(client, "/api/search", q="عمان")["items"][0]["id"]  # عمّان with its shadda
    p1 = ok(client, "/api/search", q="سوريا", limit=3)
    p2 = ok(client, "/api/search", q="سوريا", limit=3, offset=3)
    assert p1["next_offset"] == 3 and len(p1["items"]) == 3
    assert not {r["id"] for r in p1["items"]} & {r["id"] for r in p2["items"]}
    both = ok(client, "/api/search", q="لافروف المقداد")["items"]
    assert {r["id"] for r in both} == {"sana-2024-03-04-lavrov"}
    assert ok(client, "/api/search", q="كلمةغيرموجودة")["items"] == []
    assert "empty query" in err(client, "/api/search", 400, q="!!!")["message"]
    assert "q" in err(client, "/api/search", 422)["message"]


def test_actors_list_counts_and_filters(client):
    page = ok(client, "/api/actors", limit=200)
    by_id = {a["actor_id"]: a for a in page["items"]}
    assert by_id["Q-lavrov"]["name"] == "Sergey Lavrov" and by_id["Q-lavrov"]["type"] == "PER"
    counts = [a["mentions"] for a in page["items"]]
    assert counts == sorted(counts, reverse=True)
    assert [a["actor_id"] for a in ok(client, "/api/actors", q="lavrov")["items"]] == ["Q-lavrov"]
    assert "Q-lavrov" in [a["actor_id"] for a in ok(client, "/api/actors", q="لافروف")["items"]]
    assert all(a["type"] == "GPE" for a in ok(client, "/api/actors", type="GPE")["items"])
    err(client, "/api/actors", 422, type="WEAPON")


def test_actor_detail(client):
    d = ok(client, "/api/actors/Q-lavrov")
    assert d["name"] == "Sergey Lavrov"
    assert d["counts"]["quotes"] == 2 and len(d["quotes"]) == 2
    assert all(q["speaker_actor"] == "Q-lavrov" for q in d["quotes"])
    assert d["counts"]["events"] >= 2
    assert all("Q-lavrov" in e["source_ids"] + e["target_ids"] for e in d["events"])
    assert {m["text"] for m in d["mentions"]} >= {"لافروف", "سيرغي لافروف"}
    assert "وزير الخارجية الروسي" in d["titles"]
    co = {c["actor_id"]: c for c in d["co_actors"]}
    assert co["Q-mekdad"]["events"] >= 1 and co["Q-safadi"]["events"] >= 1
    assert co["Q-syria"]["articles"] >= 2 and co["Q-syria"]["events"] == 0
    for m in d["mentions"]:
        assert re.fullmatch(r"/articles/[^#]+#m-\d+", m["evidence_url"])


def test_events_filters(client):
    everything = ok(client, "/api/events", limit=200)
    assert everything["total"] == 7 + SYNTHETIC
    consult = ok(client, "/api/events", type="consult", limit=200)  # case-insensitive type
    assert consult["total"] == 4 + SYNTHETIC and all(e["type"] == "CONSULT" for e in consult["items"])
    lav = ok(client, "/api/events", actor="Q-lavrov", limit=200)["items"]
    assert lav and all("Q-lavrov" in e["source_ids"] + e["target_ids"] for e in lav)
    assert ok(client, "/api/events", actor="Sergey Lavrov", limit=200)["total"] == len(lav)  # by name too
    pair = ok(client, "/api/events", actor="Q-safadi", partner="Q-pedersen", limit=200)["items"]
    assert pair and all({"Q-safadi", "Q-pedersen"} <= set(e["source_ids"] + e["target_ids"]) for e in pair)
    amman = ok(client, "/api/events", place="عمّان", limit=200)["items"]
    assert amman and all(e["location"] == "عمّان" for e in amman)
    sana = ok(client, "/api/events", outlet="SANA", limit=200)["items"]
    assert sana and all(e["outlet_name"] == "SANA" for e in sana)
    march = ok(client, "/api/events", since="2024-03-01", until="2024-03-31", limit=200)["items"]
    assert march and all("2024-03-01" <= e["when"] <= "2024-03-31" for e in march)
    assert {"ASSAULT", "CONSULT", "REQUEST", "REJECT"} <= {e["type"] for e in march}
    ev = march[0]
    assert ev["evidence_url"].startswith("/articles/") and "#e-" in ev["evidence_url"]
    assert ok(client, "/api/events", status="negated")["total"] == 0
    assert "until" in err(client, "/api/events", 422, since="2024-05-01", until="2024-01-01")["message"]
    assert "since" in err(client, "/api/events", 422, since="2024-13-01")["message"]
    err(client, "/api/events", 422, type="DROP TABLE events;--")
    err(client, "/api/events", 422, status="maybe")


def test_timeline_network_places(client):
    tl = ok(client, "/api/timeline", actor="Q-lavrov")
    assert (
        tl["bucket"] in ("day", "month")
        and sum(b["total"] for b in tl["buckets"]) == ok(client, "/api/events", actor="Q-lavrov")["total"]
    )
    march = ok(client, "/api/timeline", since="2024-03-01", until="2024-03-31")
    assert march["bucket"] == "day"
    days = [b["key"] for b in march["buckets"]]
    from datetime import date, timedelta

    first = date.fromisoformat(days[0])
    assert days == [(first + timedelta(i)).isoformat() for i in range(len(days))]  # no gaps on the axis
    assert {b["key"]: b["counts"] for b in march["buckets"]}["2024-03-12"] == {
        "ASSAULT": 1,
        "REJECT": 1,
    }  # REJECT: publication date
    net = ok(client, "/api/network")
    ids = {n["id"] for n in net["nodes"]}
    assert {"Q-lavrov", "Q-mekdad", "Q-safadi", "Q-pedersen"} <= ids
    edge = next(e for e in net["edges"] if {e["source"], e["target"]} == {"Q-lavrov", "Q-mekdad"})
    assert edge["weight"] >= 1 and "partner=" in edge["url"]
    pl = ok(client, "/api/places")["items"]
    amman = next(p for p in pl if p["location"] == "عمّان")
    assert (amman["lat"], amman["lon"]) == (31.95, 35.93) and amman["events"] >= 1


def test_quotes_and_stats(client):
    qs = ok(client, "/api/quotes", limit=200)
    assert qs["total"] == 4
    assert all(q["evidence_url"].endswith(f"#q-{q['idx']}") for q in qs["items"])
    assert ok(client, "/api/quotes", speaker="Q-safadi")["total"] == 1
    assert ok(client, "/api/quotes", kind="indirect")["total"] == 1
    err(client, "/api/quotes", 422, kind="whisper")
    s = ok(client, "/api/stats")
    assert s["articles"] == N_ARTICLES and s["quotes"] == 4 and s["actors"] >= 10
    assert s["event_types"]["CONSULT"] == 4 + SYNTHETIC


@pytest.mark.parametrize("url", ["/api/articles", "/api/search", "/api/actors", "/api/events", "/api/quotes"])
def test_pagination_limits_are_enforced(client, url):
    extra = {"q": "سوريا"} if url == "/api/search" else {}
    assert "limit" in err(client, url, 422, limit=201, **extra)["message"]
    err(client, url, 422, limit=0, **extra)
    err(client, url, 422, offset=-1, **extra)
    err(client, url, 422, limit="many", **extra)
    assert len(ok(client, url, limit=200, **extra)["items"]) <= 200


# ------------------------------------------------------------------------------------------ pages

PAGES = [
    "/",
    "/search?q=سوريا",
    "/search?q=%3Cscript%3E",
    "/articles/sana-2024-03-04-lavrov",
    "/articles/xss-test",
    "/actors",
    "/actors?q=Evil",
    "/actors/Q-lavrov",
    "/actors/Q-evil",
    "/events",
    "/events?actor=Q-evil",
    "/events?type=CONSULT&since=2024-03-01",
    "/quotes",
    "/quotes?speaker=Q-evil",
    "/map",
    "/map?type=CONSULT",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_and_escape_everything(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    # the payloads never appear as markup ...
    for bad in ("<script>alert", "<img src=x", "<svg onload", "<b>موقع</b>"):
        assert bad not in html, bad
    # ... and every <script> is one of ours or an inert JSON data block
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert re.fullmatch(r'<script src="/static/[a-z]+\.js">|<script type="application/json" id="[a-z-]+">', tag), (
            tag
        )
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        assert "<" not in block  # tojson escapes '<' so no data can close the block


def test_xss_article_is_shown_as_text(client):
    html = client.get("/articles/xss-test").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Evil &lt;script&gt;alert(3)&lt;/script&gt; Actor" in html  # canonical name, in a title attribute
    home = client.get("/").text
    assert "Evil &#34;Outlet&#34; &lt;svg onload=alert(2)&gt;" in home  # inside an attribute value
    assert "&lt;b&gt;موقع&lt;/b&gt;" in home


def test_article_page_links_every_fact_to_its_span(client):
    html = client.get("/articles/sana-2024-03-04-lavrov").text
    ids = re.findall(r'\bid="([a-z]-\d+)"', html)
    assert len(ids) == len(set(ids))  # every anchor once, even for split spans
    for ref in set(re.findall(r'href="#([a-z]-\d+)"', html)):
        assert ref in ids, ref
    assert {"m-0", "t-0", "q-0", "q-1", "a-0", "e-0", "g-0"} <= set(ids)
    assert 'href="/actors/Q-lavrov"' in html


def test_page_errors_are_html(client):
    r = client.get("/articles/nope")
    assert r.status_code == 404 and "no article" in r.text and r.headers["content-type"].startswith("text/html")
    assert client.get("/actors/Q-nobody").status_code == 404
    assert client.get("/events?since=yesterday").status_code == 422
    assert client.get("/search?q=!!!").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2fpages.py",
        "/static/%2e%2e/pages.py",
        "/static/../__init__.py",
        "/static/%2e%2e%2f%2e%2e%2fstore%2fdb.py",
        "/static//etc/passwd",
    ],
)
def test_static_files_never_leave_their_folder(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "import" not in r.text and "root:" not in r.text
    assert client.get("/static/app.css").status_code == 200


def test_store_is_read_only_and_missing_store_is_clear(client, tmp_path):
    import duckdb

    with pytest.raises(duckdb.Error), client.app.state.store.cursor() as cur:
        cur.execute("CREATE TABLE hack (i INTEGER)")
    with pytest.raises(StoreError, match="no store"):
        create_app(tmp_path / "missing.duckdb")


def test_serve_command_is_registered_and_local_by_default():
    from click.testing import CliRunner

    from marsad.cli import main

    out = CliRunner().invoke(main, ["serve", "--help"])
    assert out.exit_code == 0 and "--db" in out.output and "--port" in out.output
    serve = main.commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


# -------------------------------------------------------------------------------------- highlight


class _Check(HTMLParser):
    """Checks nesting and collects the text and the anchor ids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.ids = [], [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, "badly nested"

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Check:
    p = _Check()
    p.feed(html)
    p.close()
    assert p.stack == []
    return p


def test_highlight_handles_nesting_and_crossing():
    text = "abcdefghij"
    spans = [
        Mark(0, 6, "event", "e-0", "hl event", "E"),
        Mark(2, 4, "mention", "m-0", "hl ent", "M", "/actors/x"),
        Mark(3, 8, "quote", "q-0", "hl quote", "Q"),
        Mark(5, 9, "time", "t-0", "hl time", "T"),
        Mark(7, 7, "time", "t-1", "hl time", "empty"),
    ]
    html = str(render(text, spans))
    p = _parse(html)
    assert "".join(p.text) == text
    assert sorted(p.ids) == ["e-0", "m-0", "q-0", "t-0"]  # zero-length spans are dropped
    assert html.count('data-ref="q-0"') >= 2  # the crossing quote was split into fragments
    assert html.count("<a ") == 1


def test_highlight_escapes_text_and_attributes():
    text = '<b>"x" & y</b>'
    html = str(render(text, [Mark(0, 3, "mention", "m-0", "hl", 'tip "<script>"', '/actors/a"b')]))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert 'title="tip &#34;&lt;script&gt;&#34;"' in html
    assert "".join(_parse(html).text) == text


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="اب<>&\"' \nxy", min_size=1, max_size=40),
    raw=st.lists(
        st.tuples(
            st.integers(0, 45),
            st.integers(0, 45),
            st.sampled_from(["event", "quote", "mention", "time", "cue"]),
            st.booleans(),
        ),
        max_size=12,
    ),
)
def test_highlight_property_well_formed_and_lossless(text, raw):
    spans = [
        Mark(min(a, b), max(a, b), layer, f"{layer[0]}-{i}", "hl", f"tip {i} <&>", "/x" if link else None)
        for i, (a, b, layer, link) in enumerate(raw)
    ]
    lo = min(2, len(text))
    html = str(render(text, spans, lo, len(text)))
    p = _parse(html)
    assert "".join(p.text) == text[lo:]
    assert len(p.ids) == len(set(p.ids))
    depth = 0
    for tag in re.findall(r"</?a\b", html):  # links never nest
        depth += 1 if tag == "<a" else -1
        assert depth in (0, 1)


def test_article_html_splits_headline_and_body():
    from sample_store import sample_articles

    a = sample_articles()[0]
    h = article_html(a)
    assert "".join(_parse(str(h["headline"])).text) == a.headline
    assert "".join(_parse(str(h["body"])).text) == a.body
    xss = next(x for x in sample_articles() if x.id == "xss-test")
    body = str(article_html(xss)["body"])
    assert XSS_IMG not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert XSS_SCRIPT not in str(article_html(xss)["headline"])
    assert EVIL_NAME not in body


def test_ids_with_slashes_and_reserved_characters(tmp_path):
    from sample_store import ArticleBuilder
    from marsad.store.db import Writer, connect

    weird = "feed/2024 #1?&x=<y>"
    b = ArticleBuilder(weird, "عنوان عن دمشق", "دمشق - نص قصير.")
    b.mention("دمشق", "GPE", "gpe:dam/ascus?", "Damascus")
    con = connect(tmp_path / "w.duckdb")
    w = Writer(con, "t")
    w.add(b.build())
    w.flush()
    con.close()
    from urllib.parse import quote

    with TestClient(create_app(tmp_path / "w.duckdb", allowed_hosts=["testserver"], rate_limit=0)) as c:
        assert c.get("/api/articles/" + quote(weird, safe="")).json()["id"] == weird
        page = c.get("/articles/" + quote(weird, safe=""))
        assert page.status_code == 200
        assert 'href="/actors/gpe%3Adam%2Fascus%3F"' in page.text
        assert c.get("/actors/gpe%3Adam%2Fascus%3F").status_code == 200
        listed = c.get("/").text
        assert "/articles/" + quote(weird, safe="") in listed
