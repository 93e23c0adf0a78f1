"""Events: who did what to whom, where and when — PLOVER-coded, located, dated and cited.

:class:`EventStep` finds lexicon triggers (``event_lexicon``) in the body sentences, checks each
trigger's conditions, reads its status (realized | negated | planned | conditional), its source and
target actors from the resolved mentions (the most specific actor: person > organization > state),
its location (``places``), its date (a time expression of the sentence, else the publication date
with ``date_from_published``) and cuts a verbatim evidence clause of 30–200 characters.  ASSAULT and
PROTEST triggers are confirmed by the sentence detector of ``gsr`` when its weights are present.
"""
from __future__ import annotations

import bisect
from dataclasses import replace
from typing import Optional

from ..model import Article, Event, Mention, Sentence
from ..text.normalize import fold, normalize
from .event_base import _BOUND, MATERIAL, MAX_EV, MIN_EV, RANK, SYMMETRIC  # noqa: F401 (RANK is re-exported)
from .event_conditions import ConditionsMixin
from .event_evidence import EvidenceMixin
from .event_lexicon import Trigger, find_triggers
from .event_roles import RolesMixin
from .places import PlaceFinder
from ..text.spans import ByStart, Covering


class EventStep:
    name = "events"
    requires = ("sentences", "mentions", "times", "quotes")
    assigns = ("events",)

    def __init__(self, detector=None, min_detector: float = 0.2):
        if detector is None:
            try:
                from .gsr import load_detector
                detector = load_detector()
            except Exception:  # no weights shipped: lexicon only
                detector = None
        self.detector = detector
        self.min_detector = min_detector

    def __call__(self, a: Article) -> Article:
        if not a.sentences or not a.text:
            return replace(a, events=())
        ex = _Extractor(a, self.detector, self.min_detector)
        return replace(a, events=tuple(ex.run()))


def link_quote_events(a: Article) -> Article:
    """The article with each quote linked to its events (the ``quote_events`` step)."""
    return replace(a, quotes=_quote_events(a.quotes, a.events)) if a.quotes else a


def _quote_events(quotes: tuple, events: tuple) -> tuple:
    """Each quote with the indexes of its events: those triggered inside it, and its speaker's
    acts that start inside it or up to 300 characters before it.  The events near a quote are
    found by bisection over their trigger starts and their starts, then checked as a scan of all
    of them would (a scan per quote was quadratic in the length of the text)."""
    by_trigger = sorted((e.trigger_start, i) for i, e in enumerate(events))
    by_start = sorted((e.start, i) for i, e in enumerate(events))
    out = []
    for q in quotes:
        near = {i for _, i in by_trigger[bisect.bisect_left(by_trigger, (q.start, -1)):
                                         bisect.bisect_left(by_trigger, (q.end, -1))]}
        if q.speaker_actor:
            near.update(i for _, i in by_start[bisect.bisect_right(by_start, (q.start - 300, len(events))):
                                               bisect.bisect_left(by_start, (q.end, -1))])
        out.append(replace(q, events=tuple(
            i for i in sorted(near)
            if q.start <= events[i].trigger_start < q.end
            or (q.speaker_actor and q.speaker_actor in events[i].source_ids and q.start - 300 < events[i].start < q.end))))
    return tuple(out)


class _Seen:
    """The events kept so far, indexed for :meth:`EvidenceMixin._duplicate`: an earlier event can
    only be repeated by one of the same type in the same sentence, or (symmetric types) by one of
    the same type and the same actors.  Those are the only ones it is handed, in order."""

    def __init__(self, ex: "_Extractor") -> None:
        self.ex = ex
        self.by_sentence: dict[tuple, list[int]] = {}
        self.by_actors: dict[tuple, list[int]] = {}
        self.two_party: list[int] = []      # the places of the symmetric events between 2+ actors

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
        if _two_party(ev):
            bisect.insort(self.two_party, i)

    def replace(self, i: int, old: Event, new: Event) -> None:
        """``new`` takes ``old``'s place ``i`` (its actors, even its sentence, may differ)."""
        for index, key in zip((self.by_sentence, self.by_actors), self._keys(old)):
            index[key].remove(i)
        if _two_party(old):
            self.two_party.remove(i)
        self.add(i, new)

    def last_symmetric(self) -> Optional[Event]:
        return self.ex.events[self.two_party[-1]] if self.two_party else None


def _two_party(e: Event) -> bool:
    return e.type in SYMMETRIC and len(set(e.source) | set(e.target)) > 1


