"""Transliteration-aware similarity of (foreign) names written in Arabic script.

The same foreign name is spelled many ways in Arabic news: long vowels come and go
('لافرنتييف', 'لافرينتييف', 'لافرنتيف'), letters are doubled or not, G is غ or ج, and a final
-a is ا or ة.  Two keys capture this:

* :func:`marsad.text.normalize.skeleton` (long vowels inside a word dropped, doubles collapsed)
  is the *blocking/identity* key: it names unknown actors (``x:`` + hash, see
  :func:`marsad.extract.actors.unknown_id`);
* :func:`phonetic` keeps the vowels but folds letters that transliterate the same sound, and
  :func:`word_similarity` is an edit similarity in which inserting or deleting a long vowel is cheap
  (0.3) while replacing one vowel with another, or touching a consonant, costs 1.  So spelling
  variants score ≥ :data:`THRESHOLD` while different names sharing a consonant skeleton
  ('بوتين' / 'بوتان') or extending one ('عبد الله' / 'عبد اللهيان') stay below it.

Everything is symmetric and cached; names are short, so the quadratic DP is cheap.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz

from .. import caching
from ..text.normalize import search_key, skeleton

__all__ = [
    "THRESHOLD",
    "name_key",
    "consonant_key",
    "block_keys",
    "phonetic",
    "word_similarity",
    "name_similarity",
    "name_similarity_min",
    "word_similarity_min",
    "similar",
    "skeleton_ratio",
]

#: two names whose :func:`name_similarity` reaches this are taken as spellings of one name
THRESHOLD = 0.85

_VOWELS = frozenset("اوي")
# letters that transliterate the same foreign sound
_CLASS = str.maketrans({"ج": "غ", "ث": "س", "ص": "س", "ط": "ت", "ض": "د", "ذ": "ز", "ظ": "ز", "ى": "ي", "ة": "ه"})
_ARTICLE = "ال"


@lru_cache(maxsize=caching.WORD)
def name_key(word: str) -> str:
    """The matching key of one word (or a phrase): folded (diacritics, tatweel, hamza forms, ى, ة),
    punctuation dropped, and a final 'ية' read as 'يا' ('سورية' = 'سوريا')."""
    return search_key(word)


@lru_cache(maxsize=caching.WORD)
def phonetic(word: str) -> str:
    """One word folded for transliteration comparison: normalized, letter classes merged, a final
    ة read as ا, doubled letters collapsed."""
    word = word.strip()
    if len(word) > 2 and word[-1] == "ة":  # a final -a: 'ميستورة' / 'ميستورا'
        word = word[:-1] + "ا"
    w = search_key(word).replace(" ", "").translate(_CLASS)
    out: list[str] = []
    for ch in w:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=caching.WORD)
def consonant_key(word: str) -> str:
    """The skeleton of one word with letter classes merged: equal for spelling variants that only
    differ in long vowels, doubled letters, G as غ/ج, or a final ة/ا."""
    w = phonetic(word)
    w = "".join(ch for i, ch in enumerate(w) if ch not in _VOWELS or i == 0 or i == len(w) - 1)
    out: list[str] = []
    for ch in w:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def block_keys(word: str) -> set[str]:
    """Blocking keys of a word for candidate search: its consonant key and every one-letter
    deletion of it (so one inserted or dropped consonant still meets)."""
    k = consonant_key(word)
    keys = {k}
    if len(k) > 3:
        keys.update(k[:i] + k[i + 1 :] for i in range(len(k)))
    return keys


def _cost_indel(ch: str) -> float:
    return 0.3 if ch in _VOWELS else 1.0


@lru_cache(maxsize=caching.PAIR)
def _distance(a: str, b: str) -> float:
    """Weighted edit distance: long-vowel insertion/deletion 0.3, everything else 1."""
    if a == b:
        return 0.0
    prev = [0.0]
    for ch in b:
        prev.append(prev[-1] + _cost_indel(ch))
    for ca in a:
        cur = [prev[0] + _cost_indel(ca)]
        for j, cb in enumerate(b, 1):
            sub = prev[j - 1] + (0.0 if ca == cb else 1.0)
            cur.append(min(sub, prev[j] + _cost_indel(ca), cur[j - 1] + _cost_indel(cb)))
        prev = cur
    return prev[-1]


def _vowels(w: str) -> str:
    out: list[str] = []
    for ch in w:
        if ch in _VOWELS and (not out or out[-1] != ch):
            out.append(ch)
    return "".join(out)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def word_similarity(a: str, b: str) -> float:
    """Similarity of two single words in [0, 1] (symmetric).  Spelling variants only add or drop
    long vowels; when neither word's vowels are a subsequence of the other's ('بوتين'/'بوتان'), or a
    word is too short to carry a variant (three letters: 'عمر'/'عمار'), vowel changes cost in full."""
    pa, pb = phonetic(a), phonetic(b)
    if pa == pb:
        return 1.0
    if not pa or not pb:
        return 0.0
    if pa > pb:  # symmetric cache key
        pa, pb = pb, pa
    va, vb = _vowels(pa), _vowels(pb)
    cheap = min(len(pa), len(pb)) >= 4 and (_subsequence(va, vb) or _subsequence(vb, va))
    d = _distance(pa, pb) if cheap else _distance_flat(pa, pb)
    return max(0.0, 1.0 - d / max(len(pa), len(pb)))


@lru_cache(maxsize=caching.PAIR)
def _distance_flat(a: str, b: str) -> float:
    """Plain Levenshtein distance (every edit costs 1)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j - 1] + (ca != cb), prev[j] + 1, cur[j - 1] + 1))
        prev = cur
    return float(prev[-1])


