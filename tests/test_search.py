"""Search: words with their Arabic proclitics (both directions), phrases, BM25 ranking, totals over
pages, facets, combined filters, and an index that follows the store (new and replaced articles)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sample_store import ArticleBuilder

from marsad.errors import ConfigError
from marsad.store.db import Writer, connect
from marsad.store.read import SearchFilter, search
from marsad.store.read.query import forms, parse
from marsad.store.search_index import SearchIndex, index_path
from marsad.text.normalize import search_key

FILLER = "وقال المصدر إن الاجتماع تناول قضايا عدة في المنطقة خلال الأسبوع الماضي. "


def _art(id, headline, body, outlet="sana", day=date(2018, 4, 10), **kw) -> ArticleBuilder:
    return ArticleBuilder(id, headline, body, published=day, outlet=outlet, outlet_name=outlet.upper(), **kw)


def _articles():
    arts = [
        _art("egypt-wa", "أخبار اليوم", "وصل الوفد ومصر ترحب بالاتفاق. " + FILLER),
        _art("egypt-li", "أخبار", "رسالة لمصر من الأمم المتحدة. " + FILLER, outlet="ahram"),
        _art("egypt-bi", "أخبار", "اجتماع بمصر هذا الأسبوع. " + FILLER, day=date(2017, 5, 1)),
        _art("egypt-fa", "أخبار", "فمصر لا تقبل ذلك. " + FILLER, outlet="ahram"),
        _art("egypt-wal", "أخبار", "والمصر في هذا السياق كلمة. " + FILLER),
        _art("masra", "حادث", "لقي ثلاثة مصرعهم في حادث مصرع مروع وصرح مصرح رسمي. " + FILLER),
        _art("numan", "تقرير", "قال النعمان إن الوضع هادئ. " + FILLER),
        _art("amman", "تقرير", "اجتماع بعمان اليوم بين الوزراء. " + FILLER, outlet="petra"),
        _art("lebanon", "تقرير", "زار الوزير سوريا ولبنان والأردن. " + FILLER, outlet="ahram"),
        _art("wazir", "تقرير", "قال الوزير إن الوفد وصل. " + FILLER, outlet="petra"),
        # de Mistura: three mentions, one, and the two words apart (never adjacent)
        _art("dm-3", "دي ميستورا في دمشق", "التقى دي ميستورا الوزير. وقال دي ميستورا إن ودي ميستورا " + FILLER * 2),
        _art("dm-1", "تقرير", "قال المبعوث دي ميستورا إن المحادثات مستمرة. " + FILLER * 2),
        _art("dm-apart", "تقرير", "قال دي مستورا وإن ميستورا لم يحضر وبقي في دي. " + FILLER * 2),
    ]
    arts[0].mention("مصر", "GPE", "Q-egypt", "Egypt").event("CONSULT", "وصل الوفد ومصر ترحب", trigger="وصل")
    arts[1].mention("مصر", "GPE", "Q-egypt", "Egypt").event("APPEAL", "رسالة لمصر", trigger="رسالة")
    arts[3].mention("مصر", "GPE", "Q-egypt", "Egypt")
    arts[8].event("CONSULT", "زار الوزير سوريا", trigger="زار")
    arts[10].mention("دي ميستورا", "PER", "Q-demistura", "Staffan de Mistura")
    return [a.build() for a in arts]


@pytest.fixture()
def store(tmp_path):
    db = tmp_path / "s.duckdb"
    con = connect(db)
    w = Writer(con, "r1")
    for a in _articles():
        w.add(a)
    w.flush()
    yield db, con, w
    con.close()


def _ids(con, ix, q, **kw) -> list[str]:
    return [r["id"] for r in search(con, ix, q, limit=100, **kw)["items"]]


def _words_after_proclitics(text: str) -> set[str]:
    """Every reading of every word of ``text`` with a proclitic taken off (a check independent of
    the query's expansion)."""
    out = set()
    for w in re.findall(r"[\u0621-\u064a]+|[^\W\u0621-\u064a_]+", search_key(text)):  # words, cut at a change of script
        out.add(w)
        for pre in ("و", "ف", "ب", "ك", "ل", "ال", "وال", "فال", "بال", "كال", "لل", "وب", "ول", "فب", "فل", "ولل"):
            if w.startswith(pre) and len(w) - len(pre) >= 3:
                out.add(w[len(pre) :])
    return out


def test_proclitics_found_and_other_words_not(store):
    db, con, _ = store
    ix = SearchIndex(db)
    egypt = _ids(con, ix, "مصر")
    assert set(egypt) == {"egypt-wa", "egypt-li", "egypt-bi", "egypt-fa", "egypt-wal"}  # not «مصرع», «مصرح»
    assert _ids(con, ix, "مصرع") == ["masra"]
    assert _ids(con, ix, "عمان") == ["amman"]  # «بعمان», never «النعمان»
    assert _ids(con, ix, "النعمان") == ["numan"] and _ids(con, ix, "نعمان") == ["numan"]
    assert _ids(con, ix, "لبنان") == ["lebanon"]  # «ولبنان»
    assert set(_ids(con, ix, "وزير")) == {"lebanon", "wazir", "dm-3"}  # «الوزير»: the article as a proclitic
    assert "dm-3" in _ids(con, ix, "دمشق")


def test_forms_of_a_word():
    f = forms("مصر")
    assert {"مصر", "ومصر", "لمصر", "بمصر", "فمصر", "كمصر", "والمصر", "بالمصر", "للمصر", "وللمصر"} <= set(f)
    assert "مصرع" not in f and all(x.endswith("مصر") for x in f)
    assert set(forms("الاسد")) >= {"الاسد", "والاسد", "بالاسد", "للاسد"} and "اسد" not in forms("الاسد")
    assert forms("دي") == ["دي"] and "ودي" in forms("دي", always=True)
    assert forms("Damascus") == ["Damascus"]


def test_words_are_cut_where_the_script_changes(tmp_path):
    db = tmp_path / "x.duckdb"
    con = connect(db)
    w = Writer(con, "r1")
    w.add(_art("mixed", "خبر \x1b[31mأحمر\x1b[0m", "قالت شبكة لـCNN إن بـ50 صاروخا سقطت. " + FILLER).build())
    w.flush()
    ix = SearchIndex(db)
    for q in ("أحمر", "CNN", "cnn", "50", "صاروخا"):
        got = search(con, ix, q)["items"]
        assert [r["id"] for r in got] == ["mixed"], q
        assert got[0]["marks"], q


def test_parse_words_and_phrases():
    q = parse('سوريا "دي ميستورا" «الأمم المتحدة» Lavrov')
    assert q.words == ["سوريا", "Lavrov"] and q.phrases == [["دي", "ميستورا"], ["الامم", "المتحده"]]
    with pytest.raises(ConfigError):
        search(None, None, '!!! ""')


def test_phrase_and_ranking(store):
    db, con, _ = store
    ix = SearchIndex(db)
    phrase = search(con, ix, '"دي ميستورا"')
    assert [r["id"] for r in phrase["items"]] == ["dm-3", "dm-1"]  # the article with most mentions first
    assert phrase["items"][0]["hits"] == 4 and phrase["items"][1]["hits"] == 1  # the headline counts too
    loose = search(con, ix, "دي ميستورا")["items"]
    assert [r["id"] for r in loose] == ["dm-3", "dm-1", "dm-apart"]  # adjacent first
    assert [r["adjacent"] for r in loose] == [True, True, False]
    top = loose[0]
    marked = [top["snippet"][s:e] for s, e in top["marks"]]
    assert marked and all(re.fullmatch(r"و?دي ميستورا|دي|ميستورا", m) for m in marked)


def test_totals_over_pages_and_facets(store):
    db, con, _ = store
    ix = SearchIndex(db)
    full = search(con, ix, "المصدر")  # in every article's filler
    assert full["total"] == 13
    seen = []
    for off in range(0, 20, 4):
        page = search(con, ix, "المصدر", limit=4, offset=off)
        assert page["total"] == full["total"]
        seen += [r["id"] for r in page["items"]]
    assert len(seen) == len(set(seen)) == full["total"]
    fc = full["facets"]
    assert sum(x["count"] for x in fc["outlet"]) == full["total"]
    assert sum(x["count"] for x in fc["year"]) == full["total"] and {x["value"] for x in fc["year"]} == {"2017", "2018"}
    assert {x["value"]: x["count"] for x in fc["type"]} == {"CONSULT": 2, "APPEAL": 1}
    assert {x["value"]: x["count"] for x in fc["actor"]}["Q-egypt"] == 3
    # each facet value, used as a filter, lists exactly its count
    for key in ("outlet", "type", "actor"):
        for x in fc[key]:
            assert search(con, ix, "المصدر", SearchFilter(**{key: x["value"]}))["total"] == x["count"], (key, x)


def test_filters_combine(store):
    db, con, _ = store
    ix = SearchIndex(db)
    assert set(_ids(con, ix, "مصر", f=SearchFilter(outlet="AHRAM"))) == {"egypt-li", "egypt-fa"}
    assert _ids(con, ix, "مصر", f=SearchFilter(outlet="ahram", actor="Egypt", type="appeal")) == ["egypt-li"]
    assert _ids(con, ix, "مصر", f=SearchFilter(since=date(2017, 1, 1), until=date(2017, 12, 31))) == ["egypt-bi"]
    kept = _ids(con, ix, "مصر", f=SearchFilter(actor="Q-egypt", since=date(2018, 1, 1)))
    assert set(kept) == {"egypt-wa", "egypt-li", "egypt-fa"}
    assert _ids(con, ix, "مصر", f=SearchFilter(actor="nobody at all")) == []


def test_the_index_follows_the_store(store):
    db, con, w = store
    ix = SearchIndex(db)
    assert _ids(con, ix, "كازاخستان") == []
    assert index_path(db).exists()
    w.add(_art("new", "أستانا", "محادثات في كازاخستان حول سوريا. " + FILLER).build())
    w.flush()
    assert _ids(con, ix, "كازاخستان") == ["new"]  # a new article: searchable at the next search
    # the same input with a new text replaces its article: the old words leave the index
    w.add(_art("new", "أستانا", "محادثات في طشقند حول سوريا. " + FILLER).build())
    w.flush()
    assert _ids(con, ix, "كازاخستان") == [] and _ids(con, ix, "طشقند") == ["new"]
    # another process's view of the same file (a second server worker) agrees without rebuilding
    other = SearchIndex(db)
    assert other.sync(con).added == 0 and _ids(con, other, "طشقند") == ["new"]
    # a deleted index file is built again at the next search
    for p in index_path(db).parent.glob(index_path(db).name + "*"):
        p.unlink()
    assert _ids(con, ix, "طشقند") == ["new"] and index_path(db).exists()


def test_a_query_finds_only_words_after_proclitics(store):
    """Whatever a one-word query returns holds the word, possibly behind a proclitic."""
    db, con, _ = store
    ix = SearchIndex(db)
    texts = dict(con.execute("SELECT id, text FROM articles").fetchall())
    for word in ("مصر", "عمان", "لبنان", "ميستورا", "الوزير"):
        for aid in _ids(con, ix, word):
            assert search_key(word) in _words_after_proclitics(texts[aid]), (word, aid)


def test_the_search_page_and_api(tmp_path):
    from fastapi.testclient import TestClient
    from sample_store import XSS_SCRIPT, build_store

    from marsad.api import create_app

    db = build_store(tmp_path / "p.duckdb")
    c = TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=0))
    # the form's empty fields are no filter; a bad date is 422, as on the API
    page = c.get("/search", params={"q": "سوريا", "actor": "", "type": "", "outlet": "", "since": "", "until": ""})
    assert page.status_code == 200 and 'data-facet="outlet"' in page.text and "<mark>" in page.text
    api = c.get("/api/search", params={"q": "سوريا"}).json()
    assert f'data-total="{api["total"]}"' in page.text and api["total"] == len(api["items"]) > 0
    assert sum(x["count"] for x in api["facets"]["outlet"]) == api["total"]
    assert c.get("/search", params={"q": "x", "since": "2024-13-01"}).status_code == 422
    assert c.get("/api/search", params={"q": "x", "since": "2024-03-05", "until": "2024-03-01"}).status_code == 422
    # a snippet of hostile text is escaped piece by piece around the marks
    hostile = c.get("/search", params={"q": "script alert"})
    assert hostile.status_code == 200 and XSS_SCRIPT not in hostile.text
    assert "&lt;<mark>script</mark>&gt;" in hostile.text
