"""The noun phrases of quotes (over the token view of :mod:`.doc`): functions of the reading's
:class:`~.context.QuoteContext` (or of its ``Doc`` alone) that read speaker noun phrases
('مبعوث الرئيس الأميركي إلى سورية مايكل راتني', 'مصادر دبلوماسية في دمشق', 'بيان لخارجيتها'),
addressees ('لـ«الوطن»') and anaphors ('الأول', 'المصادر', 'البيان') for :mod:`.step`; who a parsed
phrase names is :mod:`.phrase_speaker`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .attributions import head_forms
from .cues import (
    ADDRESSEE_PRONOUNS,
    ADJUNCT_WORDS,
    ANON_HEADS,
    CLOSE_ADJ,
    DEMONSTRATIVES,
    NAME_OPENERS,
    OBJ_PREPS,
    RELATIVES,
    SO_CALLED,
    SOURCE_ADJ,
    SPEAKER_HEADS,
)
from .context import QuoteContext
from .doc import Doc, is_comp, nisba, plural_head, skeleton
from .marks import is_cue, is_open, short_name, tok_text

_SPEAKER_TYPES = ("PER", "ORG", "GPE")


@dataclass
class NP:
    i: int
    j: int
    per: list  # PER mention indexes
    first: Optional[int]  # first mention index at the start
    head: str  # folded head word ('' for a mention)
    media: object = None  # MediaNP
    quoted: Optional[tuple[int, int]] = None  # char span of a quoted name
    descr: bool = False  # a descriptive source ('مصادر مقرّبة من X'): the phrase is the speaker
    title_end: int = -1  # token where the first PER name starts inside the phrase
    alias: Optional[int] = None  # a bare surname standing for an earlier PER mention
    name: Optional[tuple[int, int]] = None  # token range of an untagged compound name after a title


# long: one left-to-right scan of a speaker phrase; every branch extends the same phrase (``np_``,
# cursor ``j``) or stops it, so the cases read in the order the words come
def parse_np(ctx: QuoteContext, k: int, b: int) -> Optional[NP]:
    d = ctx.d
    if k >= b:
        return None
    if k in ctx.media_at:
        m = ctx.media_at[k]
        return NP(k, m.j, [], None, "media", media=m)
    quoted = None
    if d.toks[k].text in '“«"' and k + 1 < b:
        e = short_name(ctx.d, k, b)
        mi = d.mention_starting(k + 1)
        if e > 0 and (mi is not None or d.norms[k + 1] in SPEAKER_HEADS):
            quoted = (d.toks[k + 1].start, d.toks[e - 2].end)
            np_ = parse_np(ctx, k + 1, e - 1) or NP(k + 1, e - 1, [], None, "")
            np_.i, np_.j, np_.quoted = k, e, quoted
            return np_
        return None
    mi = d.mention_starting(k)
    forms = head_forms(d.norms[k])
    head = next((f for f in forms if f in SPEAKER_HEADS), "")
    if not head and mi is None and plural_head(d.norms[k]):
        head = d.norms[k]
    if (
        not head
        and mi is None
        and d.norms[k] in ("احد", "احدي")
        and k + 1 < b
        and d.norms[k + 1] not in ("عشر", "عشره")
        and not d.toks[k + 1].is_punct
    ):
        head = d.norms[k]  # 'أحد منظمي الاعتصام' (not 'أحد عشر')
    if mi is not None and d.mentions[mi].type in _SPEAKER_TYPES:
        first = mi
    elif head:
        first = None
    else:
        al = surname(ctx, k) if d.mention_at[k] < 0 else None
        if al is not None:  # 'وقال جعجع' after 'سمير جعجع'
            return NP(k, k + 1, [], None, "", alias=al)
        return None
    np_ = NP(k, k, [], first, head)
    j, n_def = k, 0
    while j < b:
        n = d.norms[j]
        mj = d.mention_at[j]
        if mj >= 0 and d.mentions[mj].start >= d.toks[j].start - 1:
            if (
                j > k
                and d.mentions[mj].type != "PER"
                and d.norms[j - 1].startswith("ال")
                and len(d.norms[j - 1]) > 3
                and not n.startswith(("ال", "لل"))
                and d.mentions[mj].start == d.toks[j].start
            ):
                break  # 'اتهمت الحكومة قوات حفتر': a new noun phrase
            if d.mentions[mj].type == "PER":
                if np_.title_end < 0:
                    np_.title_end = j
                np_.per.append(mj)
            j = max(d.mention_end_tok[mj], j + 1)
            if d.mentions[mj].type == "PER":
                while (
                    j < b
                    and d.norms[j] == "و"
                    and d.mention_starting(j + 1) is not None
                    and d.mentions[d.mention_at[j + 1]].type == "PER"
                ):
                    np_.per.append(d.mention_at[j + 1])
                    j = d.mention_end_tok[d.mention_at[j + 1]]
                if j < b and d.toks[j].text in '”»"' and d.toks[np_.i - 1 if np_.i else 0].text in '“«"':
                    j += 1
                break
            continue
        if j == k or any(f in SPEAKER_HEADS for f in head_forms(n)):
            j += 1
            continue
        if d.toks[j].text in "“«" and not np_.per:
            e = short_name(ctx.d, j, b)
            if e > 0 and d.mention_at[j + 1] >= 0 and d.mentions[d.mention_at[j + 1]].type == "PER":
                np_.per.append(d.mention_at[j + 1])
                j = e
                break
            pn = d.norms[j - 1]
            if pn == "ل" and head in ANON_HEADS:
                break  # 'مصدر ميداني لـ«الميدان»': the addressee
            if (
                e > 0
                and head
                and j > k
                and (
                    pn in SO_CALLED
                    or (d.mention_at[j + 1] >= 0 and d.mentions[d.mention_at[j + 1]].type in ("ORG", "GPE", "NORP"))
                    or (not pn.startswith("ال") and d.norms[j + 1].startswith("ال"))
                )
            ):
                j = e  # 'رئيس حزب «القوات اللبنانية» سمير جعجع'
                continue
            break
        if (
            n in NAME_OPENERS
            and head
            and not np_.per
            and j > k
            and j + 1 < b
            and d.mention_at[j] < 0
            and d.norms[j + 1].startswith("ال")
            and d.mention_at[j + 1] < 0
        ):
            e = j + 2  # 'رئيس الجمهورية عبد المجيد تبون' (no PER mention)
            if e < b and d.mention_at[e] < 0 and _name_word(ctx.d, e):
                e += 1
            np_.name = (j, e)
            j = e
            break
        if (
            n == "ما"
            and head
            and not np_.per
            and j + 1 < b
            and d.norms[j - 1] == "باسم"
            and d.norms[j + 1] in SO_CALLED
        ):
            j += 2  # 'المتحدث باسم ما يسمى «…»'
            continue
        if head and not np_.per and n in SOURCE_ADJ and j - k <= 3:
            j += 1  # 'مصدر مصري مطلع'
            continue
        if n == "من" and head and not np_.per and j + 1 < b and d.norms[j - 1] in CLOSE_ADJ:
            np_.descr = True  # 'مصادر مقرّبة من رئيس الحكومة سعد الحريري'
            j += 1
            continue
        if head and not np_.per and n in CLOSE_ADJ and j - k <= 3:
            j += 1
            continue
        if (
            n.startswith("ال")
            and len(n) > 3
            and n_def < 4
            and not np_.per
            and n not in ADJUNCT_WORDS
            and n not in RELATIVES
            and n not in DEMONSTRATIVES
        ):
            n_def += 1
            j += 1
            continue
        if (
            head
            and not np_.per
            and j - k <= 2
            and not n.startswith("ال")
            and not d.toks[j].is_punct
            and not (d.norms[j - 1].startswith("ال") and len(d.norms[j - 1]) > 3)
            and n not in ADJUNCT_WORDS
            and n not in OBJ_PREPS
            and not is_comp(n)
            and j + 1 < b
            and is_cue(ctx.d, j) is None
            and (
                d.norms[j + 1].startswith("ال")
                or (d.toks[j + 1].text in "«“" and len(n) > 2)
                or (d.mention_starting(j + 1) is not None and d.mentions[d.mention_at[j + 1]].type != "NORP")
            )
        ):
            j += 1  # a construct: 'ولي عهد أبوظبي', 'وزير خارجية إيران'
            continue
        if nisba(n) and not np_.per and j - k <= 3:
            j += 1
            continue
        if n in ("الي", "لدي", "باسم", "في", "من") and head and not np_.per and j + 1 < b:
            mj = d.mention_starting(j + 1)
            if n == "باسم" or (mj is not None and d.mentions[mj].type in ("GPE", "ORG")):
                j += 1
                continue
        if n.startswith("ل") and len(n) > 3 and j == k + 1 and head and n not in ADDRESSEE_PRONOUNS and not is_comp(n):
            j += 1
            continue
        break
    np_.j = max(j, k + 1)
    return np_


def _name_word(d: Doc, k: int) -> bool:
    """Could the word at k end a personal name (not a function word, cue, adjunct or punctuation)?"""
    w = d.norms[k]
    return not (
        d.toks[k].is_punct
        or w in ADJUNCT_WORDS
        or w in OBJ_PREPS
        or is_comp(w)
        or w in RELATIVES
        or w in SPEAKER_HEADS
        or w.startswith(("ال", "لل", "بال"))
        or is_cue(d, k) is not None
        or len(w) < 3
    )


def surname(ctx: QuoteContext, k: int):
    """The PER mention (before token k) whose last word is the word at k, or None."""
    d = ctx.d
    table = ctx.surnames
    if table is None:
        table = {}
        for mi, m in enumerate(d.mentions):
            if m.type == "PER" and d.mention_end_tok[mi] - 1 >= 0:
                last = d.mention_end_tok[mi] - 1
                if d.mention_at[last] == mi and len(d.norms[last]) >= 4 and not d.norms[last].startswith("ال"):
                    table.setdefault(skeleton(d.norms[last]), []).append(mi)
        ctx.surnames = table
    n = d.norms[k]
    if len(n) < 4 or n.startswith("ال") or d.toks[k].is_punct or len(skeleton(n)) < 3:
        return None
    for mi in table.get(skeleton(n), ()):
        if d.mentions[mi].end <= d.toks[k].start:
            return mi
    return None


def addressee_at(d: Doc, j: int, b: int) -> tuple[Optional[str], int]:
    """'له', 'لـ«الوطن»', 'لموسكو' at token j: (the named addressee or None, token after it)."""
    if j < b and d.norms[j] in ADDRESSEE_PRONOUNS:
        return None, j + 1
    if j + 1 < b and d.norms[j] == "ل":
        if is_open(d, j + 1):
            e = short_name(d, j + 1, b)
            if e > 0:
                return tok_text(d, j + 2, e - 1), e
        elif d.mention_starting(j + 1) is not None:
            mi = d.mention_at[j + 1]
            return d.mentions[mi].text, d.mention_end_tok[mi]
    elif (
        j < b
        and d.norms[j].startswith("ل")
        and d.mention_at[j] >= 0
        and d.mentions[d.mention_at[j]].start > d.toks[j].start
    ):
        mi = d.mention_at[j]
        return d.mentions[mi].text, d.mention_end_tok[mi]
    return None, j
