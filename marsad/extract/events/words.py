"""The words of a sentence as the learned event layer reads them: runs of word characters or single
punctuation marks, each with its source offsets and its folded form."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Sentence
from ...text.normalize import fold
from .context import EventContext

TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int
    w: str  # folded surface


def tokens(ctx: EventContext, s: Sentence) -> list[Tok]:
    out = []
    for m in TOKEN.finditer(ctx.text[s.start : s.end]):
        w = fold(m.group())
        if w:  # a lone diacritic or tatweel folds to nothing
            out.append(Tok(s.start + m.start(), s.start + m.end(), w))
    return out
