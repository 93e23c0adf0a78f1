"""Actors across the corpus: ONE resolution of a name to actor ids (:func:`find_actor_ids`), ONE
actor report by name (:func:`actor_report`: ``marsad actor NAME`` and ``GET /api/actor?name=``), the
actor list and an actor's page (:func:`actor_detail`, by id).

The store never imports extraction: the KB's resolver of spellings is handed in by the caller
(``kb_names``, e.g. :func:`marsad.names.kb_names`); without it, names resolve through the store only.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from ...outlets import STORED, outlet_names, outlet_table
from ...text.normalize import skeleton
from .names import KbNames, find_actor_ids  # noqa: F401  (part of this module's face)
from .sql import count as _count, q, evidence_url, rows as _rows, where as _where


# an actor's name to show: its commonest canonical name; an actor the KB lacks (``x:…``, no canonical
# name) shows its commonest spelling, never its id
NAME = "coalesce(mode(canonical), mode(text))"


def _sentence(text: str, start: int, end: int, bounds) -> str:
    for s, e in bounds:
        if s <= start < e:
            return text[s:e]
    return text[max(0, start - 80) : end + 80]


def _mentions_of(con, ids: list[str], limit: int) -> list[dict]:
    """The actors' mentions, each with its article and sentence (for :func:`actor_report`)."""
    out: list[dict] = []
    rows = con.execute(
        'SELECT m.article_id, m.start, m."end", m.text, m.type, m.actor_id, m.evidence, a.published, '
        f"{STORED}, a.headline FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.actor_id IN (SELECT unnest(?)) ORDER BY a.published NULLS LAST, m.article_id, m.start LIMIT ?",
        [ids, limit],
    ).fetchall()
    # the articles' texts and sentence bounds in two queries, not two per article
    arts = sorted({r[0] for r in rows})
    texts = dict(con.execute("SELECT id, text FROM articles WHERE id IN (SELECT unnest(?))", [arts]).fetchall())
    bounds: dict[str, list] = {}
    for aid, s, e in con.execute(
        'SELECT article_id, start, "end" FROM sentences WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id, idx',
        [arts],
    ).fetchall():
        bounds.setdefault(aid, []).append((s, e))
    for aid, start, end, surface, typ, actor_id, evidence, pub, outlet, headline in rows:
        text = texts[aid]
        out.append(
            {
                "article_id": aid,
                "start": start,
                "end": end,
                "surface": surface,
                "type": typ,
                "actor_id": actor_id,
                "evidence": evidence,
                "published": pub.isoformat() if pub else None,
                "outlet": outlet_table().name(outlet),
                "headline": headline,
                "sentence": _sentence(text, start, end, bounds.get(aid, ())),
            }
        )
    return out


def _quotes_of(con, ids: list[str], limit: int) -> list[dict]:
    """The quotes the actors said (for :func:`actor_report`)."""
    out: list[dict] = []
    for r in con.execute(
        f"SELECT q.article_id, q.text, q.kind, q.cue, q.speaker, a.published, {STORED} "
        "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_actor IN (SELECT unnest(?)) "
        "ORDER BY a.published NULLS LAST, q.article_id, q.idx LIMIT ?",
        [ids, limit],
    ).fetchall():
        out.append(
            {
                "article_id": r[0],
                "text": r[1],
                "kind": r[2],
                "cue": r[3],
                "speaker": r[4],
                "published": r[5].isoformat() if r[5] else None,
                "outlet": outlet_table().name(r[6]),
            }
        )
    return out


def _events_of(con, ids: list[str], limit: int) -> list[dict]:
    """The events the actors are a source or a target of (for :func:`actor_report`)."""
    out: list[dict] = []
    for r in con.execute(
        "SELECT e.article_id, e.type, e.mode, e.source, e.target, e.date, e.location, e.evidence, "
        "list_has_any(e.source_ids, ?) AS as_source FROM events e "
        "WHERE list_has_any(e.source_ids, ?) OR list_has_any(e.target_ids, ?) "
        "ORDER BY e.date NULLS LAST, e.article_id, e.idx LIMIT ?",
        [ids, ids, ids, limit],
    ).fetchall():
        out.append(
            {
                "article_id": r[0],
                "type": r[1],
                "mode": r[2],
                "source": r[3],
                "target": r[4],
                "date": r[5],
                "location": r[6],
                "evidence": r[7],
                "role": "source" if r[8] else "target",
            }
        )
    return out


