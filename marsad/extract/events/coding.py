"""The learned reading of an article (:class:`~.learned.EventModel`): the tagger's triggers in the
body sentences, their status (the rules of :mod:`.conditions`), their source and target from the
role labeller over the sentence's mentions (the speaker or the previous act of the rule reader when
no mention is chosen), then the place, date and evidence of :func:`.assemble.finish`, and one event per
occasion (:func:`merge`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ...model import Event
from .base import SYMMETRIC
from .conditions import detector_ok, status_of
from .context import EventContext, Seen
from .evidence import duplicate
from .learned import EventModel, as_trigger, lexicon_hits
from .role_features import role_features
from .reading import run
from .roles import actor, roles
from .assemble import clause, finish
from .descriptive import candidates


def run_learned(ctx: EventContext, model: EventModel) -> list[Event]:
    out: list[Event] = ctx.events
    seen = ctx.seen = Seen(ctx)
    hits = lexicon_hits(ctx)
    ruled = rule_events(ctx)
    last: dict[int, Event] = {}
    by_sentence: dict[int, list] = {}
    if model.union:  # the rule reading's triggers join the tagger's, one per type and sentence
        for r in ruled:
            by_sentence.setdefault(ctx.sentence_of(r.trigger_start).index, []).append(r)
    for s in ctx.a.sentences:
        if s.start < ctx.a.body_start:
            continue  # headlines restate the body; events are coded from the body
        cands = [
            (as_trigger(sp, hits, model.modes, model.cameos), sp.conf, model.origin)
            for sp in model.triggers(ctx, s, hits, ruled)
        ]
        have = {(t.entry.type) for t, _, _ in cands}
        for r in by_sentence.get(s.index, ()):
            if r.type not in have:
                t = next((h for h in hits if h.start == r.trigger_start and h.entry.type == r.type), None)
                if t is not None:
                    cands.append((t, model.rule_conf, "rules"))
                    have.add(r.type)
        for t, conf, origin in sorted(cands, key=lambda c: c[0].start):
            ev = code_learned(ctx, model, t, s, conf, last.get(s.index), origin)
            if ev is None:
                continue
            dup = duplicate(ctx, ev, out, seen.candidates(ev))
            if dup is not None:
                if dup >= 0 and len(out[dup].source) + len(out[dup].target) < len(ev.source) + len(ev.target):
                    seen.replace(dup, out[dup], ev)
                    out[dup] = ev
                continue
            seen.add(len(out), ev)
            out.append(ev)
            last[s.index] = ev
    return merge(out)


def rule_events(ctx: EventContext) -> tuple:
    """The rule reading's events of the article (its own context: the learned one starts empty)."""
    return tuple(run(EventContext(ctx.a, ctx.detector, ctx.min_detector, ctx.kb, ctx.lexicon)))


def code_learned(
    ctx: EventContext, model: EventModel, t, s, conf: float, prev: Optional[Event], origin: str = "crf"
) -> Optional[Event]:
    lo, hi = clause(ctx, s, t)
    if (
        t.entry.type in ("ASSAULT", "PROTEST")
        and model.detector_gate
        and conf < model.gate_trust
        and not detector_ok(ctx, t, s)
    ):
        return None  # the GSR sentence detector does not see an attack / a protest here
    status = status_of(ctx, t, s, lo)
    cands, feats, rsrc, inherited, spk = role_inputs(ctx, t, s, lo, hi, prev, model.descriptive)
    probs = model.roles(feats)
    thr = model.min_role
    src = [m for m, (ps, _) in zip(cands, probs) if ps >= thr]
    tgt = [m for m, (ps, pt) in zip(cands, probs) if pt >= thr and ps < thr]
    if model.person_of_phrase:
        src = person_of_phrase(ctx, src, cands)
    source, source_ids = _names(ctx, src)
    if not source:  # no candidate is likely enough: the speaker, the previous act, the likeliest
        if spk is not None:
            source, source_ids = (spk[0],), (spk[1] or "",)
        elif inherited is not None:
            source, source_ids = inherited.source, inherited.source_ids
        elif cands and model.fallback:
            best = max(range(len(cands)), key=lambda i: (probs[i][0], -i))
            if probs[best][0] >= model.fallback and probs[best][1] < thr:
                src = [cands[best]]
                source, source_ids = _names(ctx, src)
        if not source and rsrc and model.fallback:
            source, source_ids = _names(ctx, rsrc)
            src = list(rsrc)
    if not source and model.need_source and t.entry.type not in model.actorless:
        return None  # acts with no identifiable actor are not coded (GUIDELINES)
    target, target_ids = _names(ctx, tgt, exclude=source)
    role_conf = max((p[0] for p in probs), default=0.0)
    return finish(
        ctx,
        t,
        s,
        lo,
        hi,
        status,
        (source, source_ids, target, target_ids),
        src,
        tgt,
        0.5 * conf + 0.3 * role_conf + 0.15,
        origin,
    )


