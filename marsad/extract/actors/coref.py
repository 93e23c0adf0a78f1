"""Titles, roles and within-article references.

* :func:`find_title` — the role phrase attached to a person's name ('رئيس مجلس الوزراء عماد خميس',
  'مصطفى سيجري رئيس المكتب السياسي في …'): the farthest role noun before the name that is reached
  without crossing punctuation (an apposition comma right before the name is allowed), another
  person, or more than :data:`GAP` non-role words; else a role noun right after the name, up to the
  next punctuation or complementizer.
* :func:`parse_role` (in :mod:`.role_titles`) — a role phrase →
  (role slug, country/bloc id) for ``KB.holders``: 'وزير الخارجية الروسي' → ('foreign_minister', Russia),
  'المبعوث الأممي' → ('un_envoy_syria', UN).
* :func:`resolve_title` (idem) — a role phrase + the article's date → the holder (Actor) or None.
* :func:`references` — anaphoric noun phrases that are not entities in the gold sense but name an
  actor: 'الوزير الروسي', 'المبعوث الأممي', 'الأول'/'الثاني' (the two people just named).  Quotes and
  events use them to find speakers and agents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...model import Article, Mention
from ..similarity import name_key
from .role_titles import UN_WORDS, parse_role, resolve_title

GAP = 12  # non-role words allowed between two role nouns (or a role noun and the name)
MAX_AFTER = 14  # longest title after a name, in tokens

# fmt: off
_HEADS_RAW = (
    "رئيس", "الرئيس", "رئيسة", "الرئيسة", "الرئيسين", "نائب", "نواب", "وزير", "الوزير", "وزيرة", "وزراء",
    "وزيري", "مساعد", "المساعد", "مساعدة", "مبعوث", "المبعوث", "مبعوثة", "المتحدث", "المتحدثة", "متحدث",
    "الناطق", "ناطق", "أمين", "الأمين", "ممثل", "الممثل", "مندوب", "المندوب", "سفير", "السفير", "قائد",
    "القائد", "زعيم", "الزعيم", "متزعم", "متزعمها", "مستشار", "المستشار", "الدكتور", "د", "الشيخ", "الملك",
    "الأمير", "ولي", "نظيره", "نظيرته", "نظيريه", "نظرائه", "العميد", "اللواء", "العقيد", "الجنرال",
    "الفريق", "المدير", "مدير", "عضو", "المنسق", "منسق", "الموفد", "موفد", "كبير", "كبيرة", "المرشد",
    "رئيسا", "مسؤول", "المسؤول", "قائدا", "الرئيسان", "المفوض", "مفوض", "السكرتير", "سكرتير",
)
# fmt: on
HEADS = frozenset(name_key(w) for w in _HEADS_RAW)
# fmt: off
_STOP_AFTER = frozenset(name_key(w) for w in (
    "بأن", "أن", "إن", "أنه", "إنه", "قال", "وقال", "أكد", "وأكد", "أعلن", "أوضح", "أشار", "خلال", "عن",
    "الذي", "التي", "حيث", "فيما", "بينما", "أمس", "اليوم", "إلى", "مع",
))
# fmt: on
_QUOTES = set("“”«»\"'")
_PROCLITIC = "وفبكل"


def _variants(word: str) -> list[tuple[str, int]]:
    k = name_key(word)
    out = [(k, 0)]
    if len(k) > 3 and k[0] in _PROCLITIC:
        out.append((k[1:], 1))
        if len(k) > 4 and k[0] in "وف" and k[1] in "بكل":
            out.append((k[2:], 2))
    return out


def _head_cut(word: str) -> Optional[int]:
    for k, cut in _variants(word):
        if k in HEADS:
            return cut
    return None


def _cut_offset(text: str, n: int) -> int:
    from ...text.normalize import fold

    seen = 0
    if n == 0:
        return 0
    for i, ch in enumerate(text):
        if fold(ch):
            seen += 1
            if seen == n:
                return i + 1
    return len(text)


def find_title(a: Article, k: int, mentions: list[Mention], kb) -> Optional[str]:
    """The role phrase attached to the person whose name starts in token ``k`` (``kb``: for the
    nationality adjectives of a shared title)."""
    toks = a.tokens
    sent = toks[k].sentence
    m0 = next((m for m in mentions if toks[k].start <= m.start < toks[k].end), None)
    per_spans = [(m.start, m.end) for m in mentions if m.type == "PER"]

    def in_person(t) -> bool:
        return any(s < t.end and t.start < e for s, e in per_spans)

    # a person coordinated with the previous one shares its plural title:
    # 'نواب وزراء الخارجية الروسي X والإيراني Y', 'الرئيسين بوتين وترامب'
    shared = _shared_title(a, k, mentions, sent, kb)
    if shared:
        return shared
    # before the name
    q = k - 1
    if q >= 0 and toks[q].sentence == sent and toks[q].text in "،,":
        q -= 1  # apposition: 'ممثل روسيا …، أليكسي بورودافكين'
    last = q
    far, far_cut, anchor = None, 0, k
    while q >= 0 and toks[q].sentence == sent and anchor - q <= GAP + 1:
        t = toks[q]
        if t.is_punct:
            if t.text in _QUOTES:
                q -= 1
                continue
            break
        if in_person(t):
            break
        cut = _head_cut(t.text)
        if cut is not None:
            far, far_cut, anchor = q, cut, q
        elif name_key(t.text) in _STOP_BEFORE:
            break
        q -= 1
    if far is not None and last >= far:
        if _plural_head(toks[far].text) and last > far and _nationality(kb, toks[last].text):
            last -= 1  # 'نواب وزراء الخارجية الروسي': the adjective belongs to this one person
        end = toks[last].end
        while last > far and toks[last].is_punct:
            last -= 1
            end = toks[last].end
        start = toks[far].start + _cut_offset(toks[far].text, far_cut)
        return a.text[start:end]
    # after the name
    end_tok = k
    m_end = m0.end if m0 else toks[k].end
    while end_tok + 1 < len(toks) and toks[end_tok + 1].start < m_end:
        end_tok += 1
    q = end_tok + 1
    while q < len(toks) and toks[q].text in _QUOTES:
        q += 1
    if q < len(toks) and toks[q].sentence == sent and not toks[q].is_punct and _head_cut(toks[q].text) == 0:
        first, last, open_q = q, q, 0
        r = q + 1
        while r < len(toks) and toks[r].sentence == sent and r - first < MAX_AFTER:
            t = toks[r]
            if t.is_punct and t.text not in _QUOTES:
                break
            if not t.is_punct and (name_key(t.text) in _STOP_AFTER or in_person(t)):
                break
            if not t.is_punct:
                last = r
            else:
                if open_q % 2:
                    last = r  # a closing mark of a quoted name inside the title
                open_q += 1
            r += 1
        return a.text[toks[first].start : toks[last].end]
    return None


# fmt: off
_STOP_BEFORE = frozenset(name_key(w) for w in (
    "أن", "إن", "أنه", "إنه", "قال", "وقال", "أكد", "وأكد", "أعلن", "وأعلن", "التقى", "والتقى", "بحث", "وبحث",
    "مع", "عن", "حيث", "الذي", "التي", "كما", "بينما", "فيما", "بعد", "قبل", "أمس", "اليوم"))
_PLURAL_HEADS = frozenset(name_key(w) for w in (
    "نواب", "وزراء", "وزيري", "الرئيسين", "الرئيسان", "رئيسي", "نظرائه", "نظيريه", "مبعوثي", "ممثلي",
    "سفراء", "قادة", "زعماء"))
# fmt: on


def _plural_head(word: str) -> bool:
    return any(k in _PLURAL_HEADS for k, _ in _variants(word))


def _nationality(kb, word: str) -> bool:
    from .kb_lookup import nationality_of

    return nationality_of(kb, word) is not None


def _start(t) -> int:
    return t.start


def _shared_title(a: Article, k: int, mentions: list[Mention], sent: int, kb) -> Optional[str]:
    """The plural title of the person named just before, when this one is coordinated with it
    ('… بوتين وترامب', '… ميخائيل بوغدانوف والإيراني حسين جابري أنصاري')."""
    toks = a.tokens
    q = k - 1
    coordinated = name_key(toks[k].text)[:1] == "و" and any(
        m.start > toks[k].start and m.start < toks[k].end for m in mentions
    )
    if not coordinated and q >= 0 and toks[q].sentence == sent and not toks[q].is_punct:
        kq = name_key(toks[q].text)
        if kq[:1] == "و" and _nationality(kb, toks[q].text[1:]):
            coordinated, q = True, q - 1
    if not coordinated or q < 0 or toks[q].sentence != sent:
        return None
    prev = [m for m in mentions if m.type == "PER" and m.end <= toks[q].end and m.end >= toks[q].start]
    if not prev:
        return None
    from bisect import bisect_right

    j = bisect_right(toks, prev[-1].start, key=_start) - 1
    title = find_title(a, j, mentions, kb)
    if title and _plural_head(title.split()[0]):
        return title
    return None


# --- references ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    start: int
    end: int
    text: str
    actor_id: Optional[str]
    canonical: Optional[str]
    evidence: str


_ORDINALS = {name_key("الأول"): 0, name_key("الثاني"): 1}
# fmt: off
_ANAPHOR_HEADS = frozenset(name_key(w) for w in (
    "الوزير", "المبعوث", "الدبلوماسي", "المسؤول", "الرئيس", "المتحدث", "المتحدثة", "السفير", "المندوب",
    "الممثل", "الموفد"))
# fmt: on


_UNIQUE_POSTS = frozenset(name_key(w) for w in ("الرئيس",))


def references(a: Article, kb) -> list[Reference]:
    """Anaphoric references to people resolved within the article (needs resolved mentions)."""
    from .kb_lookup import nationality_of

    toks = a.tokens
    pers = [m for m in a.mentions if m.type == "PER" and m.actor_id]
    out: list[Reference] = []
    for q, t in enumerate(toks):
        if t.is_punct:
            continue
        k = name_key(t.text)
        k1 = k[1:] if len(k) > 4 and k[0] in "وف" else k
        if k1 in _ORDINALS:
            before = [m for m in pers if m.end <= t.start]
            seen: list[Mention] = []
            for m in reversed(before):
                if all(m.actor_id != s.actor_id for s in seen):
                    seen.append(m)
                if len(seen) == 2:
                    break
            if len(seen) == 2 and toks[q].sentence - _sent_of(a, seen[1].start) <= 1:
                m = seen[::-1][_ORDINALS[k1]]
                out.append(
                    Reference(
                        t.start,
                        t.end,
                        t.text,
                        m.actor_id,
                        m.canonical,
                        f"ordinal:{'first' if _ORDINALS[k1] == 0 else 'second'}",
                    )
                )
            continue
        if k1 in _ANAPHOR_HEADS and q + 1 < len(toks) and not toks[q + 1].is_punct:
            nxt = toks[q + 1]
            act = nationality_of(kb, nxt.text)
            un = name_key(nxt.text) in UN_WORDS
            if act is None and not un:
                continue
            phrase = a.text[t.start : nxt.end]
            country = "UN" if un else (act.country or None)
            if k1 in _UNIQUE_POSTS:  # 'الرئيس الروسي' is the president, whoever was named last
                holder = resolve_title(phrase, a.published, kb)
                if holder is not None:
                    out.append(Reference(t.start, nxt.end, phrase, holder.id, holder.name_en, "anaphor:title-holder"))
                continue
            cand = None
            for m in reversed([m for m in pers if m.end <= t.start]):
                if _same_country(kb, m, country) and _role_fits(m, k1):
                    cand = m
                    break
            if cand is not None:
                out.append(
                    Reference(t.start, nxt.end, phrase, cand.actor_id, cand.canonical, "anaphor:last-person-of-country")
                )
                continue
            holder = resolve_title(phrase, a.published, kb)
            if holder is not None:
                out.append(Reference(t.start, nxt.end, phrase, holder.id, holder.name_en, "anaphor:title-holder"))
    return out


def _sent_of(a: Article, pos: int) -> int:
    for s in a.sentences:
        if s.start <= pos < s.end:
            return s.index
    return -1


def _same_country(kb, m: Mention, country: Optional[str]) -> bool:
    act = getattr(kb, "by_id", {}).get(m.actor_id) if m.actor_id else None
    if country == "UN":
        return bool(m.title and any(name_key(w) in UN_WORDS for w in m.title.split()))
    if act is not None:
        return act.country == country
    return bool(m.title and parse_role(m.title, kb) and parse_role(m.title, kb)[1] == country)


def _role_fits(m: Mention, head: str) -> bool:
    if not m.title:
        return True
    return head[2:5] in name_key(m.title) or head == name_key("المسؤول")
