import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from marsad.extract.event_lexicon import PLOVER_TYPES, find_triggers, load_lexicon
from marsad.extract.events import EventStep
from marsad.model import Article, Mention, TimeExpr
from marsad.text.segment import segment, tokenize

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# our own example sentences
TEXT = ("لقاء في موسكو\n"
        "وفي موسكو، التقى وزير الخارجية الروسي سيرغي لافروف أمس نظيره السوري وليد المعلم، وبحثا الأوضاع في المنطقة.\n"
        "ونفت وزارة الخارجية السورية أن يكون المعلم قد اجتمع مع أي مسؤول أمريكي خلال الزيارة.\n"
        "ومن المقرر أن يلتقي لافروف مع المبعوث الأممي غير بيدرسون الأسبوع المقبل في جنيف.\n"
        "وطالب المعلم الولايات المتحدة بسحب قواتها من سوريا فوراً، متهماً واشنطن بدعم الإرهاب.\n"
        "وسيطر الجيش السوري على بلدة كفرحمرة في ريف حلب الشمالي بعد اشتباكات عنيفة.\n")

ENTS = [("سيرغي لافروف", "PER", "Sergey Lavrov"), ("لافروف", "PER", "Sergey Lavrov"),
        ("وليد المعلم", "PER", "Walid Muallem"), ("المعلم", "PER", "Walid Muallem"),
        ("موسكو", "GPE", "Moscow"), ("الروسي", "NORP", "Russia"), ("السوري", "NORP", "Syria"),
        ("وزارة الخارجية السورية", "ORG", "Syrian Ministry of Foreign Affairs"),
        ("غير بيدرسون", "PER", "Geir Pedersen"), ("جنيف", "GPE", "Geneva"),
        ("الولايات المتحدة", "GPE", "United States"), ("سوريا", "GPE", "Syria"), ("واشنطن", "GPE", "Washington, D.C."),
        ("الجيش السوري", "ORG", "Syrian Arab Army"), ("كفرحمرة", "GPE", "Kafr Hamra"), ("حلب", "GPE", "Aleppo"),
        ("أمريكي", "NORP", "United States")]


def mentions(text, ents):
    out, taken = [], []
    for surf, typ, canon in sorted(ents, key=lambda e: -len(e[0])):
        for m in re.finditer(r"(?<!\w)(?:[وفبكل]{0,2})(" + re.escape(surf) + r")(?!\w)", text):
            s, e = m.span(1)
            if any(s < b and a < e for a, b in taken):
                continue
            taken.append((s, e))
            out.append(Mention(s, e, text[s:e], typ, 1.0, "test", canon, canon))
    return tuple(sorted(out, key=lambda m: m.start))


def article(text=TEXT, ents=ENTS, times=()):
    sents = segment(text)
    first = text.split("\n", 1)[0]
    return Article(id="t1", text=text, headline=first, body_start=len(first) + 1, published=date(2019, 4, 26),
                   sentences=sents, tokens=tokenize(text, sents), mentions=mentions(text, ents), times=times)


@pytest.fixture(scope="module")
def coded():
    i = TEXT.index("أمس")
    return EventStep()(article(times=(TimeExpr(i, i + 3, "أمس", "2019-04-25", "day", "test"),)))


def test_lexicon_is_valid_and_covers_inflections():
    lex = load_lexicon()
    assert {e.type for e, _, _ in lex} <= set(PLOVER_TYPES)
    for form, typ in [("اجتمعوا", "CONSULT"), ("يجتمعان", "CONSULT"), ("التقيا", "CONSULT"), ("وطالبت", "REQUEST"),
                      ("اتهموا", "ACCUSE"), ("وتظاهر", "PROTEST"), ("غارات جوية", "ASSAULT"), ("هدّدت", "THREATEN"),
                      ("سيطرت", "COERCE")]:
        assert any(t.entry.type == typ for t in find_triggers(f"قال إن القوات {form} على البلدة")), form


def test_meeting_with_source_target_place_and_date(coded):
    ev = [e for e in coded.events if e.type == "CONSULT" and e.status == "realized"]
    assert ev, coded.events
    e = ev[0]
    assert e.source == ("Sergey Lavrov",) and e.target == ("Walid Muallem",)
    assert e.location == "Moscow" and e.date == "2019-04-25" and not e.date_from_published
    assert e.cameo.startswith("04")


def test_negated_and_planned_events_are_marked(coded):
    st = {(e.type, e.status) for e in coded.events}
    assert ("CONSULT", "planned") in st      # 'ومن المقرر أن يلتقي'
    meets = [e for e in coded.events if e.type == "CONSULT"]
    assert not any("اجتمع مع أي مسؤول" in e.evidence and e.status == "realized" for e in meets)


