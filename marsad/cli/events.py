"""``marsad events``: the coded events with their evidence, under the one event filter the API and
the pages use too (:class:`marsad.store.read.EventFilter`)."""

from __future__ import annotations

import click

from . import options
from .output import Column, col, console, fmt_of, output_rows


def _who(r) -> str:
    return "; ".join(r["source"] or []) + " → " + "; ".join(r["target"] or [])


def _when(r) -> str:
    """The event's date as its precision writes it, with the precision when not a day: '2018-04 (month)'."""
    return (r["when"] or "?") + (f" ({r['precision']})" if r["precision"] not in (None, "day") else "")


COLUMNS = [
    Column("day", _when, arabic=False, overflow="fold"),
    Column("type/mode", lambda r: f"{r['type']}/{r['mode']}", arabic=False, overflow="fold"),
    Column("source → target", _who, overflow="fold"),
    Column("where", lambda r: r["location"] or "", overflow="fold"),
    Column("evidence", lambda r: r["evidence"], overflow="fold"),
    Column(
        "article", lambda r: f"{r['article_id']}#{r['idx']} {r['outlet_name'] or r['outlet'] or ''}", overflow="fold"
    ),
]


@click.command("events")
@options.db
@click.option("--actor", default=None, help="an actor (source or target): its id, canonical name or any spelling")
@click.option("--type", "typ", default=None, help="a PLOVER type (CONSULT, AGREE, ASSAULT…)")
@options.date_option("--since", "from this date (YYYY-MM-DD)")
@options.date_option("--until", "up to this date (YYYY-MM-DD)")
@click.option("--outlet", default=None, help="part of the outlet's name")
@click.option(
    "--status",
    type=click.Choice(["realized", "negated", "planned", "conditional", "any"]),
    default="realized",
    show_default=True,
)
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per event")
@options.csv_flag
@click.option(
    "--by-story",
    is_flag=True,
    help="count occasions, not articles: the events of a story's articles merged (docs/stories.md)",
)
def events(db, actor, typ, since, until, outlet, status, limit, as_json, as_csv, by_story):
    """List events (who did what to whom, where, when) with their evidence sentence."""
    from ..names import kb_names
    from ..store.read import EventFilter, list_events

    fmt = fmt_of(as_json, as_csv, json_fmt="jsonl")
    f = EventFilter(
        actor=actor, type=typ, outlet=outlet, since=since, until=until, status=None if status == "any" else status
    )
    if by_story:
        from ..store.read.stories import events_by_story

        with options.reading(db) as con:
            res = events_by_story(con, f, kb_names, limit=limit)
        if fmt != "table":
            output_rows(res["items"], fmt)
            return
        console.print(
            f"{res['events']} event(s) in {res['articles']} article(s): {res['occasions']} occasion(s) "
            f"in {res['stories']} story(ies)"
        )
        output_rows(
            res["items"],
            "table",
            [
                col("story", arabic=False),
                col("type", arabic=False),
                Column("source", lambda o: ", ".join(o["source"])),
                Column("target", lambda o: ", ".join(o["target"])),
                col("articles", arabic=False),
                Column("outlets", lambda o: ", ".join(sorted({r["outlet"] or "" for r in o["reports"]}))),
            ],
            show_lines=True,
        )
        return
    with options.reading(db) as con:
        _, rows = list_events(con, f, limit=limit, kb_names=kb_names)
    if fmt == "table" and not rows:
        console.print("no event matches")
        return
    output_rows(rows, fmt, COLUMNS, title=f"{len(rows)} event(s)", show_lines=True)


COMMANDS = [events]
