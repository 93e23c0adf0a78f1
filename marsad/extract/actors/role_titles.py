"""Role phrases → KB roles and their holders (used by :mod:`.coref` and actor resolution).

* :func:`parse_role` — a role phrase → (role slug, country/bloc id) for ``KB.holders``:
  'وزير الخارجية الروسي' → ('foreign_minister', Russia), 'المبعوث الأممي' → ('un_envoy_syria', UN).
* :func:`resolve_title` — a role phrase + the article's date → the holder (Actor) or None.
* :func:`role_holders` — ``KB.holders`` tolerant of how the KB spells an international post's country.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from ... import caching
from ..kb import memos_of
from ..similarity import name_key

__all__ = ["parse_role", "resolve_title", "role_holders"]


# --- roles ---------------------------------------------------------------------------------------
# (role words, role slug) — the longest phrase is tried first
_ROLES = [
    (("نائب", "وزير", "الخارجية"), "deputy_foreign_minister"),
    (("مساعد", "وزير", "الخارجية"), "deputy_foreign_minister"),
    (("وزير", "الخارجية"), "foreign_minister"),
    (("وزيرة", "الخارجية"), "foreign_minister"),
    (("وزيري", "الخارجية"), "foreign_minister"),
    (("نائب", "وزير", "الدفاع"), "deputy_defence_minister"),
    (("مساعد", "وزير", "الدفاع"), "deputy_defence_minister"),
    (("وزير", "الدفاع"), "defence_minister"),
    (("وزيري", "الدفاع"), "defence_minister"),
    (("رئيس", "الوزراء"), "head_of_government"),
    (("رئيس", "الحكومة"), "head_of_government"),
    (("رئيس", "مجلس", "الوزراء"), "head_of_government"),
    (("المرشد", "الأعلى"), "supreme_leader"),
    (("المتحدث", "باسم", "الرئاسة"), "spokesperson_presidency"),
    (("المتحدث", "باسم", "الكرملين"), "spokesperson_presidency"),
    (("المتحدثة", "باسم", "الخارجية"), "spokesperson_foreign_ministry"),
    (("المتحدث", "باسم", "الخارجية"), "spokesperson_foreign_ministry"),
    (("المتحدث", "باسم", "وزارة", "الخارجية"), "spokesperson_foreign_ministry"),
    (("المتحدثة", "باسم", "وزارة", "الخارجية"), "spokesperson_foreign_ministry"),
    (("المتحدث", "باسم", "وزارة", "الدفاع"), "spokesperson_defence_ministry"),
    (("نائب", "المبعوث", "الأممي"), "un_deputy_envoy_syria"),
    (("المبعوث", "الأممي"), "un_envoy_syria"),
    (("المبعوث", "الدولي"), "un_envoy_syria"),
    (("مبعوث", "الأمم", "المتحدة"), "un_envoy_syria"),
    (("المبعوث", "الخاص", "للأمين", "العام", "للأمم", "المتحدة"), "un_envoy_syria"),
    (("الأمين", "العام", "للأمم", "المتحدة"), "un_secretary_general"),
    (("الأمين", "العام", "لجامعة", "الدول", "العربية"), "arab_league_secretary_general"),
    (("أمين", "المجلس", "الأعلى", "للأمن", "القومي"), "national_security_secretary"),
    (("رئيس", "الأركان"), "chief_of_general_staff"),
    (("رئيس", "هيئة", "الأركان"), "chief_of_general_staff"),
    (("مندوب",), "un_permanent_representative"),
    (("المندوب",), "un_permanent_representative"),
    (("مبعوث", "الرئيس"), "envoy_syria"),
    (("المبعوث",), "envoy_syria"),
    (("مبعوث",), "envoy_syria"),
    (("الرئيس",), "head_of_state"),
    (("رئيس",), "head_of_state"),
    (("الرئيسين",), "head_of_state"),
]
# a national envoy to Syria, by the envoy's country
_ENVOY = {"USA": "us_envoy_syria", "RUS": "russian_envoy_syria", "UN": "un_envoy_syria"}
_ROLE_KEYS = sorted(((tuple(name_key(w) for w in ws), slug) for ws, slug in _ROLES), key=lambda r: -len(r[0]))
UN_WORDS = frozenset(name_key(w) for w in ("الأممي", "الدولي", "الأمم", "أممي"))


def parse_role(phrase: str, kb=None) -> Optional[tuple[str, Optional[str]]]:
    """(role slug, country ISO3 or 'UN') of a role phrase, or None.  The country comes from the
    first nationality adjective or country name in the phrase.  Memoized per phrase for the
    KB (:func:`marsad.extract.kb.memos_of`)."""
    memo = memos_of(kb).roles
    try:
        return memo[phrase]
    except KeyError:
        pass
    r = _parse_role(phrase, kb)
    caching.put(memo, phrase, r, caching.PHRASE)
    return r


def _parse_role(phrase: str, kb=None) -> Optional[tuple[str, Optional[str]]]:
    from .kb_lookup import nationality_of

    words = [name_key(w) for w in phrase.split()]
    words = [w for w in words if w]
    stripped = tuple(_strip(w) for w in words)
    slug = None
    for keys, s in _ROLE_KEYS_STRIPPED:
        n = len(keys)
        for i in range(len(words) - n + 1):
            if stripped[i : i + n] == keys:
                slug = s
                break
        if slug:
            break
    if slug is None:
        return None
    country = None
    if any(w in UN_WORDS for w in words) or slug.startswith("un_") and slug != "un_permanent_representative":
        country = "UN"
    elif kb is not None:
        for w in phrase.split():
            act = nationality_of(kb, w)
            if act is None:
                hits = [x for x in kb.lookup(w) if x.kind == "GPE"] if len(name_key(w)) > 3 else []
                act = hits[0] if hits else None
            if act is not None:
                country = act.country or None
                break
    if slug == "envoy_syria":
        slug = _ENVOY.get(country or "", "envoy_syria")
    return slug, country


def _strip(k: str) -> str:
    return k[1:] if len(k) > 4 and k[0] in "ول" and k[1:3] == "ال" else k


_ROLE_KEYS_STRIPPED = [(tuple(_strip(k) for k in keys), slug) for keys, slug in _ROLE_KEYS]


def resolve_title(phrase: str, on: Optional[date], kb):
    """The KB actor holding the role named by ``phrase`` on ``on`` (unique holder only)."""
    parsed = parse_role(phrase, kb)
    if parsed is None or on is None:
        return None
    slug, country = parsed
    if country is None:
        return None
    holders = role_holders(kb, slug, country, on)
    return holders[0] if len(holders) == 1 else None


def role_holders(kb, slug: str, country: Optional[str], on: date) -> list:
    """``KB.holders`` tolerant of how the KB spells an international post's country
    ('UN', '' or None) and of unknown role slugs."""
    tries = [country] + (["", None] if country == "UN" else [])
    for c in tries:
        try:
            hs = kb.holders(slug, c, on)
        except Exception:
            hs = []
        if hs:
            return list(hs)
    return []
