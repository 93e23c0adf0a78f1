"""The state of one article's quote reading, passed explicitly to every reader: the token view
(``d``, a :class:`~.doc.Doc`), the media phrases and attribution phrases found first, and the
statements (:class:`Q`) kept so far with their indexes.  The readers are functions of it:
:mod:`.marks` (quotation marks, cues), :mod:`.phrases` (speaker noun phrases), :mod:`.content`
(where a content opens and ends), :mod:`.speaker` (implicit speakers) and :mod:`.step`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...model import Article
from .attributions import find_attributions
from .cues import CueInfo
from .doc import Doc

BUCKET = 1024  # characters per bucket of the quote content index


@dataclass
class Q:
    cue_i: int
    cue_j: int
    info: CueInfo
    start: int = -1
    end: int = -1
    kind: str = "indirect"
    sp: Optional[tuple] = None  # (start, end, speaker, actor)
    addressee: Optional[str] = None
    region: tuple = (0, 0)  # token range between the cue and the content
    gender: str = "m"
    number: str = "sg"
    sent: int = 0
    pending: bool = False
    np: tuple = (0, 0)  # token range of the subject phrase


class QuoteContext:
    """One article's quote reading: what the readers share, all of it set here."""

    def __init__(self, article: Article, media: Optional[dict] = None):
        self.a = article
        self.d = Doc.of(article)
        self.media_at: dict[int, object] = {}
        self.attr_tokens: dict[int, int] = {}  # first token of an attribution phrase -> end token
        for attr, np_, cue_k in find_attributions(self.d, media=media):
            self.media_at[np_.i] = np_
            self.attr_tokens[cue_k] = np_.j
        self.qs: list[Q] = []
        # the quotes kept so far, indexed (the scans of all of them made the step quadratic in the
        # length of a text): by sentence, by the end of their speaker phrase, and by the stretches
        # of text their contents cover (buckets of BUCKET characters; a content is bounded by its
        # sentence or, quoted, by marks.MAX_QUOTE)
        self.seq: dict[int, int] = {}  # id(quote) → its place in self.qs
        self.by_sent: dict[int, list[Q]] = {}
        self.by_np_end: dict[int, list[Q]] = {}
        self.cover: dict[int, list[Q]] = {}
        self.surnames: Optional[dict] = None  # phrases.surname's table, built on first use

    def keep(self, q: Q) -> None:
        """Add ``q`` to the quotes kept (``self.qs``) and to the indexes."""
        self.seq[id(q)] = len(self.qs)
        self.qs.append(q)
        self.by_sent.setdefault(q.sent, []).append(q)
        if q.np[1] > q.np[0]:
            self.by_np_end.setdefault(q.np[1], []).append(q)
        self.place(q)

    def place(self, q: Q) -> None:
        """Index the content of ``q`` (again, once it is set after ``q`` was kept)."""
        if q.end > 0:
            for k in range(max(q.start, 0) // BUCKET, q.end // BUCKET + 1):
                self.cover.setdefault(k, []).append(q)

    def containing(self, c: int, closed: bool = False) -> list[Q]:
        """The kept quotes whose content holds char ``c`` (``start <= c < end``, or ``<= end``
        when ``closed``), in the order they were kept: what a scan of ``self.qs`` finds."""
        seen: set[int] = set()
        out = []
        for o in self.cover.get(c // BUCKET, ()):
            if o.end > 0 and o.start <= c and (c <= o.end if closed else c < o.end) and id(o) not in seen:
                seen.add(id(o))
                out.append(o)
        out.sort(key=lambda o: self.seq[id(o)])
        return out
