"""Quote cues and content spans: whether a token is a reporting cue in its context, where the
content of a statement opens (a complementizer, a colon, a quotation mark or the plain object) and
where it ends.  Functions of the reading's :class:`~.context.QuoteContext` (or of its ``Doc``
alone); :class:`~.context.Q` is one statement being read."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from .cues import ADJUNCT_WORDS, CLAUSE_OPENERS, NAMING_WORDS, RELATIVES, TIME_WORDS
from .context import Q, QuoteContext
from .doc import Doc, is_comp
from .marks import close_char, close_is_long, close_tok, is_cue, is_open, short_name

_TRIM = " \t\n.,،؛:;"
# prepositions that open an adjunct phrase between a cue and its content ('خلال لقائه مع…')
_ADJ_PREPS = {"في", "خلال", "عقب", "اثر", "امام", "بعد", "قبل", "اثناء", "منذ", "لدي", "وسط", "رغم"}


def fragment(d: Doc, k: int, b: int) -> bool:
    """Is the quotation at k a short quoted fragment that the sentence continues after
    ('«جهات خارجية» بتمويل…')?"""
    e = short_name(d, k, b)
    return 0 < e < b and not d.toks[e].is_punct and is_cue(d, e) is None


def boundary(d: Doc, k: int, a: int) -> bool:
    """Does the cue at token k open a new statement (and so end the previous content)?"""
    hit = is_cue(d, k)
    if hit is None:
        return False
    off, info = hit
    if info.pos == "source":
        return False
    if off or info.pos == "participle" or k == a:
        return True
    p = d.norms[k - 1]
    return p in ("،", ",", "»", "”") or p in CLAUSE_OPENERS


def content_end(d: Doc, p: int, b: int) -> int:
    for q in range(p + 1, b):
        if boundary(d, q, -1):
            return q
        if d.toks[q].text in (":", "،", ",") and q + 1 < b and is_open(d, q + 1) and close_is_long(d, q + 1):
            return q
    return b


def set_content(d: Doc, q: Q, p: int, b: int, direct_mark: Optional[int]) -> int:
    """Set q's content span; returns the token where an indirect content stops (else -1)."""
    d, txt = d, d.text
    stop = -1
    if direct_mark is not None:
        s = d.toks[direct_mark].end
        e = close_char(d, direct_mark)
        q.kind = "direct"
    else:
        s = d.toks[p].start
        stop = content_end(d, p, b)
        e = d.toks[stop - 1].end
    while e > s and txt[e - 1] in _TRIM:
        e -= 1
    if direct_mark is None:
        seg = txt[s:e]
        while e > s and txt[e - 1] in "»”" and seg.count("«") + seg.count("“") < seg.count("»") + seg.count("”"):
            e -= 1
            seg = txt[s:e]
            while e > s and txt[e - 1] in _TRIM:
                e -= 1
    while s < e and txt[s] in _TRIM:
        s += 1
    q.start, q.end = s, e
    return stop


def find_opener(ctx: QuoteContext, q: Q, j: int, b: int):
    """('comp'|'colon'|'mark'|'obj'|'blocked', token) for the content after the subject."""
    d = ctx.d
    first_content, in_adjunct = None, False
    p, steps = j, 0
    while p < b and steps < 28:
        n, t = d.norms[p], d.toks[p]
        if p in ctx.attr_tokens and p != q.cue_i:
            p = ctx.attr_tokens[p]
            continue
        if first_content is not None and p - first_content > 3 and q.info.obj:
            break
        if is_comp(n):
            return "comp", p
        if t.text == ":":
            if first_content is not None and q.info.obj:
                break
            return "colon", p
        if is_open(ctx.d, p):
            c = close_tok(ctx.d, p, b)
            if c + 1 < b and is_comp(d.norms[c + 1]):
                p = c + 1  # 'في بيان له «حول التطورات…» أن'
                continue
            if short_name(ctx.d, p, b) > 0:
                if q.info.obj and first_content is None and not in_adjunct and fragment(ctx.d, p, b):
                    first_content = p  # 'متهماً «جهات خارجية» بتمويل…': the object opens quoted
                p = short_name(ctx.d, p, b)
                continue
            if first_content is None or not q.info.obj:
                return "mark", p
            break
        if boundary(ctx.d, p, -1):
            break
        hit = is_cue(ctx.d, p)
        if hit and hit[1].pos in ("past", "present"):
            if first_content is None or not q.info.obj:
                return "blocked", p
            break
        if hit and hit[1].pos == "source":
            p += 1
            continue
        if t.is_punct:
            in_adjunct = False if t.text in "،," else in_adjunct
            p += 1
            continue
        if n in NAMING_WORDS and first_content is None:
            in_adjunct = True  # '، ويدعى خالد المرعبي،'
        elif n in TIME_WORDS and first_content is None:
            in_adjunct = False  # 'في كلمته الخميس' ends at the time word
        elif n in _ADJ_PREPS or n in RELATIVES:
            in_adjunct = True
        elif q.info.obj and n in q.info.preps:
            in_adjunct = False
        elif n not in ADJUNCT_WORDS and not in_adjunct and first_content is None:
            first_content = p
        p += 1
        steps += 1
    if first_content is not None and q.info.obj:
        return "obj", first_content
    return None


def follow_on(ctx: QuoteContext, q: Q, b: int) -> None:
    """'وبيّن أن X، «Y»': a quotation right after an indirect content is the same speaker's."""
    d = ctx.d
    if q.kind != "indirect":
        return
    k = next((m for m in range(q.cue_i, b) if d.toks[m].start >= q.end), b)
    while k < b and d.toks[k].text in "،,":
        k += 1
    if k < b and k > 0 and d.toks[k - 1].text in "،," and is_open(ctx.d, k) and close_is_long(ctx.d, k):
        q2 = replace(q)
        set_content(ctx.d, q2, k, b, k)
        if q2.end > q2.start:
            ctx.keep(q2)
