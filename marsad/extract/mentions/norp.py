"""Nationality and group adjectives (pass 3 of :mod:`marsad.extract.mentions`): every inflection
of a nationality, group words ('الأكراد', 'السنة' after a human noun), and a country name that is
used as an adjective ('شخصيات سورية')."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from ... import caching
from ...model import Token
from ..actors import nationality_of
from ..gazetteer import (
    GROUP_NORP,
    GROUP_NORP_AMBIGUOUS,
    GROUP_NOUNS,
    HUMAN_PLURAL,
    first_token_variants,
    gazetteer_of,
    raw_cut,
)
from ..kb import memos_of
from .base import Cand, covered
from ..similarity import name_key

_MISSING = object()  # not in the memo (None is a memoized answer)


def _norp_cut(kb, word: str) -> Optional[int]:
    """Letters of proclitic to leave out when ``word`` is a nationality adjective (None: it is
    not one); memoized per word for each KB (:func:`marsad.extract.kb.memos_of`)."""
    memo = memos_of(kb).norp
    hit = memo.get(word, _MISSING)
    if hit is not _MISSING:
        return hit
    hit = None
    for key, cut in reversed(first_token_variants(word)):  # the proclitic stays out
        raw = word[raw_cut(word, cut) :]
        if nationality_of(kb, raw) is not None:
            hit = cut
            break
    caching.put(memo, word, hit)
    return hit


def norp_pass(a, sents, chosen, kb, gaz, groups=None) -> list:
    """Nationality and group adjectives not covered by a name (a one-word GPE may turn out to be
    an adjective).  ``groups``: :func:`group_word` of each word of each sentence, when the caller
    has them."""
    cov = covered(chosen)
    gpe_at = {s[c.i].start: (s, c) for s, c in chosen if c.type == "GPE" and c.i == c.j}
    out = []
    memo = memos_of(kb).norp
    for k, s in enumerate(sents):
        gs = groups[k] if groups is not None else None
        for i, t in enumerate(s):
            if t.is_punct:
                continue
            if t.start in cov and t.start not in gpe_at:
                continue
            hit = memo.get(t.text, _MISSING)  # _norp_cut's memo read here: most words are in it
            if hit is _MISSING:
                hit = _norp_cut(kb, t.text)
            if hit is None:
                # group_word first: most words are no group word
                if t.start not in cov and (gs[i] if gs is not None else group_word(t.text)) is not None:
                    hit = _group_norp_cut(s, i)
                if hit is None:
                    continue
            if t.start in gpe_at:  # 'سورية': the country (noun) or an adjective?
                if not _adjectival(s, i, kb):
                    continue
                chosen.remove(gpe_at[t.start])
            out.append((s, Cand(i, i, hit, "NORP", "norp", 1.0, 1)))
    return out


@lru_cache(maxsize=caching.WORD)
def group_word(word: str) -> Optional[tuple[str, int]]:
    """(key, letters of proclitic) when ``word`` is a group adjective ('والأكراد' → ('الاكراد', 1))."""
    for key, cut in reversed(first_token_variants(word)):
        if key in GROUP_NORP:
            return key, cut
    return None


def _group_norp_cut(s: list[Token], i: int) -> Optional[int]:
    """Letters of proclitic to leave out when ``s[i]`` is a group adjective (Kurds, Sunnis…; None: it
    is not one).  'السنة' (also 'the year') only after a human noun or another group word."""
    hit = group_word(s[i].text)
    if hit is not None:
        key, cut = hit
        if key in GROUP_NORP_AMBIGUOUS:
            prev = s[i - 1] if i > 0 and not s[i - 1].is_punct else None
            pk = [k for k, _ in first_token_variants(prev.text)] if prev is not None else []
            if not any(k in HUMAN_PLURAL or (k in GROUP_NORP and k not in GROUP_NORP_AMBIGUOUS) for k in pk):
                return None
        return cut
    return None


def _adjectival(s: list[Token], i: int, kb) -> bool:
    """A word that is both a country and an adjective ('سورية') is NORP after a group noun
    ('شخصيات سورية') or next to another indefinite nationality adjective ('سورية روسية')."""
    if i > 0 and not s[i - 1].is_punct and any(k in GROUP_NOUNS for k, _ in first_token_variants(s[i - 1].text)):
        return True
    for n in (i - 1, i + 1):
        if 0 <= n < len(s) and not s[n].is_punct:
            kn = name_key(s[n].text)
            if (
                not kn.startswith("ال")
                and nationality_of(kb, s[n].text) is not None
                and gazetteer_of(kb).kind_of((kn,)) is None
            ):
                return True
    return False
