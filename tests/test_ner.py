"""Arabic NER: the shipped model, the BIO contract, and conlleval-style scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.extract.ner import NerTagger
from marsad.extract.ner.conll import ConllError, read_conll
from marsad.extract.ner.evaluate import evaluate_file, score, spans
from marsad.extract.ner.features import fold

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
LABELS = {"O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"}


@pytest.fixture(scope="module")
def tagger():
    return NerTagger.load()


def _valid_bio(labels):
    prev = "O"
    for lab in labels:
        if lab.startswith("I-") and (prev == "O" or prev[2:] != lab[2:]):
            return False
        prev = lab
    return True


def test_tags_obvious_names(tagger):
    sents = [
        "التقى الرئيس المصري عبد الفتاح السيسي في القاهرة وزير الخارجية الأمريكي .".split(),
        "وصل رئيس الوزراء إلى باريس أمس .".split(),
    ]
    out = tagger.tag(sents)
    assert [len(s) for s in out] == [len(s) for s in sents]
    labs = [lab for lab, _ in out[0]]
    i = sents[0].index("القاهرة")
    assert labs[i] == "B-LOC"
    assert labs[sents[0].index("السيسي")] in ("I-PERS", "B-PERS")
    assert [lab for lab, _ in out[1]][sents[1].index("باريس")] == "B-LOC"


def test_labels_valid_and_confidences(tagger):
    sents = [
        "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو ترحب بالاتفاق .".split(),
        [],
        ["."],
        "أعلنت الأمم المتحدة في جنيف أن المبعوث ستافان دي ميستورا سيزور دمشق".split(),
    ]
    out = tagger.tag(sents)
    assert out[1] == []
    for s, o in zip(sents, out):
        assert len(s) == len(o)
        labs = [lab for lab, _ in o]
        assert set(labs) <= LABELS
        assert _valid_bio(labs)
        assert all(0.0 <= c <= 1.0 for _, c in o)


def test_diacritics_and_tatweel_are_folded(tagger):
    plain = "زار الرئيس الفرنسي إيمانويل ماكرون بيروت".split()
    marked = "زَارَ الرَّئِيسُ الفـرنسـي إيمانويل ماكرون بَيْرُوت".split()
    assert fold(marked[0]) == fold(plain[0]) == "زار"
    a, b = tagger.tag([plain, marked])
    assert [x for x, _ in a] == [x for x, _ in b]


def test_batching_does_not_change_labels(tagger):
    s = "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو ترحب بالاتفاق".split()
    long = ("و" + " كلمة" * 60).split()
    alone = tagger.tag([s])[0]
    together = tagger.tag([long, s, s[:3]])[1]
    assert [x for x, _ in alone] == [x for x, _ in together]
    for (_, c1), (_, c2) in zip(alone, together):
        assert abs(c1 - c2) < 1e-3


def test_emissions_do_not_depend_on_padding(tagger):
    """The body's LSTM reads each sentence within its own length (sequence_lens): a sentence's
    emissions are bit-identical next to a short or a long neighbour, at the front or behind it."""
    import numpy as np

    s = "وصل المبعوث الأممي غير بيدرسون إلى دمشق أمس والتقى وزير الخارجية".split()
    long = ("و" + " كلمة" * 40).split()
    e1, _ = tagger.emissions([s, s[:3]])
    e2, _ = tagger.emissions([long, s])
    e3, _ = tagger.emissions([s, long[:20], s[:5]])
    n = len(s)
    assert np.array_equal(e1[0, :n], e2[1, :n]) and np.array_equal(e1[0, :n], e3[0, :n])


def test_shipped_body_fuses_each_lstm_pair():
    onnx = pytest.importorskip("onnx")
    from marsad.extract.ner.model import default_model_dir
    from marsad.extract.ner.onnx_graphs import fuse_bilstm

    m = onnx.load(str(default_model_dir() / "tagger_body.onnx"))
    lstms = [n for n in m.graph.node if n.op_type == "LSTM"]
    assert len(lstms) == 1
    assert {a.name: a.s for a in lstms[0].attribute}.get("direction") == b"bidirectional"
    assert not [n for n in m.graph.node if n.op_type == "GatherElements"]
    assert fuse_bilstm(m) is m or len(fuse_bilstm(m).graph.node) == len(m.graph.node)


def test_spans_conlleval_semantics():
    assert spans(["B-PERS", "I-PERS", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG"]) == {
        (0, 2, "PERS"),
        (3, 5, "LOC"),
        (5, 6, "LOC"),
        (6, 7, "ORG"),
    }


def test_evaluate_file_exact_figures(tmp_path):
    # gold: PERS[0:2], LOC[3:4], ORG[5:7], LOC[8:9]  (4 spans)
    gold = [
        ("محمد", "B-PERS"),
        ("علي", "I-PERS"),
        ("في", "O"),
        ("القاهرة", "B-LOC"),
        ("مع", "O"),
        ("الأمم", "B-ORG"),
        ("المتحدة", "I-ORG"),
        ("و", "O"),
        ("باريس", "B-LOC"),
    ]
    f = tmp_path / "tiny.txt"
    f.write_text(
        "\n".join(f"{w} {l}" for w, l in gold[:5]) + "\n\n" + "\n".join(f"{w} {l}" for w, l in gold[5:]) + "\n",
        encoding="utf-8",
    )

    class Fixed:  # predicts PERS[0:2] (right), LOC[3:4] as ORG (wrong type), ORG[5:6] (wrong end),
        # LOC[8:9] (right), MISC[4:5] (spurious)  -> tp 2, pred 5, gold 4
        def tag(self, sents):
            assert [len(s) for s in sents] == [5, 4]
            return [
                [("B-PERS", 1.0), ("I-PERS", 1.0), ("O", 1.0), ("B-ORG", 1.0), ("B-MISC", 1.0)],
                [("B-ORG", 1.0), ("O", 1.0), ("O", 1.0), ("B-LOC", 1.0)],
            ]

    r = evaluate_file(f, Fixed())
    assert r["tokens"] == 9
    assert r["micro"] == {"p": 40.0, "r": 50.0, "f1": 44.44}
    assert r["per_type"]["PERS"] == {"p": 100.0, "r": 100.0, "f1": 100.0, "support": 1}
    assert r["per_type"]["LOC"] == {"p": 100.0, "r": 50.0, "f1": 66.67, "support": 2}
    assert r["per_type"]["ORG"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 1}
    assert r["per_type"]["MISC"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 0}


def test_score_rejects_misaligned():
    with pytest.raises(ValueError):
        score([["O", "B-LOC"]], [["O"]])


def test_bad_conll_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConllError, match="not found"):
        read_conll(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("كلمة\n", encoding="utf-8")
    with pytest.raises(ConllError, match="expected 'token label'"):
        read_conll(bad)


# The shipped model's figures (docs/ner.md).  Issue 8's bar is 78.0 on the official file and is NOT
# met (72.28; issue 17's bar for `fast`, 72, is): these are regression gates at the shipped level.
# Raise them whenever a better model ships.
SHIPPED_F1 = {"ANERCorp_CamelLab_test.txt": 72.0, "ANERCorp_CamelLab_test_repaired.txt": 73.5}


@pytest.mark.parametrize("name", sorted(SHIPPED_F1))
def test_test_set_f1_does_not_regress(name):
    test = SHARED / "ner" / "anercorp" / name
    if not test.is_file():
        pytest.skip("../shared is absent")
    r = evaluate_file(test)
    assert r["tokens"] > 20000
    assert r["micro"]["f1"] >= SHIPPED_F1[name], r["micro"]


def test_concurrent_calls_match_serial(tagger):
    from concurrent.futures import ThreadPoolExecutor

    sents = [
        "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو ترحب بالاتفاق".split(),
        "وصل رئيس الوزراء إلى باريس أمس".split(),
        "أعلنت الأمم المتحدة في جنيف أن المبعوث سيزور دمشق".split(),
    ] * 5
    serial = tagger.tag(sents)
    with ThreadPoolExecutor(4) as ex:
        parallel = list(ex.map(lambda s: tagger.tag([s])[0], sents))
    assert [[x for x, _ in s] for s in parallel] == [[x for x, _ in s] for s in serial]


def test_recall_on_names_seen_and_unseen_in_training():
    from marsad.extract.ner.evaluate import names_of, recall_by_seen

    train = [(["زار", "لافروف", "دمشق"], ["O", "B-PERS", "B-LOC"])]
    test = [
        (["التقى", "لافروف", "بوغدانوف"], ["O", "B-PERS", "B-PERS"]),
        (["في", "دمشق", "وعمان"], ["O", "B-LOC", "B-LOC"]),
    ]
    pred = [["O", "B-PERS", "O"], ["O", "B-LOC", "B-LOC"]]
    assert names_of(train) == {"لافروف", "دمشق"}
    r = recall_by_seen(test, pred, names_of(train))
    assert r == {"seen": {"r": 100.0, "support": 2}, "unseen": {"r": 50.0, "support": 2}}
    wrong_type = [["O", "B-LOC", "O"], ["O", "O", "O"]]
    assert recall_by_seen(test, wrong_type, names_of(train))["seen"]["r"] == 0.0
