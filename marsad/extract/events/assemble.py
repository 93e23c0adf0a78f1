"""What a coded event is made of once its trigger, status and actors are known: the trigger's clause,
its place, date and verbatim evidence (:func:`finish`), shared by the rule reading (:mod:`.step`)
and the learned one (:mod:`.coding`)."""

from __future__ import annotations

from typing import Optional

from ...model import Event, Sentence
from .base import BOUND, MATERIAL, MAX_EV, MIN_EV
from .context import EventContext
from .evidence import evidence, when
from .lexicon import Trigger


def clause(ctx: EventContext, s: Sentence, t: Trigger) -> tuple[int, int]:
    lo = s.start
    for m in BOUND.finditer(ctx.text, s.start, t.start):
        lo = m.end()
    hi = s.end
    m = BOUND.search(ctx.text, t.match_end, s.end)
    if m:
        hi = m.start()
    return lo, hi


def finish(
    ctx: EventContext,
    t: Trigger,
    s: Sentence,
    lo: int,
    hi: int,
    status: str,
    actors: tuple,
    src: list,
    tgt: list,
    conf: float,
    origin: str = "rules",
) -> Optional[Event]:
    """The event of a trigger whose status and actors are known: its place, date and evidence;
    ``origin`` says what found the trigger (:attr:`marsad.model.Event.origin`)."""
    e = t.entry
    source, source_ids, target, target_ids = actors
    arrival = e.mode == "visit"
    place = (
        ctx.places.in_sentence(s, lo, hi, exclude=src, arrival=arrival)
        or ctx.places.in_sentence(s, s.start, hi, exclude=src + tgt, arrival=arrival)
        or ctx.places.frame_at(s.start)
        or ctx.places.dateline
    )
    if arrival and place is not None and place.basis == "sentence" and status == "realized":
        ctx.places.add_frame(s.start, place)
    day, fallback = when(ctx, s, t)
    if (
        status == "realized"
        and e.type in MATERIAL
        and "speech" not in e.cond
        and ctx.a.published
        and any(x.value and str(x.value) > str(ctx.a.published)[:10] for x in ctx.times.within(lo, hi))
    ):
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
    return Event(
        type=e.type,
        mode=e.mode,
        start=a,
        end=b,
        evidence=ctx.text[a:b],
        source=source,
        target=target,
        source_ids=source_ids,
        target_ids=target_ids,
        location=place.name if place else None,
        location_id=place.id if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        date=day,
        date_from_published=fallback,
        status=status,
        confidence=round(min(conf, 0.95), 2),
        cameo=e.cameo,
        trigger_start=t.start,
        trigger_end=t.end,
        origin=origin,
    )
