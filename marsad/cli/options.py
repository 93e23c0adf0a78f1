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


def _env_option(names: tuple[str, ...], env: str, choices: list[str], help: str):
    """An option that sets the environment variable ``env`` the process's default resources read
    (worker processes inherit it), before any other option is handled."""

    def set_env(ctx, param, value):
        if value:
            import os

            os.environ[env] = value
        return value

    return click.option(
        *names,
        type=click.Choice(choices),
        default=None,
        callback=set_env,
        expose_value=False,
        is_eager=True,
        help=f"{help}; also {env}",
    )


events = _env_option(
    ("--events",),
    "MARSAD_EVENTS",
    ["rules", "learned"],
    "how events are read: rules (default) or learned (CRF triggers and roles; docs/events.md)",
)
profile = _env_option(
    ("--profile", "--ner-profile"),
    "MARSAD_NER_PROFILE",
    ["fast", "accurate"],
    "NER profile: fast (BiLSTM-CRF, default) or accurate (the e5 encoder read with it; docs/encoder.md)",
)
shared = click.option("--shared", default=None, help="the shared data folder (default ../shared)")


def reading(db_path):
    """``with reading(db) as con:`` the store read-only, closed after the block (a run writing the
    store waits for its readers to close it: :mod:`marsad.store.access`)."""
    from ..store.access import reading as _reading

    return _reading(db_path)
