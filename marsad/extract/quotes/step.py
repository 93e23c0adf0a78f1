"""Quotes with speakers: who said what, through which cue, to whom, relayed by whom.

Works on the body tokens (the headline is never quoted).  For each reporting cue (see
:mod:`.cues`) it finds

* the *speaker*: an explicit subject after the cue (VSO: 'أكد الوزير…'), a subject before it (SVO:
  'لافروف قال', 'بأن المسؤولين أكدوا'), the antecedent of a relative ('خميس والذي بيّن'), the referent
  of an anaphor ('الأول', 'المصادر', 'البيان', 'الموقع'), or the implicit subject of 'وأكد'/'مضيفاً'
  carried from the previous statement that agrees in gender and number;
* the *content*: after a complementizer (أن/إن/بأنّه), a colon, inside quotation marks (« », “ ”,
  " ", reversed '»…»'), or the plain object of cues that take one ('أكد ضرورة…', 'نفت … إنجاز…');
* the *addressee* ('قالت لـ«الوطن»', 'له'), and the *parent* quote when a cue sits inside another
  quote's content (nested reporting).

Every span indexes ``Article.text``.  Mentions (NER + actors) supply names and canonicals; without
them speakers fall back to title phrases.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from ...model import Article, Quote
from .attributions import kb_media, report_verb
from .cues import ADJUNCT_WORDS, NEGATIONS, RELATIVES, SPEAKER_HEADS, CueInfo, lookup
from .context import BUCKET, QuoteContext, Q
from .doc import is_comp
from .content import boundary, find_opener, follow_on, fragment, set_content
from .marks import is_cue, is_open, short_name
from .phrase_speaker import np_speaker
from .phrases import addressee_at, parse_np
from .speaker import implicit, pronoun_subject, svo_subject

_PLURAL_HEADS = {
    "مصادر",
    "المصادر",
    "نواب",
    "وزراء",
    "مسوولون",
    "مسوولين",
    "المسوولون",
    "المسوولين",
    "دبلوماسيون",
    "ممثلو",
    "ممثلي",
    "مراقبون",
    "المراقبون",
    "ناشطون",
    "الناشطون",
    "شهود",
    "سكان",
    "الطرفان",
    "الطرفين",
}
_NEEDS_SUBJECT = {"رد", "نقل"}  # 'وردت أنباء', 'نقلت الطائرة…': a cue only with a speaker after it


# long: one reporting cue read left to right (addressee, subject, opener, speaker, content), each
# step narrowing the token positions the previous one found
def verb_cue(ctx: QuoteContext, i: int, off: int, info: CueInfo, a: int, b: int) -> None:
    d = ctx.d
    q = Q(i, i + 1, info, gender=info.gender, number=info.number, sent=d.sent_of[i])
    j = i + 1
    if j < b and d.norms[j] in ("قايلا", "قايله", "قايلين"):
        j += 1
        q.cue_j = j
    q.addressee, j = addressee_at(ctx.d, j, b)
    subj = None
    pron = None if off else pronoun_subject(ctx, i, a, info)
    if pron is not None:
        pass  # the phrase after the cue is its object
    elif j < b and (d.norms[j] not in ADJUNCT_WORDS or d.norms[j] in SPEAKER_HEADS):
        subj = parse_np(ctx, j, b)
        for k in (j + 1, j + 2):  # 'أكد الشيخ محمد…': a word or two before a name
            if (
                subj is not None
                or k >= b
                or not all(d.norms[x].startswith("ال") and not is_comp(d.norms[x]) for x in range(j, k))
            ):
                break
            mi = d.mention_starting(k)
            if mi is not None and d.mentions[mi].type == "PER":
                subj = parse_np(ctx, k, b)
                if subj is not None:
                    subj.i = j
    if info.lemma in _NEEDS_SUBJECT and subj is None:
        return
    scan = subj.j if subj is not None else j
    if subj is not None:
        adr, j2 = addressee_at(ctx.d, subj.j, b)
        if j2 > subj.j:
            q.addressee, scan = adr or q.addressee, j2
        if info.lemma == "نقل" and scan + 1 < b and d.norms[scan] == "عن":
            rel = parse_np(ctx, scan + 1, b)  # 'نقلت قناة X عن مصادر…': the relayed speaker
            if rel is not None:
                subj, scan = rel, rel.j
    op = find_opener(ctx, q, scan, b)
    if op is None:
        return
    kind, p = op
    if (
        kind == "obj"
        and i > a
        and (d.norms[i - 1] in NEGATIONS or d.norms[i - 1][:1] in "وف" and d.norms[i - 1][1:] in NEGATIONS)
    ):
        return  # 'ولم يعلن الوزير التفاصيل': nothing was said
    q.region = (i, p)
    if kind == "blocked":
        q.pending = True
    # the speaker
    if pron is not None:
        q.sp = pron
    elif subj is not None:
        q.np = (subj.i, subj.j)
        q.sp = np_speaker(ctx, subj, i, p)
        hn = subj.head
        if info.gender == "m" and (hn in _PLURAL_HEADS or hn.endswith(("ون", "ين")) or len(subj.per) > 1):
            q.number = "pl"
    else:
        svo = None
        if i > a and d.norms[i - 1] in RELATIVES:
            k = i - 2
            while k > a and d.toks[k].is_punct and d.toks[k].text in "،,":
                k -= 1  # 'وفقاً لوكالة «سانا»، التي أشارت'
            prev = next(
                (
                    o
                    for o in reversed(ctx.by_np_end.get(k + 1, ()))
                    if o.sp is not None and o.np[1] > o.np[0] and o.np[1] == k + 1
                ),
                None,
            )
            if prev is not None:
                q.sp = prev.sp  # the antecedent is an earlier speaker phrase
            elif k >= a and d.mention_at[k] >= 0:
                m = d.mentions[d.mention_at[k]]
                q.sp = (m.start, m.end, m.canonical or m.text, m.actor_id)
        elif not off:
            svo = svo_subject(ctx, i, a)
            if svo is not None:
                q.np = (svo.i, svo.j)
                q.sp = np_speaker(ctx, svo, i, i)
        if q.sp is None:
            if info.pos == "present" and not (i > a and d.toks[i - 1].is_punct):
                return
            q.sp = implicit(ctx, q, i, a)
    if q.sp is None:
        return
    if kind == "blocked":
        ctx.keep(q)
        return
    if kind in ("comp", "colon"):
        nxt = p + 1
        if kind == "colon" and nxt < b and is_comp(d.norms[nxt]):
            nxt += 1  # ': إن …'
        if nxt >= b:
            return
        set_content(ctx.d, q, nxt, b, nxt if is_open(ctx.d, nxt) else None)
    elif kind == "mark":
        set_content(ctx.d, q, p, b, p)
    else:  # obj
        if is_open(ctx.d, p) and not fragment(ctx.d, p, b):
            set_content(ctx.d, q, p, b, p)
        else:
            set_content(ctx.d, q, p, b, None)
    if q.end > q.start:
        ctx.keep(q)
        follow_on(ctx, q, b)


def source_cue(ctx: QuoteContext, i: int, off: int, info: CueInfo, a: int, b: int) -> None:
    """'ووفقاً لوكالة «سانا»، كانت…' (content after) or '…، وفق المرصد.' (the clause before)."""
    d = ctx.d
    for p in ctx.by_sent.get(d.sent_of[i], ()):
        if p.sent == d.sent_of[i] and p.region[0] < i < p.region[1]:
            return  # a parenthetical inside another report
    k = i + 1
    if info.lemma == "نقلا" and k < b and d.norms[k] == "عن":
        k += 1
    if k + 1 < b and d.norms[k] in ("ما", "لما") and report_verb(d.norms[k + 1]):
        k += 2  # 'بحسب ما نقلته وكالة…', 'وفقاً لما ذكرته…'
    np_ = parse_np(ctx, k, b)
    if np_ is None:
        return
    q = Q(i, i + 1, info, sent=d.sent_of[i])
    q.sp = np_speaker(ctx, np_, i, np_.j)
    q.region = q.np = (i, np_.j)
    after = np_.j
    while after < b and d.toks[after].is_punct and d.toks[after].text not in "،,":
        after += 1
    initial = (
        bool(off)
        or i == a
        or (i == a + 1 and d.norms[a] in ("و", "ف"))
        or (after < b and d.toks[after].text in "،," and not (after + 1 < b and d.norms[after + 1] in RELATIVES))
    )
    if not initial:  # clause-final: the content comes before
        s0 = a
        for o in ctx.by_sent.get(q.sent, ()):
            if o.sent == q.sent and o.end > 0 and d.toks[o.cue_i].start < d.toks[i].start:
                s0 = max(s0, next((x for x in range(a, i) if d.toks[x].start >= o.end), i))
        if i - s0 >= 3 and not ctx.containing(d.toks[s0].start):
            q.start, q.end = d.toks[s0].start, d.toks[i - 1].end
            set_content(ctx.d, q, s0, i, None)
            if q.end > q.start:
                ctx.keep(q)
        return
    p = np_.j
    while p < b and d.toks[p].is_punct and not is_open(ctx.d, p):
        p += 1
    for s in range(p, min(b, p + 6)):
        if is_comp(d.norms[s]):
            p = s + 1
            break
        if boundary(ctx.d, s, -1):
            break
    if p < b and is_cue(ctx.d, p) is None:  # 'بحسب وام، وأكد الشيخ…': the cue's, not the source's
        set_content(ctx.d, q, p, b, p if is_open(ctx.d, p) else None)
        if q.end > q.start:
            ctx.keep(q)


def run(ctx: QuoteContext) -> list[Quote]:
    d = ctx.d
    for si, (a, b) in enumerate(d.sent_tok):
        for i in range(a, b):
            if d.toks[i].is_punct:
                continue
            hit = is_cue(ctx.d, i)
            if hit is None or (i > a and d.norms[i - 1] == "استطرد" and d.norms[i].startswith("قايل")):
                continue
            off, info = hit
            if info.pos == "source":
                source_cue(ctx, i, off, info, a, b)
            else:
                verb_cue(ctx, i, off, info, a, b)
        # pending cues ('قال X رداً على … قال فيها: …: «…»') take the first unclaimed quotation
        for q in [q for q in ctx.by_sent.get(si, ()) if q.pending and q.sent == si]:
            for k in range(q.cue_i + 1, b):
                if (
                    is_open(ctx.d, k)
                    and d.toks[k - 1].text == ":"
                    and not short_name(ctx.d, k, b) > 0
                    and not ctx.containing(d.toks[k].end, closed=True)
                ):
                    set_content(ctx.d, q, k, b, k)
                    ctx.place(q)
                    q.pending = False
                    break
    return build(ctx)


def build(ctx: QuoteContext) -> list[Quote]:
    d, txt = ctx.d, ctx.d.text
    qs = [q for q in ctx.qs if not q.pending and q.end > q.start and q.sp is not None]
    seen, uniq = set(), []
    for q in qs:
        if (q.start, q.end) in seen:
            continue
        seen.add((q.start, q.end))
        uniq.append(q)
    uniq.sort(key=lambda q: d.toks[q.cue_i].start)
    holders: dict[int, list[int]] = {}  # bucket → the quotes whose content touches it
    for pi, p in enumerate(uniq):
        if p.end > p.start:
            for k in range(max(p.start, 0) // BUCKET, p.end // BUCKET + 1):
                holders.setdefault(k, []).append(pi)
    out = []
    for q in uniq:
        cs = d.toks[q.cue_i].start + (1 if lookup(d.norms[q.cue_i])[0] else 0)
        ce = d.toks[q.cue_j - 1].end
        cstart = d.toks[q.cue_i].start
        # the quote holding the cue that starts last (of those starting together, the last)
        parent = -1
        for pi in holders.get(cstart // BUCKET, ()):
            p = uniq[pi]
            if (
                p is not q
                and p.start <= cstart < p.end
                and (parent < 0 or (uniq[parent].start, parent) < (p.start, pi))
            ):
                parent = pi
        s0, e0, spk, act = q.sp
        out.append(
            Quote(
                q.start,
                q.end,
                txt[q.start : q.end],
                q.kind,
                cs,
                ce,
                txt[cs:ce],
                s0,
                e0,
                txt[s0:e0],
                spk,
                act,
                q.addressee,
                parent,
            )
        )
    return out


def extract_quotes(article: Article, media: Optional[dict] = None) -> list[Quote]:
    """The quotes of an article's body (needs sentences; uses tokens and mentions when present;
    ``media``: the KB's outlets, :func:`.attributions.kb_media`)."""
    if not article.text or not article.sentences:
        return []
    return run(QuoteContext(article, media))


class QuoteStep:
    name = "quotes"
    requires = ("sentences", "tokens", "mentions")
    assigns = ("quotes",)

    def __init__(self, kb=None) -> None:
        self.media = kb_media(kb)  # the KB's outlets (none without a KB)

    def __call__(self, article: Article) -> Article:
        return replace(article, quotes=tuple(extract_quotes(article, self.media)))


__all__ = ["QuoteStep", "extract_quotes"]
