"""The token view that quotes and attributions share, and word tests on its folded forms.

:class:`Doc` holds the body tokens of an article with their folded forms, the sentences as token
ranges and the mention covering each token.
"""

from __future__ import annotations

import bisect

from ...caching import put
from ...model import Article
from ...text.segment import tokenize
from .cues import ADJUNCT_WORDS, COMPLEMENTIZERS, PRONOUN_SUFFIXES


class Doc:
    """The body of an article as tokens with folded forms, sentence ranges and a mention index."""

    def __init__(self, article: Article):
        self.text = article.text
        toks = article.tokens or tokenize(article.text, article.sentences)
        self.toks = [t for t in toks if t.start >= article.body_start]
        self.norms = [t.norm for t in self.toks]
        self.sent_tok: list[tuple[int, int]] = []
        self.sent_of: list[int] = []
        for k, t in enumerate(self.toks):
            if not self.sent_tok or t.sentence != self.toks[self.sent_tok[-1][0]].sentence:
                self.sent_tok.append((k, k + 1))
            else:
                self.sent_tok[-1] = (self.sent_tok[-1][0], k + 1)
            self.sent_of.append(len(self.sent_tok) - 1)
        self.mentions = sorted(
            (m for m in article.mentions if m.start >= article.body_start), key=lambda m: (m.start, -m.end)
        )
        self.mention_at = [-1] * len(self.toks)
        self.mention_end_tok = [0] * len(self.mentions)
        starts = [t.start for t in self.toks]
        for mi, m in enumerate(self.mentions):
            k = max(bisect.bisect_right(starts, m.start) - 1, 0)
            last = k
            while k < len(self.toks) and self.toks[k].start < m.end:
                if self.toks[k].end > m.start and self.mention_at[k] < 0:
                    self.mention_at[k] = mi
                last = k
                k += 1
            self.mention_end_tok[mi] = last + 1

    _recent: dict = {}
    _RECENT = 32  # Docs kept: more than a pipeline batch (engine._TASK), which runs step by step

    @classmethod
    def of(cls, article: Article) -> "Doc":
        """The Doc of an article; the attributions and quotes steps share one (a Doc is read-only,
        and it is rebuilt unless text, tokens, sentences and mentions are the very same objects)."""
        parts = (article.text, article.tokens, article.sentences, article.mentions)
        key = tuple(map(id, parts)) + (article.body_start,)
        hit = cls._recent.get(key)
        if hit is not None:  # the entry holds the parts, so their ids cannot have been reused
            return hit[1]
        doc = cls(article)
        put(cls._recent, key, (parts, doc), cls._RECENT)  # bounded, oldest out, safe under threads
        return doc

    def mention_starting(self, k: int):
        """The mention whose first token is k (or None)."""
        mi = self.mention_at[k]
        if mi < 0 or (k > 0 and self.mention_at[k - 1] == mi):
            return None
        return mi


def is_comp(n: str) -> bool:
    if n in COMPLEMENTIZERS:
        return True
    for pre in ("ان", "بان", "لان", "فان", "وان"):
        if n.startswith(pre) and n[len(pre) :] in PRONOUN_SUFFIXES:
            return True
    return False


def nisba(n: str) -> bool:
    if len(n) == 4 and n.endswith("ي") and not n.startswith("ال") and n not in _SHORT_NOT_NISBA:
        return True  # 'مصدر أمني', 'مسؤول محلي'
    return len(n) > 4 and n.endswith(("ي", "يه", "يين", "يون", "يان")) and n not in ADJUNCT_WORDS


_SHORT_NOT_NISBA = {"حتي", "لكي", "علي", "الي", "لدي", "اني", "فهي", "وهي"}


def skeleton(n: str) -> str:
    """A folded word without its long vowels: transliteration variants of one foreign name share it
    ('بلينكن/بلينكين', 'نويرت/ناورت', 'غوتيريش/غوتيرش')."""
    return n[0] + "".join(c for c in n[1:] if c not in "اوي")


def plural_head(n: str) -> bool:
    """A definite sound masculine plural ('المشاركون', 'المحتجون'): a collective subject."""
    return n.startswith("ال") and n.endswith("ون") and len(n) >= 7
