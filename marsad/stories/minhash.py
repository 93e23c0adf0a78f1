"""Near-duplicates: the same copy (a wire story, a republished article) under two ids or two
outlets.  MinHash signatures of the body's word 4-grams, banded for locality-sensitive look-up;
a candidate pair is a near-duplicate when its estimated Jaccard similarity reaches the threshold.
Seeds are fixed: the same texts give the same signatures in every process."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

PERMUTATIONS = 64
BANDS = 16                      # 16 bands of 4 rows: pairs above ~0.5 Jaccard almost always meet
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.7                 # estimated Jaccard of the 4-gram sets
_PRIME = np.uint64(4294967311)  # the first prime above 2**32


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20180412)
    a = rng.integers(1, 2**32 - 1, PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, 2**32 - 1, PERMUTATIONS, dtype=np.uint64)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


_A, _B = _permutations()


def signature(shingles: frozenset[int]) -> np.ndarray:
    """The MinHash signature (PERMUTATIONS values) of a set of 32-bit shingle hashes."""
    if not shingles:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    x = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    # (a * x + b) mod p: a, x < 2**32, so a * x + b stays below 2**64
    return ((np.outer(_A, x) + _B[:, None]) % _PRIME).min(axis=1)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


@dataclass
class NearDuplicateIndex:
    """Signatures by band; :meth:`add` returns the earlier documents a new one nearly repeats."""
    threshold: float = THRESHOLD
    _sigs: dict[str, np.ndarray] = field(default_factory=dict)
    _bands: list[dict[bytes, list[str]]] = field(default_factory=lambda: [{} for _ in range(BANDS)])

    def add(self, doc_id: str, shingles: frozenset[int]) -> list[tuple[str, float]]:
        sig = signature(shingles)
        seen: set[str] = set()
        found = []
        if shingles:
            for b in range(BANDS):
                key = sig[b * ROWS:(b + 1) * ROWS].tobytes()
                bucket = self._bands[b].setdefault(key, [])
                for other in bucket:
                    if other not in seen:
                        seen.add(other)
                        s = similarity(sig, self._sigs[other])
                        if s >= self.threshold:
                            found.append((other, s))
                bucket.append(doc_id)
        self._sigs[doc_id] = sig
        return sorted(found, key=lambda p: (-p[1], p[0]))

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._sigs