def actor_report(con, name: str, kb_names: Optional[KbNames] = None, limit: int = 200) -> dict:
    """Everything the store says about the actor(s) named ``name``."""
    found = find_actor_ids(con, name, kb_names)
    ids = [aid for aid, _, n in found if n > 0] or [aid for aid, _, _ in found]
    report = {
        "query": name,
        "actors": [{"actor_id": a, "canonical": c, "mentions": n} for a, c, n in found],
        "mentions": [],
        "quotes": [],
        "events": [],
    }
    if not ids:
        return report
    report["mentions"] = _mentions_of(con, ids, limit)
    report["quotes"] = _quotes_of(con, ids, limit)
    report["events"] = _events_of(con, ids, limit)
    return report


# ------------------------------------------------------------------------------------------ actors


def list_actors(
    cur, q_: Optional[str] = None, type_: Optional[str] = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict]]:
    conds, params = ["actor_id IS NOT NULL"], []
    if type_:
        conds.append("type = ?")
        params.append(type_)
    having, hparams = "", []
    if q_:
        alts = ["contains(lower(coalesce(canonical, '')), ?)", "contains(lower(actor_id), ?)", "contains(text, ?)"]
        hparams = [q_.lower(), q_.lower(), q_]
        skel = skeleton(q_)
        if skel:
            alts.append("contains(' ' || search_key || ' ', ?)")
            hparams.append(f" {skel} ")
        having = f" HAVING bool_or({' OR '.join(alts)})"
    base = (
        f"SELECT actor_id, {NAME} AS name, mode(type) AS type, count(*) AS mentions, "
        f"count(DISTINCT article_id) AS articles FROM mentions{_where(conds)} GROUP BY actor_id{having}"
    )
    total = _count(cur, base, params + hparams)
    rows = _rows(
        cur,
        base + " ORDER BY mentions DESC, articles DESC, actor_id LIMIT ? OFFSET ?",
        params + hparams + [limit, offset],
    )
    for r in rows:
        r["name"] = r["name"] or r["actor_id"]
        r["url_html"] = f"/actors/{q(r['actor_id'])}"
    return total, rows


def suggest_actors(cur, prefix: str, kb_names: Optional[KbNames] = None, limit: int = 10) -> list[dict]:
    """Actors a typed ``prefix`` may name, most mentioned first: a prefix of the id, of a word of the
    canonical name (any case), or of a word of a stored spelling's transliteration skeleton
    ('لافر' → Lavrov, Lavrentiev), and the actors the KB gives for the whole spelling."""
    low, sk = prefix.strip().lower(), skeleton(prefix)
    if not low:
        return []
    alts, params = ["starts_with(lower(actor_id), ?)"], [low]
    words = " ".join(w for w in re.split(r"[^a-z0-9]+", low) if w)
    if words:
        alts.append("contains(' ' || regexp_replace(lower(coalesce(canonical, '')), '[^a-z0-9]+', ' ', 'g'), ?)")
        params.append(" " + words)
    if sk:
        alts.append("contains(' ' || search_key, ?)")
        params.append(" " + sk)
    kb = list(kb_names(prefix)) if kb_names else []
    rows = _rows(
        cur,
        f"SELECT actor_id, {NAME} AS name, count(*) AS mentions FROM mentions WHERE actor_id IS NOT NULL "
        f"GROUP BY actor_id HAVING bool_or({' OR '.join(alts)}) OR list_contains(?, actor_id) "
        "ORDER BY mentions DESC, actor_id LIMIT ?",
        params + [kb, limit],
    )
    for r in rows:
        r["name"] = r["name"] or r["actor_id"]
    return rows


def actor_name(cur, actor_id: str) -> Optional[str]:
    """The actor's canonical name: the commonest one among its mentions, else (an actor the KB lacks,
    ``x:…``) its commonest spelling, else from events or quotes."""
    for sql, params in (
        (f"SELECT {NAME} FROM mentions WHERE actor_id = ?", [actor_id]),
        (
            "SELECT mode(list_extract(source, list_position(source_ids, ?))) FROM events "
            "WHERE list_contains(source_ids, ?)",
            [actor_id, actor_id],
        ),
        (
            "SELECT mode(list_extract(target, list_position(target_ids, ?))) FROM events "
            "WHERE list_contains(target_ids, ?)",
            [actor_id, actor_id],
        ),
        ("SELECT mode(speaker) FROM quotes WHERE speaker_actor = ?", [actor_id]),
    ):
        row = cur.execute(sql, params).fetchone()
        if row and row[0]:
            return row[0]
    return None


