"""Token normalization and feature extraction shared by NER training and inference.

The folding here is private to the NER model (it must stay byte-for-byte stable for a trained
model to keep working), so it does not import :mod:`marsad.text.normalize`, whose rules may evolve.

Folding: diacritics, tatweel, bidi/zero-width marks deleted; أ إ آ ٱ → ا; ى → ي; ة → ه; ؤ → و;
ئ → ي; Arabic-Indic/Persian digits → ASCII.  For the word-vector lookup every digit becomes ``0``.

Per token the model sees:
* the word vector of the folded word (pretrained on unlabeled 2018 news, frozen);
* the word vector of its *stem*, i.e. the word with proclitics (و ف, ب ل ك, ال) stripped —
  ``بالجزائر`` → ``جزائر`` / ``الجزائر`` — chosen as the longest strip whose result is in the vocabulary;
* a small id for the proclitic pattern that was stripped;
* a shape id (Arabic word, Latin, digits, punctuation, mixed…);
* the characters of the folded word (for the character CNN), truncated to ``MAX_CHARS``;
* the id of the word in the training split's vocabulary (a small trainable embedding);
* gazetteer bits of the word and of its stem (looked up by word id, see ``train.gazetteer_bits``).
"""
from __future__ import annotations

import re

import numpy as np

MAX_CHARS = 20

_DELETE = (
    "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))
    + "\u0640"
    + "\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E"
    + "\u2066\u2067\u2068\u2069\u061C\uFEFF\u00AD"
)
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ئ": "ي", "ؤ": "و",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ہ": "ه", "ھ": "ه",
    "ک": "ك", "ڪ": "ك",
}
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)
    _FOLD[chr(0x06F0 + _i)] = str(_i)
_TABLE = {ord(c): None for c in _DELETE}
_TABLE.update({ord(k): v for k, v in _FOLD.items()})
_DIGITS = re.compile(r"[0-9]")

# proclitic patterns, longest first; index = pattern id (0 = none)
PREFIXES = (
    "", "وبال", "وكال", "ولل", "فبال", "فلل", "فال", "وال", "بال", "كال", "لل", "ال",
    "وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك",
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
        rest = w[len(p):]
        if p in _HAS_AL and p != "ال":
            out.append((pid, "ال" + rest))
        out.append((pid, rest))
    return out


class Featurizer:
    """Maps token lists to the integer/array inputs of the tagger.  ``vocab`` maps vector keys to
    row ids (row 0 = padding, row 1 = unknown); ``chars`` maps characters to ids (0 pad, 1 unk)."""

    def __init__(self, vocab: dict[str, int], chars: dict[str, int],
                 twords: dict[str, int] | None = None):
        self.vocab = vocab
        self.chars = chars
        self.twords = twords or {}
        self._cache: dict[str, tuple[int, int, int, int, tuple[int, ...]]] = {}

    def token(self, tok: str):
        hit = self._cache.get(tok)
        if hit is not None:
            return hit
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
        out = (wid, sid, pid, shape(w), cids, self.twords.get(key, 1))
        if len(self._cache) < 500_000:
            self._cache[tok] = out
        return out

    def batch(self, sents: list[list[str]]):
        """Arrays for a batch: word ids, stem ids, prefix ids, shape ids [B,T] (int64),
        char ids [B,T,C] (int64), lengths [B], train-word ids [B,T]."""
        B = len(sents)
        T = max(1, max((len(s) for s in sents), default=1))
        wid = np.zeros((B, T), np.int64)
        sid = np.zeros((B, T), np.int64)
        pid = np.zeros((B, T), np.int64)
        shp = np.zeros((B, T), np.int64)
        feats = [[self.token(t) for t in s] for s in sents]
        C = max(1, max((len(f[4]) for fs in feats for f in fs), default=1))
        cid = np.zeros((B, T, C), np.int64)
        lens = np.zeros(B, np.int64)
        tid = np.zeros((B, T), np.int64)
        for b, fs in enumerate(feats):
            lens[b] = len(fs)
            for t, (w, s, p, h, cs, tw) in enumerate(fs):
                tid[b, t] = tw
                wid[b, t] = w
                sid[b, t] = s
                pid[b, t] = p
                shp[b, t] = h
                cid[b, t, :len(cs)] = cs
        return wid, sid, pid, shp, cid, lens, tid

    def word_vectors(self, V: np.ndarray, wid, sid, cid, mimick=None):
        """Word and stem vectors [B,T,D] float32.  With ``mimick`` (char ids [N,C] → vectors
        [N,D]) words missing from the vocabulary get a vector predicted from their characters."""
        wv = V[wid].astype(np.float32)
        sv = V[sid].astype(np.float32)
        if mimick is not None:
            m = wid == 1
            if m.any():
                rows = cid[m]
                rows = rows[:, :max(1, int((rows > 0).sum(1).max()))]
                wv[m] = mimick(rows)
                ms = sid == 1
                sv[ms] = wv[ms]
        return wv, sv
