"""The `accurate` NER profile: the BiLSTM-CRF's emissions plus the encoder's weighted
log-probabilities, decoded by the BiLSTM's CRF (marsad/extract/ner/combined.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from helpers import shipped_encoder_dir

from marsad.extract.ner import NerTagger
from marsad.extract.ner import combined
from marsad.extract.ner.model import LABELS

SHARED = Path(__file__).resolve().parents[2] / "shared"
SENTS = [
    ["التقى", "الرئيس", "عبد", "الفتاح", "السيسي", "في", "القاهرة", "."],
    [],
    ["وقال", "زيدان", "قرطوبي", "إن", "الوفد", "وصل", "."],
]


class _Encoder:
    """An encoder stand-in: log-probabilities that put ``B-LOC`` on the words of ``loc``."""

    labels = LABELS

    def __init__(self, loc=()):
        self.loc = set(loc)
        self.calls = 0

    def emissions(self, sents):
        self.calls += 1
        out = []
        for s in sents:
            e = np.full((len(s), len(LABELS)), np.log(0.01 / (len(LABELS) - 1)), np.float32)
            for i, w in enumerate(s):
                e[i, LABELS.index("B-LOC" if w in self.loc else "O")] = np.log(0.99)
            out.append(e)
        return out

    def tag(self, sents):
        return [[(LABELS[int(r.argmax())], 0.99) for r in e] for e in self.emissions(sents)]


@pytest.fixture(scope="module")
def fast():
    return NerTagger.load()


def test_weight_zero_reads_as_the_bilstm_alone(fast):
    t = combined.CombinedTagger(fast, _Encoder(), 0.0)
    assert t.tag(SENTS) == fast.tag(SENTS)


def test_the_encoder_moves_the_labels_and_the_crf_keeps_them_well_formed(fast):
    alone = fast.tag(SENTS)
    t = combined.CombinedTagger(fast, _Encoder(loc={"قرطوبي"}), 8.0)
    out = t.tag(SENTS)
    assert [len(s) for s in out] == [len(s) for s in SENTS]
    assert out[2][2][0] == "B-LOC" and alone[2][2][0] != "B-LOC"
    for s in out:
        prev = "O"
        for lab, p in s:
            assert lab in LABELS and 0.0 <= p <= 1.0
            assert not (lab.startswith("I-") and (prev == "O" or prev[2:] != lab[2:]))
            prev = lab
    # a sentence reads the same alone as with batch mates
    assert t.tag([SENTS[2]])[0] == out[2]


def test_the_name_bias_raises_every_label_but_o(fast):
    b = combined.name_bias(LABELS, 2.0)
    assert b[LABELS.index("O")] == 0.0 and all(b[i] == 2.0 for i, lab in enumerate(LABELS) if lab != "O")
    plain = combined.CombinedTagger(fast, _Encoder(), 0.0).tag(SENTS)
    eager = combined.CombinedTagger(fast, _Encoder(), 0.0, bias=50.0).tag(SENTS)
    assert sum(lab != "O" for s in eager for lab, _ in s) > sum(lab != "O" for s in plain for lab, _ in s)


def test_labels_must_agree(fast):
    enc = _Encoder()
    enc.labels = ("O", "B-X")
    with pytest.raises(Exception, match="labels differ"):
        combined.CombinedTagger(fast, enc, 1.0)


def test_choose_weight_picks_the_best_dev_pair_and_keeps_it(tmp_path, monkeypatch, fast):
    """On a dev set whose 'places' only the encoder calls places (common words, which no BiLSTM
    tags), a positive weight wins; the choice, its grid and the BiLSTM's fingerprint go into
    encoder.json, and the profile loader then reads the folder as the combination."""
    from marsad.extract.encoder import tagger as enc_mod
    from marsad.extract.ner import profiles

    places = ["الاجتماع", "الطاولة", "المساء"]
    dev = [(["وصل", "الوفد", "إلى", p, "."], ["O", "O", "O", "B-LOC", "O"]) for p in places]
    enc = _Encoder(loc=places)
    monkeypatch.setattr(enc_mod.E5Tagger, "load", classmethod(lambda cls, path=None, threads=1: enc))
    (tmp_path / "encoder.json").write_text(json.dumps({"labels": list(LABELS)}))
    got = combined.choose_weight(tmp_path, dev, weights=(0.0, 20.0, 40.0), biases=(0.0,))
    by = got["dev_f1_by_weight_bias"]
    assert by["0"] == by["0.0/0.0"] == 0.0 and by["20.0/0.0"] == by["40.0/0.0"] == 100.0
    assert got["weight"] == 20.0 and got["bias"] == 0.0 and got["dev_f1"] == 100.0  # the first on a tie
    assert got["fast_sha256"] == combined.fast_fingerprint(combined_default_fast())
    kept = json.loads((tmp_path / "encoder.json").read_text())
    assert kept["combine"] == got and kept["labels"] == list(LABELS)
    t = profiles.load_tagger(path=tmp_path)
    assert isinstance(t, combined.CombinedTagger) and t.weight == 20.0
    assert profiles.load_tagger(path=tmp_path, encoder_alone=True) is enc


def combined_default_fast() -> Path:
    from marsad.extract.ner.model import default_model_dir

    return default_model_dir()


def test_the_fingerprint_follows_the_bilstm_files(tmp_path):
    d = combined_default_fast()
    a = combined.fast_fingerprint(d)
    assert a == combined.fast_fingerprint(d)
    for name in ("char_encoder.onnx", "tagger_body.onnx", "vectors.npz"):
        (tmp_path / name).write_bytes((d / name).read_bytes())
    (tmp_path / "tagger.onnx").write_bytes(b"an unsplit graph the loader does not read")
    assert combined.fast_fingerprint(tmp_path) == a
    with open(tmp_path / "vectors.npz", "ab") as f:
        f.write(b"\0")
    assert combined.fast_fingerprint(tmp_path) != a


_shipped_encoder = shipped_encoder_dir


def test_the_shipped_weight_was_chosen_with_the_shipped_bilstm():
    """Retraining the `fast` model without choosing the weight again fails here."""
    c = combined.combine_settings(_shipped_encoder())
    assert c and c["fast_sha256"] == combined.fast_fingerprint(combined_default_fast())


@pytest.mark.skipif(not (SHARED / "ner" / "anercorp").is_dir(), reason="../shared/ner is absent")
def test_the_shipped_combination_reproduces_its_dev_figure():
    """The accurate profile scores on the ANERcorp dev split what its encoder.json says it chose,
    above both models alone."""
    from marsad.extract.ner.conll import read_conll
    from marsad.extract.ner.evaluate import score
    from marsad.extract.ner.profiles import load_tagger
    from marsad.extract.ner.train_data import TRAIN_FILE, split_dev

    d = _shipped_encoder()
    c = combined.combine_settings(d)
    data = read_conll(SHARED / TRAIN_FILE)
    dev = [data[i] for i in split_dev(len(data))[1]]
    t = load_tagger("accurate", threads=2)
    pred = [[lab for lab, _ in s] for s in t.tag([w for w, _ in dev])]
    f1 = score([g for _, g in dev], pred)["micro"]["f1"]
    assert abs(f1 - c["dev_f1"]) <= 0.05
    assert f1 > c["dev_f1_by_weight_bias"]["0"] and f1 > c["dev_f1_by_weight_bias"]["encoder"]


# The accurate profile's figures (docs/encoder.md); issue 17's bar for it is 76.0 on the official
# file and is NOT met: these are regression gates at the shipped level.  Raise them with a better model.
ACCURATE_F1 = {"ANERCorp_CamelLab_test.txt": 75.0, "ANERCorp_CamelLab_test_repaired.txt": 76.5}


@pytest.mark.parametrize("name", sorted(ACCURATE_F1))
def test_the_accurate_profile_does_not_regress(name):
    from marsad.extract.ner.evaluate import evaluate_file
    from marsad.extract.ner.profiles import load_tagger

    _shipped_encoder()
    test = SHARED / "ner" / "anercorp" / name
    if not test.is_file():
        pytest.skip("../shared is absent")
    r = evaluate_file(test, tagger=load_tagger("accurate", threads=2))
    assert r["micro"]["f1"] >= ACCURATE_F1[name], r["micro"]
