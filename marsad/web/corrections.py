"""The corrections on the pages: what the article page needs to show each item's correction and its
"flag / fix" form (:func:`article_context`), and the badges of the ``/events`` and ``/quotes`` lists
(:func:`annotate`).  The ``/corrections`` page is :mod:`.corrections_page`."""

from __future__ import annotations

import logging

from fastapi import Request

from ..errors import StoreError
from ..model import ENTITY_TYPES, Article
from ..store.correction_items import EVENT_TYPES, QUOTE_KINDS, by_loose_key, loose_key
from ..store.corrections import target_key

log = logging.getLogger(__name__)


def store_of(request: Request):
    return getattr(request.app.state, "corrections", None)


def article_context(request: Request, a: Article) -> dict:
    """``corr`` for article.html: whether corrections are on and writable, the current correction of
    each event, quote and mention (by its index on the page), the mentions of each entity of the
    side panel (by its first mention's index), and the choices of the forms."""
    store = store_of(request)
    ctx = {"on": store is not None, "writable": bool(store and store.writable), "event": {}, "quote": {}}
    ctx.update(mention={}, groups={}, event_types=EVENT_TYPES, entity_types=ENTITY_TYPES, quote_kinds=QUOTE_KINDS)
    if store is None:
        return {"corr": ctx}
    try:
        cur = store.current([a.id])
    except StoreError as e:  # an unreadable corrections file must not take the article down
        log.warning("%s", e)
        return {"corr": dict(ctx, writable=False)}
    for i, e in enumerate(a.events):
        rec = cur.get(target_key("event", a.id, e.start, e.end, (e.trigger_start, e.trigger_end), e.type))
        if rec:
            ctx["event"][i] = rec
    for i, q in enumerate(a.quotes):
        rec = cur.get(target_key("quote", a.id, q.start, q.end))
        if rec:
            ctx["quote"][i] = rec
    firsts: dict = {}
    for i, m in enumerate(a.mentions):
        rec = cur.get(target_key("mention", a.id, m.start, m.end))
        if rec:
            ctx["mention"][i] = rec
        first = firsts.setdefault(m.actor_id or f"{m.type}:{m.text}", i)  # the side panel's grouping
        ctx["groups"].setdefault(first, []).append((i, m))
    return {"corr": ctx}


def annotate(request: Request, layer: str, rows: list[dict]) -> list[dict]:
    """Give each listed event or quote its current correction (``row["correction"]``)."""
    store = store_of(request)
    if store is None or not rows:
        return rows
    try:
        found = by_loose_key(store.current(sorted({r["article_id"] for r in rows})))
    except StoreError as e:
        log.warning("%s", e)
        return rows
    if found:
        for r in rows:
            rec = found.get(loose_key(layer, r["article_id"], r["start"], r["end"], r.get("type")))
            if rec:
                r["correction"] = rec
    return rows
