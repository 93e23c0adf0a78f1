"""Outlets as the readers see them: the rows a story's differences are drawn from
(:mod:`marsad.stories.differ`) and an outlet's framing profile (:mod:`marsad.stories.framing`).
(Not named ``outlets``: that name is :func:`.articles.outlets` in :mod:`marsad.store.read`.)

The side a speaker speaks for comes from the actor KB, which the store never imports: the
applications pass ``side_of`` (:func:`marsad.names.kb_side`); without it only the label lexicon
gives sides."""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Optional

from ...stories import framing
from ...stories.differ import differences
from ...stories.lexicons import matcher
from ...outlets import outlet_sql, outlet_table
from .sql import rows as _rows

SideOf = Callable[[str], Optional[str]]
_CITED_SIDES = ("media", "NGO")  # a quoted agency or monitor is a source cited


def _speaker_side(actor: Optional[str], surface: Optional[str], side_of: Optional[SideOf]) -> Optional[str]:
    side = side_of(actor) if actor and side_of else None
    if side is None and surface:
        hit = next(iter(matcher().find(surface)), None)
        side = framing.CLASS_SIDE.get(hit.cls) if hit else None
    return side


def story_differences(con, ids: list[str], side_of: Optional[SideOf] = None) -> list[dict]:
    """What the outlets of the stored articles ``ids`` (one story) report differently."""
    arts = _rows(
        con,
        f"SELECT a.id, {outlet_sql()} AS outlet, a.text FROM articles a WHERE list_contains(?, a.id) "
        "ORDER BY a.published, a.id",
        [ids],
    )
    if len({a["outlet"] for a in arts if a["outlet"]}) < 2:
        return []
    outlet_of = {a["id"]: a["outlet"] for a in arts}
    events = _rows(
        con,
        'SELECT article_id, type, source, source_ids, start, "end" FROM events '
        "WHERE list_contains(?, article_id) AND status = 'realized' ORDER BY article_id, idx",
        [ids],
    )
    mentions = _rows(
        con,
        'SELECT article_id, start, "end", text, type, actor_id, canonical FROM mentions '
        "WHERE actor_id IS NOT NULL AND list_contains(?, article_id) ORDER BY article_id, start",
        [ids],
    )
    cited = _rows(
        con,
        'SELECT article_id, start, "end", coalesce(outlet, text) AS source FROM attributions '
        "WHERE list_contains(?, article_id) ORDER BY article_id, start",
        [ids],
    )
    if side_of:  # a monitor or an agency reporting an attack is not its author (an extraction slip)
        for e in events:
            keep = [i for i, a in enumerate(e["source_ids"] or ()) if not (side_of(a) or "").endswith(_CITED_SIDES)]
            if e["source_ids"] and len(keep) < len(e["source_ids"]):
                e["source"] = [e["source"][i] for i in keep if i < len(e["source"] or ())]
                e["source_ids"] = [e["source_ids"][i] for i in keep]
        for q in _rows(
            con,
            'SELECT article_id, speaker_start AS start, speaker_end AS "end", '
            "coalesce(speaker, speaker_surface) AS source, speaker_actor FROM quotes "
            "WHERE speaker_actor IS NOT NULL AND speaker_start IS NOT NULL "
            "AND list_contains(?, article_id) ORDER BY article_id, start",
            [ids],
        ):
            side = side_of(q.pop("speaker_actor")) or ""
            if side.endswith(_CITED_SIDES):
                cited.append(q)
    for r in events + mentions + cited:
        r["outlet"] = outlet_of[r["article_id"]]
    return differences(arts, events, mentions, cited)


def list_outlets(con) -> list[dict]:
    """The outlets (each once, by its canonical name: :mod:`marsad.outlets`) with their counts of
    articles, stories, quotes and agency citations, and ``info``: the outlet table's row (names,
    aliases, country, owner, orientation and their source), None for an outlet the table lacks."""
    rows = _rows(
        con,
        f"""
        SELECT {outlet_sql()} AS outlet, count(*) AS articles, count(DISTINCT m.story_id) AS stories,
               sum((SELECT count(*) FROM quotes q WHERE q.article_id = a.id)) AS quotes,
               count(*) FILTER (WHERE EXISTS (SELECT 1 FROM attributions t WHERE t.article_id = a.id)) AS citing
        FROM articles a LEFT JOIN story_members m ON m.article_id = a.id
        WHERE {outlet_sql()} IS NOT NULL GROUP BY 1 ORDER BY articles DESC, outlet""",
    )
    table = outlet_table()
    for r in rows:
        o = table.resolve(r["outlet"])
        r["info"] = o.as_dict() if o else None
    return rows


