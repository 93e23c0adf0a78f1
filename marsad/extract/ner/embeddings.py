"""Word vectors for the NER tagger, trained with gensim on ``corpus/ant_unlabeled.jsonl``
(+ the ANERcorp *train* tokens; never a test file).  Training-time only (needs gensim)."""

from __future__ import annotations

import json
import logging
import re
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

from .conll import read_conll
from .features import fold, vec_key

log = logging.getLogger(__name__)

_TOK = re.compile(r"[^\W_]+|[^\w\s]")


def tokenize_text(text: str) -> list[str]:
    """Rough word tokenizer for unlabeled text: words and single punctuation marks
    (hashtag ``#قطاع_غزة`` → ``قطاع``, ``غزة``)."""
    return _TOK.findall(text.replace("_", " ").replace("#", " "))


def corpus_sentences(data_dir: Path) -> list[list[str]]:
    sents: list[list[str]] = []
    path = data_dir / "corpus" / "ant_unlabeled.jsonl"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for part in (rec.get("title") or "", rec.get("text") or ""):
                for para in part.split("\n"):
                    toks = [vec_key(fold(t)) for t in tokenize_text(para)]
                    if toks:
                        sents.append(toks)
    train = data_dir / "ner" / "anercorp" / "ANERcorp_rebuilt_camel_train.txt"
    for toks, _ in read_conll(train):
        sents.append([vec_key(fold(t)) for t in toks])
    return sents


def _hash(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


def train_vectors(
    data_dir: Path, dim: int = 100, max_vocab: int = 80_000, seed: int = 13, epochs: int = 5, min_count: int = 3
):
    """Returns (words, matrix float32 [len(words), dim]) for the ``max_vocab`` most frequent
    words.  Deterministic: one worker, a crc32 hash for the per-word initialisation."""
    from gensim.models import Word2Vec

    sents = corpus_sentences(data_dir)
    log.info("word2vec on %d sentences, %d tokens", len(sents), sum(map(len, sents)))
    model = Word2Vec(
        sentences=sents,
        vector_size=dim,
        window=5,
        min_count=min_count,
        sg=1,
        negative=5,
        sample=1e-4,
        epochs=epochs,
        workers=1,
        seed=seed,
        hashfxn=_hash,
        max_final_vocab=max_vocab,
    )
    counts = Counter()
    for s in sents:
        counts.update(s)
    words = [w for w in model.wv.index_to_key]
    words.sort(key=lambda w: (-counts[w], w))
    words = words[:max_vocab]
    mat = np.stack([model.wv[w] for w in words]).astype(np.float32)
    return words, mat


def cached_vectors(data_dir: Path, cache: Path, **kw):
    """``train_vectors`` with an on-disk cache keyed by its parameters."""
    key = "_".join(f"{k}{v}" for k, v in sorted(kw.items())) or "default"
    f = cache / f"w2v_{key}.npz"
    if f.exists():
        z = np.load(f, allow_pickle=False)
        return list(z["words"]), z["mat"]
    words, mat = train_vectors(data_dir, **kw)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(f, words=np.array(words), mat=mat)
    return words, mat
