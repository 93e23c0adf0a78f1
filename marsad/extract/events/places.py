"""Event location: the place stated in the event's sentence, else the explicit frame ('وفي موسكو…')
still open, else the dateline; geocoded from the actor KB's coordinates (no server, no network).

    places = PlaceFinder(article, kb)      # per article: frames and dateline
    place = places.locate(sentence, trigger_start, exclude=mentions_used_as_actors, arrival=False)
    place.name, place.id, place.lat, place.lon, place.basis   # basis: sentence | frame | dateline

The actor KB is handed in (``kb``) and optional: without it places keep their canonical names and
no coordinates.  Capitals standing for a government are resolved to their state by :func:`state_of`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from ...model import Article, Mention, Sentence
from ...text.normalize import fold
from ...text.spans import ByStart

PLACE_TYPES = ("GPE", "LOC")
# between 'في' and the name: a generic head and its adjective ('في العاصمة الكازاخية نور سلطان')
_IN = re.compile(
    r"(?:^|\s)(?:[وف]?(?:في|ب)|داخل|قرب|شمال|جنوب|شرق|غرب|وسط)"
    r"(?:\s+(?:ال)?(?:عاصمه|مدينه|بلده|قريه|محافظه|منطقه|حي|مخيم|ريف|ضاحيه|مطار|منتجع)(?:\s+\S+)?)?\s*$"
)
_TO = re.compile(r"(?:^|\s)(?:[وف]?(?:الي|الى)|لي)\s*$")
_FRAME = re.compile(r"^\s*[وف]?(?:في|من)\s*$")
_DATELINE = re.compile(r"^\s*[^\n]{2,30}?\s*[-–—:]\s")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    id: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    basis: str = "sentence"
    mention: Optional[Mention] = None


def _actor(m: Mention, kb):
    if kb is None:
        return None
    a = None
    if m.actor_id:
        a = getattr(kb, "by_id", {}).get(m.actor_id)
    if a is None:
        try:
            a = kb.lookup(m.text)
        except Exception:
            a = None
        if isinstance(a, (list, tuple)):
            a = a[0] if a else None
    return a


def geocode(m: Mention, kb=None) -> Place:
    a = _actor(m, kb)
    name = m.canonical or (getattr(a, "name_en", None) if a is not None else None) or m.text
    if a is None:
        return Place(name, m.actor_id, None, None, "sentence", m)
    return Place(name, getattr(a, "id", m.actor_id), getattr(a, "lat", None), getattr(a, "lon", None), "sentence", m)


def state_of(m: Mention, kb=None) -> tuple[Optional[str], Optional[str]]:
    """For a capital named as an actor ('واشنطن' for the US government): the state's (name, id);
    (None, None) when the KB does not say the place is a capital of a country it knows."""
    a = _actor(m, kb)
    if a is None or kb is None or m.type != "GPE":
        return None, None
    kind = (getattr(a, "kind", "") or "").lower()
    notes = (getattr(a, "notes", "") or "").lower()
    if "capital" not in kind and not re.match(r"capital\b", notes):
        return None, None  # the KB marks capitals in 'kind' or at the head of 'notes' ('capital; coords: …')
    by_id = getattr(kb, "by_id", {})
    st = None
    for ref in (getattr(a, "parent", None), getattr(a, "country", None)):  # parent 'gpe:algeria'; country 'DZA'
        if ref and ref in by_id and ref != getattr(a, "id", None):
            st = by_id[ref]
            break
    if st is None:
        return None, None
    return getattr(st, "name_en", None), getattr(st, "id", None)


def _at(frame: tuple) -> int:
    return frame[0]


class PlaceFinder:
    """Locations for the events of one article."""

    def __init__(self, article: Article, kb=None):
        self.a = article
        self.kb = kb
        self.text = article.text
        self.places = [m for m in article.mentions if m.type in PLACE_TYPES]
        self._places = ByStart(self.places)
        self.frames: list[tuple[int, Place]] = []  # (sentence start, place), in order of position
        self._ordered: Optional[bool] = None
        for s in article.sentences:
            if s.start < article.body_start:
                continue
            for m in self._in(s.start, min(s.end, s.start + 40)):
                if _FRAME.match(fold(self.text[s.start : m.start])):
                    self.frames.append((s.start, self._with_basis(geocode(m, kb), "frame")))
                    break
        self.dateline: Optional[Place] = None
        body = self.text[article.body_start : article.body_start + 60]
        dm = _DATELINE.match(fold(body))
        if dm:
            for m in self._in(article.body_start, article.body_start + dm.end()):
                self.dateline = self._with_basis(geocode(m, kb), "dateline")
                break

    @staticmethod
    def _with_basis(p: Place, basis: str) -> Place:
        return Place(p.name, p.id, p.lat, p.lon, basis, p.mention)

    def _in(self, start: int, end: int) -> list[Mention]:
        return self._places.within(start, end)

    def add_frame(self, at: int, place: Place) -> None:
        """An occasion opens a frame (an arrival in a city frames the meetings of the visit)."""
        if not self._frames_ordered():
            self.frames.append((at, self._with_basis(place, "frame")))
            self.frames.sort(key=_at)
            self._ordered = True
            return
        # after the frames of the same position, as appending and a stable sort would put it
        bisect.insort_right(self.frames, (at, self._with_basis(place, "frame")), key=_at)

    def frame_at(self, pos: int) -> Optional[Place]:
        """The place of the last frame opened at or before ``pos``."""
        if not self._frames_ordered():
            best = None
            for at, p in self.frames:
                if at <= pos:
                    best = p
            return best
        k = bisect.bisect_right(self.frames, pos, key=_at)
        return self.frames[k - 1][1] if k else None

    def _frames_ordered(self) -> bool:
        # the frames are opened at sentence starts, sentence by sentence, so they are in order
        # (checked once; add_frame keeps the order, and sorts frames that were not)
        if self._ordered is None:
            self._ordered = all(x[0] <= y[0] for x, y in zip(self.frames, self.frames[1:]))
        return self._ordered

    def in_sentence(self, s: Sentence, lo: int, hi: int, exclude=(), arrival: bool = False) -> Optional[Place]:
        """The place stated in ``text[lo:hi]`` (a clause of sentence ``s``): a GPE/LOC mention
        introduced by 'في' (or 'إلى' for arrivals), not used as an actor."""
        ex = {(m.start, m.end) for m in exclude}
        for m in self._in(max(lo, s.start), min(hi, s.end)):
            if (m.start, m.end) in ex:
                continue
            left = fold(self.text[max(s.start, m.start - 40) : m.start])
            if _IN.search(left) or (arrival and _TO.search(left)):
                return geocode(m, self.kb)
        return None

    def locate(self, s: Sentence, lo: int, hi: int, exclude=(), arrival: bool = False) -> Optional[Place]:
        return self.in_sentence(s, lo, hi, exclude, arrival) or self.frame_at(s.start) or self.dateline
