"""``marsad download``: a filtered list (events, quotes, articles) as CSV, Parquet, GeoJSON or
PLOVER JSON, with the filters of the pages and the API and the same file as the web's download
bar (:mod:`marsad.store.exports.download`)."""

from __future__ import annotations

import click

from . import options
from .display import shown
from .output import console


@click.command("download")
@options.db
@click.argument("view", type=click.Choice(["events", "quotes", "articles"]))
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["csv", "parquet", "geojson", "plover"]),
    help="csv | parquet (every list), geojson | plover (events)",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="output file")
@click.option("--actor", default=None, help="events: an actor on either side, any spelling")
@click.option("--partner", default=None, help="events: a second actor that must also take part")
@click.option("--type", "typ", default=None, help="events: a PLOVER type")
@click.option("--place", default=None, help="events: a location id or part of its name")
@click.option("--status", type=click.Choice(["realized", "negated", "planned", "conditional"]), default=None)
@click.option("--precision", type=click.Choice(["day", "month", "year"]), default=None, help="events: dated this well")
@click.option("--located", is_flag=True, help="events: only those with coordinates (the map's)")
@click.option("--speaker", default=None, help="quotes: the speaker, any spelling")
@click.option("--kind", type=click.Choice(["direct", "indirect"]), default=None, help="quotes: direct or indirect")
@click.option("--outlet", default=None, help="the outlet")
@options.date_option("--since", "from this date (YYYY-MM-DD)")
@options.date_option("--until", "up to this date (YYYY-MM-DD)")
@click.option("--base-url", default="", help="prefix of evidence_url (e.g. http://localhost:8000); default: paths")
def download(
    db,
    view,
    fmt,
    out,
    actor,
    partner,
    typ,
    place,
    status,
    precision,
    located,
    speaker,
    kind,
    outlet,
    since,
    until,
    base_url,
):  # noqa: E501
    """Write a filtered list of events, quotes or articles to a file, the filters in its metadata."""
    from ..errors import ConfigError
    from ..names import kb_names
    from ..store.exports.download import VIEW_FORMATS, write
    from ..store.exports.views import articles_view, events_view, quotes_view
    from ..store.read import EventFilter

    if fmt not in VIEW_FORMATS[view]:
        raise ConfigError(f"{view} download as {' or '.join(VIEW_FORMATS[view])}, not {fmt}")
    if since and until and since > until:
        raise ConfigError(f"--since ({since}) is after --until ({until})")
    with options.reading(db) as con:
        if view == "events":
            f = EventFilter(
                actor=actor,
                partner=partner,
                type=typ,
                outlet=outlet,
                place=place,
                since=since,
                until=until,
                status=status,
                precision=precision,
            )
            v = events_view(con, f, base_url, located, kb_names)
        elif view == "quotes":
            v = quotes_view(con, speaker, kind, outlet, since, until, base_url, kb_names)
        else:
            v = articles_view(con, outlet, since, until, base_url)
        meta = write(con, v, fmt, out, db)
    console.print(f"{meta['count']} {view} written to {shown(out, arabic=False)}")


COMMANDS = [download]
