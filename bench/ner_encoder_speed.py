"""Speed of the NER taggers on the same sentences: fast (BiLSTM-CRF), the int8 e5 encoder alone,
and accurate (the encoder read with the BiLSTM-CRF), one onnxruntime thread each, words/s (best
of 3, tokenizer caches cleared).

    python bench/ner_encoder_speed.py [--model DIR] [--test FILE] [--sentences 1000] [--threads 1]

``--model`` is an encoder model folder (default: the shipped ``marsad/resources/encoder``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEST = ROOT.parent / "shared" / "ner" / "anercorp" / "ANERCorp_CamelLab_test.txt"


def words_per_s(tagger, sents, clear) -> float:
    tagger.tag(sents[:50])
    n = sum(map(len, sents))
    best = 0.0
    for _ in range(3):
        clear()
        t0 = time.perf_counter()
        tagger.tag(sents)
        best = max(best, n / (time.perf_counter() - t0))
    return best


def main(argv=None) -> int:
    from marsad.extract.encoder.tagger import E5Tagger, default_model_dir
    from marsad.extract.ner import NerTagger
    from marsad.extract.ner.conll import read_conll

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--test", type=Path, default=DEFAULT_TEST)
    ap.add_argument("--sentences", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    sents = [w for w, _ in read_conll(a.test)][: a.sentences]
    n = sum(map(len, sents))
    fast = NerTagger.load(threads=a.threads)
    wf = words_per_s(fast, sents, lambda: fast.featurizer._cache.clear())
    print(f"fast (BiLSTM-CRF): {n} words, {wf:,.0f} words/s ({a.threads} thread(s))")
    acc = E5Tagger.load(a.model, threads=a.threads)

    def clear():
        acc._wrows.clear()
        acc.tok._words.clear()
        acc.tok._cache.clear()

    wa = words_per_s(acc, sents, clear)
    print(f"encoder alone (e5 int8): {n} words, {wa:,.0f} words/s ({a.threads} thread(s))")
    from marsad.extract.ner.combined import CombinedTagger, combine_settings

    c = combine_settings(acc_dir := (a.model or default_model_dir()))
    if c:
        both = CombinedTagger(fast, acc, c["weight"], c.get("bias", 0.0))

        def clear_both():
            clear()
            fast.featurizer._cache.clear()

        wb = words_per_s(both, sents, clear_both)
        print(f"accurate (encoder + BiLSTM-CRF, {acc_dir.name}): {n} words, {wb:,.0f} words/s ({a.threads} thread(s))")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
