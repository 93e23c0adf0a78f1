"""What a correction is about and what it says: the extracted item it names (read from the store,
as the pages show it) and the checked record the corrections file keeps
(:mod:`marsad.store.corrections`).

A request names its target by the item's offsets (``article_id``, ``start``, ``end``; an event also
by its trigger's offsets and its type as extracted) and says ``wrong`` (the item should not have
been extracted), ``fix`` with new values (``new_type``, ``new_source``, ``new_target``,
``new_speaker``, ``new_kind``: which ones a layer takes is :data:`FIXABLE`) or ``withdraw`` (``id``:
the correction taken back).  Every problem is a :class:`Invalid` with a message naming the field.
Names (source, target, speaker) may be spelled any way: they are resolved as the ``/events`` actor
filter resolves them (:func:`marsad.store.read.names.find_actor_ids`); a name that names no stored
actor is kept as typed, without an id.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..model import ENTITY_TYPES, content_hash
from .corrections import ACTIONS, LAYERS, CorrectionsStore, target_key
from .exports.plover import QUAD
from .read.names import KbNames, find_actor_ids

EVENT_TYPES = tuple(QUAD)
QUOTE_KINDS = ("direct", "indirect")
# the fields a fix may change, per layer: field -> the kind of value
FIXABLE = {
    "event": {"type": "event_type", "source": "names", "target": "names"},
    "quote": {"speaker": "name", "kind": "quote_kind"},
    "mention": {"type": "entity_type"},
}
MAX_NOTE, MAX_AUTHOR, MAX_NAME, MAX_NAMES = 1000, 100, 200, 10
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ID = re.compile(r"^c-[0-9a-f]{16}$")


class Invalid(ValueError):
    """A correction request that cannot be stored (422), or whose target is not in the store (404)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def _text(v: Any, what: str, limit: int) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise Invalid(f"{what}: a string is required")
    v = _CONTROL.sub("", v).strip()
    if len(v) > limit:
        raise Invalid(f"{what}: at most {limit} characters")
    return v


def _int(v: Any, what: str) -> int:
    if isinstance(v, bool):
        raise Invalid(f"{what}: an integer is required")
    try:
        n = int(v)
    except (TypeError, ValueError):
        raise Invalid(f"{what}: an integer is required") from None
    if not -1 <= n <= 100_000_000:
        raise Invalid(f"{what}: out of range")
    return n


def find_item(cur, layer: str, article_id: str, start: int, end: int, trigger=None, type_=None) -> Optional[dict]:
    """The extracted item with these offsets, as shown (None: no such item)."""
    if layer == "event":
        found = cur.execute(
            "SELECT type, mode, evidence, source, target, source_ids, target_ids, location, date, "
            "date_from_published, status, trigger_start, trigger_end FROM events WHERE article_id = ? AND start = ? "
            'AND "end" = ? AND trigger_start = ? AND trigger_end = ? AND type = ? ORDER BY idx LIMIT 1',
            [article_id, start, end, trigger[0], trigger[1], type_],
        ).fetchone()
        if not found:
            return None
        t, mode, ev, src, tgt, sids, tids, loc, day, from_pub, status, ts, te = found
        item = {"evidence": ev, "trigger": [ts, te] if ts is not None and ts >= 0 else None, "type": t, "mode": mode}
        item.update(source=list(src or []), target=list(tgt or []), source_ids=list(sids or []))
        item.update(target_ids=list(tids or []), location=loc, date=None if from_pub else day, status=status)
    elif layer == "quote":
        found = cur.execute(
            "SELECT text, kind, cue_start, cue_end, cue, speaker_start, speaker_end, speaker_surface, speaker, "
            'speaker_actor FROM quotes WHERE article_id = ? AND start = ? AND "end" = ? ORDER BY idx LIMIT 1',
            [article_id, start, end],
        ).fetchone()
        if not found:
            return None
        text, kind, cs, ce, cue, ss, se, surface, speaker, actor = found
        item = {"text": text, "kind": kind, "cue_span": [cs, ce] if cs is not None and cs >= 0 else None, "cue": cue}
        item.update(speaker_span=[ss, se] if ss is not None and ss >= 0 else None, speaker_surface=surface or None)
        item.update(speaker=speaker or surface or None, speaker_actor=actor)
    else:
        found = cur.execute(
            'SELECT text, type, actor_id, canonical FROM mentions WHERE article_id = ? AND start = ? AND "end" = ? '
            "ORDER BY idx LIMIT 1",
            [article_id, start, end],
        ).fetchone()
        if not found:
            return None
        item = dict(zip(("text", "type", "actor_id", "canonical"), found))
    item.update(layer=layer, article_id=article_id, start=start, end=end)
    return item


def resolve_name(cur, name: str, kb_names: Optional[KbNames] = None) -> dict:
    """``{"name", "actor_id", "typed"}``: the stored actor a name in any spelling names (the most
    mentioned of those it may name), else the name as typed with no id."""
    found = find_actor_ids(cur, name, kb_names)
    if found:
        aid, canon, _ = found[0]
        return {"name": canon or aid, "actor_id": aid, "typed": name}
    return {"name": name, "actor_id": None, "typed": name}


def _names(v: Any, what: str) -> list[str]:
    parts = v if isinstance(v, list) else re.split(r"[;؛\n]", v) if isinstance(v, str) else None
    if parts is None:
        raise Invalid(f"{what}: a name or a list of names is required")
    out = [p for p in (_text(x, what, MAX_NAME) for x in parts) if p]
    if not out:
        raise Invalid(f"{what}: no name given")
    if len(out) > MAX_NAMES:
        raise Invalid(f"{what}: at most {MAX_NAMES} names")
    return out


