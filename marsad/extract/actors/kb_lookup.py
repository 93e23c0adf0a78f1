"""The look-ups over an actor KB that actor resolution (:mod:`marsad.extract.actors`) and the other
extractors use.  The KB itself is handed in by the caller (the run's
:class:`marsad.resources.Resources` owns it); the memos of these look-ups live on the KB object
(:func:`marsad.extract.kb.memos_of`), so there is no state here.

* :class:`EmptyKB` — the KB that knows no one (an explicit degraded run, or a test);
* :func:`nationality_of` — a nationality adjective in any inflection → its country or bloc;
* :func:`lookup` — exact KB names, proclitics peeled (:func:`_forms`);
* :func:`is_capital`, :func:`state_of` — the state a capital stands for (:func:`_countries`);
* :func:`unknown_id` — the stable ``x:`` id of a name missing from the KB;
* :func:`fuzzy_lookup` — transliteration-aware matching against the KB's person and organization
  names, blocked by skeleton (:func:`_fuzzy_index`).

:mod:`marsad.extract.actors` exports the public ones.
"""

from __future__ import annotations

import hashlib
import logging

from ... import caching
from ...text.normalize import fold, skeleton
from ..kb import memos_of
from ..similarity import THRESHOLD, block_keys, consonant_key, name_key, name_similarity_min, word_similarity_min

log = logging.getLogger(__name__)

__all__ = ["EmptyKB", "nationality_of", "lookup", "is_capital", "state_of", "unknown_id", "fuzzy_lookup"]


# --- the knowledge base ----------------------------------------------------------------------------


class EmptyKB:
    """The KB that knows no one: nothing resolves, nothing breaks (a run degraded on purpose)."""

    def __init__(self) -> None:
        self.by_id: dict = {}

    def lookup(self, surface):
        return []

    def nationality(self, surface):
        return None

    def holders(self, role, country, on):
        return []

    def names(self):
        return iter(())


_DIRECTIONAL = frozenset(name_key(w) for w in ("غربي", "شرقي", "شمالي", "جنوبي"))
_NOT_NORP = frozenset(name_key(w) for w in ("أممي", "دولي", "عربي", "إسلامي", "وطني", "إقليمي", "محلي"))
_SUFFIXES = ("يين", "يون", "يات", "يتين", "يتان", "يان", "يه", "ي")


def _base(k: str) -> str:
    """The masculine singular of a folded nisba adjective, without the article."""
    if k.startswith("ال") and len(k) > 4:
        k = k[2:]
    for s in _SUFFIXES:
        if k.endswith(s) and len(k) - len(s) >= 2:
            return k[: len(k) - len(s)] + "ي"
    return k


def _nationality(kb, surface: str):
    base = _base(fold(surface))
    if base in _NOT_NORP:
        return None
    if base in _DIRECTIONAL:  # 'الغربيين' (the West) but not 'الغربية' (a direction)
        f = fold(surface)
        if not (f.endswith("يين") or f.endswith("يون")):
            return None
    forms = [surface]
    for form in (fold(surface), name_key(surface)):
        if form not in forms:  # most words fold to themselves: the same form, the same answer
            forms.append(form)
    for form in forms:
        try:
            act = kb.nationality(form)
        except Exception:
            act = None
        if act is not None:
            return act
    return None


_MISSING = object()  # not in a memo (None is a memoized answer)


def nationality_of(kb, surface: str):
    """The country/bloc actor of a nationality adjective in any inflection, or None (memoized per
    KB: called for most tokens of every article, one dict look-up on a hit)."""
    memo = memos_of(kb).nationality
    r = memo.get(surface, _MISSING)
    if r is not _MISSING:
        return r
    if not surface or len(fold(surface)) < 3:
        r = None
    else:
        r = _nationality(kb, surface)
    caching.put(memo, surface, r)
    return r


def _lookup(kb, surface: str) -> tuple:
    seen, out = set(), []
    for form in _forms(surface):
        try:
            hits = kb.lookup(form)
        except Exception:
            hits = []
        for h in hits:
            if h.id not in seen:
                seen.add(h.id)
                out.append(h)
        if out:
            break
    return tuple(out)


def _forms(surface: str) -> list[str]:
    """The surface and its readings without proclitics: و/ف/ب/ك/ل peeled, لل → ال."""
    k = fold(surface).strip()
    forms = [surface, k]
    if len(k) > 3 and k[0] in "وف":
        forms.append(k[1:])
        k2 = k[1:]
    else:
        k2 = k
    if k2.startswith("لل") and len(k2) > 4:
        forms.append("ال" + k2[2:])
    elif len(k2) > 3 and k2[0] in "بكل":
        forms.append(k2[1:])
    return forms


