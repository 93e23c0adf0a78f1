"""The learned event layer: CRF trigger tagger and role labeller (marsad.extract.events.learned),
their training (marsad.lab.train_events) and the events step that uses them."""

import json
from pathlib import Path

import pytest

from marsad.extract.events import EventStep
from marsad.extract.events import learned
from marsad.extract.events.coding import merge
from marsad.extract.events.context import EventContext
from marsad.lab import train_events
from marsad.model import Event

from test_events import ENTS, TEXT, article

pytest.importorskip("pycrfsuite")

# our own sentences: attacks coded ASSAULT (قصف/استهدف), meetings CONSULT (التقى/اجتمع)
TRAIN = [("قصف", "ASSAULT"), ("استهدف", "ASSAULT"), ("التقى", "CONSULT"), ("اجتمع", "CONSULT")]
FILL = ["الجيش", "السوري", "بلدة", "كفرحمرة", "امس", "في", "ريف", "حلب", "مع", "الوزير"]


def _synthetic(n: int = 40):
    """Word sequences with one trigger each (BIO labels with the type) and their features."""
    X, Y = [], []
    for i in range(n):
        word, typ = TRAIN[i % len(TRAIN)]
        words = FILL[i % 3 : i % 3 + 3] + [word] + FILL[5 + i % 3 : 8 + i % 3]
        X.append([["b", f"w={w}"] + ([f"w-1={words[k - 1]}"] if k else []) for k, w in enumerate(words)])
        Y.append(["B-" + typ if w == word else "O" for w in words])
    return X, Y


def test_training_on_a_tiny_set_learns_the_triggers(tmp_path):
    import pycrfsuite

    X, Y = _synthetic()
    train_events.fit(X, Y, tmp_path / "t.crfsuite", c1=0.0, c2=0.01, iters=50)
    tg = pycrfsuite.Tagger()
    tg.open(str(tmp_path / "t.crfsuite"))
    # an unseen order of the same words: the trigger words are found and typed
    seq = ["حلب", "استهدف", "الجيش", "ثم", "التقى", "الوزير"]
    tags = tg.tag([["b", f"w={w}"] + ([f"w-1={seq[k - 1]}"] if k else []) for k, w in enumerate(seq)])
    assert tags[1] == "B-ASSAULT" and tags[4] == "B-CONSULT"
    assert tags[0] == tags[2] == tags[5] == "O"


def test_decoding_keeps_multiword_triggers_and_offsets():
    toks = [learned.Tok(0, 3, "عقد"), learned.Tok(4, 10, "اجتماع"), learned.Tok(11, 13, "مع")]
    sp = learned.decode(toks, ["B-CONSULT", "I-CONSULT", "O"], [0.9, 0.8, 0.99])
    assert sp == [learned.Span("CONSULT", 0, 10, 0.8)]


def test_merge_keeps_one_event_per_occasion():
    a = Event("ASSAULT", "airstrike", 0, 40, "x" * 40, ("Turkey",), ("ISIS",), date="2019-01-02")
    b = Event("ASSAULT", "airstrike", 50, 90, "y" * 40, ("Turkey",), ("ISIS",), date="2019-01-02")
    c = Event("ASSAULT", "airstrike", 100, 140, "z" * 40, ("Turkey",), ("ISIS",), date="2019-01-05")
    d = Event("ASSAULT", "airstrike", 150, 190, "w" * 40, ("Turkey",), ("ISIS",), date="2019-01-02")
    from dataclasses import replace

    # the later reports of the first strike are folded into it: their evidence spans travel with it
    assert merge([a, b, c, d]) == [replace(a, more_evidence=((50, 90), (150, 190))), c]
    # an event with no actor is never folded (nothing says it is the same act)
    n1 = Event("ASSAULT", "airstrike", 0, 40, "x" * 40)
    n2 = Event("ASSAULT", "airstrike", 50, 90, "y" * 40)
    assert merge([n1, n2]) == [n1, n2]


@pytest.fixture(scope="module")
def model():
    m = learned.load()
    if m is None:
        pytest.skip("no shipped learned event model (marsad train events)")
    return m


