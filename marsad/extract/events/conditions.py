"""Event triggers: whether a lexicon trigger reports an act here (its entry's conditions, relative
clauses, questions, settings, the detector of :mod:`.gsr`) and the act's status (realized | negated |
planned | conditional).  Functions of the reading's :class:`~.context.EventContext`; they use
:func:`.roles.in_quote` and :func:`.roles.reported`."""

from __future__ import annotations

import re

from ...model import Sentence
from .base import MATERIAL
from .context import EventContext
from .lexicon import (
    BLOCK as _BLOCK,
    COND as _COND,
    COND_AFTER as _COND_AFTER,
    DENIED as _DENIED,
    DAWN_AFTER,
    DAWN_BEFORE,
    DEONTIC_BEFORE,
    FRAMEWORK as _FRAMEWORK,
    GOAL,
    GOV_FAR,
    SCOPE_BREAK,
    NEG as _NEG,
    PLAN as _PLAN,
    REL as _REL,
    THREAT_GOV,
    Trigger,
)
from .roles import in_quote, reported

_SUPPORT_VERB = re.compile(
    r"(?:^|\s)[وف]?(?:عقد|عقدت|عقدوا|عقدا|اجري|اجرت|اجروا|جري|جرت|شن|شنت|شنوا|نفذ|نفذت|نفذوا|"
    r"تعرض|تعرضت|قام|قامت|قاموا|اكد|اكدت|اكدوا|شدد|شددت|شددوا|اعرب|اعربت|اعلن|اعلنت|"
    r"خلال|اثناء|بعد|اثر|عقب|في|مستهل|ختام|نتايج)(?:\s+(?:علي|عن|ب\S*))?\s*$"
)
_WITH = re.compile(r"^\s*(?:\S+\s+){0,5}?(?:مع|بين|[وف]?مع|[وف]?بين|ب)\s")
_DUAL = re.compile(r"^\s*(?:ال)?(?:ثنائي|ثلاثي|رباعي|ثنائيه|ثلاثيه|رباعيه|مشترك|مشتركه)")
_WITH_NEAR = re.compile(r"^\s*(?:\S+\s+)?(?:[وف]?مع|[وف]?بين)\s")
_SUPPORT_GOV = re.compile(
    r"(?:^|\s)[وف]?(?:اكد|اكدت|اكدوا|شدد|شددت|شددوا|اعرب|اعربت|اعربوا|اعلن|اعلنت|جدد|جددت|"
    r"تقديم|تقدم|يقدم|قدم|قدمت)(?:\s+(?:علي|عن))?\s*$"
)


def conditions_ok(ctx: EventContext, t: Trigger, s: Sentence, lo: int, hi: int) -> bool:
    c = t.entry.cond
    if "obl" in c:
        return False  # an oblique protester noun is an object or a genitive, not the act
    after = ctx.f(t.end, min(s.end, t.end + 60))
    before = ctx.f(max(s.start, t.start - 40), t.start)
    if "with" in c and not _WITH.match(after):
        return False
    if _REL.search(before):
        return False  # background in a relative clause ('الاتفاق الذي توصلت إليه…', 'القوى التي تدعو…')
    if ctx.text[s.start : s.end].rstrip("»”\"' )").endswith(("?", "؟")):
        return False  # a question reports no act
    e = t.entry
    if e.kind == "N" and _FRAMEWORK.search(before):
        return False  # 'على هامش اجتماع', 'في إطار محادثات أستانا': a setting, not the act
    if (
        e.type == "CONSULT"
        and e.kind == "N"
        and t.article
        and not t.suffix
        and not _WITH_NEAR.match(after)
        and not _DUAL.match(after)
    ):
        return False  # 'تناول اللقاء…': an anaphor of a meeting already coded
    if e.type == "SUPPORT" and e.kind == "N" and not _SUPPORT_GOV.search(before):
        return False  # 'يحظى بتأييد', 'تعاونهما في دعم…': not an act of support
    blk = _BLOCK.get(e.type)
    if blk and blk.search(ctx.f(max(s.start, t.start - 20), min(s.end, t.match_end + 30))):
        return False
    if (
        e.type == "ASSAULT"
        and ctx.f(t.start, t.end) in ("فجر", "وفجر")
        and (DAWN_AFTER.match(after) or DAWN_BEFORE.search(before))
    ):
        return False  # 'فجر الجمعة': dawn
    if "place" in c and not any(m.type in ("GPE", "LOC") for m in ctx.mentions_in(t.end, min(hi, t.end + 30))):
        return False  # 'دخلت (بلدة) X': entering needs a named place
    if "deontic" in c:
        inner = ctx.f(t.end, t.match_end).split()
        if len(inner) < 2 or not DEONTIC_BEFORE.search(ctx.f(max(s.start, t.start - 12), t.start)):
            return False  # 'على أن' (provided that), or not the opening of speech
    if "rep" in c and not (in_quote(ctx, s, t.start) or reported(ctx, s, t)):
        return False
    if "ctl" in c and not re.match(r"^\s*(?:\S+\s+){0,4}?علي\s", after):
        return False
    if "part" in c or "gov" in c:
        ok = t.suffix or bool(_SUPPORT_VERB.search(before)) or (e.kind == "N" and bool(GOV_FAR.search(before)))
        ok = ok or bool(ctx.mentions_in(t.end, min(hi, t.end + 25)))
        if "part" in c:
            ok = ok or bool(_WITH.match(after)) or bool(_DUAL.match(after))
        if not ok:
            return False
    if t.entry.type in ("ASSAULT", "PROTEST") and not detector_ok(ctx, t, s):
        return False
    return True


def detector_ok(ctx: EventContext, t: Trigger, s: Sentence) -> bool:
    """Whether the sentence detector of :mod:`.gsr` (when shipped) confirms an ASSAULT or PROTEST."""
    if ctx.detector is None:
        return True
    key = (s.index, t.entry.type)
    p = ctx.det_cache.get(key)
    if p is None:
        p = ctx.detector.score(ctx.text[s.start : s.end], t.entry.type)
        ctx.det_cache[key] = p
    return p >= ctx.min_detector


def status_of(ctx: EventContext, t: Trigger, s: Sentence, lo: int) -> str:
    e = t.entry
    before = ctx.f(max(lo, t.start - 60), t.start)
    if "neg" not in e.cond and _NEG.search(before):
        return "negated"
    sb = ctx.f(s.start, t.start)
    dn = list(_DENIED.finditer(sb))
    if e.mode != "deny" and dn and not SCOPE_BREAK.search(sb, dn[-1].end()):
        return "negated"  # 'نفت … أن يكون المعلم قد اجتمع…': a denied act
    if _COND.search(ctx.f(max(s.start, t.start - 80), t.start)) or _COND_AFTER.match(
        ctx.f(t.match_end, min(s.end, t.match_end + 60))
    ):
        return "conditional"
    if t.future and e.type != "THREATEN":
        return "planned"
    if e.type in MATERIAL and THREAT_GOV.search(ctx.f(max(lo, t.start - 60), t.start)):
        return "planned"  # 'هدد … بفرض عقوبات': threatened, not done
    if e.type in MATERIAL and e.kind == "N" and GOAL.search(before):
        return "planned"  # 'دعا … إلى لقائه': the goal of a call
    if e.type in MATERIAL and "speech" not in e.cond:
        if t.future or (e.kind == "N" and t.prep == "ل") or _PLAN.search(before):
            return "planned"
    return "realized"