def role_inputs(ctx: EventContext, t, s, lo: int, hi: int, prev: Optional[Event], desc=None) -> tuple:
    """What the role labeller reads for a trigger, in training and in the step alike: the candidates
    of its sentence (:func:`.descriptive.candidates`) and their features, with the rule reader's
    sources, the act they inherit from ``prev`` and the enclosing quote's speaker."""
    try:
        rsrc, rtgt, inherited, spk = roles(ctx, t, s, lo, hi, prev)
    except Exception:  # the rule reader only informs the learned one
        rsrc, rtgt, inherited, spk = [], [], None, None
    cands = candidates(ctx, s, desc)
    feats = role_features(
        ctx, t, cands, {(m.start, m.end) for m in rsrc}, {(m.start, m.end) for m in rtgt}, spk[1] if spk else None
    )
    return cands, feats, rsrc, inherited, spk


def person_of_phrase(ctx: EventContext, chosen: list, cands: list) -> list:
    """The chosen sources with a state or nationality that a person's name follows in the same noun
    phrase (``وزير الخارجية الروسي سيرغي لافروف``, ``رئيس الوزراء الإسرائيلي، بنيامين نتنياهو``)
    replaced by that person: the guidelines code the person who acts, not the country of the title."""
    out: list = []
    for m in chosen:
        p = None
        if m.type in ("GPE", "NORP"):
            p = next(
                (
                    c
                    for c in cands
                    if c.type == "PER" and m.end <= c.start and not ctx.text[m.end : c.start].strip(" ،,")
                ),
                None,
            )
        r = p or m
        if all((x.start, x.end) != (r.start, r.end) for x in out):
            out.append(r)
    return out


def _names(ctx: EventContext, ms: list, exclude: tuple = ()) -> tuple[tuple, tuple]:
    names, ids = [], []
    for m in ms:
        n, i = (m.canonical, "") if m.type == "DESC" else actor(ctx, m)
        if n and n not in names and n not in exclude:
            names.append(n)
            ids.append(i or "")
    return tuple(names), tuple(ids)


def merge(events: list[Event]) -> list[Event]:
    """One event per occasion: a later event of the same type, actors and date as an earlier one
    (a lead, a quote and a recap of one strike) is folded into the first, which keeps its own
    evidence and carries the later evidence spans in ``more_evidence``."""
    out: list[Event] = []
    first: dict = {}
    for e in events:
        parties = frozenset(e.source) | frozenset(e.target) if e.type in SYMMETRIC else None
        k = ((e.type, parties) if parties else (e.type, frozenset(e.source), frozenset(e.target)), e.date)
        if (e.source or e.target) and k in first:
            i = first[k]
            kept = out[i]
            spans = kept.more_evidence + ((e.start, e.end),) + e.more_evidence
            out[i] = replace(kept, more_evidence=tuple(sorted(set(spans) - {(kept.start, kept.end)})))
            continue
        first.setdefault(k, len(out))
        out.append(e)
    return out
