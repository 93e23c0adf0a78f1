"""The state of one article's event reading, passed explicitly to every reader: the article, its
folded view, the mentions, times, quotes and places to look up, the events kept so far, and the
helpers over source offsets.  The readers are functions of it: :mod:`.conditions` (whether a trigger
reports an act, and its status), :mod:`.roles` (source and target actors), :mod:`.evidence` (the
evidence clause, the date, duplicates) and :mod:`.step` (the main loop)."""

from __future__ import annotations

import bisect
from typing import Optional

from ...model import Article, Event, Mention, Sentence
from ...text.normalize import fold, normalize
from ...text.spans import ByStart, Covering
from .base import SYMMETRIC
from .places import PlaceFinder


class Seen:
    """The events kept so far, indexed for :func:`.evidence.duplicate`: an earlier event can
    only be repeated by one of the same type in the same sentence, or (symmetric types) by one of
    the same type and the same actors.  Those are the only ones it is handed, in order."""

    def __init__(self, ex: "EventContext") -> None:
        self.ex = ex
        self.by_sentence: dict[tuple, list[int]] = {}
        self.by_actors: dict[tuple, list[int]] = {}
        self.two_party: list[int] = []  # the places of the symmetric events between 2+ actors

    @staticmethod
    def _actors(e: Event) -> tuple:
        return e.type, frozenset(e.source) | frozenset(e.target)

    def candidates(self, ev: Event) -> list[int]:
        near = self.by_sentence.get((ev.type, self.ex.sentence_of(ev.start).index), [])
        if ev.type not in SYMMETRIC:
            return near
        same = self.by_actors.get(self._actors(ev), [])
        return sorted(set(near) | set(same)) if same else near

    def _keys(self, ev: Event) -> tuple[tuple, tuple]:
        return (ev.type, self.ex.sentence_of(ev.start).index), self._actors(ev)

    def add(self, i: int, ev: Event) -> None:
        for index, key in zip((self.by_sentence, self.by_actors), self._keys(ev)):
            bisect.insort(index.setdefault(key, []), i)
        if two_party(ev):
            bisect.insort(self.two_party, i)

    def replace(self, i: int, old: Event, new: Event) -> None:
        """``new`` takes ``old``'s place ``i`` (its actors, even its sentence, may differ)."""
        for index, key in zip((self.by_sentence, self.by_actors), self._keys(old)):
            index[key].remove(i)
        if two_party(old):
            self.two_party.remove(i)
        self.add(i, new)

    def last_symmetric(self) -> Optional[Event]:
        return self.ex.events[self.two_party[-1]] if self.two_party else None


def two_party(e: Event) -> bool:
    return e.type in SYMMETRIC and len(set(e.source) | set(e.target)) > 1


class EventContext:
    """One article's event reading: what the readers share, all of it set here."""

    def __init__(self, a: Article, detector, min_detector: float, kb=None, lexicon=None):
        self.a, self.text = a, a.text
        self.norm = normalize(a.text)
        self.ftext = self.norm.text
        self.src2norm = None
        self.detector, self.min_detector = detector, min_detector
        self.times = ByStart(a.times)  # the time expressions of a clause, by bisection
        self.quotes_at = Covering(a.quotes)  # the quotes that hold a position
        self.seen: Optional[Seen] = None
        self.ments = sorted(a.mentions, key=lambda m: m.start)
        self.mstarts = [m.start for m in self.ments]
        self.sstarts = [s.start for s in a.sentences]
        self.kb = kb  # the actor KB of the places and capitals (or None)
        self.lexicon = lexicon  # the trigger lexicon (None: the shipped one, per call)
        self.places = PlaceFinder(a, kb)
        self.det_cache: dict[tuple[int, str], float] = {}
        self.events: list[Event] = []

    # --- helpers over source offsets -------------------------------------------------------------
    def f(self, lo: int, hi: int) -> str:
        """Folded view of text[lo:hi]: the slice of the article's normalized text that comes from it
        (normalizing folds or deletes each character on its own, with fold's table, so the two are
        the same string; slicing spares folding the same stretches again and again)."""
        if lo < 0 or hi < 0:  # Python's negative slice bounds: fold the slice itself
            return fold(self.text[lo:hi])
        offs = self.norm.offsets
        return self.ftext[bisect.bisect_left(offs, lo) : bisect.bisect_left(offs, hi)]

    def last_symmetric(self) -> Optional[Event]:
        """The last event kept so far of a symmetric type between two actors or more."""
        if self.seen is None:
            sym = [x for x in self.events if two_party(x)]
            return sym[-1] if sym else None
        return self.seen.last_symmetric()

    def sentence_of(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self.sstarts, pos) - 1
        return self.a.sentences[max(i, 0)]

    def mentions_in(self, lo: int, hi: int) -> list[Mention]:
        i = bisect.bisect_left(self.mstarts, lo)
        out = []
        while i < len(self.ments) and self.ments[i].start < hi:
            if self.ments[i].end <= hi:
                out.append(self.ments[i])
            i += 1
        return out
