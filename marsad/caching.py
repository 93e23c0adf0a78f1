"""Bounds of the per-word memos, in one place.

Most extraction steps memoize pure functions of a word (normalized keys, lexicon look-ups,
NER features).  The number of distinct words in a corpus never stops growing, so every memo is
bounded: ``functools.lru_cache(maxsize=WORD)`` for functions, :func:`put` (oldest quarter dropped
when full) for plain dicts.  With these bounds the memos fill within the first few thousand news
articles, after which a worker's memory stays flat however long the run (bench/throughput.py
--big); they hold the words that recur (news vocabulary is Zipfian).  Measured on ant_bench with 2
workers: WORD = 2^16 ran ~3-5% faster than 2^15 but each worker held ~80 MB more, which put the
whole run over 1 GB.  A memo's size never changes an output, only how often a value is recomputed.
"""

from __future__ import annotations

import itertools

WORD = 1 << 15  # memos keyed by one word (or one word and a KB)
PAIR = 1 << 15  # memos keyed by a pair of names
PHRASE = 1 << 14  # memos keyed by a short phrase
NER_WORD = (
    1 << 15
)  # the NER's per-token feature rows and character-encoder vectors (2^16: 1,050 MB at 50,000 articles with 2 workers; 2^15: 967 MB, no slowdown seen)


def put(memo: dict, key, value, cap: int = WORD) -> None:
    """``memo[key] = value``; when ``memo`` already holds ``cap`` entries, the oldest quarter is
    dropped first (dicts keep insertion order), so the words that keep recurring come back at
    once and the memo never holds more than ``cap`` entries."""
    if len(memo) >= cap:
        try:
            for k in list(itertools.islice(memo, max(1, cap // 4))):
                memo.pop(k, None)
        except RuntimeError:  # another thread changed the memo meanwhile: start afresh
            memo.clear()
    memo[key] = value
