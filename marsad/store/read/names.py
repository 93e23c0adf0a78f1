"""Actor names to actor ids, the one resolution the event filter and the actor report share."""

from __future__ import annotations

from typing import Callable, Optional

from ...text.normalize import skeleton

KbNames = Callable[[str], dict]  # a spelling -> {actor id: canonical name}


def find_actor_ids(con, name: str, kb_names: Optional[KbNames] = None) -> list[tuple[str, str, int]]:
    """Actor ids named by ``name``: (actor id, canonical, stored mentions), most mentioned first.

    An actor's id or canonical name (any case) names that actor alone.  Any other spelling names
    the actors the KB gives for it (``kb_names``) and those of the stored mentions with the same
    transliteration skeleton ('لافرنتيف' finds the mentions spelled 'لافرنتييف')."""
    exact = con.execute(
        "SELECT actor_id, mode(canonical), count(*) FROM mentions WHERE actor_id IS NOT NULL AND "
        "(lower(actor_id) = lower(?) OR lower(canonical) = lower(?)) GROUP BY 1",
        [name, name],
    ).fetchall()
    if exact:
        return sorted(((aid, canon or aid, int(n)) for aid, canon, n in exact), key=lambda r: (-r[2], r[0]))
    ids: dict[str, str] = dict(kb_names(name)) if kb_names else {}
    sk = skeleton(name)
    if sk:
        found = con.execute(
            "SELECT actor_id, any_value(canonical), mode(text) FROM mentions WHERE actor_id IS NOT NULL AND "
            "instr(' ' || search_key || ' ', ' ' || ? || ' ') > 0 GROUP BY actor_id",
            [sk],
        ).fetchall()
        for aid, canon, surface in found:  # an actor missing from the KB is named by its usual surface
            ids.setdefault(aid, canon or surface or aid)
    if not ids:
        return []
    counts = dict(
        con.execute(
            "SELECT actor_id, count(*) FROM mentions WHERE actor_id IN (SELECT unnest(?)) GROUP BY 1", [list(ids)]
        ).fetchall()
    )
    out = [(aid, canon, int(counts.get(aid, 0))) for aid, canon in ids.items()]
    out.sort(key=lambda r: (-r[2], r[0]))
    return out
