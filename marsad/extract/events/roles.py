"""Event roles: the source and target actors of a trigger from the resolved mentions (the most
specific actor of a noun phrase: person > organization > state), speakers of speech acts, acts
carried over from the previous event.  Functions of the reading's :class:`~.context.EventContext`."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Optional

from ...model import Event, Mention, Sentence
from ...text.normalize import fold
from .base import RANK, SYMMETRIC
from .context import EventContext
from .lexicon import DUAL_ANAPHOR, Trigger
from .places import state_of

# noun phrases: where a subject stops, what joins coordinated actors, place adjuncts
_SUBJ_STOP = re.compile(r"(?:^|\s)(?:مع|بين|علي|ضد|عن|حول|بشان|تجاه|لدي|امام)\s")
_TO_AFTER_SUBJ = re.compile(r"^\s*\S+(?:\s+\S+)*?\s+(الي)\s")  # 'وصل وفدان مصريان إلى' (not 'وصل إلى دمشق … X')
_PREP_IN = re.compile(r"(?:^|\s)[وف]?(?:في|ب|قرب|بالقرب\s+من|داخل|عند)\s*(?:\S+\s*){0,2}$")
_JOIN = re.compile(r"^\s*(?:[،,]\s*)?(?:و\S*|[،,])?\s*$")
_BEFORE_STOP = re.compile(r"[،,.:«»“”]|(?:^|\s)(?:ان|بان|لان|انه|الذي|التي|الذين|قد|حيث|فيما|بينما)(?:\s|$)")


def _by_rank(ms: list[Mention]) -> list[Mention]:
    """The most specific actors of a noun phrase: every mention of the best type joined by 'و'/','."""
    if not ms:
        return []
    best = min(RANK.get(m.type, 9) for m in ms)
    head = [m for m in ms if RANK.get(m.type, 9) == best]
    return head


# clauses and reported speech
_SPEECH_VERB = re.compile(
    r"(?:^|\s)[وف]?(?:قال|قالت|اكد|اكدت|اكدوا|اضاف|اضافت|اوضح|اوضحت|اعتبر|اعتبرت|معتبرا|اشار|اشارت|"
    r"مشيرا|شدد|شددت|مشددا|لفت|ذكر|ذكرت|اعلن|اعلنت|صرح|تابع|بين|مضيفا|مؤكدا|موكدا)(?:\s|$)"
)
_COMP = re.compile(r"(?:^|\s)(?:ان|بان|انه|انها|لان)(?:\s|$)|[:«“]")
_HARD = re.compile(r"[،,;؛:.!?؟]")
_CLAUSE_OPEN = re.compile(r"(?:[وف]?(?:فيما|بينما|في\s+حين|ثم|كما|في\s+المقابل|من\s+جهته|من\s+جهتها|بدوره|بدورها))?")


# long: one ordered cascade of role rules (symmetric 'بين', dual anaphor, speech acts, subject, inherited
# source, 'بمشاركة', the rest as targets); each case returns early, so the order is the precedence
def roles(ctx: EventContext, t: Trigger, s: Sentence, lo: int, hi: int, prev: Optional[Event]):
    """(source mentions, target mentions, inherited event or None, speaker (name, id) or None)."""
    e = t.entry
    m = _HARD.search(ctx.text, t.match_end, s.end)
    rhi = m.start() if m else s.end  # roles may cross quote marks, not commas
    start_after = t.match_end if e.kind == "P" else t.end
    after_all = [x for x in ctx.mentions_in(start_after, rhi) if not _is_place_adjunct(ctx, x, s)]
    before = [x for x in ctx.mentions_in(s.start, t.start) if not _is_place_adjunct(ctx, x, s)]
    after_txt = ctx.f(t.end, min(s.end, t.end + 60))
    # 'لقاء ثنائي بين X و Y': every party is a source
    bm = re.match(r"^\s*(?:\S+\s+){0,2}?[وف]?بين\s", after_txt)
    if e.kind in ("N", "P") and bm and e.type in SYMMETRIC:
        pos = _src_pos(ctx, t.end, bm.end())
        return _group(ctx, [x for x in ctx.mentions_in(pos, s.end) if not _is_place_adjunct(ctx, x, s)]), [], None, None
    # 'اتفق الوزيران': a dual anaphor stands for the two parties of the last symmetric event
    if e.kind == "V" and DUAL_ANAPHOR.match(after_txt):
        last = ctx.last_symmetric()
        if last is not None:
            return (
                [],
                [],
                replace(last, source=last.source + last.target, source_ids=last.source_ids + last.target_ids),
                None,
            )
    # a clause-initial verb with its own named subject ('فيما أشاد بلينكن', '، هدد ترامب') is not the
    # reported speaker's act, even inside a reported passage
    vso = (
        e.kind == "V"
        and not t.first_person
        and _clause_initial(ctx, s, t)
        and not _in_marks(ctx, s, t.start)
        and any(x.type in ("PER", "ORG") and x.start - t.end < 40 for x in after_all[:3])
    )
    # speech acts inside a quotation or in the first person: the speaker acts
    if "speech" in e.cond and not vso and (in_quote(ctx, s, t.start) or t.first_person or reported(ctx, s, t)):
        spk = _speaker(ctx, s, t.start)
        if spk is not None:
            q_lo = max(lo, _quote_open(ctx, s, t.start))
            near = [x for x in before if x.start >= q_lo]
            tgt = _group_before(ctx, near, q_lo) if near else _group(ctx, after_all)
            if "deontic" in e.cond:  # 'على موسكو أن …': the one obliged is the addressee
                tgt = _group(ctx, ctx.mentions_in(t.end, t.match_end))
            return [], tgt, None, spk
    ftxt = ctx.f(t.end, rhi)
    stop = _SUBJ_STOP.search(ftxt)
    to = _TO_AFTER_SUBJ.match(ftxt)
    cut = min([x for x in (stop.start() if stop else None, to.start(1) if to else None) if x is not None], default=None)
    subj_hi = _src_pos(ctx, t.end, cut) if cut is not None else rhi
    subj_after = [x for x in after_all if x.end <= subj_hi]
    if "place" in e.cond:
        subj_after = [x for x in subj_after if x.type not in ("GPE", "LOC")]  # 'دخلت بلدتي صيدا والطيبة'
    inherited = None
    src: list[Mention] = []
    conj = t.conj or bool(re.search(r"(?:^|\s)[وف]?كما\s*$", ctx.f(max(s.start, t.start - 8), t.start)))
    hard_lo = max([x.end() for x in _HARD.finditer(ctx.text, s.start, t.start)], default=s.start)
    p_before = [x for x in before if x.start >= hard_lo]
    if e.kind == "P" and p_before and not _SPEECH_VERB.search(ctx.f(hard_lo, t.start)):
        src = _group_before(ctx, p_before, hard_lo)
    elif (
        e.kind == "V"
        and conj
        and prev is not None
        and prev.source
        and (not subj_after or _object_like(ctx, t, subj_after))
    ):
        inherited = prev
    elif e.kind in ("V", "P") and subj_after:
        src = _group(ctx, subj_after)
    elif e.kind == "N" and subj_after and subj_after[0].start - t.end < 12:
        src = _group(ctx, subj_after)  # masdar + agent: 'سيطرة الجيش'
    elif e.kind == "A" or (e.kind == "N" and t.suffix):
        src = _main_subject(ctx, s, t.start) or _group_before(ctx, before, lo)
    else:
        src = _group_before(ctx, before, lo)
    if not src and inherited is None and e.kind == "A":
        if (
            prev is None
            and ctx.events
            and ctx.events[-1].source
            and ctx.sentence_of(ctx.events[-1].start).index == s.index - 1
        ):
            prev = ctx.events[-1]  # 'وأضاف أن «…»، متهماً': the participle continues the last speaker
        if prev is not None and prev.source:
            inherited = prev
    if not src and inherited is None:
        pm = re.search(r"(?:^|\s)[وف]?ب(?:مشاركه|حضور)\s", ctx.f(t.end, s.end))
        if pm:
            pos = _src_pos(ctx, t.end, pm.end())
            src = _group(ctx, [x for x in ctx.mentions_in(pos, s.end) if not _is_place_adjunct(ctx, x, s)])
            return src, [], None, None
    last = max((x.end for x in src), default=t.end)
    rest = [x for x in after_all if x.start >= last]
    if e.mode == "visit" and e.kind == "V" and "وصل" in ctx.f(t.start, t.end):
        rest = [x for x in ctx.mentions_in(t.end, rhi) if x.type == "GPE"][:1]  # arrival: the host place
    return src, _group(ctx, rest), inherited, None


def reported(ctx: EventContext, s: Sentence, t: Trigger) -> bool:
    """The trigger sits in a clause reported by a speech verb ('أكد … أن X سيبقون أهدافاً')."""
    if t.entry.kind in ("A",) or (t.entry.kind == "V" and not t.conj and _first_word(ctx, s, t)):
        return False
    before = ctx.f(s.start, t.start)
    m = _SPEECH_VERB.search(before)
    return bool(m and _COMP.search(before, m.end()))


def _clause_initial(ctx: EventContext, s: Sentence, t: Trigger) -> bool:
    """The trigger opens its clause: after the sentence start, hard punctuation or a clause connector."""
    hard_lo = max([x.end() for x in _HARD.finditer(ctx.text, s.start, t.start)], default=s.start)
    return bool(_CLAUSE_OPEN.fullmatch(ctx.f(hard_lo, t.start).strip()))


def _in_marks(ctx: EventContext, s: Sentence, pos: int) -> bool:
    seg = ctx.text[s.start : pos]
    return seg.count("«") + seg.count("“") > seg.count("»") + seg.count("”") or seg.count('"') % 2 == 1


def _first_word(ctx: EventContext, s: Sentence, t: Trigger) -> bool:
    return not ctx.text[s.start : t.start].strip()


def _src_pos(ctx: EventContext, base: int, folded_off: int) -> int:
    """Source offset of a folded offset counted from ``base`` (folding only deletes characters):
    just after the ``folded_off``-th character kept by folding from ``base`` on (the end of the
    text when there are fewer), read off the offset map of the normalized text.  ``base`` >= 0."""
    if folded_off <= 0 or base >= len(ctx.text):
        return base
    offs = ctx.norm.offsets
    j = bisect.bisect_left(offs, base) + folded_off - 1  # normalized index of that character
    return offs[j] + 1 if j < len(offs) - 1 else len(ctx.text)


def _quote_open(ctx: EventContext, s: Sentence, pos: int) -> int:
    depth, at = 0, s.start
    for i in range(s.start, pos):
        ch = ctx.text[i]
        if ch in "«“":
            depth, at = depth + 1, i + 1
        elif ch in "»”" and depth:
            depth -= 1
    holding = ctx.quotes_at.at(pos)
    for q in holding:
        at = max(at, q.start)
    return at if depth or holding else s.start


def in_quote(ctx: EventContext, s: Sentence, pos: int) -> bool:
    if ctx.quotes_at.at(pos):
        return True
    seg = ctx.text[s.start : pos]
    return seg.count("«") + seg.count("“") > seg.count("»") + seg.count("”") or bool(
        re.search(r"[:]\s*$|:\s*\S", seg[-200:]) and ":" in seg
    )


def _speaker(ctx: EventContext, s: Sentence, pos: int) -> Optional[tuple]:
    for q in ctx.quotes_at.at(pos):
        if q.start <= pos < q.end and (q.speaker or q.speaker_actor):
            return (q.speaker or q.speaker_actor), q.speaker_actor
    ms = _main_subject(ctx, s, pos)
    if ms:
        return actor(ctx, ms[0])
    return None


def _object_like(ctx: EventContext, t: Trigger, subj_after: list[Mention]) -> bool:
    """After a coordinated meeting verb, the titled person right after it is its object
    ('…والتقى رئيس مجلس الوزراء عماد خميس')."""
    return t.entry.type == "CONSULT" and subj_after[0].start - t.end < 40


def _is_place_adjunct(ctx: EventContext, m: Mention, s: Sentence) -> bool:
    if m.type not in ("GPE", "LOC", "NORP"):
        return False
    return bool(_PREP_IN.search(ctx.f(max(s.start, m.start - 25), m.start)))


def _group(ctx: EventContext, ms: list[Mention]) -> list[Mention]:
    """The first actor noun phrase of ``ms`` and the actors coordinated with it, most specific kept.
    A title chain continues the phrase ('نائب وزير الخارجية الروسي غينادي غاتيلوف'); after a
    person's name only a conjunction does ('بوتين وترامب')."""
    if not ms:
        return []
    np = [ms[0]]
    for m in ms[1:]:
        gap = ctx.text[np[-1].end : m.start]
        bare = re.sub(r"[«»“”\"]", " ", gap)  # 'رئيس حزب «القوات اللبنانية» سمير جعجع'
        fg = fold(bare)
        if np[-1].type == "PER" or (m.type == np[-1].type and m.type == "GPE"):
            ok = bool(_JOIN.match(fg))
        elif m.type == np[-1].type == "ORG":  # 'توعدت كتائب حزب الله القوات الأمريكية': subject, object
            ok = bool(_JOIN.match(fg)) and bool(re.search(r"[و،,]", fg))
        else:
            ok = (
                len(gap) <= 40
                and not re.search(r"[،,.:]", gap)
                and not _SUBJ_STOP.search(" " + fg + " ")
                and not _BEFORE_STOP.search(fg)
            )
        if not ok:
            break
        np.append(m)
    return _by_rank(np)


def _group_before(ctx: EventContext, before: list[Mention], lo: int) -> list[Mention]:
    if not before:
        return []
    cl = [m for m in before if m.start >= lo] or before[-3:]
    # the nearest noun phrase before the trigger
    chunk = [cl[-1]]
    for m in reversed(cl[:-1]):
        gap = ctx.text[m.end : chunk[0].start]
        if len(gap) <= 40 and not _BEFORE_STOP.search(fold(gap)):
            chunk.insert(0, m)
        else:
            break
    return _by_rank(chunk)


def _main_subject(ctx: EventContext, s: Sentence, upto: int) -> list[Mention]:
    ms = [m for m in ctx.mentions_in(s.start, upto) if not _is_place_adjunct(ctx, m, s)]
    for typ in ("PER", "ORG"):
        c = [m for m in ms if m.type == typ]
        if c:
            return [c[0]]
    return ms[:1]


def actor(ctx: EventContext, m: Mention) -> tuple[str, Optional[str]]:
    if m.type == "GPE":
        name, sid = state_of(m, ctx.kb)
        if name:
            return name, sid
    return (m.canonical or m.text), (m.actor_id or None)
