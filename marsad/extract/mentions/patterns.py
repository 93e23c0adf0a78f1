"""Rule candidates (pass 4 of :mod:`marsad.extract.mentions`; word lists in
:mod:`marsad.extract.gazetteer`): institutions with an agreeing nationality adjective
('الجيش السوري') or without one ('وزارة الخارجية'), named places after a place head
('حي الشيخ جراح', 'مطار معيتيقة الدولي'), and quoted organisation names ('حزب «القوات اللبنانية»')."""

from __future__ import annotations

from functools import lru_cache
from itertools import compress
from typing import Optional

from ... import caching
from ...model import Token
from ..actors import nationality_of
from ..gazetteer import (
    BARE_INSTITUTION,
    BARE_PLACE_HEAD,
    COMPOUND_START,
    FUNCTION_WORDS,
    INSTITUTION_BY_FIRST,
    OPEN_QUOTE,
    ORG_HEAD,
    ORG_NAME_START,
    SPEECH,
    feminine,
    first_token_variants,
)
from .base import Cand, is_adjective, loc_head_key, name_word
from ..similarity import name_key


def _institution_heads(word: str) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """(letters cut, gender, head keys) of every institution head that can start at ``word``, in
    the order of its proclitic variants (a pure function of the word)."""
    return tuple(
        (cut, gender, head)
        for key, cut in first_token_variants(word)
        for gender, head in INSTITUTION_BY_FIRST.get(key, ())
    )


def word_heads(word: str) -> Optional[tuple]:
    """What can start at ``word`` in the per-word passes below: (institution heads, bare
    institution heads, place head or None); None when nothing can (most words).  The NER step
    reads it once per word (memoized with the word's other facts: ``mentions._word_facts``) for
    the three passes."""
    inst, bare, loc = _institution_heads(word), _bare_heads(word), loc_head_key(word)
    return (inst, bare, loc) if inst or bare or loc is not None else None


def _sentence_heads(words: list[Token]) -> list[Optional[tuple]]:
    """:func:`word_heads` of each word of a sentence."""
    return list(map(word_heads, [w.text for w in words]))


def _agrees(gender: str, word: str) -> bool:
    return ("f" if feminine(word) else "m") in gender


def institution_cands(words: list[Token], kb, heads: Optional[list] = None) -> list[Cand]:
    """Institution + agreeing nationality adjective ('الجيش السوري', 'الخارجية الروسية') → ORG
    (a minister's portfolio is dropped later by :func:`.resolve.apply_rules`).
    ``heads``: the sentence's :func:`_sentence_heads` when the caller has them."""
    out = []
    n = len(words)
    heads = _sentence_heads(words) if heads is None else heads
    # only the few words that can start a head are looked at
    for i in compress(range(n), heads):
        if words[i].is_punct:
            continue
        for cut, gender, head in heads[i][0]:
            L = len(head)
            if i + L >= n or any(name_key(words[i + t].text) != head[t] for t in range(1, L)):
                continue
            p, mid = i + L, False
            if (
                p + 1 < n
                and not words[p].is_punct
                and is_adjective(words[p])
                and nationality_of(kb, words[p].text) is None
                and _agrees(gender, words[p].text)
            ):
                p, mid = p + 1, True  # 'الهيئة الخيرية الأردنية'
            adj = words[p]
            if adj.is_punct or nationality_of(kb, adj.text) is None:
                continue
            if not _agrees(gender, adj.text):
                continue
            if (
                mid
                and p + 1 < n
                and not words[p + 1].is_punct
                and is_adjective(words[p + 1])
                and nationality_of(kb, words[p + 1].text) is None
                and feminine(words[p + 1].text) == feminine(adj.text)
            ):
                p += 1  # '… الأردنية الهاشمية'
            out.append(Cand(i, p, cut, "ORG", "gazetteer", 0.9, 4))
    return out


@lru_cache(maxsize=caching.WORD)
def _bare_heads(word: str) -> tuple:
    return tuple((cut, h) for key, cut in first_token_variants(word) for h in _BARE_BY_FIRST.get(key, ()))


_BARE_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _b in BARE_INSTITUTION:
    _BARE_BY_FIRST.setdefault(_b[0], []).append(_b)
for _v in _BARE_BY_FIRST.values():
    _v.sort(key=lambda h: -len(h))


def bare_institution_cands(words: list[Token], kb, heads: Optional[list] = None) -> list[Cand]:
    """Named institutions without an adjective: 'وزارة الخارجية', 'رئاسة الجمهورية', 'البرلمان'
    (with an adjective they are :func:`institution_cands` or KB names).  ``heads``: as there."""
    out = []
    n = len(words)
    heads = _sentence_heads(words) if heads is None else heads
    for i in compress(range(n), heads):
        if words[i].is_punct:
            continue
        for cut, head in heads[i][1]:
            L = len(head)
            if i + L > n or any(name_key(words[i + t].text) != head[t] for t in range(1, L)):
                continue
            nxt = words[i + L] if i + L < n else None
            if nxt is not None and not nxt.is_punct and nationality_of(kb, nxt.text) is not None:
                break
            out.append(Cand(i, i + L - 1, cut, "ORG", "rule", 0.85, 2))
            break
    return out


