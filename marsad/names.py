"""The KB's resolver of actor names, for the readers of the store (the CLI, the API, the pages).

The store never imports extraction; the applications hand this function to :mod:`marsad.store.read`
(``kb_names=``) so that a name in any spelling the KB lists finds its actor.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1024)
def _kb_names(name: str) -> tuple[tuple[str, str], ...]:
    from .extract.actors import fuzzy_lookup, get_kb, lookup
    kb = get_kb()
    ids: dict[str, str] = {}
    for act in lookup(kb, name):
        ids.setdefault(act.id, act.name_en)
    if not ids:
        for typ in ("PER", "ORG"):
            act, _ = fuzzy_lookup(kb, name, typ)
            if act is not None:
                ids.setdefault(act.id, act.name_en)
    return tuple(ids.items())


def kb_names(name: str) -> dict[str, str]:
    """{actor id: English canonical name} of the KB's actors spelled ``name`` (listed spellings, else
    the closest transliteration)."""
    return dict(_kb_names(name))


@lru_cache(maxsize=4096)
def kb_side(actor_id: str):
    """The side an actor speaks for ('SYR government', 'SYR armed opposition', 'GBR media'…), from
    the KB's actor type and country (:func:`marsad.stories.framing.actor_side`); None if unknown."""
    from .extract.kb import load_kb
    from .stories.framing import actor_side
    kb = load_kb()
    return actor_side(actor_id, kb, frozenset(kb.nationality_forms.values()))
