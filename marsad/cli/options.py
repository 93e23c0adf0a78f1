"""Options shared by the commands: the store (one ``--db``), dates, the output format."""

from __future__ import annotations

from datetime import date

import click

DEFAULT_DB = "marsad.duckdb"


def db_option(default: str | None = DEFAULT_DB, help: str = "the DuckDB store file"):
    """``--db``: the store a command reads or writes."""
    return click.option("--db", default=default, show_default=default is not None, help=help)


db = db_option()


def parse_date(ctx, param, value):
    """click callback: an ISO date or None."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD")


def date_option(name: str, help: str):
    return click.option(name, callback=parse_date, default=None, help=help)


json_flag = click.option("--json", "as_json", is_flag=True, help="print JSON")
csv_flag = click.option("--csv", "as_csv", is_flag=True, help="print CSV (a header, then one row per line)")


def _set_events(ctx, param, value):
    """``--events``: how the events step reads (the process's default resources read
    ``MARSAD_EVENTS``, which worker processes inherit)."""
    if value:
        import os

        os.environ["MARSAD_EVENTS"] = value
    return value


events = click.option(
    "--events",
    type=click.Choice(["rules", "learned"]),
    default=None,
    callback=_set_events,
    expose_value=False,
    is_eager=True,
    help="how events are read: rules (default) or learned (CRF triggers and roles; docs/events.md); also MARSAD_EVENTS",
)
shared = click.option("--shared", default=None, help="the shared data folder (default ../shared)")


def reading(db_path):
    """``with reading(db) as con:`` the store read-only, closed after the block (a run writing the
    store waits for its readers to close it: :mod:`marsad.store.access`)."""
    from ..store.access import reading as _reading

    return _reading(db_path)
