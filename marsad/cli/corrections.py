"""``marsad corrections ...``: the analysts' corrections (made in ``marsad serve``'s pages) counted,
listed and exported as annotation records in the corpus format (docs/web.md, "Corrections")."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from . import options
from .display import shown
from .output import console, echo_json

corrections_file = click.option(
    "--corrections",
    "path",
    default=None,
    type=click.Path(dir_okay=False),
    help="the corrections file (default: <db>.corrections.sqlite)",
)


def _store(db: str, path: Optional[str]):
    from ..store.corrections import CorrectionsStore, default_path

    return CorrectionsStore(path or default_path(db), read_only=True)


@click.group("corrections")
def corrections_group():
    """Analysts' corrections of the extraction: counts, list, export."""


@corrections_group.command("stats")
@options.db
@corrections_file
@options.json_flag
def stats(db, path, as_json):
    """Current corrections per layer and action."""
    s = _store(db, path).stats()
    if as_json:
        echo_json(s, indent=2)
        return
    for layer, c in s["layers"].items():
        console.print(f"{layer:8} wrong {c['wrong']:5}  fix {c['fix']:5}  total {c['total']:5}")
    console.print(f"{s['current']} current on {s['articles']} article(s); {s['records']} record(s) kept")


@corrections_group.command("list")
@options.db
@corrections_file
@click.option("--layer", type=click.Choice(["event", "quote", "mention"]), default=None)
@click.option("--history", is_flag=True, help="superseded and withdrawal records too")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
def list_cmd(db, path, layer, history, limit):
    """The corrections, newest first, as JSON lines."""
    import json

    _, rows = _store(db, path).list(layer=layer, history=history, limit=limit)
    for r in rows:
        click.echo(json.dumps(r, ensure_ascii=False))


@corrections_group.command("export")
@options.db
@corrections_file
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="output file (JSON lines)")
def export(db, path, out):
    """The current corrections as corpus annotation records, one article a line: fixes as the
    corrected items, 'wrong' marks as negatives (docs/web.md, "Corrections")."""
    from ..store.exports import corrections as export_corrections

    store = _store(db, path)
    with options.reading(db) as con:
        counts = export_corrections.write(con, store.iter_current(), Path(out))
    left = f"; left out: {counts['stale']} made on another version of the text, {counts['missing']} of gone articles"
    console.print(
        f"{counts['articles']} article(s), {counts['fix']} fix(es), {counts['wrong']} negative(s) written to "
        f"{shown(out, arabic=False)}" + (left if counts["stale"] or counts["missing"] else ""),
        soft_wrap=True,
    )


COMMANDS = [corrections_group]
