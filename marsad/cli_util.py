"""Small helpers shared by the CLI modules."""
from __future__ import annotations

from datetime import date

import click


def date_option(ctx, param, value):
    """click callback: an ISO date or None."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD")
