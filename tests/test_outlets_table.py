"""The outlet table (marsad/resources/outlets/outlets.json, marsad.outlets), the record's own outlet
against the text's, actors without a KB name, and source URLs shown as links (http/https only)."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from marsad.api import create_app
from marsad.ingest.clean import clean_document
from marsad.ingest.records import RawDoc
from marsad.outlets import load_outlets, outlet_key, outlet_table
from marsad.web.i18n import safe_url

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TABLE = ROOT / "marsad" / "resources" / "outlets" / "outlets.json"


# ------------------------------------------------------------------------------------- the table
@pytest.mark.parametrize(
    "spellings",
    [
        ["Sky News Arabia", "skynews", "سكاي نيوز عربية", "SKYNEWS", "www.skynewsarabia.com"],
        ["France 24 Arabic", "france24", "فرانس24", "فرانس 24", "France 24", "فرانس ٢٤"],
        ["Al Arabiya", "alarabia", "العربية", "alarabiya.net"],
        ["BBC Arabic", "BBC", "بي بي سي عربي"],
        ["CNN Arabic", "CNN", "سي إن إن"],
    ],
)
def test_aliases_resolve_to_one_outlet(spellings):
    t = outlet_table()
    found = {s: t.resolve(s) for s in spellings}
    assert all(found.values()), [s for s, o in found.items() if o is None]
    assert len({o.id for o in found.values()}) == 1


def test_unknown_and_distinct_names_stay_apart():
    t = outlet_table()
    assert t.resolve("Evil Outlet") is None and t.name("Evil Outlet") == "Evil Outlet"
    assert t.resolve("skynews").id != t.resolve("france24").id
    assert t.resolve("") is None and t.resolve(None) is None


def test_two_outlets_may_not_claim_one_spelling():
    text = json.dumps(
        {
            "outlets": [
                {"id": "a", "name_en": "A", "aliases": ["x news"]},
                {"id": "b", "name_en": "B", "aliases": ["X-News"]},  # the same key once folded
            ]
        }
    )
    with pytest.raises(ValueError, match="names both"):
        load_outlets(text)


def test_checked_fields_have_their_source():
    rows = json.loads(TABLE.read_text(encoding="utf-8"))["outlets"]
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        stated = [f for f in ("country", "owner", "orientation") if r.get(f)]
        if stated:
            assert re.match(r"https?://\S+", r.get("source") or ""), f"{r['id']}: {stated} without a source"
        else:
            assert not r.get("source"), f"{r['id']}: a source for no stated field"
        if r.get("country"):
            assert re.fullmatch(r"[A-Z]{3}", r["country"]), r["id"]


def test_the_kb_spellings_of_an_outlet_resolve_to_it():
    kb = {}
    with open(ROOT / "marsad" / "resources" / "kb" / "actors.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            kb[row["id"]] = row
    t = outlet_table()
    for o in t.outlets:
        if not o.kb:
            continue
        assert o.kb in kb and kb[o.kb]["actor_type"] == "MED", o.id
        names = [kb[o.kb]["name_ar"]] + [v for v in kb[o.kb]["variants_ar"].split("|") if v]
        assert {n: t.resolve(n).id if t.resolve(n) else None for n in names} == {n: o.id for n in names}


def test_the_sql_fold_is_the_python_fold():
    t = outlet_table()
    surfaces = [s for o in t.outlets for s in o.surfaces()] + ["  Sky  News-Arabia ", "فرانسـ24", "أإآ ة ى"]
    con = duckdb.connect()
    got = [con.execute(f"SELECT {t.sql_key('?')}", [s]).fetchone()[0] for s in surfaces]
    assert got == [outlet_key(s) for s in surfaces]
    names = [con.execute(f"SELECT {t.sql_name('$1::VARCHAR')}", [s]).fetchone()[0] for s in surfaces]
    assert names[:-3] == [t.resolve(s).name_en for s in surfaces[:-3]]


# ------------------------------------------------------------------ the record's own outlet wins
HEAD = "لافروف يبحث مع دي ميستورا التسوية في سوريا"
P1 = "بحث وزير الخارجية الروسي سيرغي لافروف مع المبعوث الأممي ستيفان دي ميستورا مستجدات التسوية السياسية في سوريا."
P2 = "وأكد الجانبان ضرورة مواصلة العمل من أجل التوصل إلى حل سياسي للأزمة وفق قرار مجلس الأمن الدولي."


@pytest.mark.parametrize("line,where", [("فرانس24/ أ ف ب", "head"), ("صحيفة الوطن", "tail")])
def test_the_records_own_outlet_beats_a_name_in_the_text(line, where):
    lines = [HEAD, line, P1, P2] if where == "head" else [HEAD, P1, P2, line]
    raw = "\n".join(lines)
    text_says = clean_document(RawDoc(id="t", source="t.txt", text=raw)).outlet
    assert text_says and text_says != "skynews"  # the text names an outlet ...
    own = clean_document(RawDoc(id="t", source="t.txt", text=raw, outlet="skynews"))
    assert own.outlet == "skynews"  # ... but the record's field wins
    assert line in own.boilerplate  # and the line is still chrome


@pytest.mark.skipif(not (SHARED / "corpus" / "ant_bench.jsonl").is_file(), reason="../shared absent")
def test_every_ant_record_keeps_its_own_outlet():
    from marsad.ingest.readers.records import record

    n = 0
    with open(SHARED / "corpus" / "ant_bench.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 600:
                break
            rec = json.loads(line)
            d = record(rec, fallback_id=f"r{i}", src=f"ant:{i}", basis="record", default=None)
            if isinstance(d, RawDoc):
                assert clean_document(d).outlet == rec["outlet"], rec["id"]
                n += 1
    assert n > 500


# ------------------------------------------------------------------------- stores and the API
def _art(id, outlet, url=None, outlet_name=None):
    from sample_store import ArticleBuilder

    b = ArticleBuilder(id, HEAD, P1 + "\n" + P2 + f" ({id})", published=date(2018, 4, 12), outlet=outlet, url=url)
    b.kw["outlet_name"] = outlet_name
    b.mention("لافروف", "PER", "per:sergey-lavrov", "Sergey Lavrov").mention(
        "ستيفان دي ميستورا", "PER", "x:4441646b1332"
    )
    return b.build()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from marsad.store.db import Writer, connect

    db = tmp_path_factory.mktemp("outlets") / "o.duckdb"
    con = connect(db)
    w = Writer(con, "t")
    arts = [
        _art("sky-1", "skynews", "https://www.skynewsarabia.com/world/1"),
        _art("sky-2", "Sky News Arabia", "javascript:alert(1)"),
        _art("sky-3", "سكاي نيوز عربية", "/home/someone/data/a.html"),
        _art("f24-1", "france24", "http://www.france24.com/ar/1"),
        _art("f24-2", "فرانس24", "data:text/html,<b>x</b>"),
        _art("f24-3", "France 24 Arabic", None, outlet_name="France 24"),
        _art("other", "موقع محلي", "HTTPS://example.org/x"),
    ]
    for a in arts:
        w.add(a)
    w.flush()
    con.close()
    with TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=0)) as c:
        yield c


def test_outlets_are_listed_once_with_their_table_row(client):
    items = client.get("/api/outlets").json()["items"]
    assert sorted((o["outlet"], o["articles"]) for o in items) == [
        ("France 24 Arabic", 3),
        ("Sky News Arabia", 3),
        ("موقع محلي", 1),
    ]
    sky = next(o for o in items if o["outlet"] == "Sky News Arabia")
    assert sky["info"]["country"] == "ARE" and sky["info"]["source"].startswith("https://")
    page = client.get("/outlets").text
    assert page.count(">Sky News Arabia</a>") == 1 and "skynews" not in page


@pytest.mark.parametrize("alias", ["skynews", "Sky News Arabia", "سكاي نيوز", "SKYNEWS"])
def test_every_filter_takes_any_alias(client, alias):
    arts = client.get("/api/articles", params={"outlet": alias}).json()
    assert arts["total"] == 3 and {a["outlet_name"] for a in arts["items"]} == {"Sky News Arabia"}
    assert client.get("/api/events", params={"outlet": alias}).json()["total"] == 0  # no events stored
    assert client.get("/api/quotes", params={"outlet": alias}).json()["total"] == 0
    home = client.get("/", params={"outlet": alias}).text
    assert sorted(set(re.findall(r'href="/articles/([a-z0-9-]+)"', home))) == ["sky-1", "sky-2", "sky-3"]
    prof = client.get(f"/api/outlets/{alias}")
    assert prof.status_code == 200 and prof.json()["outlet"] == "Sky News Arabia"


def test_an_unknown_outlet_still_filters_by_its_name(client):
    assert client.get("/api/articles", params={"outlet": "موقع محلي"}).json()["total"] == 1
    assert client.get("/api/articles", params={"outlet": "no such outlet"}).json()["total"] == 0


def test_an_actor_without_a_kb_name_shows_its_spelling_not_its_id(client):
    rows = client.get("/api/actors", params={"q": "ميستورا"}).json()["items"]
    assert [(r["actor_id"], r["name"]) for r in rows] == [("x:4441646b1332", "ستيفان دي ميستورا")]
    assert "<h1>ستيفان دي ميستورا" in client.get("/actors/x:4441646b1332").text
    assert "actor: ستيفان دي ميستورا (not in the KB) · id x:4441646b1332" in client.get("/articles/sky-1").text
    for path in ("/actors", "/actors/x:4441646b1332", "/articles/sky-1"):
        html = client.get(path).text
        shown_as_name = re.search(r"<(a|h1|li)\b[^>]*>\s*x:4441646b1332\s*<", html)  # an id in <code> is fine
        assert not shown_as_name and "ستيفان دي ميستورا" in html, path
        if path != "/actors/x:4441646b1332":
            assert re.search(r'href="/actors/x%3A4441646b1332"', html), path  # the id stays in the link


# ------------------------------------------------------------------------------- source URLs
@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://www.skynewsarabia.com/world/1", True),
        ("http://www.france24.com/ar/20180505-المغرب", True),
        ("HTTPS://example.org/x", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("/home/someone/data/a.html", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("https://", False),
        ("https://a.example/x\nSet-Cookie: y", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(url, ok):
    assert bool(safe_url(url)) is ok


def test_article_pages_and_lists_link_the_source(client):
    page = client.get("/articles/sky-1").text
    assert re.search(
        r'<a class="source-link" href="https://www.skynewsarabia.com/world/1" rel="noopener noreferrer nofollow"', page
    )
    for aid in ("sky-2", "sky-3", "f24-2"):
        page = client.get(f"/articles/{aid}").text
        assert 'class="source-link"' not in page and "javascript:" not in page and "/home/someone" not in page
    home = client.get("/").text
    links = re.findall(r'<a class="source-link" href="([^"]+)"', home)
    assert sorted(links) == [
        "HTTPS://example.org/x",
        "http://www.france24.com/ar/1",
        "https://www.skynewsarabia.com/world/1",
    ]
