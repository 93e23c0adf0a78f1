"""Read-side queries behind the API and the pages: articles, actors, quotes.

Every query is parameterized: request values only ever travel as ``?`` parameters, never into the
SQL text.  Each list function returns ``(total, rows)``.
"""
from __future__ import annotations

from datetime import date
from typing import Optional
from urllib.parse import quote

from ..store.queries import _rows
from ..text.normalize import skeleton


def q(s: str) -> str:
    """An id as one URL path segment."""
    return quote(str(s), safe="")


def evidence_url(article_id: str, anchor: str = "") -> str:
    return f"/articles/{q(article_id)}" + (f"#{anchor}" if anchor else "")


def _where(conds: list[str]) -> str:
    return (" WHERE " + " AND ".join(conds)) if conds else ""


def _article_filters(conds: list[str], params: list, outlet, since, until) -> None:
    """Add the outlet and publication-date filters on the ``articles a`` table."""
    if outlet:
        conds.append("(a.outlet_name = ? OR a.outlet = ?)")
        params += [outlet, outlet]
    if since:
        conds.append("a.published >= ?")
        params.append(since)
    if until:
        conds.append("a.published <= ?")
        params.append(until)


def _count(cur, sql: str, params: list) -> int:
    return cur.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


# ---------------------------------------------------------------------------------------- articles

def outlets(cur) -> list[dict]:
    return _rows(cur, "SELECT coalesce(outlet_name, outlet) AS outlet, count(*) AS articles FROM articles "
                      "WHERE coalesce(outlet_name, outlet) IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 200")


def list_articles(cur, outlet: Optional[str] = None, since: Optional[date] = None,
                  until: Optional[date] = None, limit: int = 20, offset: int = 0) -> tuple[int, list[dict]]:
    conds, params = [], []
    _article_filters(conds, params, outlet, since, until)
    base = f"SELECT a.id FROM articles a{_where(conds)}"
    total = _count(cur, base, params)
    sql = (
        "SELECT a.id, a.headline, a.outlet, a.outlet_name, a.published, a.url, a.byline, "
        "coalesce(m.n, 0) AS mentions, coalesce(qq.n, 0) AS quotes, coalesce(e.n, 0) AS events "
        "FROM articles a "
        "LEFT JOIN (SELECT article_id, count(*) n FROM mentions GROUP BY 1) m ON m.article_id = a.id "
        "LEFT JOIN (SELECT article_id, count(*) n FROM quotes GROUP BY 1) qq ON qq.article_id = a.id "
        "LEFT JOIN (SELECT article_id, count(*) n FROM events GROUP BY 1) e ON e.article_id = a.id"
        f"{_where(conds)} ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?")
    rows = _rows(cur, sql, params + [limit, offset])
    for r in rows:
        r["url_html"] = evidence_url(r["id"])
    return total, rows


# ------------------------------------------------------------------------------------------ actors

def list_actors(cur, q_: Optional[str] = None, type_: Optional[str] = None, limit: int = 50,
                offset: int = 0) -> tuple[int, list[dict]]:
    conds, params = ["actor_id IS NOT NULL"], []
    if type_:
        conds.append("type = ?")
        params.append(type_)
    having, hparams = "", []
    if q_:
        alts = ["contains(lower(coalesce(canonical, '')), ?)", "contains(lower(actor_id), ?)",
                "contains(text, ?)"]
        hparams = [q_.lower(), q_.lower(), q_]
        skel = skeleton(q_)
        if skel:
            alts.append("contains(' ' || search_key || ' ', ?)")
            hparams.append(f" {skel} ")
        having = f" HAVING bool_or({' OR '.join(alts)})"
    base = (f"SELECT actor_id, mode(canonical) AS name, mode(type) AS type, count(*) AS mentions, "
            f"count(DISTINCT article_id) AS articles FROM mentions{_where(conds)} GROUP BY actor_id{having}")
    total = _count(cur, base, params + hparams)
    rows = _rows(cur, base + " ORDER BY mentions DESC, articles DESC, actor_id LIMIT ? OFFSET ?",
                 params + hparams + [limit, offset])
    for r in rows:
        r["name"] = r["name"] or r["actor_id"]
        r["url_html"] = f"/actors/{q(r['actor_id'])}"
    return total, rows


def actor_name(cur, actor_id: str) -> Optional[str]:
    """The actor's canonical name: the commonest one among its mentions, else from events or quotes."""
    for sql, params in (
        ("SELECT mode(canonical) FROM mentions WHERE actor_id = ?", [actor_id]),
        ("SELECT mode(list_extract(source, list_position(source_ids, ?))) FROM events "
         "WHERE list_contains(source_ids, ?)", [actor_id, actor_id]),
        ("SELECT mode(list_extract(target, list_position(target_ids, ?))) FROM events "
         "WHERE list_contains(target_ids, ?)", [actor_id, actor_id]),
        ("SELECT mode(speaker) FROM quotes WHERE speaker_actor = ?", [actor_id]),
    ):
        row = cur.execute(sql, params).fetchone()
        if row and row[0]:
            return row[0]
    return None


