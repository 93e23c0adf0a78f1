from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from marsad.model import Article, Event, Mention, Quote, TimeExpr
from marsad.pipeline import build_pipeline
from marsad.store.db import Writer, connect, record_reject
from marsad.store.exports import export, gold_record
from marsad.store.read import get_article, search, stats
from marsad.store.search_index import SearchIndex

TEXT = "وزير الخارجية الروسي يلتقي نظيره السوري\nالتقى وزير الخارجية الروسي سيرغي لافروف أمس في موسكو نظيره السوري وليد المعلم، وقال إن «المحادثات كانت بناءة»."


def _article(id="a1", text=TEXT):
    seg = build_pipeline(["segment"])
    a = Article(
        id=id,
        text=text,
        headline=text.split("\n")[0],
        body_start=text.index("\n") + 1,
        published=date(2016, 7, 21),
        outlet="الوطن",
    )
    a = seg(a)
    s = text.index("سيرغي لافروف")
    m = Mention(s, s + len("سيرغي لافروف"), "سيرغي لافروف", "PER", 0.9, "test", "per:sergey-lavrov", "Sergey Lavrov")
    t0 = text.index("أمس")
    q0 = text.index("المحادثات")
    from dataclasses import replace

    return replace(
        a,
        mentions=(m,),
        times=(TimeExpr(t0, t0 + 3, "أمس", "2016-07-20", "day", "rel-day"),),
        quotes=(
            Quote(q0, q0 + len("المحادثات كانت بناءة"), "المحادثات كانت بناءة", "direct", speaker="Sergey Lavrov"),
        ),
        events=(
            Event(
                "CONSULT",
                "meet",
                text.index("التقى"),
                text.index("،"),
                text[text.index("التقى") : text.index("،")],
                ("Sergey Lavrov",),
                ("Walid Muallem",),
            ),
        ),
    )


