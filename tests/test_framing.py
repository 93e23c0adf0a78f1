"""What differs across a story's outlets (counts, responsible actors, labels, sources) and outlet
framing profiles (labels, loaded terms, quotes by side, attribution habits): the pure functions, the
label lexicon and its hand-checked sample, and the faces (marsad story / outlet, /api/outlets)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.stories.counts import find_counts
from marsad.stories.differ import differences
from marsad.stories.framing import actor_labels, attribution, class_labels, log_odds, loaded_terms, quote_sides
from marsad.stories.labels import Label, LabelMatcher, name_form, read_lexicon
from marsad.stories.lexicons import matcher

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# articles written for these tests: two outlets report one shelling with different tolls and labels
STATE = (
    "مقتل 12 مدنيا بقصف على بلدة كفرنبل في ريف إدلب",
    "قتل 12 مدنيا وأصيب خمسة آخرون في قصف استهدف بلدة كفرنبل في ريف إدلب صباح اليوم.\n"
    "وذكرت وكالة سانا أن وحدات من الجيش العربي السوري ردت على مصادر إطلاق القذائف على كفرنبل.",
)
OPPOSITION = (
    "مقتل 20 مدنيا بقصف لقوات النظام على بلدة كفرنبل في ريف إدلب",
    "ارتفع عدد القتلى إلى 20 مدنيا وأصيب خمسة آخرون في قصف لقوات النظام استهدف بلدة كفرنبل في ريف إدلب "
    "صباح اليوم.\nوقال المرصد السوري لحقوق الإنسان إن قوات النظام قصفت البلدة بالمدفعية.",
)


def test_counts_are_tied_to_their_category_and_spans_are_verbatim():
    text = (
        "أسفرت الغارات عن مقتل 12 شخصا وإصابة خمسة وعشرين آخرين، وسقوط عشرات القتلى في الغوطة، "
        "واعتقال ١٥ متظاهرا ونزوح أكثر من 50 ألف مدني. وارتفع عدد الضحايا إلى اثني عشر. في 12 نيسان قتل شخص."
    )
    got = [(c.category, c.value, c.vague) for c in find_counts(text)]
    assert got == [
        ("killed", 12, None),
        ("injured", 25, None),
        ("killed", None, "tens"),
        ("arrested", 15, None),
        ("displaced", 50000, None),
        ("killed", 12, None),
    ]
    for c in find_counts(text):
        assert text[c.start : c.end] == c.text
    assert find_counts("التقى الوزير نظيره في 12 نيسان") == []


def _arts():
    return [
        {"id": "s1", "outlet": "state", "text": STATE[0] + "\n" + STATE[1]},
        {"id": "o1", "outlet": "opp", "text": OPPOSITION[0] + "\n" + OPPOSITION[1]},
    ]


def _span(text, surface, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(surface, i + 1)
    return i, i + len(surface)


def test_differences_of_two_outlets_side_by_side():
    arts = _arts()
    s_text, o_text = arts[0]["text"], arts[1]["text"]
    ss, se = _span(s_text, "الجيش العربي السوري")
    os_, oe = _span(o_text, "قوات النظام")
    mentions = [
        {
            "article_id": "s1",
            "outlet": "state",
            "start": ss,
            "end": se,
            "text": "الجيش العربي السوري",
            "type": "ORG",
            "actor_id": "org:syrian-arab-army",
            "canonical": "Syrian Arab Army",
        },
        {
            "article_id": "o1",
            "outlet": "opp",
            "start": os_,
            "end": oe,
            "text": "قوات النظام",
            "type": "ORG",
            "actor_id": "org:syrian-arab-army",
            "canonical": "Syrian Arab Army",
        },
    ]
    cited = [
        {
            "article_id": "s1",
            "outlet": "state",
            **dict(zip(("start", "end"), _span(s_text, "وكالة سانا"))),
            "source": "SANA",
        }
    ]
    events = [
        {
            "article_id": "o1",
            "outlet": "opp",
            "type": "ASSAULT",
            "source": ["قوات النظام"],
            "source_ids": ["org:syrian-arab-army"],
            "start": os_,
            "end": oe,
        },
        {
            "article_id": "s1",
            "outlet": "state",
            "type": "ASSAULT",
            "source": ["مسلحون"],
            "source_ids": [],
            "start": 0,
            "end": 4,
        },
    ]
    diffs = differences(arts, events, mentions, cited)
    by = {(d["kind"], d["key"]): {o["outlet"]: o["values"] for o in d["outlets"]} for d in diffs}
    killed = by[("number", "killed")]
    assert [v["value"] for v in killed["state"]] == [12] and [v["value"] for v in killed["opp"]] == [20]
    texts = {a["id"]: a["text"] for a in arts}
    for facts in by.values():
        for values in facts.values():
            for v in values:
                assert texts[v["article_id"]][v["start"] : v["end"]] == v["text"]
    assert ("number", "injured") not in by  # both say five
    assert {o: [v["value"] for v in vs] for o, vs in by[("label", "org:syrian-arab-army")].items()} == {
        "opp": ["قوات النظام"],
        "state": ["الجيش العربي السوري"],
    }
    gov = by[("label", "class:syrian-government")]
    assert {v["stance"] for v in gov["opp"]} == {"hostile"} and {v["stance"] for v in gov["state"]} == {"own"}
    assert [v["name"] for v in by[("source", "sources")]["state"]] == ["SANA"] and by[("source", "sources")][
        "opp"
    ] == []
    assert [v["value"] for v in by[("responsible", "ASSAULT/COERCE")]["opp"]] == ["org:syrian-arab-army"]
    # one outlet alone, or outlets that agree: nothing differs
    assert differences(arts[:1]) == []
    same = [{**arts[0], "id": "x", "outlet": "other"}, arts[0]]
    assert [d for d in differences(same) if d["kind"] != "source"] == []


def test_label_lexicon_matches_whole_words_with_proclitics_and_exclusions():
    m = matcher()
    text = "قالت مصادر إن للنظام السوري والجيش السوري الحر والحكومة السورية المؤقتة وبتنظيم الدولة الإسلامية ونظامية"
    hits = list(m.find(text))
    assert [(h.term, h.cls, h.stance) for h in hits] == [
        ("النظام السوري", "syrian-government", "hostile"),
        ("الجيش السوري الحر", "syrian-opposition", "own"),
        ("تنظيم الدولة الإسلامية", "isis", "neutral"),
    ]
    assert all(text[h.start : h.end] == h.text for h in hits)
    assert m.count(text) == {h.term: 1 for h in hits}
    assert name_form("للجيش الإسرائيلي") == name_form("والجيش الاسرائيلي") == "الجيش الاسراييلي"  # folded: ئ → ي
    small = LabelMatcher([Label("ثوار", "armed-groups", "sympathetic")])
    assert [h.text for h in small.find("الثوارة وثوار ثوارهم")] == ["وثوار"]


def test_lexicon_file_is_well_formed(tmp_path):
    labels = read_lexicon()
    assert len(labels) >= 40 and len({lb.term for lb in labels}) == len(labels)
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\tclass\tstance\tunless_next\nفلان\tnobody\thostile\t\n", encoding="utf-8")
    from marsad.errors import ModelError

    with pytest.raises(ModelError, match="bad label row"):
        read_lexicon(bad)


def test_label_check_sample_holds_ids_offsets_and_judgements_only():
    rows = [
        json.loads(ln)
        for ln in (ROOT / "data" / "framing" / "label_check.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(rows) >= 100
    reserved = set((SHARED / "corpus" / "reserved_ids.txt").read_text().split()) if SHARED.exists() else set()
    for r in rows:
        assert set(r) == {"id", "start", "end", "term", "class", "stance", "ok", "note"}
        assert r["id"] not in reserved and isinstance(r["ok"], bool) and r["end"] > r["start"]
        assert matcher().term(r["term"]).cls == r["class"]


def test_framing_measures_by_hand():
    assert log_odds(5, 10, 5, 10) == 0.0 and log_odds(10, 10, 30, 30) == 0.0
    assert log_odds(8, 10, 2, 10) > 1 > 0 > log_odds(2, 10, 8, 10)
    forms = [
        ("a", "org:x", "X", "قوات النظام", 8),
        ("a", "org:x", "X", "الجيش السوري", 1),
        ("a", "org:x", "X", "والجيش السوري", 1),
        ("b", "org:x", "X", "الجيش السوري", 10),
    ]
    (x,) = actor_labels(forms, "a")
    assert x["mentions"] == 10
    assert [(f["key"], f["n"], f["share"], f["corpus_share"]) for f in x["forms"]] == [
        ("قوات النظام", 8, 0.8, 0.4),
        ("الجيش السوري", 2, 0.2, 0.6),
    ]
    assert x["forms"][0]["log_odds"] > 0 > x["forms"][1]["log_odds"]
    lex = {lb.term: lb for lb in read_lexicon()}
    terms = {"a": {"قوات النظام": 3, "داعش": 1}, "b": {"الجيش العربي السوري": 1, "داعش": 4}}
    gov = next(c for c in class_labels(terms, "a", lex) if c["class"] == "syrian-government")
    assert gov["n"] == 3 and [(s["key"], s["n"], s["corpus_share"]) for s in gov["stances"]] == [
        ("hostile", 3, 0.75),
        ("own", 0, 0.25),
    ]
    loaded = {r["term"]: r for r in loaded_terms(terms, {"a": 2, "b": 4}, "a", lex)}
    assert loaded["قوات النظام"]["per_100"] == 150.0 and loaded["داعش"]["others_per_100"] == 100.0
    q = quote_sides([("a", "SYR government", 3), ("a", None, 1), ("b", "SYR government", 1)], "a")
    assert q["quotes"] == 4 and q["sides"][0]["key"] == "SYR government" and q["sides"][0]["share"] == 0.75
    at = attribution([("a", "1", "SANA"), ("a", "1", "Reuters"), ("b", "3", "SANA")], {"a": 2, "b": 4}, "a")
    assert (at["citing"], at["citing_share"], at["own_share"], at["corpus_citing_share"]) == (1, 0.5, 0.5, 0.333)


def _rec(id, art, outlet, when):
    return {"id": id, "title": art[0], "text": art[1], "published_raw": when, "outlet": outlet}


def _two_outlets(tmp_path):
    """(a store path, an input file of one story told by a state and an opposition outlet)."""
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(
            json.dumps(r, ensure_ascii=False) + "\n"
            for r in [
                _rec("s1", STATE, "state", "Thu, 12 Apr 2018 09:00:00 +0000"),
                _rec("o1", OPPOSITION, "opp", "Thu, 12 Apr 2018 10:00:00 +0000"),
            ]
        ),
        encoding="utf-8",
    )
    return str(tmp_path / "f.duckdb"), src


def test_story_and_outlet_faces(tmp_path):
    db, src = _two_outlets(tmp_path)
    r = CliRunner()
    res = r.invoke(main, ["run", str(src), "--db", db, "--workers", "1", "--quiet"])
    assert res.exit_code == 0, res.output
    s = json.loads(r.invoke(main, ["story", "o1", "--db", db, "--json"]).output)
    assert sorted(a["id"] for a in s["articles"]) == ["o1", "s1"]
    by = {(d["kind"], d["key"]): {o["outlet"]: o["values"] for o in d["outlets"]} for d in s["differs"]}
    killed = by[("number", "killed")]
    assert [v["value"] for v in killed["state"]] == [12] and [v["value"] for v in killed["opp"]] == [20]
    labels = by[("label", "org:syrian-arab-army")]
    assert {v["value"] for v in labels["opp"]} == {"قوات النظام"} and {v["value"] for v in labels["state"]} == {
        "الجيش العربي السوري"
    }
    from marsad.store.db import connect

    con = connect(db, read_only=True)
    texts = dict(con.execute("SELECT id, text FROM articles").fetchall())
    con.close()
    for facts in by.values():
        for values in facts.values():
            for v in values:
                assert texts[v["article_id"]][v["start"] : v["end"]] == v["text"]
    table = r.invoke(main, ["story", "s1", "--db", db])
    assert table.exit_code == 0 and "differently" in table.output and "killed" in table.output
    p = json.loads(r.invoke(main, ["outlet", "OPP", "--db", db, "--json"]).output)
    assert p["outlet"] == "opp" and p["articles"] == 1 and p["corpus_articles"] == 2
    gov = next(c for c in p["labels"] if c["class"] == "syrian-government")
    assert {t["key"]: t["n"] for t in gov["terms"]}["قوات النظام"] == 3
    army = next(a for a in p["actor_labels"] if a["actor"] == "org:syrian-arab-army")
    assert {f["key"]: f["n"] for f in army["forms"]}.get("قوات النظام", 0) >= 2
    assert p["attribution"]["citing"] == 0 and p["attribution"]["corpus_citing_share"] == 0.5
    assert r.invoke(main, ["outlet", "nobody", "--db", db]).exit_code == 2
    assert "opp" in r.invoke(main, ["outlet", "opp", "--db", db]).output
    from fastapi.testclient import TestClient
    from marsad.api import create_app

    with TestClient(create_app(db, allowed_hosts=["testserver"])) as c:
        listed = c.get("/api/outlets").json()
        assert listed["total"] == 2 and {o["outlet"] for o in listed["items"]} == {"state", "opp"}
        assert c.get("/api/outlets/state").json()["outlet"] == "state"
        assert c.get("/api/outlets/zzz").status_code == 404
        st = c.get(f"/api/stories/{s['story']}").json()
        assert any(d["kind"] == "number" and d["key"] == "killed" for d in st["differs"])


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "corpus" / "ant_unlabeled.jsonl").exists(), reason="needs ../shared")
def test_label_lexicon_precision_on_its_checked_sample():
    res = CliRunner().invoke(main, ["eval", "labels", "--shared", str(SHARED), "--json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.output)
    assert s["stale"] == 0 and s["n"] >= 100
    assert s["all"]["precision"] >= 0.95  # measured 0.992 (119/120, docs/stories.md)


def test_the_story_page_shows_what_differs(tmp_path):
    """The web page of a two-outlet story lays out the differences side by side, each value a link
    to its article."""
    from fastapi.testclient import TestClient
    from marsad.api import create_app

    db, src = _two_outlets(tmp_path)
    assert CliRunner().invoke(main, ["run", str(src), "--db", db, "--workers", "1", "--quiet"]).exit_code == 0
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as c:
        page = c.get("/stories/o1") if c.get("/api/stories/o1").status_code == 200 else c.get("/stories/s1")
    assert page.status_code == 200 and 'table class="list differs"' in page.text
    assert "killed" in page.text and 'href="/articles/o1"' in page.text and 'href="/articles/s1"' in page.text
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as c:
        listed, one, none = c.get("/outlets"), c.get("/outlets/opp"), c.get("/outlets/zzz")
    assert listed.status_code == 200 and 'href="/outlets/opp"' in listed.text and 'href="/outlets/state"' in listed.text
    assert (
        one.status_code == 200
        and "قوات النظام" in one.text
        and 'class="bar here"' in one.text
        and "<rect width=" in one.text
    )
    assert none.status_code == 404
