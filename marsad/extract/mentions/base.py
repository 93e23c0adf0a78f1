"""What the passes of the NER step (:mod:`marsad.extract.mentions`) share: the candidate span and
the word tests that more than one pass uses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ... import caching
from ...model import Token
from ..gazetteer import ADVERB, FUNCTION_WORDS, LOC_HEAD_NAMED, PROCLITIC, first_token_variants
from ..similarity import name_key


@dataclass
class Cand:
    i: int  # first token index
    j: int  # last token index (inclusive)
    cut: int  # letters cut from the first token
    type: str
    step: str
    score: float
    prio: int  # higher wins ties


def name_word(words, t: int) -> bool:
    """A word that can be part of a name: not punctuation, a function word, an adverb or a digit."""
    if t >= len(words) or words[t].is_punct:
        return False
    k = name_key(words[t].text)
    return (
        len(k) >= 3
        and k not in FUNCTION_WORDS
        and not ADVERB.search(words[t].text)
        and not any(ch.isdigit() for ch in words[t].text)
    )


def is_adjective(t: Token) -> bool:
    k = name_key(t.text)
    return k.startswith("ال") and (k.endswith("يه") or k.endswith("يا") or k.endswith("ي")) and len(k) > 5


@lru_cache(maxsize=caching.WORD)
def head_variants(word: str) -> tuple[tuple[str, int], ...]:
    """:func:`first_token_variants` plus a proclitic on a three-letter head ('وحي' → 'حي')."""
    out = first_token_variants(word)
    k = name_key(word)
    if len(k) == 3 and k[0] in PROCLITIC and k[1:] in LOC_HEAD_NAMED:
        out = out + ((k[1:], 1),)
    return out


def loc_head_key(word: str) -> Optional[tuple[str, int]]:
    """(key, letters cut) of the first of :func:`head_variants` that is a head naming places
    ('مخيم', 'وحي'…), or None."""
    for key, cut in head_variants(word):
        if key in LOC_HEAD_NAMED:
            return key, cut
    return None


def covered(chosen) -> set[int]:
    cov = set()
    for s, c in chosen:
        for t in range(c.i, c.j + 1):
            cov.add(s[t].start)
    return cov
