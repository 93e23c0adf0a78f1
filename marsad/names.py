"""The KB's resolver of actor names, for the readers of the store (the CLI, the API, the pages).

The store never imports extraction; the applications hand this function to :mod:`marsad.store.read`
(``kb_names=``) so that a name in any spelling the KB lists finds its actor.
"""

from __future__ import annotations

from . import caching


def _kb_names(kb, name: str) -> tuple[tuple[str, str], ...]:
    from .extract.actors import fuzzy_lookup, lookup

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
    the closest transliteration): the KB of the process's default resources, its answers memoized
    with them."""
    from .resources import default_resources

    res = default_resources()
    kb = res.kb
    memo = res.derived("kb_names", dict)
    hit = memo.get(name)
    if hit is None:
        hit = _kb_names(kb, name)
        caching.put(memo, name, hit, 1024)
    return dict(hit)


def kb_side(actor_id: str):
    """The side an actor speaks for ('SYR government', 'SYR armed opposition', 'GBR media'…), from
    the KB's actor type and country (:func:`marsad.stories.framing.actor_side`); None if unknown.
    The KB of the process's default resources; answers memoized with them."""
    from .resources import default_resources
    from .stories.framing import actor_side

    res = default_resources()
    kb = res.kb
    memo = res.derived("kb_side", dict)
    if actor_id in memo:
        return memo[actor_id]
    side = actor_side(actor_id, kb, frozenset(kb.nationality_forms.values()))
    caching.put(memo, actor_id, side, 4096)
    return side


def kb_place(actor_id: str) -> dict | None:
    """What the KB says an actor is, for the map and the network: ``{"kind", "name", "name_ar",
    "country"}`` with ``kind`` 'country' (a GPE with no parent: a state), 'place' (a GPE or LOC
    inside a state: a town, a governorate, 'Eastern Ghouta'), 'region' (a LOC in no state: 'Middle
    East', whose coordinates are a stand-in) or 'actor' (a person, an organisation, a group); None
    for an id the KB does not know.  The KB of the process's default resources."""
    from .resources import default_resources

    a = default_resources().kb.by_id.get(actor_id)
    if a is None:
        return None
    if a.kind == "GPE" and not a.parent:
        kind = "country"
    elif a.kind in ("GPE", "LOC"):
        kind = "place" if (a.parent or a.country) else "region"
    else:
        kind = "actor"
    return {"kind": kind, "name": a.name_en, "name_ar": a.name_ar, "country": a.country or None}
