"""Implicit quote speakers: the pronoun subject of 'أنه/أنها' + cue, a subject before the cue
(SVO), and the speaker carried from an earlier statement that agrees in gender and number.
Functions of the reading's :class:`~.context.QuoteContext`."""

from __future__ import annotations

from typing import Optional

from .context import Q, QuoteContext
from .cues import CLAUSE_OPENERS, COMPLEMENTIZERS, OBJ_PREPS, SPEAKER_HEADS, SVO_PARTICLES, CueInfo, lookup
from .doc import is_comp
from .phrase_speaker import np_speaker
from .phrases import NP, parse_np

# the pronoun of 'أنه/أنها/أنهم' + verb is the verb's subject: (gender, number) it agrees with
_PRON_AGREE = {"ه": ("m", "sg"), "ها": ("f", "sg"), "هم": ("m", "pl"), "هما": ("m", "pl")}


def pronoun_subject(ctx: QuoteContext, i: int, a: int, info: CueInfo) -> Optional[tuple]:
    """'مبيناً أنه أبلغ…': after أنه/إنها the pronoun is the subject; it is the speaker of the
    statement whose content holds the cue, when their gender and number agree."""
    d = ctx.d
    if i <= a:
        return None
    n = d.norms[i - 1]
    if not is_comp(n) or n in COMPLEMENTIZERS:
        return None
    agree = next((g for suf, g in sorted(_PRON_AGREE.items(), key=lambda x: -len(x[0])) if n.endswith(suf)), None)
    if agree is None or (info.gender, info.number) != agree and info.number != agree[1]:
        return None
    c = d.toks[i].start
    for o in reversed(ctx.containing(c)):
        if o.end > 0 and o.start <= c < o.end and o.sp is not None:
            return o.sp if (o.gender, o.number) == agree else None
    return None


def svo_subject(ctx: QuoteContext, i: int, a: int) -> Optional[NP]:
    d = ctx.d
    k = i - 1
    while k >= a and d.norms[k] in SVO_PARTICLES:
        k -= 1
    if k < a:
        return None
    end = k + 1
    for s in range(max(a, end - 9), end):
        if s > a and not (
            d.toks[s - 1].is_punct
            or is_comp(d.norms[s - 1])
            or d.norms[s - 1] in CLAUSE_OPENERS
            or lookup(d.norms[s - 1])
            or d.norms[s - 1] in ("و", "ف")
            or d.norms[s - 1] in OBJ_PREPS
            or d.norms[s - 1].startswith("تصريح")
        ):
            continue
        np_ = parse_np(ctx, s, end)
        if np_ is not None and np_.j == end:
            return np_
    return None


def implicit(ctx: QuoteContext, q: Q, i: int, a: int) -> Optional[tuple]:
    d = ctx.d
    same = [p for p in ctx.by_sent.get(q.sent, ()) if p.sent == q.sent and p.sp is not None and p.cue_i < i]
    for p in reversed(same):
        if p.gender == q.gender and p.number == q.number:
            return p.sp
    comp = None
    for k in range(a, i):
        if is_comp(d.norms[k]):
            comp = k
            break
    if comp is not None and q.number == "pl":
        np_ = parse_np(ctx, comp + 1, i)
        if np_ is not None:
            return np_speaker(ctx, np_, i, i)
    if q.info.pos != "present" or (i > a and d.toks[i - 1].is_punct):
        for k in range(a, i):
            mi = d.mention_starting(k)
            if (
                mi is not None and d.mentions[mi].type in ("PER", "ORG") and d.mentions[mi].start == d.toks[k].start
            ) or d.norms[k] in SPEAKER_HEADS:
                if k > a and d.norms[k - 1] in OBJ_PREPS:
                    continue
                np_ = parse_np(ctx, k, i)
                if np_ is not None:
                    return np_speaker(ctx, np_, i, i)
    if q.info.pos == "present":
        return None
    for p in reversed(ctx.qs[-10:]):
        if p.sp is not None and q.sent - p.sent <= 3 and p.gender == q.gender and p.number == q.number:
            return p.sp
    return None