class _Extractor(ConditionsMixin, RolesMixin, EvidenceMixin):
    """One article's events: the main loop and the coding of one trigger, over the trigger checks
    (:mod:`.event_conditions`), the roles (:mod:`.event_roles`) and the evidence and dedup
    (:mod:`.event_evidence`)."""

    def __init__(self, a: Article, detector, min_detector: float):
        self.a, self.text = a, a.text
        self.norm = normalize(a.text)
        self.ftext = self.norm.text
        self.src2norm = None
        self.detector, self.min_detector = detector, min_detector
        self.times = ByStart(a.times)        # the time expressions of a clause, by bisection
        self.quotes_at = Covering(a.quotes)  # the quotes that hold a position
        self._seen: Optional[_Seen] = None
        self.ments = sorted(a.mentions, key=lambda m: m.start)
        self.mstarts = [m.start for m in self.ments]
        self.sstarts = [s.start for s in a.sentences]
        self.places = PlaceFinder(a)
        self._det_cache: dict[tuple[int, str], float] = {}
        self.events: list[Event] = []

    # --- helpers over source offsets -------------------------------------------------------------
    def f(self, lo: int, hi: int) -> str:
        """Folded view of text[lo:hi]: the slice of the article's normalized text that comes from it
        (normalizing folds or deletes each character on its own, with fold's table, so the two are
        the same string; slicing spares folding the same stretches again and again)."""
        if lo < 0 or hi < 0:                 # Python's negative slice bounds: fold the slice itself
            return fold(self.text[lo:hi])
        offs = self.norm.offsets
        return self.ftext[bisect.bisect_left(offs, lo):bisect.bisect_left(offs, hi)]

    def last_symmetric(self) -> Optional[Event]:
        """The last event kept so far of a symmetric type between two actors or more."""
        if self._seen is None:
            sym = [x for x in self.events if _two_party(x)]
            return sym[-1] if sym else None
        return self._seen.last_symmetric()

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

    def clause(self, s: Sentence, t: Trigger) -> tuple[int, int]:
        lo = s.start
        for m in _BOUND.finditer(self.text, s.start, t.start):
            lo = m.end()
        hi = s.end
        m = _BOUND.search(self.text, t.match_end, s.end)
        if m:
            hi = m.start()
        return lo, hi

    # --- main loop -------------------------------------------------------------------------------
    def run(self) -> list[Event]:
        out: list[Event] = self.events
        last_in_sentence: dict[int, Event] = {}
        seen = self._seen = _Seen(self)
        for t in find_triggers(self.text, self.norm):
            if t.start < self.a.body_start:
                continue  # headlines restate the body; events are coded from the body
            s = self.sentence_of(t.start)
            ev = self.code(t, s, last_in_sentence.get(s.index))
            if ev is None:
                continue
            dup = self._duplicate(ev, out, seen.candidates(ev))
            if dup is not None:
                if dup >= 0 and len(out[dup].source) + len(out[dup].target) < len(ev.source) + len(ev.target) \
                        and self.sentence_of(out[dup].start).index == s.index:
                    seen.replace(dup, out[dup], ev)
                    out[dup] = ev
                continue
            seen.add(len(out), ev)
            out.append(ev)
            last_in_sentence[s.index] = ev
        return out

    def code(self, t: Trigger, s: Sentence, prev: Optional[Event]) -> Optional[Event]:
        lo, hi = self.clause(s, t)
        if not self.conditions_ok(t, s, lo, hi):
            return None
        status = self.status(t, s, lo)
        src, tgt, inherited, spk = self.roles(t, s, lo, hi, prev)
        e = t.entry
        if spk is not None:
            source, source_ids = (spk[0],), (spk[1] or "",)
        elif inherited is not None:
            source, source_ids = inherited.source, inherited.source_ids
            if e.type in SYMMETRIC and not tgt and len(source) > 1:
                tgt = []
        else:
            pairs = [self.actor(m) for m in src]
            source, source_ids = tuple(p[0] for p in pairs), tuple(p[1] or "" for p in pairs)
        tp = [self.actor(m) for m in tgt]
        target = tuple(p[0] for p in tp if p[0] not in source)
        target_ids = tuple(p[1] or "" for p in tp if p[0] not in source)
        if not source and not target and e.type not in ("ASSAULT", "PROTEST", "REJECT", "ACCUSE", "REQUEST"):
            return None  # no identifiable actor: not coded
        arrival = e.mode == "visit"
        place = self.places.in_sentence(s, lo, hi, exclude=src, arrival=arrival) or \
            self.places.in_sentence(s, s.start, hi, exclude=src + tgt, arrival=arrival) or \
            self.places.frame_at(s.start) or self.places.dateline
        if arrival and place is not None and place.basis == "sentence" and status == "realized":
            self.places.add_frame(s.start, place)
        day, fallback = self.when(s, t)
        if status == "realized" and e.type in MATERIAL and "speech" not in e.cond and self.a.published and \
                any(x.value and str(x.value) > str(self.a.published)[:10] for x in self.times.within(lo, hi)):
            status = "planned"  # 'تعقد غداً': the act's own clause is dated after publication
        a, b = self.evidence(s, t, lo, hi)
        if b - a < MIN_EV:  # a very short sentence: widen within its line, else give up
            line_end = self.text.find("\n", b)
            line_end = len(self.text) if line_end < 0 else line_end
            line_start = self.text.rfind("\n", 0, a) + 1
            b = min(line_end, max(b, a + MIN_EV))
            if b - a < MIN_EV:
                a = max(line_start, b - MIN_EV)
            while b < line_end and not self.text[b - 1].isspace() and self.text[b].isalnum():
                b += 1
            if b - a < MIN_EV or b - a > MAX_EV:
                return None
        conf = 0.55 + 0.15 * bool(source) + 0.1 * bool(target) + 0.1 * (e.kind in ("V", "P"))
        return Event(type=e.type, mode=e.mode, start=a, end=b, evidence=self.text[a:b], source=source,
                     target=target, source_ids=source_ids, target_ids=target_ids,
                     location=place.name if place else None, location_id=place.id if place else None,
                     lat=place.lat if place else None, lon=place.lon if place else None,
                     date=day, date_from_published=fallback, status=status, confidence=round(min(conf, 0.95), 2),
                     cameo=e.cameo, trigger_start=t.start, trigger_end=t.end)
