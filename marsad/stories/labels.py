"""The actor label lexicon (``resources/lexicons/actor_labels.tsv``): the names outlets give an actor
class (نظام الأسد, الجيش العربي السوري, الثوار, الإرهابيين…) with the stance each carries, and a
matcher that finds them in an article as spans of its text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from ..errors import ModelError
from ..text.normalize import fold, norm_key, normalize

LEXICON = Path(__file__).resolve().parents[1] / "resources" / "lexicons" / "actor_labels.tsv"
STANCES = ("own", "neutral", "sympathetic", "hostile")
CLASSES = ("syrian-government", "syrian-opposition", "armed-groups", "isis", "israel", "houthis", "saudi-coalition")


@dataclass(frozen=True)
class Label:
    term: str
    cls: str
    stance: str
    unless_next: str = ""


@dataclass(frozen=True)
class LabelHit:
    term: str
    cls: str
    stance: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {
            "term": self.term,
            "class": self.cls,
            "stance": self.stance,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


def read_lexicon(path: Path = LEXICON) -> list[Label]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("term\t"):
            continue
        cells = line.split("\t") + [""]
        term, cls, stance, unless = (c.strip() for c in cells[:4])
        if cls not in CLASSES or stance not in STANCES or not term:
            raise ModelError(f"{path}:{n}: bad label row {line!r} (class in {CLASSES}, stance in {STANCES})")
        out.append(Label(term, cls, stance, unless))
    return out


class LabelMatcher:
    """Whole-word matches of the lexicon's terms in folded text, longest first; a term may carry the
    proclitics و ف, then ب ك ل (ل + ال written لل)."""

    def __init__(self, labels: list[Label]):
        self.by_key = {norm_key(lb.term): lb for lb in labels}
        alts = []
        for key in sorted(self.by_key, key=len, reverse=True):
            body = re.escape(key).replace(r"\ ", r"\s+")
            if key.startswith("ال"):
                alts.append(f"(?:[وف]?[بك]?{body}|[وف]?لل{re.escape(key[2:])})")
            else:
                alts.append(f"(?:[وف]?[بكل]?{body})")
        self.rx = re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<t{i}>{a})" for i, a in enumerate(alts)) + r")(?!\w)")
        self.keys = sorted(self.by_key, key=len, reverse=True)
        self._next = re.compile(r"\s+(\w+)")

    def _label(self, m: re.Match) -> Label:
        return self.by_key[self.keys[int(m.lastgroup[1:])]]

    def _excluded(self, lb: Label, folded: str, end: int) -> bool:
        if not lb.unless_next:
            return False
        nxt = self._next.match(folded, end)
        return bool(nxt) and nxt.group(1) == norm_key(lb.unless_next)

    def find(self, text: str) -> Iterator[LabelHit]:
        """The labels in ``text``, as spans of ``text`` itself (``text[start:end]`` is ``.text``)."""
        nz = normalize(text)
        for m in self.rx.finditer(nz.text):
            lb = self._label(m)
            if self._excluded(lb, nz.text, m.end()):
                continue
            s, e = nz.to_source(m.start(), m.end())
            yield LabelHit(lb.term, lb.cls, lb.stance, s, e, text[s:e])

    def count(self, text: str) -> dict[str, int]:
        """term -> occurrences in ``text`` (no offsets: cheaper, for whole-outlet counts)."""
        out: dict[str, int] = {}
        folded = fold(text)
        for m in self.rx.finditer(folded):
            lb = self._label(m)
            if not self._excluded(lb, folded, m.end()):
                out[lb.term] = out.get(lb.term, 0) + 1
        return out

    def term(self, term: str) -> Optional[Label]:
        return self.by_key.get(norm_key(term))


_CLITICS = ("وال", "فال", "بال", "كال", "لل")


def name_form(surface: str) -> str:
    """A name's wording, folded and without the proclitics that come with its article:
    «للجيش الإسرائيلي», «والجيش الاسرائيلي» → «الجيش الاسرائيلي»."""
    k = norm_key(surface)
    for c in _CLITICS:
        if k.startswith(c) and len(k) - len(c) >= 3:
            return "ال" + k[len(c) :]
    return k