def test_request_accuse_and_control(coded):
    types = {e.type: e for e in coded.events if e.status == "realized"}
    assert types["REQUEST"].source == ("Walid Muallem",)
    assert "United States" in types["REQUEST"].target
    assert types["ACCUSE"].source == ("Walid Muallem",)
    assert types["COERCE"].mode == "control-territory" and types["COERCE"].source == ("Syrian Arab Army",)


def test_date_falls_back_to_publication_with_flag(coded):
    e = next(e for e in coded.events if e.type == "COERCE")
    assert e.date == "2019-04-26" and e.date_from_published


def test_evidence_is_verbatim_and_sized(coded):
    assert coded.events
    for e in coded.events:
        assert coded.text[e.start:e.end] == e.evidence
        assert 30 <= len(e.evidence) <= 200, e.evidence
        assert e.start <= e.trigger_start < e.trigger_end <= len(coded.text)


def test_headline_is_not_coded(coded):
    assert all(e.start >= coded.body_start for e in coded.events)


def test_no_actor_no_event():
    text = "خبر\nوعقد أحد عشر اجتماعاً بصيغة أستانا خلال السنوات الماضية.\n"
    a = EventStep()(article(text, []))
    assert not [e for e in a.events if e.type == "CONSULT"]


def test_step_contract():
    s = EventStep()
    assert s.name == "events" and s.requires == ("sentences", "tokens", "mentions") and "events" in s.assigns


def test_seed_evidence_verbatim(shared):
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import seeds_events as bench
    gold = [json.loads(x) for x in open(shared / "gold" / "seeds.jsonl", encoding="utf-8") if x.strip()]
    n = 0
    for g in gold:
        _, a = bench.predict(g)
        for e in a.events:
            assert a.text[e.start:e.end] == e.evidence
            assert 30 <= len(e.evidence) <= 200
            n += 1
    assert n >= 30


def test_seed_scores_hold_floor(shared):
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import seeds_events as bench
    r = bench.run()
    assert r["events"]["f1"] >= 0.60 and r["events_full"]["f1"] >= 0.50, r


# --- exports ----------------------------------------------------------------------------------------
def test_plover_records_validate_against_schema(coded):
    jsonschema = pytest.importorskip("jsonschema")
    from marsad.extract.plover import load_schema, plover_records, acled_rows, geojson
    schema = load_schema()
    recs = list(plover_records([coded]))
    assert recs
    for r in recs:
        jsonschema.validate(r, schema)
        assert r["event_text"][0] in coded.text
        assert r["status"] == "realized"
    bad = dict(recs[0], event=["FIGHTING"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    rows = list(acled_rows([coded]))
    assert len(rows) == len(recs) and all(coded.text[r["evidence_start"]:r["evidence_end"]] == r["notes"] for r in rows)
    located = replace(coded, events=tuple(replace(e, lat=55.75, lon=37.62) if e.location == "Moscow" else
                                          replace(e, lat=None, lon=None) for e in coded.events))
    fc = geojson([located])
    assert fc["type"] == "FeatureCollection" and fc["features"]
    assert all(f["geometry"]["coordinates"] == [37.62, 55.75] for f in fc["features"])  # GeoJSON: lon, lat


def test_export_formats_through_the_store(tmp_path, coded):
    from marsad.store.db import Writer, connect
    import marsad.extract.plover  # noqa: F401  (registers the formats)
    from marsad.store.export import export
    con = connect(tmp_path / "s.duckdb")
    w = Writer(con, "r1")
    w.add(coded)
    w.flush()
    n = export(con, "plover", tmp_path / "p.jsonl")
    assert n == sum(1 for e in coded.events if e.status == "realized")
    for line in open(tmp_path / "p.jsonl", encoding="utf-8"):
        r = json.loads(line)
        s, e = r["text_info"]["start"], r["text_info"]["end"]
        assert coded.text[s:e] == r["event_text"][0]
    assert export(con, "acled", tmp_path / "a.csv") == n
    located = sum(1 for e in coded.events if e.status == "realized" and e.lat is not None)
    assert export(con, "geojson", tmp_path / "g.json") == located
    fc = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert all(-180 <= f["geometry"]["coordinates"][0] <= 180 for f in fc["features"])
    from marsad.cli_events import query_events
    rows = query_events(con, actor="sergey lavrov", typ="CONSULT")
    assert rows and all(r["type"] == "CONSULT" for r in rows)
    assert not query_events(con, since=date(2030, 1, 1))
