"""The learned event layer: CRF trigger tagger and role labeller (marsad.extract.events.learned),
their training (marsad.lab.train_events) and the events step that uses them."""

import json
from pathlib import Path

import pytest

from marsad.extract.events import EventStep
from marsad.extract.events import learned
from marsad.extract.events.coding import merge
from marsad.extract.events.context import EventContext
from marsad.extract.events.words import Tok
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
    toks = [Tok(0, 3, "عقد"), Tok(4, 10, "اجتماع"), Tok(11, 13, "مع")]
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


def test_cv_folds_are_balanced_and_do_not_depend_on_the_order():
    from collections import Counter

    ids = [f"AL-{i}" for i in range(23)]
    fold = train_events.folds_of(ids, 5, 13)
    assert fold == train_events.folds_of(list(reversed(ids)), 5, 13)
    sizes = Counter(fold.values())
    assert set(sizes) == set(range(5)) and max(sizes.values()) - min(sizes.values()) <= 1
    assert fold != train_events.folds_of(ids, 5, 7)


def test_cv_refuses_an_unknown_setting_before_training(tmp_path):
    with pytest.raises(ValueError, match="no_such"):
        train_events.cross_validate(tmp_path, k=2, pairs=[], variants={"x": {"no_such": 1}})


@pytest.mark.slow
def test_cv_reads_each_article_with_a_model_not_trained_on_it(shared, monkeypatch, tmp_path):
    from marsad.lab.corpus import corpus

    real_expanded = corpus.expanded
    # twelve train articles through the pipeline (the split has hundreds)
    monkeypatch.setattr(corpus, "expanded", lambda split, sh, *a: _first(real_expanded(split, sh, *a)))
    pairs = train_events.pipeline_pairs("train", shared)
    monkeypatch.undo()
    ids = sorted(r["id"] for r, _ in pairs)
    trained, real_train = [], train_events.train

    def spy(out, sh, seed=13, pairs=None, **kw):
        trained.append({r["id"] for r, _ in pairs})
        return real_train(out, sh, seed=seed, pairs=pairs, **kw)

    monkeypatch.setattr(train_events, "train", spy)
    r = train_events.cross_validate(
        shared, k=3, seed=13, pairs=pairs, variants={"loose": {"min_trigger": 0.1}}, reuse=tmp_path
    )
    fold = train_events.folds_of(ids, 3, 13)
    assert trained == [{i for i in ids if fold[i] != f} for f in range(3)]
    assert r["articles"] == 12 and r["gold_events"] > 0 and len(r["events_f1_per_fold"]) == 3
    for d in (r, r["variants"]["loose"]):
        assert 0.0 <= d["events_full"]["f1"] <= d["events"]["f1"] <= 1.0
    assert r["variants"]["loose"]["settings"] == {"min_trigger": 0.1}
    # the kept fold models are read again, not retrained, and read the same
    again = train_events.cross_validate(shared, k=3, seed=13, pairs=pairs, reuse=tmp_path)
    assert len(trained) == 3 and again["events"] == r["events"]


def _first(split_data, n=12):
    recs, arts = split_data
    recs = sorted(recs, key=lambda x: x["id"])[:n]
    return recs, {x["id"]: arts[x["id"]] for x in recs}


def test_misses_report_names_the_furthest_stage_reached():
    from types import SimpleNamespace as NS

    from helpers import ROOT, load_script

    bench = load_script(ROOT / "bench" / "event_misses.py")
    gold = {"type": "ASSAULT", "trigger": [10, 14]}
    ev = lambda typ, status="realized", s=11: NS(type=typ, status=status, trigger_start=s, trigger_end=s + 3)  # noqa: E731
    span = lambda typ: NS(type=typ, start=9, end=13)  # noqa: E731
    hit = lambda typ: NS(entry=NS(type=typ), start=12, end=16)  # noqa: E731
    assert bench.stage(gold, [ev("ASSAULT")], [], []) == "coded"
    assert bench.stage(gold, [ev("ASSAULT", "planned")], [], []) == "coded, other status"
    assert bench.stage(gold, [ev("COERCE")], [span("ASSAULT")], []) == "coded, other type"
    assert bench.stage(gold, [ev("ASSAULT", s=20)], [span("ASSAULT")], []) == "tagged, not coded"
    assert bench.stage(gold, [], [span("PROTEST")], [hit("ASSAULT")]) == "tagged, other type"
    assert bench.stage(gold, [], [], [hit("ASSAULT")]) == "lexicon hit, not coded"
    assert bench.stage(gold, [], [], [hit("PROTEST")]) == "lexicon hit, other type"
    assert bench.stage(gold, [], [NS(type="ASSAULT", start=14, end=18)], []) == "nothing"  # touches, no overlap


