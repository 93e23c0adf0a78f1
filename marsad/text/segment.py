"""Sentence segmentation and tokenization with proclitic splits, all offsets into the source.

Sentences end at ``. ! ? ؟ ! …`` (plus any closing quotes/brackets that follow), at ``؛`` only when a
newline follows, and always at a newline.  A full stop inside an open «…» quotation does not end the
sentence unless the paragraph ends.  Sentences are trimmed of surrounding white space; together they
cover every non-space character of the text.

No sentence is longer than :data:`MAX_SENTENCE` characters: a longer run (text without punctuation
or newlines, a quotation mark never closed) is cut at white space into pieces of at most that
length.  Every later step works sentence by sentence, and some of them compare the words of a
sentence pairwise; the bound keeps them all linear in the length of the text.  (The longest
sentence in 5,000 real articles has 1,720 characters.)

Tokens are words (letters, digits, diacritics, tatweel) or single punctuation marks.  A word may carry
proclitics (و ف ب ك ل and the article ال): :func:`split_clitics` finds them conservatively and the
token records the stem's absolute offset, so ``text[token.stem_start:token.end]`` is the stem.
"""

from __future__ import annotations

import re
from sys import intern
from functools import lru_cache
from typing import Iterable, Optional

from .. import caching
from ..model import Sentence, Token
from .normalize import fold

# Invisible format characters (zero-width space/non-joiner/joiner, word joiner, bidi marks, embeddings
# and isolates, the Arabic letter mark, BOM, soft hyphen) belong to the word they stand in or next
# to: 'بشار\u200c' or 'الأ\u200bسد' is one token, whose ``norm`` (and every folded view) drops them.
INVISIBLE = frozenset(
    "\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_WORD = re.compile(
    r"[\w\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640" + "".join(sorted(INVISIBLE)) + r"]+"
    r"(?:[.,٫٬][0-9٠-٩]+)*",
    re.UNICODE,
)
_TOKEN = re.compile(_WORD.pattern + r"|[^\s]", re.UNICODE)
_END = set(".!?؟…")
_CLOSERS = set("»”\"')]}’")
_OPEN_Q, _CLOSE_Q = "«“", "»”"
_SPECIAL = re.compile("[" + re.escape("\n؛" + _OPEN_Q + _CLOSE_Q + "".join(sorted(_END))) + "]")


def _is_abbrev(text: str, i: int) -> bool:
    """A full stop after a single letter (initials: 'د.', 'J.') or between digits is no boundary."""
    if text[i] != ".":
        return False
    j = i - 1
    if j >= 0 and text[j].isdigit() and i + 1 < len(text) and text[i + 1].isdigit():
        return True
    if j >= 0 and text[j].isalpha() and (j == 0 or not text[j - 1].isalpha()):
        return True
    return False


MAX_SENTENCE = 2000
_SPACE_BACK = re.compile(r"\s(?=\S*\Z)")  # the last white-space character of a string


