"""The annotated corpus (data/corpus): its validator, its compact form and the annotators' tool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.lab.corpus import annot, annot_io, corpus

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEXT = (
    "لافروف يلتقي الصفدي\nالتقى وزير الخارجية الروسي سيرغي لافروف نظيره الأردني أيمن الصفدي في موسكو أمس، "
    "وقال لافروف إن «الحل السياسي ممكن». وأكد الصفدي لوسائل الإعلام أن الأردن يدعم الحل، وفق وكالة «بترا»."
)


def _draft():
    return {
        "id": "x1",
        "published": "2018-07-05",
        "published_basis": "test",
        "outlet": {"surface": None, "name_en": None},
        "headline": "لافروف يلتقي الصفدي",
        "boilerplate": [],
        "byline": None,
        "entities": [
            {"surface": "لافروف", "type": "PER", "canonical": "Sergey Lavrov", "title": None},
            {"surface": "سيرغي لافروف", "type": "PER", "canonical": "Sergey Lavrov", "title": "وزير الخارجية الروسي"},
            {"surface": "الأردن", "type": "GPE", "canonical": "Jordan", "title": None},
        ],
        "quotes": [
            {
                "speaker": "Sergey Lavrov",
                "speaker_surface": "لافروف",
                "cue": "وقال",
                "kind": "direct",
                "text": "الحل السياسي ممكن",
            }
        ],
        "events": [
            {
                "type": "CONSULT",
                "mode": "meet",
                "source": ["Sergey Lavrov", "Ayman Safadi"],
                "target": [],
                "location": None,
                "date": "2018-07-04",
                "evidence": "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الأردني أيمن الصفدي في موسكو أمس",
                "trigger": "التقى",
                "source_surfaces": ["سيرغي لافروف", "أيمن الصفدي"],
            }
        ],
        "times": [{"surface": "أمس", "value": "2018-07-04", "precision": "day"}],
        "attributions": [{"surface": "وفق وكالة «بترا»", "source": "Petra"}],
    }


def test_locate_finds_word_mentions_with_proclitics_only():
    p = annot_io.Problems()
    rec = annot.locate(_draft(), TEXT, p)
    assert not p, p
    lav = rec["entities"][0]["mention_spans"]
    # «لافروف» three times as a word (inside «سيرغي لافروف» too), never inside another word
    assert [TEXT[s:e] for s, e in lav] == ["لافروف"] * 3
    jordan = rec["entities"][2]["mention_spans"]
    assert [TEXT[s:e] for s, e in jordan] == ["الأردن"]  # not inside «الأردني»
    ev = rec["events"][0]
    assert TEXT[ev["trigger"][0] : ev["trigger"][1]] == "التقى"
    assert [TEXT[s:e] for s, e in ev["source_spans"]] == ["سيرغي لافروف", "أيمن الصفدي"] and ev["target_spans"] == []
    q = rec["quotes"][0]
    assert (
        TEXT[q["speaker_span"][0] : q["speaker_span"][1]] == "لافروف" and q["speaker_span"][0] > ev["evidence_span"][1]
    )
    checked = annot_io.Problems()
    annot_io.check_offsets(rec, TEXT, checked)
    assert not checked


def test_locate_reports_what_is_not_verbatim():
    d = _draft()
    d["events"][0]["trigger"] = "اجتمع"
    d["entities"][0]["surface"] = "لافروفف"
    p = annot_io.Problems()
    annot.locate(d, TEXT, p)
    assert any("trigger" in x for x in p) and any("لافروفف" in x for x in p)


def test_compact_keeps_no_article_words_and_expands_back():
    p = annot_io.Problems()
    rec = annot.locate(_draft(), TEXT, p)
    small = corpus.compact(rec, TEXT)
    flat = json.dumps(small, ensure_ascii=False)
    for words in ("التقى وزير", "الحل السياسي", "لافروف", "وفق وكالة"):
        assert words not in flat
    back = corpus.expand(small, TEXT)
    assert annot_io.strip_offsets(back) == annot_io.strip_offsets({**rec, "file": "x1.txt"})
    assert back["entities"][1]["title"] == "وزير الخارجية الروسي"


@pytest.mark.skipif(
    not (SHARED / "corpus" / "ant_unlabeled.jsonl").exists() or not corpus.path("test").exists(),
    reason="needs ../shared and data/corpus",
)
def test_corpus_files_validate():
    """What CI guards: offsets give their surfaces, check_gold.py passes, no reserved id, no article
    or near-duplicate group in two splits, the test split large enough."""
    assert corpus.check(SHARED) == []
    s = corpus.stats()
    assert s["test"]["articles"] >= 80 and s["dev"]["articles"] >= 40


@pytest.mark.skipif(
    not (SHARED / "corpus" / "ant_unlabeled.jsonl").exists() or not corpus.path("double_train").exists(),
    reason="needs ../shared and data/corpus",
)
def test_train_batches_annotated_twice_are_scored_against_their_train_records(tmp_path):
    """`marsad corpus agreement --set train`: every second annotation of a train batch has its train
    record, and the two are scored with score.py (they agree far more than chance, less than perfectly)."""
    s = corpus.agreement(SHARED, tmp_path, which="train")
    train_ids = {r["id"] for r in corpus.load("train")}
    assert (
        s["_articles"] == len(corpus.load("double_train"))
        and {r["id"] for r in corpus.load("double_train")} <= train_ids
    )
    assert 0.5 < s["events"]["f1"] < 1.0 and s["entities"]["f1"] > 0.8
