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