def test_shipped_model_loads_with_its_metadata(model):
    meta = json.loads((learned.MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["trained_on"] == "data/corpus/train.jsonl"
    assert "O" in model.labels and any(lab.startswith("B-") for lab in model.labels)
    for f in learned.MODEL_DIR.iterdir():
        assert f.stat().st_size < 30 * 1024 * 1024


def test_learned_events_are_verbatim_and_carry_status_and_confidence(model):
    a = EventStep(model=model)(article(TEXT, ENTS))
    assert a.events
    for e in a.events:
        assert a.text[e.start : e.end] == e.evidence
        assert 30 <= e.end - e.start <= 200
        assert e.start <= e.trigger_start < e.trigger_end <= e.end or e.trigger_start >= 0
        assert e.status in ("realized", "negated", "planned", "conditional")
        assert 0.0 < e.confidence <= 1.0
        assert e.source or e.type in model.actorless, e  # no identifiable actor: not coded
    assert "ASSAULT" in {e.type for e in a.events} or "COERCE" in {e.type for e in a.events}


def test_role_features_see_the_preposition_and_side(model):
    a = article("عنوان\nقال لافروف إن الطائرات شنت غارات على الجيش السوري في حلب أمس.\n", ENTS)
    ctx = EventContext(a, None, 0.2)
    t0 = a.text.index("شنت")
    t = learned.synthetic(learned.Span("ASSAULT", t0, t0 + 3, 1.0), {})
    cands, feats = train_events.role_items(ctx, t, ctx.sentence_of(t0))
    by = {m.text: f for m, f in zip(cands, feats)}
    assert "side=A" in by["الجيش السوري"] and "prep=علي" in by["الجيش السوري"]
    assert "prep=في" in by["حلب"] and "side=B" in by["لافروف"]


def test_step_without_a_model_reads_with_the_rules():
    a = EventStep(model=None)(article(TEXT, ENTS))
    assert {e.type for e in a.events} >= {"CONSULT", "REQUEST"}


def test_load_of_a_missing_directory_is_none(tmp_path):
    assert learned.load(tmp_path) is None
    assert learned.load(Path(tmp_path) / "nowhere") is None


def test_training_is_deterministic(tmp_path):
    X, Y = _synthetic()
    train_events.fit(X, Y, tmp_path / "a.crfsuite", c1=0.1, c2=0.1, iters=30)
    train_events.fit(X, Y, tmp_path / "b.crfsuite", c1=0.1, c2=0.1, iters=30)
    assert (tmp_path / "a.crfsuite").read_bytes() == (tmp_path / "b.crfsuite").read_bytes()


def test_gold_spans_follow_the_cleaned_text():
    old = "عنوان\nقصف الجيش البلدة.\n\xa0\nوالتقى الوزير نظيره.\n"
    new = old.replace("\n\xa0\n", "\n")
    i = old.index("والتقى")
    rec = {
        "events": [
            {"type": "CONSULT", "trigger": [i, i + 6], "source_spans": [[i + 7, i + 13]], "target_spans": [None]}
        ]
    }
    e = train_events.realign(rec, old, new)["events"][0]
    assert new[e["trigger"][0] : e["trigger"][1]] == "والتقى"
    assert new[e["source_spans"][0][0] : e["source_spans"][0][1]] == "الوزير"
    assert e["target_spans"] == [None]


class _StubEncoder:
    """An encoder trigger tagger that is sure of some words (the E5Tagger interface: labels, emissions)."""

    labels = ("O", "B-ASSAULT", "I-ASSAULT", "B-CONSULT", "I-CONSULT")

    def __init__(self, sure: dict):
        self.sure = sure
        self.seen: list = []

    def emissions(self, sents):
        import numpy as np

        self.seen += sents
        out = []
        for words in sents:
            p = np.full((len(words), len(self.labels)), 0.01)
            for k, w in enumerate(words):
                p[k, self.labels.index(self.sure.get(w, "O"))] = 0.96
            out.append(np.log(p / p.sum(1, keepdims=True)))
        return out


def test_the_encoder_reading_of_triggers(model):
    """With an encoder tagger: alone (``enc``) its triggers only, typed by it, over the original
    surfaces; ``max`` the CRFs' triggers as well."""
    a = article("عنوان\nاستقبل الرئيس الأسد وزير الخارجية لافروف في دمشق.\n", ENTS)
    ctx = EventContext(a, None, 0.2)
    s = next(x for x in a.sentences if x.start >= a.body_start)
    hits = learned.lexicon_hits(ctx)
    m = learned.load()
    crf = m.triggers(ctx, s, hits)
    m.encoder = _StubEncoder({"استقبل": "B-CONSULT", "الأسد": "O"})
    m.min_encoder = 0.3
    m.encoder_mode = "enc"
    got = m.triggers(ctx, s, hits)
    i = a.text.index("استقبل")
    assert [(sp.type, sp.start, sp.end) for sp in got] == [("CONSULT", i, i + len("استقبل"))]
    assert m.encoder.seen[0][:3] == ["استقبل", "الرئيس", "الأسد"]  # surfaces, not folded
    m.encoder_mode = "max"
    both = {(sp.type, sp.start) for sp in m.triggers(ctx, s, hits)}
    assert ("CONSULT", i) in both and {(sp.type, sp.start) for sp in crf} <= both
