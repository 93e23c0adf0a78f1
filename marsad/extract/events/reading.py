"""The rule reading of an article: lexicon triggers (:mod:`.lexicon`) that pass the conditions
(:mod:`.conditions`), their status, their actors from the role rules (:mod:`.roles`), evidence and
duplicates (:mod:`.evidence`).  The learned reading (:mod:`.coding`) reads its events as features."""

from __future__ import annotations

from typing import Optional

from ...model import Event, Sentence
from .assemble import clause, finish
from .base import SYMMETRIC
from .conditions import conditions_ok, status_of
from .context import EventContext, Seen
from .evidence import duplicate
from .lexicon import Trigger, find_triggers
from .roles import actor, roles


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
            if (
                dup >= 0
                and len(out[dup].source) + len(out[dup].target) < len(ev.source) + len(ev.target)
                and ctx.sentence_of(out[dup].start).index == s.index
            ):
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
    conf = 0.55 + 0.15 * bool(source) + 0.1 * bool(target) + 0.1 * (e.kind in ("V", "P"))
    return finish(ctx, t, s, lo, hi, status, (source, source_ids, target, target_ids), src, tgt, conf)