class _Detector:
    """A GSR sentence detector that gives every sentence the same probability."""

    def __init__(self, p: float):
        self.p = p

    def score(self, sentence: str, typ: str) -> float:
        return self.p


def test_the_models_detector_gate_and_the_trigger_that_passes_it(model):
    text = "غارات في عفرين\nوقصفت طائرات حربية تركية مواقع لتنظيم داعش في ريف عفرين أمس، ما أدى إلى مقتل عشرة مسلحين.\n"
    ents = [("تركية", "NORP", "Turkey"), ("داعش", "ORG", "Islamic State (ISIS)"), ("عفرين", "GPE", "Afrin")]
    m = learned.load()

    def types(p: float, gate, trust: float) -> set:
        m.min_detector, m.gate_trust = gate, trust
        return {e.type for e in EventStep(detector=_Detector(p), model=m)(article(text, ents)).events}

    assert types(0.3, None, 2.0) == {"ASSAULT"}  # the step's gate, 0.2
    assert types(0.3, 0.4, 2.0) == set()  # the model's own gate, unmet
    assert types(0.5, 0.4, 2.0) == {"ASSAULT"}
    assert types(0.3, 0.4, 0.0) == {"ASSAULT"}  # a trigger this sure passes unasked
    assert model.min_detector == 0.4 and model.gate_trust == 0.6  # the shipped settings (docs/events.md)


def test_person_of_phrase_replaces_the_country_of_a_title():
    from types import SimpleNamespace as NS

    from marsad.extract.events.coding import person_of_phrase

    text = "التقى وزير الخارجية الروسي، سيرغي لافروف نظيره في موسكو"
    at = lambda w, typ: NS(start=text.index(w), end=text.index(w) + len(w), type=typ)  # noqa: E731
    norp, per, gpe = at("الروسي", "NORP"), at("سيرغي لافروف", "PER"), at("موسكو", "GPE")
    ctx = NS(text=text)
    assert person_of_phrase(ctx, [norp], [norp, per, gpe]) == [per]
    assert person_of_phrase(ctx, [norp, per], [norp, per, gpe]) == [per]  # once
    assert person_of_phrase(ctx, [gpe], [norp, per, gpe]) == [gpe]  # no name follows it
    assert person_of_phrase(ctx, [per], [norp, per, gpe]) == [per]


def test_train_events_refuses_one_fold_before_reading_anything(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    r = CliRunner().invoke(main, ["train", "events", "--out", str(tmp_path / "m"), "--cv", "1", "--shared", "/nowhere"])
    assert r.exit_code == 2 and "--cv" in r.output and "2 folds" in r.output
    assert not (tmp_path / "m").exists()


def test_descriptive_actors_are_candidates_named_as_the_guidelines_name_them():
    from marsad.extract.events import descriptive

    text = (
        "عنوان\nوكانت السلطات المصرية قد اعتقلت أبو الفتوح، فيما تجمع المتظاهرون الفلسطينيون قرب الحدود"
        " وأطلقت قوات النظام السوري النار على المحتجين.\n"
    )
    ents = [
        ("المصرية", "NORP", "Egypt"),
        ("الفلسطينيون", "NORP", "Palestine"),
        ("السوري", "NORP", "Syria"),
        ("أبو الفتوح", "PER", "Abdel Moneim Aboul Fotouh"),
    ]
    a = article(text, ents)
    ctx = EventContext(a, None, 0.2)
    s = a.sentences[1]
    lex = descriptive.read()
    cands = descriptive.candidates(ctx, s, lex)
    got = [(m.type, a.text[m.start : m.end], m.canonical) for m in cands]
    assert got == [
        ("DESC", "السلطات المصرية", "Egyptian authorities"),
        ("PER", "أبو الفتوح", "Abdel Moneim Aboul Fotouh"),
        ("DESC", "المتظاهرون الفلسطينيون", "Palestinian protesters"),
        ("DESC", "قوات النظام السوري", "Syrian government forces"),
        ("DESC", "المحتجين", "protesters"),  # «على المحتجين»: no nationality follows
    ]
    assert all(a.text[m.start : m.end] == m.text for m in cands)
    # without the tables the candidates are the mentions but places, as before
    assert [m.type for m in descriptive.candidates(ctx, s, None)] == ["NORP", "PER", "NORP", "NORP"]