def lookup(kb, surface: str) -> tuple:
    """KB actors named ``surface`` (proclitics allowed; memoized per KB)."""
    memo = memos_of(kb).lookup
    r = memo.get(surface)
    if r is None:
        r = _lookup(kb, surface)
        caching.put(memo, surface, r)
    return r


def kb_by_id(kb) -> dict:
    return getattr(kb, "by_id", {}) or {}


def is_capital(actor) -> bool:
    """A national capital (the KB's notes start with 'capital')."""
    notes = (getattr(actor, "notes", "") or "").lower()
    return getattr(actor, "kind", None) == "GPE" and notes.split(";")[0].strip().startswith("capital")


def state_of(actor, kb):
    """The state a capital stands for in an actor role ('واشنطن' → United States): the country
    the capital belongs to (its KB parent, else its country code); any other actor is returned
    unchanged.  The event layer uses it; mention canonicals keep the city (GUIDELINES, Capitals)."""
    if actor is None or not is_capital(actor):
        return actor
    by = kb_by_id(kb)
    parent = by.get(getattr(actor, "parent", "") or "")
    if parent is not None and parent.kind == "GPE":
        return parent
    return _countries(kb).get(actor.country, actor)


def _countries(kb) -> dict:
    """ISO3 → the country actor (a GPE without a GPE parent); built once per KB."""
    memos = memos_of(kb)
    if memos.countries is None:
        by = kb_by_id(kb)
        idx: dict = {}
        for a in by.values():
            if a.kind != "GPE" or not a.country:
                continue
            par = by.get(a.parent) if getattr(a, "parent", None) else None
            if par is None or par.kind != "GPE":
                idx.setdefault(a.country, a)
        memos.countries = idx
    return memos.countries


def unknown_id(surface: str) -> str:
    """Stable id of an actor missing from the KB: ``x:`` + 12 hex digits of the skeleton's hash."""
    sk = skeleton(strip_clitic(surface)) or name_key(surface)
    return "x:" + hashlib.blake2b(sk.encode("utf-8"), digest_size=6).hexdigest()


def strip_clitic(surface: str) -> str:
    k = fold(surface).strip()
    if k.startswith("لل") and len(k) > 4:
        return "ال" + k[2:]
    return k


# --- fuzzy look-up ---------------------------------------------------------------------------------


def _fuzzy_index(kb) -> dict:
    """The KB's PER/ORG names blocked by :func:`~marsad.extract.similarity.block_keys` of their
    last word: (kind, key) → [(name, actor id)].  Built once per KB."""
    memos = memos_of(kb)
    if memos.fuzzy_index is None:
        idx: dict = {}
        for form, actor_id, kind in kb.names():
            if kind not in ("PER", "ORG"):
                continue
            words = name_key(form).split()
            if not words:
                continue
            for bk in block_keys(words[-1]):
                if len(bk) >= 2:
                    idx.setdefault((kind, bk), set()).add((form, actor_id))
        memos.fuzzy_index = idx
    return memos.fuzzy_index


def fuzzy_lookup(kb, surface: str, typ: str):
    """Best KB actor of kind ``typ`` whose name is a transliteration variant of ``surface``:
    (actor, similarity) or (None, 0).  Ambiguous best matches (two actors) resolve to nothing."""
    memo = memos_of(kb).fuzzy
    r = memo.get((surface, typ))
    if r is None:
        r = _fuzzy(kb, surface, typ)
        caching.put(memo, (surface, typ), r)
    return r


def _fuzzy(kb, surface: str, typ: str):
    stem = strip_clitic(surface)
    words = name_key(stem).split()
    if not words or len(consonant_key(words[-1])) < 2:
        return None, 0.0
    idx = _fuzzy_index(kb)
    cands = set()
    for bk in block_keys(words[-1]):
        cands |= idx.get((typ, bk), set())
    best: dict[str, float] = {}
    single = len(words) == 1
    for form, actor_id in cands:
        if single:
            nw = name_key(form).split()
            if len(nw) < 2:
                s = name_similarity_min(stem, form, THRESHOLD)
            elif len(consonant_key(words[0])) < 4:
                s = 0.0  # a short surname alone is too weak a clue
            else:
                s = word_similarity_min(words[0], nw[-1], THRESHOLD / 0.97) * 0.97
        else:
            s = name_similarity_min(stem, form, THRESHOLD)
        if s >= THRESHOLD and s > best.get(actor_id, 0.0):
            best[actor_id] = s
    if not best:
        return None, 0.0
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1] - 0.02:
        return None, 0.0
    act = kb_by_id(kb).get(ranked[0][0])
    return (act, ranked[0][1]) if act is not None else (None, 0.0)