def actor_detail(cur, actor_id: str, limit: int = 200, events_filter=None) -> Optional[dict]:
    """An actor's mentions, spellings, quotes, events and co-actors; None if the store never saw it.
    ``events_filter``: the :class:`~marsad.store.read.events.EventFilter` of its events (default:
    ``EventFilter(actor=actor_id)``; the page passes its own, which its timeline shares)."""
    from .events import EventFilter, list_events
    from .quotes import list_quotes

    # its mentions' counts, types, spellings and titles, from one grouped read
    grouped = cur.execute(
        "SELECT type, text, title, article_id, count(*) FROM mentions WHERE actor_id = ? GROUP BY ALL", [actor_id]
    ).fetchall()
    by_type: Counter = Counter()
    by_text: Counter = Counter()
    by_title: Counter = Counter()
    for typ, text, title, _, n in grouped:
        by_type[typ] += n
        by_text[text] += n
        if title is not None:
            by_title[title] += n
    n_mentions, n_articles = sum(by_type.values()), len({r[3] for r in grouped})
    mentions = _rows(
        cur,
        (
            'SELECT m.article_id, m.idx, m.start, m."end", m.text, m.type, m.canonical, m.title, m.confidence, '
            f"m.evidence, a.headline, a.outlet, {STORED} AS outlet_name, a.published FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.actor_id = ? "
            "ORDER BY a.published DESC NULLS LAST, m.article_id, m.idx LIMIT ?"
        ),
        [actor_id, limit],
    )
    for m in outlet_names(mentions):
        m["evidence_url"] = evidence_url(m["article_id"], f"m-{m['idx']}")
    n_quotes, quotes = list_quotes(cur, speaker=actor_id, limit=limit)
    n_events, events = list_events(cur, events_filter or EventFilter(actor=actor_id), limit=limit)
    if not (n_mentions or n_quotes or n_events):
        return None

    def most(c: Counter, k: int) -> list:  # most first, then in order of the value
        return sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))[:k]

    types = dict(most(by_type, len(by_type)))
    spellings = [{"text": t, "count": n} for t, n in most(by_text, 30)]
    titles = [t for t, _ in most(by_title, 10)]
    return {
        "actor_id": actor_id,
        "name": actor_name(cur, actor_id) or actor_id,
        "type": next(iter(types), None),
        "types": types,
        "titles": titles,
        "spellings": spellings,
        "counts": {"mentions": n_mentions, "articles": n_articles, "quotes": n_quotes, "events": n_events},
        "mentions": mentions,
        "quotes": quotes,
        "events": events,
        "co_actors": co_actors(cur, actor_id),
    }


def co_actors(cur, actor_id: str, limit: int = 40) -> list[dict]:
    """Actors named in the same articles (``articles``) and on the other side of its events (``events``)."""
    out: dict[str, dict] = {}
    for aid, name, n in cur.execute(
        "WITH arts AS (SELECT DISTINCT article_id FROM mentions WHERE actor_id = ?) "
        "SELECT m2.actor_id, coalesce(mode(m2.canonical), mode(m2.text)), count(DISTINCT m2.article_id) "
        "FROM mentions m2 JOIN arts ON m2.article_id = arts.article_id "
        "WHERE m2.actor_id IS NOT NULL AND m2.actor_id <> ? GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT ?",
        [actor_id, actor_id, limit],
    ).fetchall():
        out[aid] = {"actor_id": aid, "name": name or aid, "articles": n, "events": 0}
    for ids, names in cur.execute(
        "SELECT list_concat(source_ids, target_ids), list_concat(source, target) FROM events "
        "WHERE list_contains(source_ids, ?) OR list_contains(target_ids, ?)",
        [actor_id, actor_id],
    ).fetchall():
        seen = set()
        for i, other in enumerate(ids or ()):
            if not other or other == actor_id or other in seen:
                continue
            seen.add(other)
            name = names[i] if names and i < len(names) else other
            d = out.setdefault(other, {"actor_id": other, "name": name or other, "articles": 0, "events": 0})
            d["events"] += 1
    rows = sorted(out.values(), key=lambda d: (-(d["events"] * 2 + d["articles"]), d["actor_id"]))[:limit]
    for r in rows:
        r["url_html"] = f"/actors/{q(r['actor_id'])}"
    return rows
