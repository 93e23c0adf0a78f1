"""Full-text search of the articles: words (with their Arabic proclitics) and phrases through the
store's FTS5 index (:mod:`marsad.store.search_index`), ranked by BM25 (headline words weigh more;
articles where the words of a query stand adjacent and in order come first), filtered by outlet,
publication date, event type and actor, with the total and the facets of the whole result.

The query's syntax and the proclitics: :mod:`.query`.  A word of six letters or more also matches
the other spellings of a name the store's mentions hold (the same letters but for the long vowels
inside: «لافرنتيف» finds «لافرنتييف», «ميستورا» finds «مستورا»)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Optional

from ...errors import ConfigError
from ...outlets import STORED, outlet_names
from ...text.normalize import search_key, skeleton
from ..search_index import SearchIndex, match
from .articles import article_filters
from .names import KbNames, find_actor_ids
from .query import SearchQuery, occurrences, parse, snippet
from .sql import rows as _rows
from .sql import where

MIN_VARIANT = 6  # letters a word needs before its name variants are searched too
MAX_VARIANTS = 8
_LONG = re.compile(r"(?<=\w)[اوي](?=\w)")  # a long vowel inside a word
FACET_SIZE = {"outlet": 20, "type": 25, "year": 20, "actor": 15}


@dataclass(frozen=True)
class SearchFilter:
    outlet: Optional[str] = None  # the outlet's name or surface, as the article list takes it
    type: Optional[str] = None  # articles with an event of this PLOVER type (any case)
    actor: Optional[str] = None  # articles naming this actor: id, canonical name or any spelling
    since: Optional[date] = None  # published on or after
    until: Optional[date] = None  # published on or before

    def params(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def search(
    con,
    index: SearchIndex,
    query: str,
    f: Optional[SearchFilter] = None,
    limit: int = 20,
    offset: int = 0,
    kb_names: Optional[KbNames] = None,
    facets: bool = True,
) -> dict:
    """``{"query", "total", "items", "facets", "phrases", "words"}``: the page ``[offset, offset +
    limit)`` of the articles matching ``query`` under the filter ``f``, best first; each item has
    its ``score`` (BM25, lower is better), ``adjacent`` (the words stand together), ``hits`` (the
    query's occurrences in the article), a ``snippet`` and the ``marks`` of the occurrences in it."""
    if limit < 1 or limit > 500 or offset < 0:
        raise ConfigError("limit must be 1..500 and offset ≥ 0")
    q = parse(query)
    if q.empty:
        raise ConfigError("empty query: give at least one Arabic or Latin word")
    f = f or SearchFilter()
    q.variants = _variants(con, q)
    with index.reading(con) as lite:
        found = match(lite, q.fts())
        adjacent = {i for i, _ in match(lite, q.adjacent_fts())} if q.adjacent_fts() else set()
    kept = _filtered(con, [i for i, _ in found], f, kb_names)
    ranked = sorted(
        ((i, s) for i, s in found if i in kept), key=lambda r: (r[0] not in adjacent, r[1], -kept[r[0]][0], r[0])
    )
    page = ranked[offset : offset + limit]
    items = _items(con, q, page, adjacent)
    ids = [i for i, _ in ranked]
    return {
        "query": query,
        "words": q.words,
        "phrases": [" ".join(p) for p in q.phrases],
        "variants": q.variants,
        "total": len(ranked),
        "filters": f.params(),
        "facets": _facets(con, ids, kept) if facets else {},
        "items": items,
    }


def _variants(con, q: SearchQuery) -> dict[str, list[str]]:
    """The other spellings of each long word (:data:`MIN_VARIANT` letters) among the stored
    mentions' words: the same letters once the long vowels inside the word are dropped («ميستورا»,
    «مستورا»), most frequent first.  Shorter words have none: the transliteration skeleton of a short
    word is shared by other names («سوريا» and «سويسرا», «الأسد» and «السويد»)."""
    out = {}
    for w in q.words:
        sk = skeleton(w)
        if len(w) < MIN_VARIANT or " " in sk or not sk:
            continue
        seen: dict[str, int] = {}
        for text, n in con.execute(
            "SELECT text, count(*) FROM mentions WHERE instr(' ' || search_key || ' ', ' ' || ? || ' ') > 0 "
            "GROUP BY 1 ORDER BY 2 DESC LIMIT 50",
            [sk],
        ).fetchall():
            for word in search_key(text).split():
                if word != w and len(word) >= MIN_VARIANT and _LONG.sub("", word) == _LONG.sub("", w):
                    seen[word] = seen.get(word, 0) + n
        if seen:
            out[w] = sorted(seen, key=lambda x: (-seen[x], x))[:MAX_VARIANTS]
    return out


def _filtered(con, ids: list[str], f: SearchFilter, kb_names: Optional[KbNames]) -> dict[str, tuple]:
    """The ids kept by the filter, each with (its publication day as an ordinal (0: undated), its
    year, its outlet)."""
    if not ids:
        return {}
    conds, params = ["a.id IN (SELECT unnest(?))"], [ids]
    article_filters(conds, params, f.outlet, f.since, f.until)
    if f.type:
        conds.append("a.id IN (SELECT article_id FROM events WHERE upper(type) = upper(?))")
        params.append(f.type)
    if f.actor:
        actors = [aid for aid, _, _ in find_actor_ids(con, f.actor, kb_names)]
        conds.append("a.id IN (SELECT article_id FROM mentions WHERE actor_id IN (SELECT unnest(?)))")
        params.append(actors)
    got = _rows(con, f"SELECT a.id, a.published, {STORED} AS outlet_name FROM articles a{where(conds)}", params)
    return {
        r["id"]: (d.toordinal() if d else 0, str(d.year) if d else None, r["outlet_name"])
        for r in outlet_names(got)
        for d in [r["published"]]
    }


def _items(con, q: SearchQuery, page: list[tuple[str, float]], adjacent: set) -> list[dict]:
    if not page:
        return []
    got = {
        r["id"]: r
        for r in outlet_names(
            _rows(
                con,
                f"SELECT a.id, a.headline, a.outlet, {STORED} AS outlet_name, a.published, a.text, a.body_start "
                "FROM articles a WHERE a.id IN (SELECT unnest(?))",
                [[i for i, _ in page]],
            )
        )
    }
    out = []
    for aid, score in page:
        r = got.get(aid)
        if r is None:
            continue
        text = r.pop("text") or ""
        spans = occurrences(q, text)
        r["snippet"], r["marks"] = snippet(text, spans, r.pop("body_start") or 0)
        r.update(score=round(score, 4), adjacent=aid in adjacent, hits=len(spans))
        out.append(r)
    return out


_FACETS = {
    "type": "WITH h AS (SELECT unnest(?) AS id) SELECT e.type, NULL, count(DISTINCT e.article_id) "
    "FROM events e JOIN h ON e.article_id = h.id WHERE e.type IS NOT NULL GROUP BY 1",
    "actor": "WITH h AS (SELECT unnest(?) AS id) SELECT m.actor_id, max(coalesce(m.canonical, m.text)), "
    "count(DISTINCT m.article_id) FROM mentions m JOIN h ON m.article_id = h.id WHERE m.actor_id IS NOT NULL GROUP BY 1",
}


def _facets(con, ids: list[str], kept: dict[str, tuple]) -> dict[str, list[dict]]:
    """Counts of the matching articles by outlet, event type (articles with such an event),
    publication year and actor (articles naming it), largest first (years: latest first)."""
    out: dict[str, list[dict]] = {}
    for key, pos in (("outlet", 2), ("year", 1)):
        counts = Counter(kept[i][pos] for i in ids)
        out[key] = [{"value": v, "count": n} for v, n in counts.items() if v is not None]
    for key, sql in _FACETS.items():
        got = con.execute(sql, [ids]).fetchall() if ids else []
        out[key] = [{"value": v, "count": int(n), **({"name": name} if key == "actor" else {})} for v, name, n in got]
    for key, rows in out.items():
        if key == "year":
            rows.sort(key=lambda r: r["value"], reverse=True)
        else:
            rows.sort(key=lambda r: (-r["count"], r["value"]))
        del rows[FACET_SIZE[key] :]
    return {k: out[k] for k in FACET_SIZE}