def test_write_read_roundtrip_and_idempotence(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    w = Writer(con, "r1")
    a = _article()
    w.add(a)
    w.flush()
    assert w.stored == 1
    b = get_article(con, "a1")
    assert b.text == a.text and b.mentions == a.mentions and b.times == a.times
    assert b.events[0].source == ("Sergey Lavrov",) and b.quotes[0].text == a.quotes[0].text
    before = stats(con)
    w2 = Writer(con, "r2")
    w2.add(a)  # the same input again: already stored
    w2.add(_article(id="copy"))  # same content from another input: one ledger row naming a1
    w2.flush()
    assert (w2.stored, w2.already, w2.duplicates) == (0, 1, 1)
    after = stats(con)
    assert after.pop("rejects") == before.pop("rejects") + 1
    assert after.pop("reject_reasons") == {"duplicate": 1}
    for k in ("runs", "accounting", "last_run"):
        after.pop(k), before.pop(k)
    before.pop("reject_reasons")
    assert after == before
    assert stats(con)["accounting"] == {"inputs": 2, "articles": 1, "ledger": 1, "balanced": True}
    assert con.execute("SELECT source, reason, duplicate_of FROM rejects").fetchall() == [
        ("id:copy", "duplicate", "a1")
    ]


def test_same_id_new_content_replaces(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    w = Writer(con, "r1")
    w.add(_article())
    w.flush()
    w.add(_article(text=TEXT + " وأضاف."))
    w.flush()
    assert w.replaced == 1
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 1


def test_batch_is_a_transaction(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    w = Writer(con, "r1")
    w.add(_article())
    w.add(Article(id="bad", text="x", published="not a date"))  # DuckDB cannot store it
    with pytest.raises(Exception):
        w.flush()
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_search_is_normalization_insensitive(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    w = Writer(con, "r1")
    w.add(_article())
    seg = build_pipeline(["segment"])
    w.add(seg(Article(id="a2", text="عنوان\nاجتمع الوفد في دمشق مع ممثلي سوريا.", body_start=6)))
    w.flush()
    ix = SearchIndex(tmp_path / "s.duckdb")
    assert [r["id"] for r in search(con, ix, "سورية")["items"]] == ["a2"]
    assert [r["id"] for r in search(con, ix, "لافروف")["items"]] == ["a1"]
    assert search(con, ix, "موسكو")["items"][0]["snippet"]


def test_rejects_ledger_is_idempotent(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    record_reject(con, "x.txt", "empty", "the file is empty", "r1")
    record_reject(con, "x.txt", "empty", "the file is empty", "r2")
    assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 1


def test_exports(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    w = Writer(con, "r1")
    w.add(_article())
    w.flush()
    for fmt in ("jsonl", "gold", "csv", "parquet"):
        assert export(con, fmt, tmp_path / f"out.{fmt}") == 1
    g = gold_record(get_article(con, "a1"))
    assert g["body"] == TEXT.split("\n", 1)[1]
    assert g["entities"] == [{"surface": "سيرغي لافروف", "type": "PER", "canonical": "Sergey Lavrov", "title": None}]
    assert g["times"] == [{"surface": "أمس", "value": "2016-07-20"}]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("ابتدرسمنويلة «».؟\n")), min_size=1, max_size=60), min_size=1, max_size=4
    )
)
def test_stored_spans_match_text(tmp_path_factory, texts):
    con = connect(":memory:")
    w = Writer(con, "r")
    seg = build_pipeline(["segment"])
    for i, t in enumerate(texts):
        w.add(seg(Article(id=f"d{i}", text=t)))
    w.flush()
    for aid, text in con.execute("SELECT id, text FROM articles").fetchall():
        for s, e in con.execute('SELECT start, "end" FROM sentences WHERE article_id = ?', [aid]).fetchall():
            assert 0 <= s < e <= len(text) and text[s:e].strip() == text[s:e]


@pytest.mark.slow
def test_the_writer_stays_under_its_memory_limit_past_a_thousand_articles(tmp_path):
    """The writer's 32 MB buffer pool holds every row written since the last checkpoint: ~1,000 news
    articles into a run, a batch failed with DuckDB's "Out of Memory" (the checkpoint came only at
    16 MB of log).  Here 2,000 articles of news size, with sentences and mentions, go through the
    writer in batches of 256, and what the store holds in memory is read after each batch."""
    import random
    from marsad.model import Sentence
    from marsad.store.access import WriteAccess

    rng = random.Random(7)
    words = [
        "وزير",
        "الخارجية",
        "الروسي",
        "سيرغي",
        "لافروف",
        "دمشق",
        "موسكو",
        "المحادثات",
        "الغوطة",
        "دوما",
        "قال",
        "أعلن",
        "الجيش",
        "السوري",
        "المعارضة",
        "مجلس",
        "الأمن",
        "الأمم",
        "المتحدة",
        "واشنطن",
    ]
    peak = 0
    with WriteAccess(tmp_path / "big.duckdb") as access:
        w = Writer(access, "r1")
        for i in range(2000):
            body = ". ".join(" ".join(rng.choice(words) for _ in range(20)) for _ in range(12))
            text = f"عنوان {i} {rng.randrange(10**9)}\n{body}"
            sents = tuple(Sentence(k * 100, k * 100 + 90, k) for k in range(12))
            ms = tuple(
                Mention(
                    k * 40 + 10, k * 40 + 16, text[k * 40 + 10 : k * 40 + 16], "PER", 0.9, "test", f"per:x{k}", f"X {k}"
                )
                for k in range(25)
            )
            w.add(
                Article(
                    id=f"a{i}",
                    text=text,
                    headline=text.split("\n")[0],
                    body_start=text.index("\n") + 1,
                    source=f"s:{i}",
                    sentences=sents,
                    mentions=ms,
                    published=date(2018, 4, 1),
                )
            )
            if i % 256 == 255:
                with access.connection() as con:
                    peak = max(peak, con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0])
        w.flush()
        assert w.stored == 2000
    assert peak < 12 * 2**20, f"{peak / 2**20:.1f} MB held in memory of the writer's 32 MB"


def test_events_keep_their_origin_and_every_evidence_span(tmp_path):
    """An event's origin and the other evidence spans of its occasion are stored and read back."""
    from dataclasses import replace

    a = _article()
    e = a.events[0]
    i = TEXT.index("وقال")
    e = replace(e, origin="encoder", more_evidence=((i, i + 10), (i + 12, i + 20)))
    a = replace(a, events=(e,))
    con = connect(tmp_path / "s.duckdb")
    w = Writer(con, "r1")
    w.add(a)
    w.flush()
    b = get_article(con, "a1")
    assert b.events == (e,)
    assert all(b.text[x:y] for x, y in b.events[0].more_evidence)


def test_a_version_3_store_is_migrated(tmp_path):
    """A store written before events had ``origin`` and ``more_evidence`` (schema 3) opens, gains
    the columns, keeps its events (read with the fields' defaults) and takes new ones."""
    from marsad.store.schema import SCHEMA_VERSION

    path = tmp_path / "old.duckdb"
    con = connect(path)
    w = Writer(con, "r1")
    w.add(_article())
    w.flush()
    con.execute("ALTER TABLE events DROP COLUMN origin")
    con.execute("ALTER TABLE events DROP COLUMN more_evidence")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    con = connect(path)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
    old = get_article(con, "a1").events[0]
    assert (old.origin, old.more_evidence, old.source) == ("", (), ("Sergey Lavrov",))
    w = Writer(con, "r2")
    w.add(_article(id="a2", text=TEXT + " وأضاف."))
    w.flush()
    assert get_article(con, "a2").events[0].source == ("Sergey Lavrov",)
