"""``marsad actor NAME``: one actor across the corpus, whatever the spelling.

The name is found through the KB (any listed spelling, then transliteration similarity) and through
the stored mentions' transliteration skeleton (``mentions.search_key``), so 'لافرنتيف' finds the
mentions spelled 'لافرنتييف', 'لافرينتييف' and 'لافرنتيف' and the actor id they resolved to.  The
report lists the actor's mentions (surface, article, date, outlet, sentence), the quotes it speaks
and the events where it is source or target.
"""
from __future__ import annotations

from collections import Counter

import click

from .text.normalize import skeleton


def find_actor_ids(con, name: str, kb=None) -> list[tuple[str, str, int]]:
    """Actor ids named by ``name``: (actor id, canonical, stored mentions), most mentioned first."""
    from .extract.actors import fuzzy_lookup, get_kb, lookup
    kb = kb if kb is not None else get_kb()
    ids: dict[str, str] = {}
    for act in lookup(kb, name):
        ids.setdefault(act.id, act.name_en)
    if not ids:
        for typ in ("PER", "ORG"):
            act, _ = fuzzy_lookup(kb, name, typ)
            if act is not None:
                ids.setdefault(act.id, act.name_en)
    sk = skeleton(name)
    if sk:
        rows = con.execute(
            "SELECT actor_id, any_value(canonical), mode(text) FROM mentions WHERE actor_id IS NOT NULL AND "
            "instr(' ' || search_key || ' ', ' ' || ? || ' ') > 0 GROUP BY actor_id", [sk]).fetchall()
        for aid, canon, surface in rows:   # an actor missing from the KB is named by its usual surface
            ids.setdefault(aid, canon or surface or aid)
    if not ids:
        return []
    counts = dict(con.execute("SELECT actor_id, count(*) FROM mentions WHERE actor_id IN (SELECT unnest(?)) "
                              "GROUP BY 1", [list(ids)]).fetchall())
    out = [(aid, canon, int(counts.get(aid, 0))) for aid, canon in ids.items()]
    out.sort(key=lambda r: (-r[2], r[0]))
    return out


def _sentence(text: str, start: int, end: int, bounds) -> str:
    for s, e in bounds:
        if s <= start < e:
            return text[s:e]
    return text[max(0, start - 80):end + 80]


def actor_report(con, name: str, kb=None, limit: int = 200) -> dict:
    """Everything the store says about the actor(s) named ``name``."""
    found = find_actor_ids(con, name, kb)
    ids = [aid for aid, _, n in found if n > 0] or [aid for aid, _, _ in found]
    report = {"query": name, "actors": [{"actor_id": a, "canonical": c, "mentions": n} for a, c, n in found],
              "mentions": [], "quotes": [], "events": []}
    if not ids:
        return report
    rows = con.execute(
        'SELECT m.article_id, m.start, m."end", m.text, m.type, m.actor_id, m.evidence, a.published, '
        "coalesce(a.outlet_name, a.outlet), a.headline FROM mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.actor_id IN (SELECT unnest(?)) ORDER BY a.published NULLS LAST, m.article_id, m.start LIMIT ?",
        [ids, limit]).fetchall()
    texts: dict[str, tuple[str, list]] = {}
    for aid, start, end, surface, typ, actor_id, evidence, pub, outlet, headline in rows:
        if aid not in texts:
            text = con.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
            bounds = con.execute('SELECT start, "end" FROM sentences WHERE article_id = ? ORDER BY idx',
                                 [aid]).fetchall()
            texts[aid] = (text, bounds)
        text, bounds = texts[aid]
        report["mentions"].append({
            "article_id": aid, "start": start, "end": end, "surface": surface, "type": typ,
            "actor_id": actor_id, "evidence": evidence, "published": pub.isoformat() if pub else None,
            "outlet": outlet, "headline": headline, "sentence": _sentence(text, start, end, bounds)})
    for r in con.execute(
            "SELECT q.article_id, q.text, q.kind, q.cue, q.speaker, a.published, coalesce(a.outlet_name, a.outlet) "
            "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_actor IN (SELECT unnest(?)) "
            "ORDER BY a.published NULLS LAST, q.article_id, q.idx LIMIT ?", [ids, limit]).fetchall():
        report["quotes"].append({"article_id": r[0], "text": r[1], "kind": r[2], "cue": r[3], "speaker": r[4],
                                 "published": r[5].isoformat() if r[5] else None, "outlet": r[6]})
    for r in con.execute(
            "SELECT e.article_id, e.type, e.mode, e.source, e.target, e.date, e.location, e.evidence, "
            "list_has_any(e.source_ids, ?) AS as_source FROM events e "
            "WHERE list_has_any(e.source_ids, ?) OR list_has_any(e.target_ids, ?) "
            "ORDER BY e.date NULLS LAST, e.article_id, e.idx LIMIT ?", [ids, ids, ids, limit]).fetchall():
        report["events"].append({"article_id": r[0], "type": r[1], "mode": r[2], "source": r[3], "target": r[4],
                                 "date": r[5], "location": r[6], "evidence": r[7],
                                 "role": "source" if r[8] else "target"})
    return report


