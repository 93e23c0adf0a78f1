"""Articles back as model objects (every layer built from its rows by :mod:`marsad.store.rows`), and
the article list with its filters."""

from __future__ import annotations

import json
from datetime import date
from typing import Iterator, Optional

from ...model import BASE_FIELDS, Article
from ...outlets import STORED, outlet_condition, outlet_names, outlet_sql, outlet_table
from ..rows import LAYERS, from_row
from .sql import count, evidence_url, rows, where

_ART_COLS = BASE_FIELDS  # the articles row


def _listed_name(surface):
    o = outlet_table().resolve(surface)  # the outlet table's canonical name, when it lists the outlet
    return o.name_en if o else None


def _article_from(row: dict, con, with_layers: bool = True) -> Article:
    meta = tuple(json.loads(row["meta"]).items()) if row.get("meta") else ()
    base = dict(
        id=row["id"],
        text=row["text"],
        url=row["url"],
        outlet=row["outlet"],
        outlet_name=row["outlet_name"] or _listed_name(row["outlet"]),
        published=row["published"],
        published_basis=row["published_basis"] or "",
        headline=row["headline"] or "",
        byline=row["byline"],
        source=row["source"] or "",
        body_start=row["body_start"] or 0,
        boilerplate=tuple(row["boilerplate"] or ()),
        meta=meta,
    )
    if not with_layers:
        return Article(**base)
    layers = {
        table: tuple(
            from_row(cls, r) for r in rows(con, f"SELECT * FROM {table} WHERE article_id = ? ORDER BY idx", [row["id"]])
        )
        for table, cls in LAYERS.items()
    }
    return Article(**base, **layers)


def get_article(con, article_id: str, with_layers: bool = True) -> Optional[Article]:
    """The article with this id, else the one whose id starts with it (None: none or several)."""
    found = rows(con, f"SELECT {', '.join(_ART_COLS)} FROM articles WHERE id = ?", [article_id])
    if not found:
        found = rows(con, f"SELECT {', '.join(_ART_COLS)} FROM articles WHERE starts_with(id, ?) LIMIT 2", [article_id])
        if len(found) != 1:
            return None
    return _article_from(found[0], con, with_layers)


def iter_articles(con, with_layers: bool = True, batch: int = 200) -> Iterator[Article]:
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        for row in rows(
            con, f"SELECT {', '.join(_ART_COLS)} FROM articles WHERE id IN (SELECT unnest(?)) ORDER BY id", [chunk]
        ):
            yield _article_from(row, con, with_layers)


def article_filters(conds: list[str], params: list, outlet, since, until) -> None:
    """Add the outlet and publication-date filters on the ``articles a`` table."""
    if outlet:
        known = outlet_condition(outlet)  # any alias of a listed outlet
        if known:
            conds.append(known[0])
            params += known[1]
        else:
            conds.append(f"({outlet_sql()} = ? OR a.outlet = ?)")
            params += [outlet, outlet]
    if since:
        conds.append("a.published >= ?")
        params.append(since)
    if until:
        conds.append("a.published <= ?")
        params.append(until)


def outlets(cur) -> list[dict]:
    """The outlets by their canonical names, with their articles, most first (200 at most)."""
    counts: dict[str, int] = {}
    for raw, n in cur.execute(
        f"SELECT {STORED}, count(*) FROM articles a WHERE {STORED} IS NOT NULL GROUP BY 1"
    ).fetchall():
        name = outlet_table().name(raw)
        counts[name] = counts.get(name, 0) + n
    return [{"outlet": o, "articles": n} for o, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:200]]


def list_articles(
    cur,
    outlet: Optional[str] = None,
    since: Optional[date] = None,
    until: Optional[date] = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[int, list[dict]]:
    """``(total, page)`` of articles, newest first, with their counts of mentions, quotes and events."""
    conds, params = [], []
    article_filters(conds, params, outlet, since, until)
    total = count(cur, f"SELECT a.id FROM articles a{where(conds)}", params)
    order = "ORDER BY p.published DESC NULLS LAST, p.id"
    counted = " ".join(  # counted for the page's articles only
        f"LEFT JOIN (SELECT article_id, count(*) n FROM {t} WHERE article_id IN (SELECT id FROM p) GROUP BY 1) {t} "
        f"ON {t}.article_id = p.id"
        for t in ("mentions", "quotes", "events")
    )
    sql = (
        f"WITH p AS (SELECT a.id, a.headline, a.outlet, {STORED} AS outlet_name, a.published, a.url, a.byline "
        f"FROM articles a{where(conds)} {order.replace('p.', 'a.')} LIMIT ? OFFSET ?) "
        "SELECT p.*, coalesce(mentions.n, 0) AS mentions, coalesce(quotes.n, 0) AS quotes, "
        f"coalesce(events.n, 0) AS events FROM p {counted} {order}"
    )
    out = outlet_names(rows(cur, sql, params + [limit, offset]))
    for r in out:
        r["url_html"] = evidence_url(r["id"])
    return total, out
