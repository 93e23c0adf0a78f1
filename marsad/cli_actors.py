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
    from .names import kb_names
    from .store.access import reading
    from .store.read import actor_report

    with reading(db) as con:
        rep = actor_report(con, name, kb_names, limit=limit)
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
