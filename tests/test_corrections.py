"""Analysts' corrections (issue 20, item 8): the corrections file (supersede, withdraw, counts, two
writers at once), the checks of a request (422 with a message, 404 for a target that is not
extracted), the refusal of cross-site writes, the pages that show them (escaped), the export in the
corpus format read back by marsad.lab.corpus, and the CLI."""

from __future__ import annotations

import json
import threading
import warnings
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api import create_app  # noqa: E402
from marsad.lab.corpus import annot_io  # noqa: E402
from marsad.lab.corpus.corpus import expand  # noqa: E402
from marsad.store.corrections import CorrectionsStore, default_path, target_key  # noqa: E402
from sample_store import build_store  # noqa: E402

ART = "sana-2024-03-04-lavrov"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("store") / "corr.duckdb")


@pytest.fixture
def app_of(db, tmp_path):
    def make(**kw):
        kw.setdefault("corrections", tmp_path / "c.sqlite")
        return TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=0, **kw))

    return make


@pytest.fixture
def client(app_of):
    with app_of() as c:
        yield c


def items(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        ev = con.execute(
            'SELECT start, "end", trigger_start, trigger_end, type, source, target FROM events '
            "WHERE article_id = ? ORDER BY idx LIMIT 1",
            [ART],
        ).fetchone()
        qt = con.execute('SELECT start, "end", speaker FROM quotes WHERE article_id = ? ORDER BY idx', [ART]).fetchone()
        me = con.execute(
            'SELECT start, "end", type, text FROM mentions WHERE article_id = ? ORDER BY idx', [ART]
        ).fetchone()
        text = con.execute("SELECT text FROM articles WHERE id = ?", [ART]).fetchone()[0]
    finally:
        con.close()
    return ev, qt, me, text


def event_body(ev, **kw):
    s, e, ts, te, t = ev[:5]
    b = dict(layer="event", article_id=ART, start=s, end=e, trigger_start=ts, trigger_end=te, was_type=t)
    return {**b, **kw}


def quote_body(qt, **kw):
    return {"layer": "quote", "article_id": ART, "start": qt[0], "end": qt[1], **kw}


# ------------------------------------------------------------------------------------ the file


def test_a_correction_is_superseded_not_overwritten_and_withdrawn(tmp_path):
    st = CorrectionsStore(tmp_path / "c.sqlite")
    base = dict(layer="quote", article_id="a", target=target_key("quote", "a", 3, 9), item={"start": 3, "end": 9})
    one = st.add(dict(base, action="wrong", fields={}))
    two = st.add(dict(base, action="fix", fields={"kind": {"old": "direct", "new": "indirect"}}))
    assert two["supersedes"] == one["id"] and st.get(one["id"])["action"] == "wrong"  # kept as it was
    assert list(st.current()) == [base["target"]] and st.current()[base["target"]]["id"] == two["id"]
    with pytest.raises(ValueError, match="no longer"):
        st.add(dict(base, action="withdraw", withdraws=one["id"]))
    st.add(dict(base, action="withdraw", withdraws=two["id"]))
    assert st.current() == {} and st.list()[0] == 0 and st.list(history=True)[0] == 3
    with pytest.raises(ValueError, match="nothing to withdraw"):
        st.add(dict(base, action="withdraw"))
    s = st.stats()
    assert s["current"] == 0 and s["records"] == 3 and s["layers"]["quote"]["total"] == 0


def test_counts_per_layer_and_action(tmp_path):
    st = CorrectionsStore(tmp_path / "c.sqlite")
    for i, (layer, action) in enumerate([("event", "wrong"), ("event", "fix"), ("event", "wrong"), ("mention", "fix")]):
        st.add(dict(layer=layer, article_id="a", target=target_key(layer, "a", i, i + 1), action=action, item={}))
    s = st.stats()
    assert s["layers"]["event"] == {"wrong": 2, "fix": 1, "total": 3}
    assert s["layers"]["mention"] == {"wrong": 0, "fix": 1, "total": 1}
    assert s["layers"]["quote"]["total"] == 0 and s["current"] == 4 and s["articles"] == 1


def test_two_writers_at_once_keep_one_chain(tmp_path):
    """Threads with their own connections, as two server processes would: every record supersedes
    a different one, and one is current."""
    st = CorrectionsStore(tmp_path / "c.sqlite")
    key = target_key("mention", "a", 0, 4)

    def work():
        for _ in range(5):
            st.add(dict(layer="mention", article_id="a", target=key, action="wrong", item={}))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total, recs = st.list(history=True, limit=100)
    sup = [r["supersedes"] for r in recs]
    assert total == 30 and sup.count(None) == 1 and len(set(sup)) == 30 and len(st.current()) == 1


def test_a_missing_file_reads_as_empty_and_a_read_only_one_refuses_writes(tmp_path):
    st = CorrectionsStore(tmp_path / "none.sqlite", read_only=True)
    assert st.stats()["current"] == 0 and st.list() == (0, []) and not st.writable
    assert not (tmp_path / "none.sqlite").exists()
    assert default_path("x/y.duckdb").name == "y.duckdb.corrections.sqlite"


# ------------------------------------------------------------------------------------- the API


def test_round_trip_through_the_api(client, db):
    ev, qt, me, _ = items(db)
    r = client.post("/api/corrections", json=event_body(ev, action="wrong", note="not a meeting", author="rana"))
    assert r.status_code == 201, r.text
    rec = r.json()
    assert rec["target"] == target_key("event", ART, ev[0], ev[1], (ev[2], ev[3]), ev[4])
    assert rec["item"]["type"] == ev[4] and rec["author"] == "rana" and "client" not in json.dumps(rec)
    # a name in any spelling is resolved through the actor layer, as the /events filter does
    r = client.post("/api/corrections", json=quote_body(qt, action="fix", new_speaker="Mekdad"))
    assert r.status_code == 201, r.text
    new = r.json()["fields"]["speaker"]
    assert new == {"old": qt[2], "new": {"name": "Faisal Mekdad", "actor_id": "Q-mekdad", "typed": "Mekdad"}}
    # a form post (no JavaScript) is stored too and answered with the article
    form = {"layer": "mention", "article_id": ART, "span": f"{me[0]}-{me[1]}", "action": "fix", "new_type": "ORG"}
    r = client.post("/api/corrections", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/articles/{ART}")
    s = client.get("/api/corrections/stats").json()
    assert [s["layers"][x]["total"] for x in ("event", "quote", "mention")] == [1, 1, 1]
    assert client.get("/api/corrections", params={"layer": "quote"}).json()["total"] == 1
    assert client.get("/api/corrections", params={"article": "other"}).json()["total"] == 0


@pytest.mark.parametrize(
    "change, status, words",
    [
        ({"layer": "actor", "action": "wrong"}, 422, "layer"),
        ({"action": "delete"}, 422, "action"),
        ({"action": "wrong", "new_type": "AID"}, 422, "no new values"),
        ({"action": "fix"}, 422, "needs a new value"),
        ({"action": "fix", "new_speaker": "x"}, 422, "new_speaker"),
        ({"action": "fix", "new_type": "PARTY"}, 422, "new_type"),
        ({"action": "wrong", "note": "x" * 1001}, 422, "note"),
        ({"action": "wrong", "start": 50, "end": 40}, 422, "start"),
        ({"action": "wrong", "start": "abc"}, 422, "start"),
        ({"action": "wrong", "was_type": "AID"}, 404, "no event"),
        ({"action": "wrong", "article_id": "nope"}, 404, "no event"),
    ],
)
def test_a_bad_request_says_what_is_wrong(client, db, change, status, words):
    ev = items(db)[0]
    r = client.post("/api/corrections", json=event_body(ev, **change))
    assert r.status_code == status, r.text
    assert words in r.json()["message"]
    assert client.get("/api/corrections/stats").json()["records"] == 0


def test_a_fix_to_the_extracted_value_is_refused(client, db):
    ev = items(db)[0]
    r = client.post("/api/corrections", json=event_body(ev, action="fix", new_type=ev[4]))
    assert r.status_code == 422 and "nothing to fix" in r.json()["message"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver"},
    ],
)
def test_a_cross_site_write_is_refused(client, db, headers):
    ev = items(db)[0]
    r = client.post("/api/corrections", json=event_body(ev, action="wrong"), headers=headers)
    assert r.status_code == 403 and "own pages" in r.json()["message"]
    form = {k: str(v) for k, v in event_body(ev, action="wrong").items()}
    assert client.post("/api/corrections", data=form, headers=headers).status_code == 403
    assert client.get("/api/corrections/stats").json()["records"] == 0


def test_a_same_origin_write_passes(client, db):
    ev = items(db)[0]
    h = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/corrections", json=event_body(ev, action="wrong"), headers=h).status_code == 201


def test_size_type_and_method_limits(client, db):
    ev = items(db)[0]
    big = json.dumps(event_body(ev, action="wrong", note="x" * 20_000))
    r = client.post("/api/corrections", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    r = client.post("/api/corrections", content=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = client.post("/api/corrections", content=b"[1]", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert client.put("/api/corrections", json={}).status_code == 405
    assert client.get("/api/corrections/stats").json()["records"] == 0


def test_off_and_read_only(app_of, db, tmp_path):
    ev = items(db)[0]
    with app_of(corrections=False) as c:
        assert c.post("/api/corrections", json=event_body(ev, action="wrong")).status_code == 404
        assert c.get("/api/corrections").status_code == 404
        page = c.get(f"/articles/{ART}").text
        assert "flag / fix" not in page and "corrections are off" in c.get("/corrections").text.lower()
    # a file that cannot be written (here: its folder does not exist; the tests may run as root)
    with app_of(corrections=tmp_path / "no-such-folder" / "c.sqlite") as c:
        r = c.post("/api/corrections", json=event_body(ev, action="wrong"))
        assert r.status_code == 403 and "read-only" in r.json()["message"]
        assert "flag / fix" not in c.get(f"/articles/{ART}").text
        assert c.get("/api/corrections/stats").json()["current"] == 0


# ----------------------------------------------------------------------------------- the pages


def test_pages_show_corrections_escaped(client, db):
    ev, qt, _, _ = items(db)
    hostile = "<script>alert(1)</script>"
    client.post("/api/corrections", json=event_body(ev, action="wrong", note=hostile, author="<b>x</b>"))
    client.post("/api/corrections", json=quote_body(qt, action="fix", new_speaker="Mekdad"))
    page = client.get(f"/articles/{ART}").text
    assert "marked wrong" in page and "<del>Sergey Lavrov</del>" in page and "<ins>Faisal Mekdad</ins>" in page
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<b>x</b>" not in page
    assert 'id="corr-event-0"' in page and "/static/corrections.js" in page
    events = client.get("/events").text
    assert "marked wrong" in events and hostile not in events
    assert "<ins>Faisal Mekdad</ins>" in client.get("/quotes").text
    lst = client.get("/corrections").text
    assert lst.count('class="corr-row') == 2 and hostile not in lst
    assert 'id="corr-current">2<' in lst


# ---------------------------------------------------------------------------------- the export


def test_export_is_a_corpus_record_the_corpus_reader_reads(client, db):
    ev, qt, me, text = items(db)
    client.post("/api/corrections", json=event_body(ev, action="fix", new_type="COERCE", new_target="Safadi"))
    client.post("/api/corrections", json=quote_body(qt, action="fix", new_speaker="Mekdad"))
    client.post(
        "/api/corrections",
        json={"layer": "mention", "article_id": ART, "start": me[0], "end": me[1]} | {"action": "wrong"},
    )
    r = client.get("/api/corrections/export")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    recs = [json.loads(x) for x in r.text.splitlines()]
    assert len(recs) == 1 and recs[0]["id"] == ART and recs[0]["partial"] is True
    full = expand(recs[0], text)
    problems = annot_io.Problems()
    annot_io.check_offsets(full, text, problems)
    assert list(problems) == []
    (e,) = full["events"]
    assert e["type"] == "COERCE" and e["target"] == ["Ayman Safadi"] and e["mode"] == "unspecified"
    assert text[e["trigger"][0] : e["trigger"][1]] and e["evidence"] == text[ev[0] : ev[1]]
    (q,) = full["quotes"]
    assert q["speaker"] == "Faisal Mekdad" and q["speaker_surface"] and "مقداد" in q["speaker_surface"]
    neg = recs[0]["negatives"]["entities"]
    assert neg == [{"type": me[2], "canonical": "Sergey Lavrov", "mention_spans": [[me[0], me[1]]], "title_span": None}]
    assert full["entities"] == []  # a negative is not a positive the reader would train on
    if annot_io.SHARED and (Path(annot_io.SHARED) / "gold" / "check_gold.py").exists():
        # the gold schema's own checker (../shared/gold/check_gold.py) on the stored text
        head, _, body = text.partition("\n")
        found, report = annot_io.check_records([full], {ART: {"title": head, "text": body}})
        assert list(found) == [], report


def test_cli_export_and_stats(client, db, tmp_path):
    from marsad.cli import main

    ev = items(db)[0]
    client.post("/api/corrections", json=event_body(ev, action="wrong"))
    out = tmp_path / "c.jsonl"
    args = ["--bidi", "off", "corrections", "export", "--db", str(db), "--corrections", str(tmp_path / "c.sqlite")]
    res = CliRunner().invoke(main, args + ["--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "1 article(s), 0 fix(es), 1 negative(s)" in res.output
    rec = json.loads(out.read_text())
    assert len(rec["negatives"]["events"]) == 1 and rec["events"] == []
    args = ["corrections", "stats", "--db", str(db), "--corrections", str(tmp_path / "c.sqlite"), "--json"]
    res = CliRunner().invoke(main, args)
    assert json.loads(res.output)["layers"]["event"]["wrong"] == 1


def test_withdraw_through_the_api_keeps_the_history(client, db):
    ev = items(db)[0]
    one = client.post("/api/corrections", json=event_body(ev, action="wrong")).json()
    two = client.post("/api/corrections", json=event_body(ev, action="fix", new_type="AID")).json()
    assert two["supersedes"] == one["id"]
    r = client.post("/api/corrections", json={"action": "withdraw", "id": one["id"]})
    assert r.status_code == 409 and two["id"] in r.json()["message"]
    r = client.post("/api/corrections", json={"action": "withdraw", "id": two["id"]})
    assert r.status_code == 201 and r.json()["supersedes"] == two["id"]
    assert client.post("/api/corrections", json={"action": "withdraw", "id": "c-" + "0" * 16}).status_code == 404
    assert client.get("/api/corrections").json()["total"] == 0
    assert client.get("/api/corrections", params={"history": "true"}).json()["total"] == 3
    assert "marked wrong" not in client.get(f"/articles/{ART}").text
    page = client.get("/corrections", params={"history": "true"}).text
    assert page.count('class="corr-row') == 3 and "withdrawn" in page
    assert client.get("/api/corrections/export").text == ""


def test_a_broken_corrections_file_does_not_take_the_pages_down(app_of, db, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with app_of(corrections=bad) as c:
        assert c.get(f"/articles/{ART}").status_code == 200 and c.get("/events").status_code == 200
        r = c.get("/api/corrections/stats")
        assert r.status_code == 503 and "corrections file" in r.json()["message"]
        r = c.post("/api/corrections", json=event_body(items(db)[0], action="wrong"))
        assert r.status_code == 503 and "bad.sqlite" in r.json()["message"]
