"""Near-duplicate precision and recall (``marsad eval near-duplicates``).

The population: pairs of ANT articles (``../shared/corpus/ant_unlabeled.jsonl`` less the reserved ids
and the held-out story week) whose body 4-gram sets have a Jaccard similarity of at least 0.2, found
with 32×2-banded MinHash and their exact Jaccard computed; pairs of identical text are counted apart
(the store keeps one of them and the ledger names the other).  The gold: a stratified sample of the
other pairs, 30 per Jaccard band (fewer where the band has fewer), labelled copy / same-story /
different by an annotator who saw only the two articles (``data/stories/near_duplicates.jsonl``;
the first 70 twice, for agreement).  Precision and recall of :class:`NearDuplicateIndex` are the
sample's, each pair weighted by its band's size in the population.  Pairs under 0.2 are not in the
population: recall is over pairs at 0.2 and above."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path

from ...stories.features import shingles
from ...stories.minhash import NearDuplicateIndex, signature
from .train import texts as corpus_texts

ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "data" / "stories" / "near_duplicates.jsonl"
BANDS = ((0.2, 0.4), (0.4, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))


def _band(j: float) -> str:
    return next(f"{lo}-{hi}" for lo, hi in BANDS if lo <= j < hi)


def population(texts: dict[str, str]) -> dict:
    """How many pairs of each Jaccard band the corpus holds (identical texts apart)."""
    sh = {i: shingles(t) for i, t in sorted(texts.items())}
    buckets: dict[tuple, list[str]] = defaultdict(list)
    for i, s in sh.items():
        if s:
            sig = signature(s)
            for b in range(32):
                buckets[(b, sig[2 * b : 2 * b + 2].tobytes())].append(i)
    pairs = set()
    for members in buckets.values():
        if len(members) <= 200:  # a band value shared by hundreds is boilerplate
            pairs.update(itertools.combinations(members, 2))
    counts = {f"{lo}-{hi}": 0 for lo, hi in BANDS}
    identical = 0
    for a, b in pairs:
        j = len(sh[a] & sh[b]) / len(sh[a] | sh[b])
        if j >= 0.2:
            if texts[a] == texts[b]:
                identical += 1
            else:
                counts[_band(j)] += 1
    return {"bands": counts, "identical": identical}


def agreement(gold: list[dict]) -> dict:
    both = [g for g in gold if "label_2" in g]
    same = sum(g["label"] == g["label_2"] for g in both)
    copy = sum((g["label"] == "copy") == (g["label_2"] == "copy") for g in both)
    n = len(both) or 1
    pa = sum(g["label"] == "copy" for g in both) / n
    pb = sum(g["label_2"] == "copy" for g in both) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return {
        "pairs": len(both),
        "same_label": same,
        "same_copy_or_not": copy,
        "kappa_copy": round((copy / n - pe) / (1 - pe), 3) if pe < 1 else 1.0,
    }


def evaluate(shared: Path, gold_path: Path = GOLD) -> dict:
    texts = corpus_texts(shared)
    pop = population(texts)
    gold = [json.loads(ln) for ln in gold_path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    by_band: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for g in gold:
        a, b = shingles(texts[g["a"]]), shingles(texts[g["b"]])
        ix = NearDuplicateIndex()
        ix.add("a", a)
        by_band[_band(len(a & b) / len(a | b))].append((g["label"] == "copy", bool(ix.add("b", b))))
    tp = fp = fn = 0.0
    bands = {}
    for band, rows in sorted(by_band.items()):
        w = pop["bands"][band] / len(rows)
        tp += w * sum(g and p for g, p in rows)
        fp += w * sum(p and not g for g, p in rows)
        fn += w * sum(g and not p for g, p in rows)
        bands[band] = {
            "population": pop["bands"][band],
            "sample": len(rows),
            "copies": sum(g for g, _ in rows),
            "flagged": sum(p for _, p in rows),
            "right": sum(g and p for g, p in rows),
        }
    p, r = tp / (tp + fp), tp / (tp + fn)
    ident = pop["identical"]
    p2, r2 = (tp + ident) / (tp + fp + ident), (tp + ident) / (tp + fn + ident)
    return {
        "near_duplicates": {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3)},
        "with_identical_texts": {"p": round(p2, 3), "r": round(r2, 3)},
        "bands": bands,
        "identical_pairs": ident,
        "agreement": agreement(gold),
    }
