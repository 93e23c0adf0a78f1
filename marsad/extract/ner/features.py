"""Token normalization and feature extraction shared by NER training and inference.

The folding here is private to the NER model (it must stay byte-for-byte stable for a trained
model to keep working), so it does not import :mod:`marsad.text.normalize`, whose rules may evolve.

Folding: diacritics, tatweel, bidi/zero-width marks deleted; أ إ آ ٱ → ا; ى → ي; ة → ه; ؤ → و;
ئ → ي; Arabic-Indic/Persian digits → ASCII (:data:`marsad.text.calendar.DIGITS`, a fixed table).  For the word-vector lookup every digit becomes ``0``.

Per token the model sees:
* the word vector of the folded word (pretrained on unlabeled 2018 news, frozen);
* the word vector of its *stem*, i.e. the word with proclitics (و ف, ب ل ك, ال) stripped —
  ``بالجزائر`` → ``جزائر`` / ``الجزائر`` — chosen as the longest strip whose result is in the vocabulary;
* a small id for the proclitic pattern that was stripped;
* a shape id (Arabic word, Latin, digits, punctuation, mixed…);
* the characters of the folded word (for the character CNN), truncated to ``MAX_CHARS``;
* the id of the word in the training split's vocabulary (a small trainable embedding);
* gazetteer bits of the word and of its stem (looked up by word id, see ``train_data.gazetteer_bits``).
"""

from __future__ import annotations

import re
import struct

import numpy as np

from marsad import caching
from marsad.text.calendar import DIGITS

MAX_CHARS = 20

_DELETE = (
    "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
    + "\u0640"
    + "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    + "\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad"
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
    "ئ": "ي",
    "ؤ": "و",
    "ة": "ه",
    "ۀ": "ه",
    "ە": "ه",
    "ہ": "ه",
    "ھ": "ه",
    "ک": "ك",
    "ڪ": "ك",
}
_FOLD.update((chr(code), digit) for code, digit in DIGITS.items())
_TABLE = {ord(c): None for c in _DELETE}
_TABLE.update({ord(k): v for k, v in _FOLD.items()})
_DIGITS = re.compile(r"[0-9]")