def find_outlet(con, name: str) -> Optional[str]:
    """The outlet named ``name`` (either of its names, any case; else the one outlet whose name holds it)."""
    names = [r["outlet"] for r in list_outlets(con)]
    known = outlet_table().resolve(name)  # any alias of a listed outlet
    if known is not None and known.name_en in names:
        return known.name_en
    raw = {
        r[0]: r[1] for r in con.execute(f"SELECT DISTINCT {outlet_sql()}, lower(a.outlet) FROM articles a").fetchall()
    }
    low = name.lower()
    exact = [n for n in names if n.lower() == low or raw.get(n) == low]
    if exact:
        return exact[0]
    part = [n for n in names if low in n.lower() or low in (raw.get(n) or "")]
    return part[0] if len(part) == 1 else None


_TERMS_MAX = 500_000


def _lexicon_counts(con) -> dict[str, dict[str, int]]:
    # content hash -> lexicon term counts of that text: a profile counts the lexicon over every
    # stored article (~3.5 ms an article), once per process (memoized on the default resources)
    from ...stories.lexicons import term_memo

    _TERMS = term_memo()
    rows = con.execute(
        f"SELECT {outlet_sql()}, a.content_hash FROM articles a WHERE {outlet_sql()} IS NOT NULL"
    ).fetchall()
    missing = sorted({h for _, h in rows if h not in _TERMS})
    if len(_TERMS) + len(missing) > _TERMS_MAX:
        _TERMS.clear()
        missing = sorted({h for _, h in rows})
    m = matcher()
    for h, text in (
        con.execute(
            "SELECT content_hash, text FROM articles WHERE list_contains(?, content_hash)", [missing]
        ).fetchall()
        if missing
        else ()
    ):
        _TERMS[h] = m.count(text)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for outlet, h in rows:
        per = out[outlet]
        for t, n in _TERMS.get(h, {}).items():
            per[t] = per.get(t, 0) + n
    return out


def outlet_profile(con, name: str, side_of: Optional[SideOf] = None, top: int = 8) -> Optional[dict]:
    """The framing profile of outlet ``name`` against all stored outlets (:mod:`marsad.stories.framing`)."""
    outlet = find_outlet(con, name)
    if outlet is None:
        return None
    articles = {
        o: n
        for o, n in con.execute(
            f"SELECT {outlet_sql()}, count(*) FROM articles a WHERE {outlet_sql()} IS NOT NULL GROUP BY 1"
        ).fetchall()
    }
    forms = con.execute(f"""
        SELECT {outlet_sql()}, m.actor_id, coalesce(mode(m.canonical), m.text), m.text, count(*) FROM mentions m
        JOIN articles a ON a.id = m.article_id
        WHERE m.actor_id IS NOT NULL AND m.type IN ('PER', 'ORG') AND {outlet_sql()} IS NOT NULL
        GROUP BY 1, 2, 4""").fetchall()
    quotes = con.execute(f"""
        SELECT {outlet_sql()}, q.speaker_actor, coalesce(q.speaker_surface, q.speaker), count(*) FROM quotes q
        JOIN articles a ON a.id = q.article_id WHERE {outlet_sql()} IS NOT NULL GROUP BY 1, 2, 3""").fetchall()
    cited = con.execute(f"""
        SELECT {outlet_sql()}, t.article_id, coalesce(t.outlet, t.text) FROM attributions t
        JOIN articles a ON a.id = t.article_id WHERE {outlet_sql()} IS NOT NULL""").fetchall()
    terms = _lexicon_counts(con)
    lexicon = {lb.term: lb for lb in matcher().by_key.values()}
    return {
        "outlet": outlet,
        "articles": articles[outlet],
        "outlets": len(articles),
        "corpus_articles": sum(articles.values()),
        "actor_labels": framing.actor_labels(forms, outlet, top),
        "labels": framing.class_labels(terms, outlet, lexicon),
        "loaded": framing.loaded_terms(terms, articles, outlet, lexicon),
        "quotes": framing.quote_sides(((o, _speaker_side(a, s, side_of), n) for o, a, s, n in quotes), outlet),
        "attribution": framing.attribution(cited, articles, outlet),
    }
