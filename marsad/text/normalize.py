"""Arabic normalization as a *view* of the source text, with an offset map back to it.

``normalize(text)`` returns a :class:`Normalized` whose ``text`` is the folded form and whose
``offsets[i]`` is the source index of normalized character ``i`` (``offsets[len]`` == len(source)).
Characters are only folded or deleted, never expanded, so each normalized character comes from
exactly one source character.

Folding: diacritics (harakat, shadda, sukun, superscript alef, Quranic marks) and tatweel are
deleted; bidi and zero-width marks are deleted (the characters of
:data:`marsad.text.segment.INVISIBLE`: a token keeps them inside its word, so its folded form is the
word without them); alef/hamza forms أ إ آ ٱ → ا; ى → ي; ة → ه; ؤ → و; ئ → ي; Persian/Urdu
look-alikes ی ي ک → ك/ي; ۀ ە → ه; Arabic-Indic and Persian digits → ASCII digits; NBSP and other
spaces → ' '.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from .. import caching
from .calendar import DIGITS

# deleted characters
_DELETE = (
    "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a"  # Quranic signs
    + "".join(chr(c) for c in range(0x064B, 0x0660))  # harakat … hamza marks
    + "\u0670"  # superscript alef
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))  # Quranic annotation
    + "\u0640"  # tatweel
    + "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"  # zero-width, bidi
    + "\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad\u2060"  # isolates, ALM, BOM, SHY, WJ
)
_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ی": "ي",
    "ې": "ي",
    "ێ": "ي",
    "ۍ": "ي",
    "ئ": "ي",
    "ؤ": "و",
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
    "ہ": "ه",
    "ھ": "ه",
    "ک": "ك",
    "ڪ": "ك",
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u3000": " ",
}
_FOLD.update((chr(code), digit) for code, digit in DIGITS.items())  # Arabic-Indic, Persian digits
_FOLD["\u066b"] = "."  # Arabic decimal separator
_FOLD["\u066c"] = ","  # Arabic thousands separator

_TABLE = {ord(c): None for c in _DELETE}
_TABLE.update({ord(k): v for k, v in _FOLD.items()})
# The same table as a list indexed by code point (each untouched character maps to itself), for
# str.translate: a dict answers every character it does not hold with a KeyError raised and
# cleared inside translate, which made folding Arabic text about twice as slow.  Characters past
# the list's end get an IndexError, which translate likewise reads as "unchanged".  (~2.5 MB.)
_TRANSLATE: list = list(range(max(_TABLE) + 1))
for _code, _to in _TABLE.items():
    _TRANSLATE[_code] = _to
_NEEDS_WORK = re.compile("[" + re.escape(_DELETE + "".join(_FOLD)) + "]")


def _norm_key(s: str) -> str:
    # split() breaks at the characters \s matches (both are str.isspace): the same as collapsing
    # the runs of white space to one " " and stripping the ends, in one pass
    return " ".join(s.translate(_TRANSLATE).split())


def _fold(s: str) -> str:
    return s.translate(_TRANSLATE)


# words and short names recur all the time: memoized (bounded); long strings are folded directly
_SHORT = 32
_norm_key_short = lru_cache(maxsize=caching.WORD)(_norm_key)
_fold_short = lru_cache(maxsize=caching.WORD)(_fold)


def norm_key(s: str) -> str:
    """Fold a string for matching (no offset map): the same folding as :func:`normalize`,
    with runs of white space collapsed and ends stripped."""
    if not s:
        return ""
    return _norm_key_short(s) if len(s) <= _SHORT else _norm_key(s)


def fold(s: str) -> str:
    """Fold characters only (no white-space collapsing)."""
    return _fold_short(s) if len(s) <= _SHORT else _fold(s)


@dataclass(frozen=True, slots=True)
class Normalized:
    source: str
    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open range of the normalized text back to the source text."""
        if start == end:
            s = self.offsets[start]
            return s, s
        return self.offsets[start], self.offsets[end - 1] + 1

    def find_all(self, needle: str):
        """Yield source spans of every occurrence of a (normalized) needle."""
        i = self.text.find(needle)
        while i >= 0:
            yield self.to_source(i, i + len(needle))
            i = self.text.find(needle, i + 1)


# The offsets are runs of consecutive source indexes: slicing them from one shared tuple of ints
# is ~10x cheaper than making a new int object per character (an article has thousands).
_INDEXES = tuple(range(1 << 14))


def _indexes(start: int, stop: int) -> tuple[int, ...]:
    """``tuple(range(start, stop))``."""
    if stop <= len(_INDEXES):
        return _INDEXES[start:stop]
    return tuple(range(start, stop))


@lru_cache(maxsize=16)
def normalize(source: str) -> Normalized:
    """Normalize ``source`` into a view with an offset map back to it.  Cached: the layers of one
    article share the view of its text instead of each computing it."""
    if not _NEEDS_WORK.search(source):
        return Normalized(source, source, _indexes(0, len(source) + 1))
    # every character folds to exactly one character or is deleted: the text is one translate,
    # and the offsets are the source indexes outside the runs of deleted characters
    text = source.translate(_TRANSLATE)
    n = len(source)
    if len(text) == n:
        return Normalized(source, text, _indexes(0, n + 1))
    offs: list[int] = []
    prev = 0
    for m in _DELETED.finditer(source):
        offs += _indexes(prev, m.start())
        prev = m.end()
    offs += _indexes(prev, n + 1)
    return Normalized(source, text, tuple(offs))


_DELETED = re.compile("[" + re.escape(_DELETE) + "]+")


_NONWORD = re.compile(r"[^\w]+", re.UNICODE)
_YEH_TEH = re.compile(r"يه\b")
_LONG = re.compile(r"(?<=\w)[اوي](?=\w)")
_DOUBLE = re.compile(r"(\w)\1+")


def search_key(s: str) -> str:
    """The folding used for search: :func:`norm_key`, punctuation to spaces, and a word-final
    'ية'/'يا' equated (so 'سوريا' finds 'سورية').  Queries and stored text use the same key."""
    s = _NONWORD.sub(" ", fold(s)).strip()
    s = _YEH_TEH.sub("يا", s)
    return " ".join(s.split())


def skeleton(s: str) -> str:
    """A transliteration-insensitive key for foreign names: folded, long vowels (ا و ي) inside a
    word dropped and doubled letters collapsed ('لافرينتييف', 'لافرنتيف' → 'لفرنتف')."""
    words = []
    for w in search_key(s).split():
        w = _LONG.sub("", w)
        words.append(_DOUBLE.sub(r"\1", w))
    return " ".join(words)
