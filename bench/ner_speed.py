"""NER speed: marsad's shipped tagger vs a BERT-base token classifier, same sentences, same run.

    python bench/ner_speed.py [--test ../shared/ner/anercorp/ANERCorp_CamelLab_test.txt]
                              [--sentences 1000] [--bert-sentences 1000] [--threads 1]

BERT-base = transformers ``BertForTokenClassification`` with ``BertConfig`` (12 layers, hidden
768, vocab 30000; random weights: speed does not depend on them), run with one torch thread.
Its words/s is measured on the first ``--bert-sentences`` of the same sentences (default: all
1,000; about 2–3 minutes; pass e.g. 100 for a quick look).  transformers/torch are bench-only:
without them the BERT half is skipped with a message.  Each sentence is fed to BERT as
1.3 random word-piece ids per word (+[CLS]/[SEP]), about how Arabic BERT vocabularies split
words, one sentence per call.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEST = ROOT.parent / "shared" / "ner" / "anercorp" / "ANERCorp_CamelLab_test.txt"


def load_sentences(path: Path, n: int) -> list[list[str]]:
    from marsad.extract.ner.conll import read_conll

    return [toks for toks, _ in read_conll(path)][:n]


def bench_marsad(sents, threads: int) -> float:
    from marsad.extract.ner import NerTagger

    t0 = time.perf_counter()
    tagger = NerTagger.load(threads=threads)
    load = time.perf_counter() - t0
    tagger.tag(sents[:50])  # warm-up
    tagger.featurizer._cache.clear()  # measure featurization too
    ntok = sum(map(len, sents))
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        tagger.tag(sents)
        dt = time.perf_counter() - t0
        best = max(best, ntok / dt)
        tagger.featurizer._cache.clear()
    print(f"marsad NER: {ntok} tokens, {best:,.0f} tokens/s (best of 3, {threads} thread(s); model load {load:.2f}s)")
    return best


def bench_bert(sents) -> float | None:
    try:
        import torch
        from transformers import BertConfig, BertForTokenClassification
    except ImportError as e:  # bench-only extras
        print(f"BERT-base: skipped ({e.name} not installed: pip install torch==2.13.0 transformers)")
        return None
    torch.set_num_threads(1)
    torch.manual_seed(0)
    cfg = BertConfig(
        vocab_size=30000,
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        num_labels=9,
    )
    model = BertForTokenClassification(cfg).eval()
    g = torch.Generator().manual_seed(0)
    nwords = sum(map(len, sents))
    t0 = time.perf_counter()
    with torch.inference_mode():
        for s in sents:  # one sentence at a time, as a tagger for streaming articles would
            npieces = min(510, int(len(s) * 1.3) + 2)
            ids = torch.randint(5, 30000, (1, npieces), generator=g)
            model(input_ids=ids, attention_mask=torch.ones_like(ids))
    dt = time.perf_counter() - t0
    wps = nwords / dt
    print(f"BERT-base token classifier: {nwords} words, {wps:,.0f} words/s (1 thread)")
    return wps


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--test", type=Path, default=DEFAULT_TEST)
    ap.add_argument("--sentences", type=int, default=1000)
    ap.add_argument("--bert-sentences", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    if not a.test.is_file():
        print(f"test file not found: {a.test} (pass --test FILE)")
        return 2
    sents = load_sentences(a.test, a.sentences)
    ours = bench_marsad(sents, a.threads)
    bert = bench_bert(sents[: a.bert_sentences]) if a.bert_sentences > 0 else None
    if bert:
        print(f"ratio marsad/BERT-base: {ours / bert:,.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
