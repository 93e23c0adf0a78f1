"""Teasers of other stories inside an article's lines.

Pages often carry other stories' leads or headlines inside or after the article: a box of related
headlines between paragraphs, a block of other stories' opening sentences at its end.  Their
entities and events belong to other stories (the corpus annotators mark them boilerplate), so
:func:`teaser_lines` finds them among the body lines for :mod:`marsad.ingest.clean`.  Inline
teasers with a lead-in word ('اقرأ.. …', 'قد يهمك/ …') are :func:`marsad.ingest.chrome.chrome_kind`'s.
"""

from __future__ import annotations

import re

from marsad.text.normalize import fold, norm_key

__all__ = ["teaser_lines"]

_CONNECTIVE_START = frozenset(
    norm_key(w)
    for w in "كما هذا هذه لذا يأتي على من إلى الى بدوره بدورها أما اما غير لكن إذ اذ حيث يذكر يشار ذلك جاء "
    "لا ثم بينما فيما إلا الا أي مما التي الذي".split()
)
# words that begin with و or ف without it being the conjunction (a verb's or a noun's own letter)
_WAW_ROOTS = tuple(
    fold(w)
    for w in "وجه وصل وقع وافق وضع وعد وجد ورد وصف وقف وزع ودع وسع وثق وزير وزارة وكالة وفد وفاة "
    "فرض فتح فاز فشل فجر فصائل فرنسا فلسطين".split()
)
_NUMBERED = re.compile(r"^\s*\d+\s*[-–.)/]")
_FULL_STOP = re.compile(r"[.!]\s*[\"»”]?\s*$")


def _lead_sentence(key: str) -> bool:
    """A long sentence that opens a story rather than continuing one: twelve words or more, not a
    numbered item, and no connective first word (و / ف as a conjunction, كما, ذلك …)."""
    words = key.split()
    if len(words) < 12 or _NUMBERED.match(key):
        return False
    first = words[0]
    if first in _CONNECTIVE_START:
        return False
    return not (first[:1] in ("و", "ف") and len(first) >= 3 and not first.startswith(_WAW_ROOTS))


def _headline_like(key: str) -> bool:
    """2–16 words that end without a full stop or a colon (a title, not a sentence or a lead-in)."""
    n = len(key.split())
    return 2 <= n <= 16 and not _FULL_STOP.search(key) and not key.rstrip().endswith(":") and not _NUMBERED.match(key)


def teaser_lines(keys: list[str]) -> list[int]:
    """Indices of the body lines (``norm_key`` of each, in order, headline excluded) that are
    other stories' teasers: a run of two or more headline-like lines between two lines of the
    body (a box of related headlines; a single one is a crosshead and stays), and a block of four
    or more lead sentences ending the article (other stories' opening sentences), when at least
    two lines of the article come before it."""
    n = len(keys)
    out: set[int] = set()
    i = 1
    while i < n:
        j = i
        while j < n and _headline_like(keys[j]):
            j += 1
        if j - i >= 2 and j < n:
            out.update(range(i, j))
        i = max(j, i + 1)
    k = 0
    while k < n - 1 and _lead_sentence(keys[n - 1 - k]):
        k += 1
    if k >= 4 and n - k >= 2:
        out.update(range(n - k, n))
    return sorted(out)