# proclitic patterns, longest first; index = pattern id (0 = none)
PREFIXES = (
    "",
    "وبال",
    "وكال",
    "ولل",
    "فبال",
    "فلل",
    "فال",
    "وال",
    "بال",
    "كال",
    "لل",
    "ال",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
N_PREFIX = len(PREFIXES)
# the article to re-attach after stripping a clitic that contains it (لل = ل + ال)
_HAS_AL = {"وبال", "وكال", "ولل", "فبال", "فلل", "فال", "وال", "بال", "كال", "لل", "ال"}

N_SHAPE = 8
_AR = re.compile(r"^[\u0621-\u064A]+$")
_LAT = re.compile(r"^[A-Za-z]+$")
_NUM = re.compile(r"^[0-9][0-9.,/:%-]*$")
_PUNCT = re.compile(r"^[^\w]+$")

PAD_CHAR, UNK_CHAR = 0, 1
# a token's cached feature row: wid, sid, pid, shape, tid, nchars, then MAX_CHARS char ids
_ROW_LEN = 6 + MAX_CHARS
_ROW = struct.Struct(f"={_ROW_LEN}q")  # native int64, the layout np.frombuffer reads
_PAD_ROW = bytes(_ROW.size)


def fold(word: str) -> str:
    """Fold one token (see module docstring)."""
    return word.translate(_TABLE)


def vec_key(word: str) -> str:
    """The key used to look a folded word up in the word-vector vocabulary."""
    return _DIGITS.sub("0", word)


def shape(word: str) -> int:
    if not word:
        return 0
    if _AR.match(word):
        return 1
    if _LAT.match(word):
        return 2 if word[:1].isupper() else 3
    if _NUM.match(word):
        return 4
    if _PUNCT.match(word):
        return 5
    if re.search(r"[\u0621-\u064A]", word):
        return 6
    return 7


def stem_candidates(w: str):
    """(prefix id, stem) pairs for the proclitic patterns that fit ``w``, longest prefix first.
    Stems keep at least 2 letters.  When the stripped clitic contained the article, the
    article-bearing form (``بالجزائر`` → ``الجزائر``) is tried before the bare stem."""
    out = []
    for pid, p in enumerate(PREFIXES):
        if pid == 0 or not w.startswith(p) or len(w) - len(p) < 2:
            continue
        rest = w[len(p) :]
        if p in _HAS_AL and p != "ال":
            out.append((pid, "ال" + rest))
        out.append((pid, rest))
    return out


class Featurizer:
    """Maps token lists to the integer/array inputs of the tagger.  ``vocab`` maps vector keys to
    row ids (row 0 = padding, row 1 = unknown); ``chars`` maps characters to ids (0 pad, 1 unk)."""

    def __init__(self, vocab: dict[str, int], chars: dict[str, int], twords: dict[str, int] | None = None):
        self.vocab = vocab
        self.chars = chars
        self.twords = twords or {}
        # token string -> the bytes of its int64 row (wid, sid, pid, shape, tid, nchars, *chars
        # padded to MAX_CHARS): a batch is one bytes.join of rows, not a conversion of Python ints.
        # A plain dict of immutable values, so concurrent tag() calls stay safe under the GIL
        self._cache: dict[str, bytes] = {}

    def _compute(self, tok: str):
        w = fold(tok)
        key = vec_key(w)
        vocab = self.vocab
        wid = vocab.get(key, 1)
        sid, pid = wid, 0
        for p, stem in stem_candidates(key):
            s = vocab.get(stem)
            if s is not None:
                sid, pid = s, p
                break
        ch = self.chars
        cids = tuple(ch.get(c, UNK_CHAR) for c in w[:MAX_CHARS]) or (UNK_CHAR,)
        return (wid, sid, pid, shape(w), cids, self.twords.get(key, 1))

    def token(self, tok: str):
        r = self._cache.get(tok)
        if r is None:
            return self._compute(tok)
        r = _ROW.unpack(r)
        return r[0], r[1], r[2], r[3], r[6 : 6 + r[5]], r[4]

    def _row(self, tok: str) -> bytes:
        wid, sid, pid, shp, cids, tw = self._compute(tok)
        row = _ROW.pack(wid, sid, pid, shp, tw, len(cids), *cids, *(0,) * (MAX_CHARS - len(cids)))
        caching.put(self._cache, tok, row, caching.NER_WORD)
        return row

    def batch(self, sents: list[list[str]]):
        """Arrays for a batch: word ids, stem ids, prefix ids, shape ids [B,T] (int64),
        char ids [B,T,C] (int64), lengths [B], train-word ids [B,T]."""
        B = len(sents)
        T = max(1, max(map(len, sents), default=1))
        lens = np.fromiter(map(len, sents), np.int64, B)
        get = self._cache.get
        parts: list[bytes] = []
        for s in sents:
            rows = list(map(get, s))
            if None in rows:  # tokens not cached yet
                rows = [r if r is not None else self._row(t) for r, t in zip(rows, s)]
            parts += rows
            if len(s) < T:
                parts.append(_PAD_ROW * (T - len(s)))  # padding: all ids 0
        full = np.frombuffer(b"".join(parts), np.int64).reshape(B, T, _ROW_LEN)
        C = max(1, int(full[:, :, 5].max()) if B else 1)
        # one copy brings the five id columns to the front, each then a contiguous [B,T] array
        ids = np.ascontiguousarray(full[:, :, :5].transpose(2, 0, 1))
        cid = np.ascontiguousarray(full[:, :, 6 : 6 + C])
        return ids[0], ids[1], ids[2], ids[3], cid, lens, ids[4]

    def word_vectors(self, V: np.ndarray, wid, sid, cid, mimick=None):
        """Word and stem vectors [B,T,D] float32.  With ``mimick`` (char ids [N,C] → vectors
        [N,D]) words missing from the vocabulary get a vector predicted from their characters."""
        wv = V[wid].astype(np.float32)
        sv = V[sid].astype(np.float32)
        if mimick is not None:
            m = wid == 1
            if m.any():
                rows = cid[m]
                rows = rows[:, : max(1, int((rows > 0).sum(1).max()))]
                wv[m] = mimick(rows)
                ms = sid == 1
                sv[ms] = wv[ms]
        return wv, sv