def loc_pattern_cands(words: list[Token], heads: Optional[list] = None) -> list[Cand]:
    """Named places after a head that only names places: 'حي الراشدين', 'كراجات الليرمون', compound
    names ('حي الشيخ جراح', 'ساحة رياض الصلح'), a bare name with an adjective ('مطار معيتيقة الدولي')
    or before a boundary ('قصر بعبدا،').  ``heads``: the sentence's :func:`_sentence_heads` when the
    caller has them."""
    out = []
    n = len(words)
    heads = _sentence_heads(words) if heads is None else heads
    for i in compress(range(n - 1), heads):
        w, nx = words[i], words[i + 1]
        if heads[i][2] is None or w.is_punct or nx.is_punct:
            continue
        key, cut = heads[i][2]
        k2 = name_key(nx.text)
        j = None
        if k2.startswith("ال") and len(k2) > 4 and not is_adjective(nx):
            j = i + 1
            if k2 in COMPOUND_START and name_word(words, i + 2):
                j = i + 2
        elif k2 in COMPOUND_START and name_word(words, i + 2):
            j = i + 2  # 'ساحة باب توما', 'حي بني زيد'
        elif not k2.startswith("ال") and name_word(words, i + 1) and not _indefinite_adjective(k2):
            if (
                i + 2 < n
                and not words[i + 2].is_punct
                and name_key(words[i + 2].text).startswith("ال")
                and name_word(words, i + 2)
            ):
                j = i + 2  # 'مطار معيتيقة الدولي', 'ساحة رياض الصلح'
            elif key in BARE_PLACE_HEAD and len(k2) >= 4 and (i + 2 >= n or words[i + 2].is_punct):
                j = i + 1  # 'قصر بعبدا،'
        if j is not None:
            out.append(Cand(i, j, cut, "LOC", "gazetteer", 0.6, 1))
    return out


def _indefinite_adjective(k: str) -> bool:
    """'فرعي', 'جديدة': an indefinite adjective, not a name after a place head."""
    return k.endswith(("ي", "يه", "يا")) or k.startswith("ل") or k.startswith("م") and len(k) <= 5


def _quoted_spans(words: list[Token]) -> list[tuple[int, int]]:
    """(first, last) word of each quoted phrase of one to five words (straight quotes pair up)."""
    out = []
    q, n = 0, len(words)
    while q < n:
        close = OPEN_QUOTE.get(words[q].text)
        if close is None:
            q += 1
            continue
        e = q + 1
        while e < n and words[e].text != close:
            e += 1
        if e >= n:
            q += 1
            continue
        if 1 <= e - q - 1 <= 5 and not any(words[t].is_punct for t in range(q + 1, e)):
            out.append((q + 1, e - 1))
        q = e + 1
    return out


def _quoted_cands(words: list[Token], outlet: Optional[str] = None) -> list[Cand]:
    """Quoted organisation names: after an organisation or media head ('حزب «القوات اللبنانية»',
    'قناة «الجديد»', 'صندوق "تحيا مصر"'), starting with a group noun ('«لواء أحرار حوران»'),
    after لـ in a source phrase ('قال مصدر لـ«الوطن»'), or the article's own outlet."""
    out = []
    okeys = tuple(name_key(w) for w in (outlet or "").split()) if outlet else ()
    for i, j in _quoted_spans(words):
        keys = tuple(name_key(words[t].text) for t in range(i, j + 1))
        if any(k in FUNCTION_WORDS for k in keys):
            continue
        if len(keys) == 1 and not keys[0].startswith("ال") and keys[0].endswith(("ي", "يه", "يا")):
            continue  # 'منظمة «إرهابية»', 'حزب "وسطي"': a description
        prev = words[i - 2] if i >= 2 else None
        pkeys = [k for k, _ in first_token_variants(prev.text)] if prev is not None and not prev.is_punct else []
        org = any(k in ORG_HEAD for k in pkeys)
        org = org or (2 <= len(keys) <= 3 and keys[0] in ORG_NAME_START)
        org = org or (bool(okeys) and keys == okeys)
        if not org and pkeys and pkeys[0] in (name_key("لـ"), name_key("ل")):
            org = any(name_key(words[t].text) in SPEECH for t in range(max(0, i - 8), i - 2))
        if org:
            out.append(Cand(i, j, 0, "ORG", "quoted", 0.95, 3))
    return out


def doc_quoted_cands(sents, outlet: Optional[str]) -> list:
    """:func:`_quoted_cands` over the article, plus the same quoted words anywhere else in it
    (the headline's 'قوافل "تحيا مصر"' after the body's 'صندوق "تحيا مصر"')."""
    out, names = [], set()
    for s in sents:
        for c in _quoted_cands(s, outlet):
            out.append((s, c))
            names.add(tuple(name_key(s[t].text) for t in range(c.i, c.j + 1)))
    if names:
        found: dict[int, set] = {}  # by sentence (its id): the first words of its candidates
        for s2, c in out:
            found.setdefault(id(s2), set()).add(c.i)
        for s in sents:
            done = found.get(id(s), set())
            for i, j in _quoted_spans(s):
                if i not in done and tuple(name_key(s[t].text) for t in range(i, j + 1)) in names:
                    out.append((s, Cand(i, j, 0, "ORG", "quoted", 0.9, 3)))
    return out
