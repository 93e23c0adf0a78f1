"""``marsad actor NAME``: one actor across the corpus, whatever the spelling.

The report is :func:`marsad.store.read.actor_report` (the API's ``/api/actor?name=`` gives the same):
the name is found through the KB (any listed spelling, then transliteration similarity) and through
the stored mentions' transliteration skeleton, so 'لافرنتيف' finds the mentions spelled 'لافرنتييف',
'لافرينتييف' and 'لافرنتيف' and the actor id they resolved to.
"""

from __future__ import annotations

from collections import Counter

import click

from . import options
from .display import shown
from .output import Column, col, console, echo_json, output_rows


@click.command()
@click.argument("name")
@options.db
@click.option("--limit", default=200, show_default=True, help="most rows per section")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
def actor(name, db, limit, as_json):
    """An actor's mentions, quotes and events across the corpus, found by any spelling
    ('لافرنتيف' finds 'لافرنتييف' and 'لافرينتييف' too)."""
    from ..names import kb_names
    from ..store.read import actor_report

    with options.reading(db) as con:
        rep = actor_report(con, name, kb_names, limit=limit)
    if as_json:
        echo_json(rep)
        return
    if not rep["actors"]:
        console.print(f"no actor named {shown(name)} in the KB or the store")
        return
    for a in rep["actors"]:
        console.print(
            f"[bold]{shown(a['canonical'])}[/bold]  [dim]{shown(a['actor_id'], arabic=False)}[/dim]  "
            f"{a['mentions']} mention(s)"
        )
    ments = rep["mentions"]
    if ments:
        spell = Counter(m["surface"] for m in ments)
        arts = {m["article_id"] for m in ments}
        console.print(
            f"\n{len(ments)} mention(s) in {len(arts)} article(s); spellings: "
            + ", ".join(f"{shown(s)} ×{n}" for s, n in spell.most_common())
        )
        output_rows(
            ments,
            "table",
            [
                col("published", "date", arabic=False),
                col("outlet"),
                col("article_id", "article", arabic=False),
                col("surface"),
                Column("sentence", lambda m: _clip(m["sentence"])),
            ],
        )
    if rep["quotes"]:
        console.print(f"\n{len(rep['quotes'])} quote(s)")
        output_rows(
            rep["quotes"],
            "table",
            [
                col("published", "date", arabic=False),
                col("outlet"),
                col("article_id", "article", arabic=False),
                col("kind", arabic=False),
                Column("quote", lambda q: _clip(q["text"])),
            ],
        )
    if rep["events"]:
        console.print(f"\n{len(rep['events'])} event(s)")
        output_rows(
            rep["events"],
            "table",
            [
                col("date", arabic=False),
                col("type", arabic=False),
                col("role", arabic=False),
                Column("source", lambda e: ", ".join(e["source"] or [])),
                Column("target", lambda e: ", ".join(e["target"] or [])),
                Column("evidence", lambda e: _clip(e["evidence"])),
            ],
        )


def _clip(s: str, n: int = 110) -> str:
    s = (s or "").replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


COMMANDS = [actor]
