"""Actor names to actor ids, the one resolution the event filter and the actor report share."""

from __future__ import annotations

import re
from typing import Callable, Optional

from ...text.normalize import skeleton

KbNames = Callable[[str], dict]  # a spelling -> {actor id: canonical name}
MEMO_MAX = 4096  # names kept by a MemoNames before it starts afresh


class MemoNames:
    """A KB resolver (:data:`KbNames`) that also keeps what :func:`find_actor_ids` answered with it,
    for the reads of one unchanged store: the web server hands one to every request of a store
    generation, so a name typed again is not resolved again."""

    def __init__(self, kb_names: Optional[KbNames]):
        self.kb_names = kb_names
        self.memo: dict[str, list] = {}

    def __call__(self, spelling: str) -> dict:
        return self.kb_names(spelling) if self.kb_names else {}


def find_actor_ids(con, name: str, kb_names: Optional[KbNames] = None) -> list[tuple[str, str, int]]:
    """Actor ids named by ``name``: (actor id, canonical, stored mentions), most mentioned first.

    An actor's id or canonical name (any case) names that actor alone.  Any other spelling names
    the actors the KB gives for it (``kb_names``) when the store knows them («الأسد» is Bashar
    al-Assad, not every al-Assad); else those of the stored mentions with the same transliteration
    skeleton ('لافرنتيف' finds the mentions spelled 'لافرنتييف') and those whose English canonical
    name holds every word of it ('Lavrentiev' is 'Alexander Lavrentiev')."""
    memo = kb_names.memo if isinstance(kb_names, MemoNames) else None
    if memo is None:
        return _find(con, name, kb_names)
    found = memo.get(name)
    if found is None:
        if len(memo) >= MEMO_MAX:
            memo.clear()
        found = memo[name] = _find(con, name, kb_names)
    return list(found)


def _find(con, name: str, kb_names: Optional[KbNames]) -> list[tuple[str, str, int]]:
    if ":" in name:  # shaped like an id ('per:…', 'x:…'): the stored id as given is the cheap first try
        canon, n = con.execute("SELECT mode(canonical), count(*) FROM mentions WHERE actor_id = ?", [name]).fetchone()
        if n:
            return [(name, canon or name, int(n))]
    exact = con.execute(
        "SELECT actor_id, mode(canonical), count(*) FROM mentions WHERE actor_id IS NOT NULL AND "
        "(lower(actor_id) = lower(?) OR lower(canonical) = lower(?)) GROUP BY 1",
        [name, name],
    ).fetchall()
    if exact:
        return sorted(((aid, canon or aid, int(n)) for aid, canon, n in exact), key=lambda r: (-r[2], r[0]))
    kb = dict(kb_names(name)) if kb_names else {}
    counts = _counts(con, list(kb))
    if any(counts.values()):  # the KB names actors the store knows: they are the answer («الأسد» is Bashar)
        return _ranked({aid: canon for aid, canon in kb.items() if counts.get(aid)}, counts)
    ids = _by_skeleton(con, name)
    ids.update((aid, canon) for aid, canon in _by_english_words(con, name) if aid not in ids)
    if not ids:
        return []
    return _ranked(ids, _counts(con, list(ids)))


def _counts(con, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    return {
        aid: int(n)
        for aid, n in con.execute(
            "SELECT actor_id, count(*) FROM mentions WHERE actor_id IN (SELECT unnest(?)) GROUP BY 1", [ids]
        ).fetchall()
    }


def _ranked(ids: dict[str, str], counts: dict[str, int]) -> list[tuple[str, str, int]]:
    out = [(aid, canon, counts.get(aid, 0)) for aid, canon in ids.items()]
    out.sort(key=lambda r: (-r[2], r[0]))
    return out


def _by_skeleton(con, name: str) -> dict[str, str]:
    """The actors of the stored mentions whose transliteration skeleton holds ``name``'s."""
    sk = skeleton(name)
    if not sk:
        return {}
    found = con.execute(
        "SELECT actor_id, any_value(canonical), mode(text) FROM mentions WHERE actor_id IS NOT NULL AND "
        "instr(' ' || search_key || ' ', ' ' || ? || ' ') > 0 GROUP BY actor_id",
        [sk],
    ).fetchall()
    # an actor missing from the KB is named by its usual surface
    return {aid: canon or surface or aid for aid, canon, surface in found}


def _by_english_words(con, name: str) -> list[tuple[str, str]]:
    """The actors whose canonical (English) name holds every word of ``name`` ('Lavrentiev' is
    'Alexander Lavrentiev'), any case."""
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    if not words or not re.search(r"[a-z]", name.lower()):
        return []
    return con.execute(
        "SELECT actor_id, mode(canonical) FROM mentions WHERE actor_id IS NOT NULL AND canonical IS NOT NULL "
        "AND list_has_all(regexp_split_to_array(lower(canonical), '[^a-z0-9]+'), ?) GROUP BY actor_id",
        [words],
    ).fetchall()
