"""``marsad events``: list the coded events with their evidence.  Registered by marsad.cli."""
from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from .cli_util import date_option
from .display import json_text, shown

console = Console(highlight=False)


_date = date_option


@click.command("events")
@click.option("--db", default="marsad.duckdb", show_default=True, help="the DuckDB store file")
@click.option("--actor", default=None, help="an actor (source or target): its id, canonical name or any spelling")
@click.option("--type", "typ", default=None, help="a PLOVER type (CONSULT, AGREE, ASSAULT…)")
@click.option("--since", callback=_date, default=None, help="from this date (YYYY-MM-DD)")
@click.option("--until", callback=_date, default=None, help="up to this date (YYYY-MM-DD)")
@click.option("--outlet", default=None, help="part of the outlet's name")
@click.option("--status", type=click.Choice(["realized", "negated", "planned", "conditional", "any"]),
              default="realized", show_default=True)
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per event")
def events(db, actor, typ, since, until, outlet, status, limit, as_json):
    """List events (who did what to whom, where, when) with their evidence sentence."""
    from .names import kb_names
    from .store.access import reading
    from .store.read import EventFilter, list_events
    f = EventFilter(actor=actor, type=typ, outlet=outlet, since=since, until=until,
                    status=None if status == "any" else status)
    with reading(db) as con:
        _, rows = list_events(con, f, limit=limit, kb_names=kb_names)
    if as_json:
        for r in rows:
            click.echo(json_text(r))
        return
    if not rows:
        console.print("no event matches")
        return
    t = Table(title=f"{len(rows)} event(s)", title_justify="left", show_lines=True)
    for c in ("day", "type/mode", "source → target", "where", "evidence", "article"):
        t.add_column(c, overflow="fold")
    for r in rows:
        who = "; ".join(r["source"] or []) + " → " + "; ".join(r["target"] or [])
        when = f"{r['day'] or '?'}" + (" (pub.)" if r["date_from_published"] else "")
        t.add_row(when, f"{r['type']}/{r['mode']}", shown(who), shown(r["location"] or ""), shown(r["evidence"]),
                  f"{shown(r['article_id'], arabic=False)}#{r['idx']} {shown(r['outlet_name'] or r['outlet'] or '')}")
    console.print(t)


COMMANDS = [events]
EVAL_COMMANDS: list = []
