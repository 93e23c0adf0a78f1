"""The inputs of NER training (:mod:`marsad.extract.ner.train`): the train file and its dev split, the
word vectors, the gazetteer bits over the vocabulary, the character vocabulary, and a batch of
sentences as the tagger's tensors.  Training only (torch, gensim).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from .features import Featurizer, fold, vec_key
from .model import LABELS

TRAIN_FILE = "ner/anercorp/ANERcorp_rebuilt_camel_train.txt"

# fmt: off
GAZ_FILES = (("AlignedPersGazetteer", 0), ("derived_people", 0), ("AlignedLocGazetteer", 1),
             ("derived_locations", 1), ("AlignedOrgGazetteer", 2), ("derived_orgs", 2))
# fmt: on
N_GAZ = 6


def gazetteer_bits(data_dir: Path, words: list[str], V: np.ndarray):
    """Per-vocabulary-row gazetteer features (PERS/LOC/ORG × single-word entry / part of a
    multi-word entry).  Gazetteer words missing from the vocabulary are appended with a zero
    vector, so they can still be found (also as stems of cliticized tokens).  What ships is this
    bit table over the model's vocabulary, not the lists."""
    entries: dict[str, int] = {}
    for name, ty in GAZ_FILES:
        f = data_dir / "ner" / "anergazet" / f"{name}.txt"
        for line in f.read_text(encoding="utf-8-sig").splitlines():
            toks = [vec_key(fold(x)) for x in line.split()]
            if not toks or line.startswith("="):
                continue
            for x in toks:
                bit = ty if len(toks) == 1 else 3 + ty
                entries[x] = entries.get(x, 0) | (1 << bit)
    words = list(words)
    index = {w: i for i, w in enumerate(words)}
    extra = sorted(w for w in entries if w not in index)
    words += extra
    V = np.concatenate([V, np.zeros((len(extra), V.shape[1]), V.dtype)])
    G = np.zeros((len(words), N_GAZ), np.float32)
    for i, w in enumerate(words):
        b = entries.get(w, 0)
        for k in range(N_GAZ):
            if b >> k & 1:
                G[i, k] = 1.0
    return words, V, G


def split_dev(n: int, block: int = 50, every: int = 10) -> tuple[list[int], list[int]]:
    dev = [i for i in range(n) if (i // block) % every == every // 2]
    devset = set(dev)
    return [i for i in range(n) if i not in devset], dev


def char_vocab(sents) -> list[str]:
    c = Counter()
    for toks, _ in sents:
        for t in toks:
            c.update(fold(t))
    return ["<pad>", "<unk>"] + sorted(ch for ch, n in c.items() if n >= 2)


def tensors(feat: Featurizer, V: np.ndarray, batch, G=None, wdrop: float = 0.0, rng=None):
    import torch

    sents = [toks for toks, _ in batch]
    wid, sid, pid, shp, cid, lens, tid = feat.batch(sents)
    if wdrop:
        # word dropout: make some known words look unknown (word, stem, train-word ids), so the
        # tagger learns to use characters and context for names it has never seen
        m = (rng.random(wid.shape) < wdrop) & (wid > 1)
        wid[m] = 1
        sid[m] = 1
        tid[m] = 1
    wv, sv = feat.word_vectors(V, wid, sid, cid, getattr(feat, "mimick_fn", None))
    gz = np.concatenate([G[wid], G[sid]], axis=2) if G is not None else np.zeros(wid.shape + (0,), np.float32)
    T = wid.shape[1]
    tags = np.zeros((len(batch), T), np.int64)
    for b, (_, labs) in enumerate(batch):
        tags[b, : len(labs)] = [LABELS.index(l) if l in LABELS else 0 for l in labs]
    return (
        torch.from_numpy(wv),
        torch.from_numpy(sv),
        torch.from_numpy(pid),
        torch.from_numpy(shp),
        torch.from_numpy(cid),
        torch.from_numpy(lens),
        torch.from_numpy(tid),
        torch.from_numpy(gz),
        torch.from_numpy(tags),
    )


def build_vectors(data_dir: Path, cache: Path, cfg) -> tuple[list[str], np.ndarray]:
    from .embeddings import cached_vectors

    words, mat = cached_vectors(data_dir, cache, dim=cfg["dim"], max_vocab=100_000, epochs=cfg["w2v_epochs"])
    words, mat = words[: cfg["vocab"]], mat[: cfg["vocab"]]
    mat = mat / mat.std()
    V = np.concatenate([np.zeros((2, mat.shape[1]), np.float32), mat]).astype(np.float16)
    return ["<pad>", "<unk>"] + list(words), V.astype(np.float32)