@click.command()
@click.argument("name")
@click.option("--db", default="marsad.duckdb", show_default=True, help="the DuckDB store file")
@click.option("--limit", default=200, show_default=True, help="most rows per section")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def actor(name, db, limit, as_json):
    """An actor's mentions, quotes and events across the corpus, found by any spelling
    ('لافرنتيف' finds 'لافرنتييف' and 'لافرينتييف' too)."""
    from rich.table import Table

    from .cli import console
    from .display import json_text, shown
    from .store.db import connect

    con = connect(db, read_only=True)
    try:
        rep = actor_report(con, name, limit=limit)
    finally:
        con.close()
    if as_json:
        click.echo(json_text(rep))
        return
    if not rep["actors"]:
        console.print(f"no actor named {shown(name)} in the KB or the store")
        return
    for a in rep["actors"]:
        console.print(f"[bold]{shown(a['canonical'])}[/bold]  [dim]{shown(a['actor_id'], arabic=False)}[/dim]  "
                      f"{a['mentions']} mention(s)")
    ments = rep["mentions"]
    if ments:
        spell = Counter(m["surface"] for m in ments)
        arts = {m["article_id"] for m in ments}
        console.print(f"\n{len(ments)} mention(s) in {len(arts)} article(s); spellings: "
                      + ", ".join(f"{shown(s)} ×{n}" for s, n in spell.most_common()))
        t = Table("date", "outlet", "article", "surface", "sentence", show_lines=False)
        for m in ments:
            t.add_row(shown(m["published"] or "", arabic=False), shown(m["outlet"] or ""),
                      shown(m["article_id"], arabic=False), shown(m["surface"]), shown(_clip(m["sentence"])))
        console.print(t)
    if rep["quotes"]:
        t = Table("date", "outlet", "article", "kind", "quote")
        for q in rep["quotes"]:
            t.add_row(shown(q["published"] or "", arabic=False), shown(q["outlet"] or ""),
                      shown(q["article_id"], arabic=False), q["kind"], shown(_clip(q["text"])))
        console.print(f"\n{len(rep['quotes'])} quote(s)")
        console.print(t)
    if rep["events"]:
        t = Table("date", "type", "role", "source", "target", "evidence")
        for e in rep["events"]:
            t.add_row(shown(e["date"] or "", arabic=False), e["type"], e["role"], shown(", ".join(e["source"] or [])),
                      shown(", ".join(e["target"] or [])), shown(_clip(e["evidence"])))
        console.print(f"\n{len(rep['events'])} event(s)")
        console.print(t)


def _clip(s: str, n: int = 110) -> str:
    s = (s or "").replace("\n", " ")
    return s if len(s) <= n else s[:n - 1] + "…"


COMMANDS = [actor]
