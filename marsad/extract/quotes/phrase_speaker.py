"""Who a parsed speaker phrase (:class:`~.phrases.NP`) names: its surface span, speaker and actor —
an outlet, a person (a name cut at a kunya runs on), an office or a descriptive source that speaks
itself, or an anaphor ('الأول', 'المصادر', 'البيان') resolved to an earlier mention or quote's speaker.
"""

from __future__ import annotations

from .attributions import head_forms
from .context import QuoteContext
from .cues import ADJUNCT_WORDS, ANAPHORS_ORDINAL, DOC_HEADS, KUNYA, OBJ_PREPS, OFFICE_HEADS
from .doc import Doc, is_comp
from .marks import is_cue
from .phrases import NP


def np_speaker(ctx: QuoteContext, np_: NP, cue: int, region_end: int) -> tuple:
    """(surface start, surface end, speaker, actor) for a parsed subject."""
    d = ctx.d
    if np_.media is not None:
        m = np_.media
        s = d.toks[m.i].start
        if d.norms[m.i][:1] == "ل" and not d.norms[m.i].startswith("لل"):
            s += 1
        return (s, d.toks[m.j - 1].end, m.outlet or m.name, m.actor_id)
    if np_.alias is not None:
        m = d.mentions[np_.alias]
        t = d.toks[np_.i]
        return (t.start, t.end, m.canonical or m.text, m.actor_id)
    if np_.name is not None and not np_.descr and np_.head not in OFFICE_HEADS:
        s, e = d.toks[np_.name[0]].start, d.toks[np_.name[1] - 1].end
        return (s, e, d.text[s:e], None)
    if np_.descr or (np_.head in OFFICE_HEADS and (np_.per or np_.first is not None)):
        # the phrase itself speaks: 'مصادر مقرّبة من X', 'مكتب رئيس الوزراء X', 'المكتب الإعلامي للحريري'
        e_tok = np_.j
        if not np_.descr and np_.per and np_.title_end > np_.i + 1:
            m0 = d.mentions[np_.per[0]]
            if m0.start == d.toks[np_.title_end].start and not d.norms[np_.title_end].startswith("لل"):
                # a name in apposition to the title (a fused 'للحريري' is the office's owner)
                e_tok = np_.title_end
        s, e = d.toks[np_.i].start, d.toks[e_tok - 1].end
        return (s, e, d.text[s:e], None)
    if np_.per:
        ms = [d.mentions[x] for x in np_.per]
        names = []
        for m in ms:
            nm = m.canonical or m.text
            if nm not in names:
                names.append(nm)
        if len(ms) == 1:
            return per_span(ctx.d, np_.per[0], region_end)
        return (ms[0].start, ms[0].end, "; ".join(names), ms[0].actor_id)
    if np_.first is not None:
        m = d.mentions[np_.first]
        if m.type == "PER":
            return per_span(ctx.d, np_.first, region_end)
        return (m.start, m.end, m.canonical or m.text, m.actor_id)
    # a title without a name: a name later in the subject region, or an anaphor
    for k in range(np_.j, region_end):
        mi = d.mention_starting(k)
        if (
            mi is not None
            and d.mentions[mi].type == "PER"
            and d.norms[k - 1] not in OBJ_PREPS
            and d.mentions[mi].start == d.toks[k].start
        ):
            return per_span(ctx.d, mi, region_end)
    s, e = d.toks[np_.i].start, d.toks[np_.j - 1].end
    n = d.norms[np_.i]
    if n in ANAPHORS_ORDINAL and np_.j == np_.i + 1:
        ref = ordinal(ctx.d, cue, ANAPHORS_ORDINAL[n])
        if ref is not None:
            return (s, e, ref.canonical or ref.text, ref.actor_id)
    sp, act = resolve_title(ctx, np_), None
    if sp is not None:
        return (s, e, sp[0], sp[1])
    return (s, e, d.text[s:e], act)


def per_span(d: Doc, mi: int, limit: int) -> tuple:
    """(start, end, name, actor) of a PER mention; a mention cut at a kunya or filiation word
    ('أبو' of 'أبو علي العسكري') runs on over the next name words, up to two."""
    m = d.mentions[mi]
    k = d.mention_end_tok[mi]
    if d.norms[k - 1] not in KUNYA:
        return (m.start, m.end, m.canonical or m.text, m.actor_id)
    e, n = k, 0
    while e < min(limit, len(d.toks)) and n < 2:
        w = d.norms[e]
        prep = w in OBJ_PREPS and not (w == "علي" and d.toks[e].text.endswith("ي"))  # the name 'علي', not 'على'
        if (
            d.toks[e].is_punct
            or w in ADJUNCT_WORDS
            or prep
            or is_comp(w)
            or d.mention_at[e] >= 0
            or is_cue(d, e) is not None
        ):
            break
        e, n = e + 1, n + 1
    if e == k:
        return (m.start, m.end, m.canonical or m.text, m.actor_id)
    end = d.toks[e - 1].end
    return (m.start, end, d.text[m.start : end], m.actor_id)


def ordinal(d: Doc, cue: int, nth: int):
    si = d.sent_of[cue]
    for sj in (si, si - 1):
        if sj < 0:
            continue
        a, b = d.sent_tok[sj]
        seen, out = set(), []
        for k in range(a, min(b, cue)):
            mi = d.mention_starting(k)
            if mi is not None and d.mentions[mi].type == "PER":
                key = d.mentions[mi].canonical or d.mentions[mi].text
                if key not in seen:
                    seen.add(key)
                    out.append(d.mentions[mi])
        if len(out) > nth:
            return out[nth]
    return None


def resolve_title(ctx: QuoteContext, np_: NP):
    """A definite title ('المصادر', 'البيان', 'المبعوث الأممي') → the speaker of an earlier quote
    whose subject phrase holds the same head."""
    head = np_.head or ctx.d.norms[np_.i]
    if not head.startswith("ال") or len(head) < 5:
        return None
    bare = head[2:]
    for q in reversed(ctx.qs[-12:]):
        if q.sp is None:
            continue
        a, b = q.np if bare not in DOC_HEADS else q.region
        words = {w for k in range(max(a, 0), b) for w in head_forms(ctx.d.norms[k])}
        if bare in words or head in words:
            return q.sp[2], q.sp[3]
    return None
