"""The checks of the actor knowledge base (:mod:`marsad.extract.kb`): :func:`validate` lists every problem
of a KB — ids, QIDs, countries, coordinates, parents, name clashes, dated roles, nationalities — and an
empty list means the KB is valid (``tests/test_kb.py`` runs it on the packaged KB).
"""

from __future__ import annotations

import re

from marsad.extract.kb import ACTOR_TYPES, AMBIGUOUS_NAMES, BLOC_IDS, KB, KINDS, ROLES, parse_partial_date
from marsad.text.normalize import norm_key

__all__ = ["validate"]

_ID = re.compile(r"^(per|org|gpe|loc):[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9]\d*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")


def validate(kb: KB) -> list[str]:
    """Every problem found in ``kb``; an empty list means the KB is valid."""
    p: list[str] = []
    names: dict[tuple[str, str], list[str]] = {}
    for a in kb.by_id.values():
        w = a.id
        if not _ID.match(a.id):
            p.append(f"{w}: malformed id")
        elif a.id.split(":")[0].upper() != a.kind:
            p.append(f"{w}: id prefix does not match kind {a.kind}")
        if a.kind not in KINDS:
            p.append(f"{w}: unknown kind {a.kind!r}")
        if not a.name_en or not a.name_ar:
            p.append(f"{w}: empty name_en or name_ar")
        if a.qid and not _QID.match(a.qid):
            p.append(f"{w}: bad QID {a.qid!r}")
        if a.country and not _ISO3.match(a.country):
            p.append(f"{w}: country {a.country!r} is not ISO alpha-3")
        if a.kind in ("GPE", "LOC"):
            if a.actor_type:
                p.append(f"{w}: places take no actor_type")
            if a.lat is None or a.lon is None:
                p.append(f"{w}: place without coordinates")
            elif not (-90 <= a.lat <= 90 and -180 <= a.lon <= 180):
                p.append(f"{w}: coordinates out of range ({a.lat}, {a.lon})")
        else:
            if a.actor_type not in ACTOR_TYPES:
                p.append(f"{w}: actor_type {a.actor_type!r} not in {ACTOR_TYPES}")
            if a.lat is not None or a.lon is not None:
                p.append(f"{w}: only places have coordinates")
        if a.parent and a.parent not in kb.by_id:
            p.append(f"{w}: parent {a.parent} does not exist")
        if a.parent == a.id:
            p.append(f"{w}: is its own parent")
        for n in a.names_ar:
            if "\t" in n or "|" in n or not norm_key(n):
                p.append(f"{w}: bad Arabic name {n!r}")
        names.setdefault((a.kind, norm_key(a.name_ar)), []).append(a.id)
    for (kind, key), ids in names.items():
        if len(ids) > 1 and set(ids) - AMBIGUOUS_NAMES.get(key, frozenset()):
            p.append(f"{kind} entries {sorted(ids)} share name_ar {key!r} (not in AMBIGUOUS_NAMES)")
    for r in kb.roles:
        w = f"role {r.actor_id}/{r.role}"
        a = kb.by_id.get(r.actor_id)
        if a is None:
            p.append(f"{w}: unknown actor")
        elif a.kind != "PER":
            p.append(f"{w}: roles are for people")
        if r.role not in ROLES:
            p.append(f"{w}: role not in ROLES")
        if r.country and not _ISO3.match(r.country):
            p.append(f"{w}: country {r.country!r} is not ISO alpha-3")
        try:
            lo = parse_partial_date(r.start) if r.start else None
            hi = parse_partial_date(r.end, last=True) if r.end else None
        except ValueError as e:
            p.append(f"{w}: {e}")
            continue
        if lo and hi and hi < lo:
            p.append(f"{w}: ends ({r.end}) before it starts ({r.start})")
        if not lo and not hi:
            p.append(f"{w}: neither start nor end known")
    for form, cid in kb.nationality_forms.items():
        a = kb.by_id.get(cid)
        if a is None:
            p.append(f"nationality {form!r}: unknown entry {cid}")
        elif a.kind != "GPE" and cid not in BLOC_IDS:
            p.append(f"nationality {form!r}: {cid} is neither a GPE nor a listed bloc")
    return p