def _new_value(cur, kind: str, v: Any, what: str, kb_names):
    if kind in ("event_type", "entity_type", "quote_kind"):
        allowed = {"event_type": EVENT_TYPES, "entity_type": ENTITY_TYPES, "quote_kind": QUOTE_KINDS}[kind]
        val = _text(v, what, 40).upper() if kind != "quote_kind" else _text(v, what, 40).lower()
        if val not in allowed:
            raise Invalid(f"{what}: one of {', '.join(allowed)}")
        return val
    names = _names(v, what)
    if kind == "name":
        if len(names) != 1:
            raise Invalid(f"{what}: one name")
        return resolve_name(cur, names[0], kb_names)
    return [resolve_name(cur, n, kb_names) for n in names]


def _old_value(item: dict, layer: str, field: str):
    if layer == "quote" and field == "speaker":
        return item.get("speaker")
    return item.get(field)


def _same(old, new) -> bool:
    if isinstance(new, dict):
        return new["name"] == old
    if isinstance(new, list):
        return [n["name"] for n in new] == list(old or [])
    return new == old


def build(cur, store: CorrectionsStore, body: dict, kb_names: Optional[KbNames] = None) -> dict:
    """The record to store for a request ``body`` (a dict of strings, numbers, lists), checked
    against the store; :class:`Invalid` says what is wrong."""
    if not isinstance(body, dict):
        raise Invalid("request: a JSON object or a form is required")
    action = _text(body.get("action"), "action", 20)
    if action not in ACTIONS:
        raise Invalid(f"action: one of {', '.join(ACTIONS)}")
    note, author = _text(body.get("note"), "note", MAX_NOTE), _text(body.get("author"), "author", MAX_AUTHOR)
    if action == "withdraw":
        cid = _text(body.get("id"), "id", 40)
        if not _ID.match(cid):
            raise Invalid("id: the id of the correction to withdraw (c-…) is required")
        old = store.get(cid)
        if old is None:
            raise Invalid(f"id: no correction {cid!r}", status=404)
        rec = {k: old[k] for k in ("layer", "article_id", "target", "item", "text_hash")}
        return dict(rec, action="withdraw", fields={}, note=note, author=author, withdraws=cid)
    layer = _text(body.get("layer"), "layer", 20)
    if layer not in LAYERS:
        raise Invalid(f"layer: one of {', '.join(LAYERS)}")
    article_id = _text(body.get("article_id"), "article_id", 200)
    if not article_id:
        raise Invalid("article_id: required")
    if body.get("start") is None and isinstance(body.get("span"), str):  # a form's "start-end" choice
        body = dict(body, start=body["span"].partition("-")[0], end=body["span"].partition("-")[2])
    start, end = _int(body.get("start"), "start"), _int(body.get("end"), "end")
    if not 0 <= start < end:
        raise Invalid("start, end: 0 <= start < end is required")
    trigger, was_type = None, None
    if layer == "event":
        trigger = (
            _int(body.get("trigger_start", -1), "trigger_start"),
            _int(body.get("trigger_end", -1), "trigger_end"),
        )
        was_type = _text(body.get("was_type"), "was_type", 40)
        if not was_type:
            raise Invalid("was_type: the event's type as extracted is required")
    given = {k[4:]: v for k, v in body.items() if k.startswith("new_") and v not in (None, "", [])}
    unknown = sorted(set(given) - set(FIXABLE[layer]))
    if unknown:
        raise Invalid(f"new_{unknown[0]}: a {layer} takes new {', '.join(FIXABLE[layer])} only")
    if action == "wrong" and given:
        raise Invalid("a 'wrong' mark takes no new values (action=fix changes them)")
    if action == "fix" and not given:
        raise Invalid(f"a fix needs a new value: new_{', new_'.join(FIXABLE[layer])}")
    item = find_item(cur, layer, article_id, start, end, trigger, was_type)
    if item is None:
        raise Invalid(f"no {layer} at {start}-{end} in article {article_id!r} (re-run since the page was shown?)", 404)
    fields = {}
    for field, v in given.items():
        new = _new_value(cur, FIXABLE[layer][field], v, f"new_{field}", kb_names)
        old = _old_value(item, layer, field)
        if not _same(old, new):
            fields[field] = {"old": old, "new": new}
    if action == "fix" and not fields:
        raise Invalid("the new values are those extracted: nothing to fix")
    text = cur.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
    return {
        "layer": layer,
        "article_id": article_id,
        "target": target_key(layer, article_id, start, end, trigger, was_type),
        "action": action,
        "fields": fields,
        "item": item,
        "text_hash": content_hash(text[0]) if text else None,
        "note": note,
        "author": author,
    }


def loose_key(layer: str, article_id: str, start: int, end: int, type_: Optional[str] = None) -> tuple:
    """The key the lists match rows by (they do not carry the trigger): an event's evidence span and
    type, a quote's or mention's span."""
    return (layer, article_id, int(start), int(end), type_ if layer == "event" else None)


def by_loose_key(current: dict[str, dict]) -> dict[tuple, dict]:
    out = {}
    for rec in current.values():
        it = rec["item"]
        out[loose_key(rec["layer"], rec["article_id"], it["start"], it["end"], it.get("type"))] = rec
    return out
