"""Event evidence and dedup: the verbatim evidence clause of 30–200 characters, the act's date (a
time expression of the sentence, else the publication date) and whether an event repeats an earlier
one.  Functions of the reading's :class:`~.context.EventContext`."""

from __future__ import annotations

from datetime import date as _date
from typing import Optional

from ...model import Event, Sentence
from .base import BOUND, MAX_EV, MIN_EV, SYMMETRIC
from .context import EventContext
from .lexicon import Trigger


def duplicate(ctx: EventContext, ev: Event, prev: list[Event], among: Optional[list[int]] = None) -> Optional[int]:
    """Index of an earlier event that ``ev`` repeats (None when it is new).  ``among``: the
    indexes (in order) of the only earlier events that can be repeated (see :class:`.context.Seen`)."""
    for i in range(len(prev)) if among is None else among:
        p = prev[i]
        if p.type != ev.type:
            continue
        same_sentence = ctx.sentence_of(p.start).index == ctx.sentence_of(ev.start).index
        same_target = set(p.target) == set(ev.target) or not ev.target or not p.target
        if (
            ev.type == "ASSAULT"
            and p.mode != ev.mode
            and not ({p.mode, ev.mode} & {"kill", "wound"})
            and bool(p.source) != bool(ev.source)
        ):
            continue  # 'بعد إطلاق الفصائل صواريخ … لترد إسرائيل بغارات': two acts, one agent unnamed
        if ev.type in ("REQUEST", "ACCUSE") and p.mode != ev.mode and (p.end <= ev.start or ev.end <= p.start):
            continue  # 'إن على القوات أن تغادر …، داعياً العراقيين إلى …': a demand and a call
        if (
            same_sentence
            and (set(p.source) == set(ev.source) or not ev.source or not p.source)
            and (same_target or ev.type != "CONSULT")
        ):
            return i  # one act per sentence, type and agent (several meetings may share an agent)
        if ev.type in SYMMETRIC and (ev.source or ev.target) and len(set(ev.source) | set(ev.target)) > 1:
            if set(p.source) | set(p.target) == set(ev.source) | set(ev.target):
                return i
    return None


def evidence(ctx: EventContext, s: Sentence, t: Trigger, lo: int, hi: int) -> tuple[int, int]:
    a, b = lo, max(hi, t.match_end)
    while b - a < MIN_EV and (a > s.start or b < s.end):  # too short: widen to the neighbours
        if b < s.end:
            m = BOUND.search(ctx.text, b + 1, s.end)
            b = m.start() if m and m.start() > b else s.end
        if b - a < MIN_EV and a > s.start:
            prev = [m.end() for m in BOUND.finditer(ctx.text, s.start, max(s.start, a - 1))]
            a = prev[-1] if prev else s.start
    if b - a > MAX_EV:
        if t.start - a > MAX_EV - 60:
            a = max(a, t.start - 60)
        b = min(b, a + MAX_EV)
        while b > t.match_end and b < len(ctx.text) and not ctx.text[b].isspace():
            b -= 1
    while a < b and ctx.text[a].isspace():
        a += 1
    while b > a and ctx.text[b - 1].isspace():
        b -= 1
    return a, b


def when(ctx: EventContext, s: Sentence, t: Trigger) -> tuple[Optional[str], bool]:
    near = [x for x in ctx.times.within(s.start, s.end) if x.value]
    if near:
        best = min(near, key=lambda x: abs(x.start - t.start))
        return best.value, False
    pub = ctx.a.published
    if isinstance(pub, _date):
        return pub.isoformat(), True
    return (str(pub) if pub else None), bool(pub)
