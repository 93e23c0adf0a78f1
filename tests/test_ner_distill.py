"""The fast tagger's distillation data (``marsad train ner --teacher DIR``): the pool of unlabeled
sentences leaves out reserved and annotated articles and is deterministic; the teacher's unsure
sentences are dropped."""

from __future__ import annotations

from marsad.extract.ner import distill


def test_the_pool_is_deterministic_and_leaves_out_reserved_and_annotated_articles(shared):
    a = distill.pool_sentences(shared, 300, seed=13)
    assert a == distill.pool_sentences(shared, 300, seed=13)
    assert a != distill.pool_sentences(shared, 300, seed=14)
    assert len(a) == 300 and all(distill.MIN_WORDS <= len(s) <= distill.MAX_WORDS for s in a)
    excluded = distill.excluded_ids(shared)
    reserved = set((shared / "corpus" / "reserved_ids.txt").read_text(encoding="utf-8").split())
    assert reserved <= excluded and len(excluded) > len(reserved)  # the corpus's articles too
    ids = {aid for aid, _ in distill.pool(shared, 300, seed=13)}
    assert len(ids) > 10 and not (ids & excluded)


class _Teacher:
    """Tags a sentence's first word PERS; unsure (0.5) on sentences holding 'x'."""

    def tag(self, sents):
        return [[("B-PERS" if i == 0 else "O", 0.5 if "x" in s else 0.99) for i, _ in enumerate(s)] for s in sents]


def test_teacher_sentences_keep_only_sure_sentences(monkeypatch, tmp_path):
    monkeypatch.setattr(distill, "pool_sentences", lambda d, n, seed: [["a", "b"], ["x", "c"], ["d", "e"]][:n])
    import marsad.extract.ner.profiles as profiles

    monkeypatch.setattr(profiles, "load_tagger", lambda path=None, threads=1: _Teacher())
    cfg = {"threads": 1, "st_pool": 3, "st_conf": 0.95, "st_keep_empty": False}
    kept, rec = distill.teacher_sentences(tmp_path, tmp_path, cfg, seed=1)
    assert kept == [(["a", "b"], ["B-PERS", "O"]), (["d", "e"], ["B-PERS", "O"])]
    assert rec["pool"] == 3 and rec["kept"] == 2


def test_a_combined_teacher_uses_the_weight_chosen_with_its_own_bilstm(monkeypatch, tmp_path):
    """`--teacher ENC --teacher-fast FAST`: the encoder is read with that BiLSTM, at the weight the
    encoder folder keeps when it was chosen with that BiLSTM, else at a weight chosen again (so the
    teacher is fixed by the two folders, whatever the shipped `fast` model is)."""
    import json

    from marsad.extract.encoder import tagger as enc_mod
    from marsad.extract.ner import combined
    from marsad.extract.ner.model import default_model_dir

    monkeypatch.setattr(enc_mod.E5Tagger, "load", classmethod(lambda cls, path=None, threads=1: _Encoder()))
    chosen = []

    def fake_choose(encoder_dir, dev, fast_dir=None, threads=1, write=True):
        chosen.append((str(fast_dir), len(dev), write))
        return {"weight": 2.0, "bias": 1.0, "dev_f1": 80.0, "fast_sha256": "other"}

    monkeypatch.setattr(combined, "choose_weight", fake_choose)
    fast = default_model_dir()
    kept = {"weight": 0.5, "bias": 0.0, "dev_f1": 90.0, "fast_sha256": combined.fast_fingerprint(fast)}
    (tmp_path / "encoder.json").write_text(json.dumps({"labels": [], "combine": kept}))
    t, how = distill.combined_teacher(tmp_path, fast, tmp_path)
    assert (t.weight, how["weight"], chosen) == (0.5, 0.5, [])
    kept["fast_sha256"] = "another bilstm"
    (tmp_path / "encoder.json").write_text(json.dumps({"labels": [], "combine": kept}))
    t, how = distill.combined_teacher(tmp_path, fast, tmp_path, dev=[(["a"], ["O"])] * 3)
    assert (t.weight, how["weight"], how["bias"]) == (2.0, 2.0, 1.0)
    assert chosen == [(str(fast), 3, False)]


class _Encoder:
    from marsad.extract.ner.model import LABELS as labels

    def emissions(self, sents):
        import numpy as np

        return [np.zeros((len(s), len(self.labels)), np.float32) for s in sents]
