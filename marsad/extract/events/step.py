"""Events: who did what to whom, where and when — PLOVER-coded, located, dated and cited.

:class:`EventStep` finds lexicon triggers (:mod:`.lexicon`) in the body sentences, checks each
trigger's conditions, reads its status (realized | negated | planned | conditional), its source and
target actors from the resolved mentions (the most specific actor: person > organization > state),
its location (:mod:`.places`), its date (a time expression of the sentence, else the publication date
with ``date_from_published``) and cuts a verbatim evidence clause of 30–200 characters.  ASSAULT and
PROTEST triggers are confirmed by the sentence detector of :mod:`.gsr` when the step is given one.
"""
from __future__ import annotations

import bisect
from dataclasses import replace
from typing import Optional

from ...model import Article, Event, Sentence
from .base import BOUND, MATERIAL, MAX_EV, MIN_EV, SYMMETRIC
from .conditions import conditions_ok, status_of
from .context import EventContext, Seen
from .evidence import duplicate, evidence, when
from .lexicon import Trigger, find_triggers, read_lexicon
from .roles import actor, roles


class EventStep:
    name = "events"
    requires = ("sentences", "mentions", "times", "quotes")
    assigns = ("events",)

    def __init__(self, detector=None, min_detector: float = 0.2, kb=None, lexicon=None):
        """``detector``: the GSR sentence detector (None: the lexicon only); ``kb``: the actor KB
        that geocodes places and maps capitals to their states (None: names only); ``lexicon``:
        the trigger lexicon (:class:`.lexicon.Lexicon`; None: the shipped one, read now).  The
        pipeline hands them from its :class:`marsad.resources.Resources`."""
        self.detector = detector
        self.min_detector = min_detector
        self.kb = kb
        self.lexicon = lexicon if lexicon is not None else read_lexicon()

    def __call__(self, a: Article) -> Article:
        if not a.sentences or not a.text:
            return replace(a, events=())
        return replace(a, events=tuple(run(EventContext(a, self.detector, self.min_detector, self.kb, self.lexicon))))


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


def clause(ctx: EventContext, s: Sentence, t: Trigger) -> tuple[int, int]:
    lo = s.start
    for m in BOUND.finditer(ctx.text, s.start, t.start):
        lo = m.end()
    hi = s.end
    m = BOUND.search(ctx.text, t.match_end, s.end)
    if m:
        hi = m.start()
    return lo, hi


# --- main loop -------------------------------------------------------------------------------
def run(ctx: EventContext) -> list[Event]:
    out: list[Event] = ctx.events
    last_in_sentence: dict[int, Event] = {}
    seen = ctx.seen = Seen(ctx)
    for t in find_triggers(ctx.text, ctx.norm, ctx.lexicon):
        if t.start < ctx.a.body_start:
            continue  # headlines restate the body; events are coded from the body
        s = ctx.sentence_of(t.start)
        ev = code(ctx, t, s, last_in_sentence.get(s.index))
        if ev is None:
            continue
        dup = duplicate(ctx, ev, out, seen.candidates(ev))
        if dup is not None:
            if dup >= 0 and len(out[dup].source) + len(out[dup].target) < len(ev.source) + len(ev.target) \
                    and ctx.sentence_of(out[dup].start).index == s.index:
                seen.replace(dup, out[dup], ev)
                out[dup] = ev
            continue
        seen.add(len(out), ev)
        out.append(ev)
        last_in_sentence[s.index] = ev
    return out


def code(ctx: EventContext, t: Trigger, s: Sentence, prev: Optional[Event]) -> Optional[Event]:
    lo, hi = clause(ctx, s, t)
    if not conditions_ok(ctx, t, s, lo, hi):
        return None
    status = status_of(ctx, t, s, lo)
    src, tgt, inherited, spk = roles(ctx, t, s, lo, hi, prev)
    e = t.entry
    if spk is not None:
        source, source_ids = (spk[0],), (spk[1] or "",)
    elif inherited is not None:
        source, source_ids = inherited.source, inherited.source_ids
        if e.type in SYMMETRIC and not tgt and len(source) > 1:
            tgt = []
    else:
        pairs = [actor(ctx, m) for m in src]
        source, source_ids = tuple(p[0] for p in pairs), tuple(p[1] or "" for p in pairs)
    tp = [actor(ctx, m) for m in tgt]
    target = tuple(p[0] for p in tp if p[0] not in source)
    target_ids = tuple(p[1] or "" for p in tp if p[0] not in source)
    if not source and not target and e.type not in ("ASSAULT", "PROTEST", "REJECT", "ACCUSE", "REQUEST"):
        return None  # no identifiable actor: not coded
    arrival = e.mode == "visit"
    place = ctx.places.in_sentence(s, lo, hi, exclude=src, arrival=arrival) or \
        ctx.places.in_sentence(s, s.start, hi, exclude=src + tgt, arrival=arrival) or \
        ctx.places.frame_at(s.start) or ctx.places.dateline
    if arrival and place is not None and place.basis == "sentence" and status == "realized":
        ctx.places.add_frame(s.start, place)
    day, fallback = when(ctx, s, t)
    if status == "realized" and e.type in MATERIAL and "speech" not in e.cond and ctx.a.published and \
            any(x.value and str(x.value) > str(ctx.a.published)[:10] for x in ctx.times.within(lo, hi)):
        status = "planned"  # 'تعقد غداً': the act's own clause is dated after publication
    a, b = evidence(ctx, s, t, lo, hi)
    if b - a < MIN_EV:  # a very short sentence: widen within its line, else give up
        line_end = ctx.text.find("\n", b)
        line_end = len(ctx.text) if line_end < 0 else line_end
        line_start = ctx.text.rfind("\n", 0, a) + 1
        b = min(line_end, max(b, a + MIN_EV))
        if b - a < MIN_EV:
            a = max(line_start, b - MIN_EV)
        while b < line_end and not ctx.text[b - 1].isspace() and ctx.text[b].isalnum():
            b += 1
        if b - a < MIN_EV or b - a > MAX_EV:
            return None
    conf = 0.55 + 0.15 * bool(source) + 0.1 * bool(target) + 0.1 * (e.kind in ("V", "P"))
    return Event(type=e.type, mode=e.mode, start=a, end=b, evidence=ctx.text[a:b], source=source,
                 target=target, source_ids=source_ids, target_ids=target_ids,
                 location=place.name if place else None, location_id=place.id if place else None,
                 lat=place.lat if place else None, lon=place.lon if place else None,
                 date=day, date_from_published=fallback, status=status, confidence=round(min(conf, 0.95), 2),
                 cameo=e.cameo, trigger_start=t.start, trigger_end=t.end)