def sentence_bounds(text: str, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int]]:
    """Half-open (start, end) ranges of the sentences of ``text[start:end]``, none longer than
    :data:`MAX_SENTENCE`."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    s = start
    depth = 0
    i = start
    find = _SPECIAL.search
    while i < end:
        m = find(text, i, end)  # only these characters can open, close or end anything
        if m is None:
            break
        i = m.start()
        ch = text[i]
        cut = None
        if ch == "\n":
            cut = i
            depth = 0
        elif ch in _OPEN_Q:
            depth += 1
        elif ch in _CLOSE_Q:
            if depth > 0:
                depth -= 1
            else:
                # a reversed mark opening a quote ('و»داعش»'): followed by a letter, preceded by space/و
                prev = text[i - 1] if i > start else " "
                nxt = text[i + 1] if i + 1 < end else " "
                if nxt.isalpha() and (prev.isspace() or prev in "وفبل:"):
                    depth += 1
        elif ch in _END and depth == 0 and not _is_abbrev(text, i):
            j = i + 1
            while j < end and (text[j] in _END or text[j] in _CLOSERS):
                j += 1
            if j >= end or text[j].isspace():
                cut = j
                i = j - 1
        elif ch == "؛" and depth == 0 and i + 1 < end and text[i + 1] == "\n":
            cut = i + 1
        if cut is not None:
            _push(text, s, cut, out)
            s = cut
        i += 1
    _push(text, s, end, out)
    return out


def _push(text: str, a: int, b: int, out: list) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    while b - a > MAX_SENTENCE:
        cut = _cut(text, a, a + MAX_SENTENCE)
        _push(text, a, cut, out)
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if a < b:
        out.append((a, b))


def _cut(text: str, a: int, limit: int) -> int:
    """Where to end an over-long sentence that starts at ``a``: after the last word that ends by
    ``limit`` (looking back over the second half of the window only), else at ``limit`` itself
    (a 'word' of more than MAX_SENTENCE / 2 characters is not one)."""
    lo = a + MAX_SENTENCE // 2
    m = _SPACE_BACK.search(text, lo, limit + 1)  # white space at text[limit] ends the word before it
    return m.start() if m is not None else limit


def paragraph_index(text: str, bounds: list[tuple[int, int]]) -> list[int]:
    """Paragraph number (0-based, by newline) of each sentence."""
    out, para, pos = [], 0, 0
    for a, _ in bounds:
        para += text.count("\n", pos, a)
        pos = a
        out.append(para)
    return out


def segment(text: str, start: int = 0) -> tuple[Sentence, ...]:
    """Sentences of ``text`` from ``start`` on."""
    bounds = sentence_bounds(text, start)
    paras = paragraph_index(text, bounds)
    return tuple(Sentence(a, b, k, p) for k, ((a, b), p) in enumerate(zip(bounds, paras)))


# --- clitics -----------------------------------------------------------------------------------
# Definite-article patterns are split whenever the stem keeps at least two letters.  A bare
# proclitic (و ف ب ك ل) is split only when the caller's lexicon knows the remainder.
_ART = re.compile(r"^(?P<pre>[وف]?(?:[بك]?ال|لل))(?=\w\w)")
_LAM_TATWEEL = re.compile(r"^[وف]?[لب]\u0640+")
_SINGLE = "وفبكل"


def split_clitics(word: str, known: Optional[Iterable[str] | set] = None) -> tuple[tuple[str, ...], int]:
    """Return (clitics, stem offset within ``word``).  ``known`` is a set of folded stems for which a
    bare proclitic split is allowed (e.g. names from a gazetteer).  Works on the raw word (diacritics
    allowed) by folding a copy of the same length."""
    f = fold(word)
    if len(f) != len(word):  # diacritics present: map through an index
        keep = [i for i, ch in enumerate(word) if fold(ch)]
        f = "".join(fold(word[i]) for i in keep)
    else:
        keep = None
    clitics: list[str] = []
    pos = 0
    m = _LAM_TATWEEL.match(word)
    if m and m.end() < len(word):  # 'لـ' + word: the tatweel marks a detached preposition
        return tuple(c for c in word[: m.end()] if c != "\u0640"), m.end()
    m = _ART.match(f)
    if m:
        pre = m.group("pre")
        if pre[0] in "وف":
            clitics.append(pre[0])
            pre = pre[1:]
        if pre == "لل":
            clitics += ["ل", "ال"]
        else:
            if pre[0] in "بك":
                clitics.append(pre[0])
            clitics.append("ال")
        pos = m.end()
    elif known is not None and len(f) > 3:
        i = 0
        while i < 2 and len(f) - i > 3 and f[i] in _SINGLE:
            if f[i + 1 :] in known:
                clitics.extend(f[: i + 1])
                pos = i + 1
                break
            i += 1
    if keep is not None and pos:
        pos = keep[pos] if pos < len(keep) else len(word)
    return tuple(clitics), pos


# Tokens are built without the frozen dataclass's ``__init__``, which sets each field through
# ``object.__setattr__`` by name (segmentation builds one Token per word, and that was a third of
# its time).  ``_TokenFields`` has exactly Token's slots and no frozen ``__setattr__``: its fields are
# plain attribute stores, and switching the object's class to Token afterwards (allowed because the
# layouts are identical) gives a Token equal in every field to ``Token(...)``, at a fifth of the cost.
class _TokenFields:
    __slots__ = Token.__slots__


assert Token.__slots__ == ("start", "end", "text", "norm", "sentence", "stem_start", "clitics", "is_punct"), (
    "Token's fields changed: update _token"
)
_new = object.__new__


def _token(
    start: int, end: int, text: str, norm: str, sentence: int, stem_start: int, clitics: tuple, is_punct: bool
) -> Token:
    """``Token(start, end, text, norm, sentence, stem_start, clitics, is_punct)``, faster."""
    t = _new(_TokenFields)
    t.start = start
    t.end = end
    t.text = text
    t.norm = norm
    t.sentence = sentence
    t.stem_start = stem_start
    t.clitics = clitics
    t.is_punct = is_punct
    t.__class__ = Token
    return t


# a token with the white space before it: findall hands out both strings, and their lengths give
# the offsets, which is cheaper than asking every match object for its group and span
_SPACED_TOKEN = re.compile(r"(\s*)(" + _TOKEN.pattern + ")", re.UNICODE)


def tokenize(
    text: str, sentences: tuple[Sentence, ...] | None = None, known: Optional[set] = None
) -> tuple[Token, ...]:
    """Tokens of ``text`` (within the given sentences, or the whole text)."""
    if sentences:
        spans = [(s.start, s.end, s.index) for s in sentences]
    else:
        # trailing white space would only make the search try (and fail) at each of its characters
        spans = [(0, len(text.rstrip()), 0)]
    out: list[Token] = []
    append = out.append
    token = _token
    info = _word_info
    for a, b, k in spans:
        pos = a
        for space, w in _SPACED_TOKEN.findall(text, a, b):
            s = pos + len(space)
            pos = e = s + len(w)
            w, f, clitics, stem, punct = info(w)
            if known is not None and not punct:
                clitics, stem = split_clitics(w, known)
            append(token(s, e, w, f, k, s + stem if stem else -1, clitics, punct))
    return tuple(out)


@lru_cache(maxsize=caching.WORD)
def _word_info(w: str) -> tuple[str, str, tuple[str, ...], int, bool]:
    """(interned word, folded word, clitics, stem offset, is punctuation) of a word with no lexicon:
    a pure function of the word.  Interned: every memo keyed by this word (and every token of it)
    shares one string."""
    w = intern(w)
    if len(w) == 1 and not w.isalnum():
        return w, "" if w in INVISIBLE else w, (), 0, True
    f = fold(w)
    if not f and all(ch in INVISIBLE for ch in w):  # invisible marks only: a mark, as each alone is
        return w, f, (), 0, True
    clitics, pos = split_clitics(w)
    return w, f, clitics, pos, False