def _words(name: str) -> list[str]:
    return name_key(name).split()  # name_key is search_key, memoized


def _article_free(word_score, x: str, y: str) -> float:
    """``word_score`` (x, y), or of the two words without their article when only one has it."""
    s = word_score(x, y)
    # the article is not part of a name ('الجعفري' / 'جعفري' compare alike)
    if s < 1.0 and (x.startswith(_ARTICLE) != y.startswith(_ARTICLE)):
        x = x[2:] if x.startswith(_ARTICLE) and len(x) > 4 else x
        y = y[2:] if y.startswith(_ARTICLE) and len(y) > 4 else y
        s = max(s, word_score(x, y))
    return s


def _name_score(word_score, a: str, b: str) -> float:
    """The name formula over a word scorer (:func:`word_similarity`, or its upper bound)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    if len(wa) > len(wb):
        wa, wb = wb, wa
    # 'عبد الله' vs 'عبدالله': compare the joined forms too
    joined = word_score("".join(wa), "".join(wb))
    best = 0.0
    for off in range(len(wb) - len(wa) + 1):  # the shorter name aligned inside the longer one
        s = min(_article_free(word_score, x, y) for x, y in zip(wa, wb[off : off + len(wa)]))
        best = max(best, s)
    best *= len(wa) / len(wb)  # missing words count against the match
    return max(best, joined if len(wa) != len(wb) else best)


@lru_cache(maxsize=caching.PAIR)
def _name_similarity(a: str, b: str) -> float:
    return _name_score(word_similarity, a, b)


def name_similarity(a: str, b: str) -> float:
    """Similarity of two (possibly multi-word) names in [0, 1]; symmetric.  Words are compared
    position by position and the weakest word decides; a name with missing words is scaled down
    by the share of words it covers (surname-alone matches are coreference's job, not this)."""
    if a > b:
        a, b = b, a
    return _name_similarity(a, b)


# --- cheap upper bounds, to skip the edit-distance DP for pairs that cannot reach a threshold --------
# Both distances (weighted and flat) are at least the consonant bag distance: an edit that costs
# less than 1 (a long-vowel insertion/deletion, or a free match) leaves the consonants unchanged,
# and an edit that costs 1 adds or removes at most one consonant on each side.  The weighted one is
# also at least 0.3 per letter of length difference.


@lru_cache(maxsize=caching.WORD)
def _consonants(p: str) -> tuple[dict, int]:
    """The consonants of ``p`` as a bag (letter → count), and how many there are."""
    bag = dict(Counter(ch for ch in p if ch not in _VOWELS))
    return bag, sum(bag.values())


def _word_upper(a: str, b: str) -> float:
    """An upper bound of :func:`word_similarity` (a, b)."""
    pa, pb = phonetic(a), phonetic(b)
    if pa == pb:
        return 1.0
    if not pa or not pb:
        return 0.0
    (ca, na), (cb, nb) = _consonants(pa), _consonants(pb)
    # consonants of one word missing from the other: its count minus the bags' common part
    common = sum(min(n, cb[ch]) for ch, n in ca.items() if ch in cb)
    a_only, b_only = na - common, nb - common
    lb = max(a_only, b_only, 0.3 * abs(len(pa) - len(pb)))
    return 1.0 - lb / max(len(pa), len(pb))


def _name_upper(a: str, b: str) -> float:
    """An upper bound of :func:`name_similarity` (a, b): its formula with each word similarity
    replaced by an upper bound (the formula is monotone in them)."""
    return _name_score(_word_upper, a, b)


_EPS = 1e-9  # margin for float rounding between the bound and the exact figure


def name_similarity_min(a: str, b: str, threshold: float) -> float:
    """:func:`name_similarity` (a, b) when it can reach ``threshold``; otherwise some value below
    ``threshold`` (0.0), found without the edit-distance DP."""
    if _name_upper(a, b) < threshold - _EPS:
        return 0.0
    return name_similarity(a, b)


@lru_cache(maxsize=8)
def _short_limit(threshold: float) -> int:
    """The longest phonetic form for which one consonant of difference already puts the upper
    bound below ``threshold`` (1 - 1/L < threshold)."""
    n = 0
    while n < 1000 and 1.0 - 1.0 / (n + 1) < threshold - _EPS:
        n += 1
    return n


def word_block(word: str, threshold: float):
    """A blocking key for :func:`word_similarity_min` at ``threshold``: two words whose phonetic
    forms both have at most :func:`_short_limit` letters reach it only when their consonant bags
    are equal (one consonant more or less already costs more than the threshold allows), so they
    share this key.  ``None`` for a longer word, which has to be compared with every other."""
    p = phonetic(word)
    if len(p) > _short_limit(threshold):
        return None
    return tuple(sorted(_consonants(p)[0].items()))


def word_similarity_min(a: str, b: str, threshold: float) -> float:
    """:func:`word_similarity` (a, b) when it can reach ``threshold``; otherwise 0.0 (below it)."""
    if _word_upper(a, b) < threshold - _EPS:
        return 0.0
    return word_similarity(a, b)


def similar(a: str, b: str, threshold: float = THRESHOLD) -> bool:
    return name_similarity(a, b) >= threshold


def skeleton_ratio(a: str, b: str) -> float:
    """rapidfuzz ratio (0..1) of the two skeletons: a fast pre-filter for candidate search."""
    return fuzz.ratio(skeleton(a), skeleton(b)) / 100.0
