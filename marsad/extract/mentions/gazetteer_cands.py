"""KB names → candidate mentions (pass 2 of :mod:`marsad.extract.mentions`).

The longest gazetteer match at each word, with generic/town/title heads trimmed, common-noun uses
and foreign epithets left out, a one-word place taken with its place-kind head ('مخيم الركبان'),
and a country name with tanween read as an adjective (NORP)."""

from __future__ import annotations

from dataclasses import replace
from itertools import compress
from typing import Optional

from ...model import Token
from ...text.normalize import fold
from ..actors import nationality_of
from ..gazetteer import (
    ADVERB,
    EPITHET,
    GPE_HEAD,
    LOC_HEAD,
    MEDIA_HEAD,
    QUOTE_MARKS,
    TRIM_HEAD,
    TRIM_HEAD_KB,
    TRIM_TAIL,
    Gazetteer,
    raw_cut,
    first_token_variants,
)
from .base import Cand, head_variants, is_adjective, loc_head_key
from ..similarity import name_key

_TANWEEN = ADVERB


def gazetteer_cands(words: list[Token], gaz: Gazetteer, kb) -> list[Cand]:
    """The KB names of one sentence, left to right."""
    out = []
    # most words start no KB name: only those that do are matched
    for i in compress(range(len(words)), gaz.heads_of([w.text for w in words])):
        if words[i].is_punct:
            continue
        m = gaz.match(words, i)
        if m:
            j, cut, kind, actor_id = m
            if (
                j == i
                and kind in ("PER", "ORG")
                and nationality_of(kb, words[i].text[raw_cut(words[i].text, cut) :]) is not None
            ):
                continue  # 'السوداني': the adjective, not the man of that name (the NORP pass)
            c = _trim_gazetteer(words, i, j, cut, kind, actor_id, gaz, kb)
            if c is not None and not _common_noun_use(words, c, actor_id, kb) and not _foreign_epithet(words, c, kb):
                if c.i == i and (c.i == c.j or _named_loc_head(words, c.i)):
                    c = _loc_extend(words, c.i, c.j, c.cut, c.type, kb)
                if c.type == "GPE" and c.i == c.j and _TANWEEN.search(words[c.i].text):
                    c = replace(c, type="NORP")  # 'ليبياً-ليبياً': an adverbial adjective
                out.append(c)
    return out


def _trim_gazetteer(words, i, j, cut, kind, actor_id, gaz: Gazetteer, kb) -> Optional[Cand]:
    """Generic, town and title heads are not part of a name when the rest is one ('تنظيم القاعدة' →
    'القاعدة', 'محافظة إدلب' → 'إدلب', 'الرئيس الأسد' → 'الأسد'); place-kind heads stay when the KB's
    own name carries them ('منطقة التنف') and go otherwise ('منطقة الشرق الأوسط')."""
    from ..actors import HEADS

    if j > i:
        head = first_token_variants(words[i].text)[-1][0] if cut else name_key(words[i].text)
        rest = tuple(name_key(words[t].text) for t in range(i + 1, j + 1))
        rest_id = gaz.actor_of(rest)
        if rest_id is not None:
            if head in TRIM_HEAD or head in GPE_HEAD or head in HEADS or head in TRIM_HEAD_KB:
                return Cand(i + 1, j, 0, gaz.kind_of(rest) or kind, "gazetteer", 1.0, 3)
            if head in LOC_HEAD:
                act = _by_id(kb).get(actor_id)
                own = name_key(getattr(act, "name_ar", "") or "")
                if not own.startswith(head):
                    return Cand(i + 1, j, 0, gaz.kind_of(rest) or kind, "gazetteer", 1.0, 3)
    return Cand(i, j, cut, kind, "gazetteer", 1.0, 3)


def _by_id(kb) -> dict:
    return getattr(kb, "by_id", None) or {}


def _foreign_epithet(words, c, kb) -> bool:
    """'الاحتلال الأمريكي' is not the epithet of Israel."""
    k = first_token_variants(words[c.i].text)[-1][0] if c.cut else name_key(words[c.i].text)
    if c.type != "GPE" or c.i != c.j or k not in EPITHET:
        return False
    nxt = c.j + 1
    return nxt < len(words) and not words[nxt].is_punct and nationality_of(kb, words[nxt].text) is not None


def _common_noun_use(words, c: Cand, actor_id: str, kb) -> bool:
    """A one-word definite ORG name that is also a common noun ('الوطن', 'العالم', 'القاعدة'):
    an outlet must be quoted or follow a media noun; any such name followed by an agreeing
    definite adjective ('بالقاعدة المبدئية') is the common noun."""
    if c.type != "ORG" or c.i != c.j:
        return False
    k = first_token_variants(words[c.i].text)[-1][0] if c.cut else name_key(words[c.i].text)
    if not k.startswith("ال"):
        return False
    act = _by_id(kb).get(actor_id)
    nxt = words[c.j + 1] if c.j + 1 < len(words) else None
    prev = words[c.i - 1] if c.i > 0 else None
    if getattr(act, "actor_type", "") == "MED":
        quoted = prev is not None and prev.text in QUOTE_MARKS and nxt is not None and nxt.text in QUOTE_MARKS
        after_head = prev is not None and any(v in MEDIA_HEAD for v, _ in first_token_variants(prev.text))
        return not (quoted or after_head)
    if nxt is not None and not nxt.is_punct and is_adjective(nxt):
        nk = name_key(nxt.text)
        if nk not in TRIM_TAIL and (fold(words[c.i].text).endswith("ه") == fold(nxt.text).endswith("ه")):
            return True
    return False


def _named_loc_head(words, i: int) -> bool:
    return i > 0 and not words[i - 1].is_punct and loc_head_key(words[i - 1].text) is not None


def _loc_extend(words, i, j, cut, kind, kb=None) -> Cand:
    """A one-word KB place after a place-kind head: 'مخيم الركبان' is one LOC (with a following
    non-national adjective: 'منطقة الليرمون الصناعية')."""
    if i > 0 and not words[i - 1].is_punct and cut == 0 and kind in ("GPE", "LOC"):
        for key, c in head_variants(words[i - 1].text):
            if key in LOC_HEAD:
                jj = j
                if (
                    jj + 1 < len(words)
                    and _place_adjective(words[jj + 1])
                    and (kb is None or nationality_of(kb, words[jj + 1].text) is None)
                ):
                    jj += 1
                return Cand(i - 1, jj, c, "LOC", "gazetteer", 1.0, 3)
    return Cand(i, j, cut, kind, "gazetteer", 1.0, 3)


def _place_adjective(t: Token) -> bool:
    """A definite nisba after a place name, short ones too ('البري', 'الدولي', 'الصناعية')."""
    k = name_key(t.text)
    return not t.is_punct and k.startswith("ال") and k.endswith(("يه", "يا", "ي")) and len(k) >= 5
