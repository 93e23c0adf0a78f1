"""``marsad export``: the store in one of the formats of :data:`marsad.store.exports.FORMATS`."""

from __future__ import annotations

import click

from ..store.exports import FORMATS
from . import options
from .downloads import download
from .display import shown
from .output import console


@click.command()
@options.db
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(list(FORMATS)),
    help="; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()),
)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="output file")
@click.option("--table", default="articles", show_default=True, help="table for csv/parquet")
def export(db, fmt, out, table):
    """Export the store."""
    from ..store.exports import export as do_export

    with options.reading(db) as con:
        n = do_export(con, fmt, out, table=table)
    console.print(f"{n} record(s) written to {shown(out, arabic=False)}")


COMMANDS = [export, download]