def actor_detail(cur, actor_id: str, limit: int = 200) -> Optional[dict]:
    """An actor's mentions, spellings, quotes, events and co-actors; None if the store never saw it."""
    from .events import list_events
    n_mentions, n_articles = cur.execute(
        "SELECT count(*), count(DISTINCT article_id) FROM mentions WHERE actor_id = ?", [actor_id]).fetchone()
    mentions = _rows(cur, (
        'SELECT m.article_id, m.idx, m.start, m."end", m.text, m.type, m.canonical, m.title, m.confidence, '
        "m.evidence, a.headline, a.outlet, a.outlet_name, a.published FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.actor_id = ? "
        "ORDER BY a.published DESC NULLS LAST, m.article_id, m.idx LIMIT ?"), [actor_id, limit])
    for m in mentions:
        m["evidence_url"] = evidence_url(m["article_id"], f"m-{m['idx']}")
    n_quotes, quotes = list_quotes(cur, speaker=actor_id, limit=limit)
    n_events, events = list_events(cur, actor=actor_id, limit=limit)
    if not (n_mentions or n_quotes or n_events):
        return None
    types = dict(cur.execute("SELECT type, count(*) FROM mentions WHERE actor_id = ? GROUP BY 1 ORDER BY 2 DESC",
                             [actor_id]).fetchall())
    spellings = [{"text": t, "count": n} for t, n in cur.execute(
        "SELECT text, count(*) FROM mentions WHERE actor_id = ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30",
        [actor_id]).fetchall()]
    titles = [t for (t,) in cur.execute(
        "SELECT title FROM mentions WHERE actor_id = ? AND title IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC "
        "LIMIT 10", [actor_id]).fetchall()]
    return {
        "actor_id": actor_id, "name": actor_name(cur, actor_id) or actor_id,
        "type": next(iter(types), None), "types": types, "titles": titles, "spellings": spellings,
        "counts": {"mentions": n_mentions, "articles": n_articles, "quotes": n_quotes, "events": n_events},
        "mentions": mentions, "quotes": quotes, "events": events,
        "co_actors": co_actors(cur, actor_id),
    }


def co_actors(cur, actor_id: str, limit: int = 40) -> list[dict]:
    """Actors named in the same articles (``articles``) and on the other side of its events (``events``)."""
    out: dict[str, dict] = {}
    for aid, name, n in cur.execute(
            "SELECT m2.actor_id, mode(m2.canonical), count(DISTINCT m2.article_id) FROM mentions m1 "
            "JOIN mentions m2 ON m2.article_id = m1.article_id "
            "WHERE m1.actor_id = ? AND m2.actor_id IS NOT NULL AND m2.actor_id <> ? "
            "GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT ?", [actor_id, actor_id, limit]).fetchall():
        out[aid] = {"actor_id": aid, "name": name or aid, "articles": n, "events": 0}
    for ids, names in cur.execute(
            "SELECT list_concat(source_ids, target_ids), list_concat(source, target) FROM events "
            "WHERE list_contains(source_ids, ?) OR list_contains(target_ids, ?)", [actor_id, actor_id]).fetchall():
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


# ------------------------------------------------------------------------------------------ quotes

def list_quotes(cur, speaker: Optional[str] = None, kind: Optional[str] = None, outlet: Optional[str] = None,
                since: Optional[date] = None, until: Optional[date] = None, limit: int = 20,
                offset: int = 0) -> tuple[int, list[dict]]:
    conds, params = [], []
    if speaker:
        conds.append("(qt.speaker_actor = ? OR qt.speaker = ?)")
        params += [speaker, speaker]
    if kind:
        conds.append("qt.kind = ?")
        params.append(kind)
    _article_filters(conds, params, outlet, since, until)
    frm = f" FROM quotes qt JOIN articles a ON a.id = qt.article_id{_where(conds)}"
    total = _count(cur, "SELECT 1" + frm, params)
    rows = _rows(cur, (
        'SELECT qt.article_id, qt.idx, qt.start, qt."end", qt.text, qt.kind, qt.cue, qt.speaker, '
        "qt.speaker_actor, qt.speaker_surface, qt.addressee, a.headline, a.outlet, a.outlet_name, a.published"
        + frm + " ORDER BY a.published DESC NULLS LAST, qt.article_id, qt.idx LIMIT ? OFFSET ?"),
        params + [limit, offset])
    for r in rows:
        r["evidence_url"] = evidence_url(r["article_id"], f"q-{r['idx']}")
    return total, rows


def extra_stats(cur) -> dict:
    one = lambda sql: cur.execute(sql).fetchone()[0]  # noqa: E731
    return {"actors": one("SELECT count(DISTINCT actor_id) FROM mentions WHERE actor_id IS NOT NULL"),
            "located_events": one("SELECT count(*) FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL")}
