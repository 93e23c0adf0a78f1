"""The one way the commands print: rich tables of escaped text, JSON, JSON lines or CSV.

:func:`output_rows` prints a list of dicts in the chosen format (in the manner of sqlite-utils'
``output_rows``); :func:`echo_json` prints one object.  Text from the input is data, never terminal
commands: tables show it through :func:`~marsad.cli.display.shown`, JSON through
:func:`~marsad.cli.display.json_text` (controls escaped) and CSV through
:func:`~marsad.cli.display.plain` (controls removed).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

import click
from rich.console import Console
from rich.table import Table

from .display import json_text, plain, shown

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@dataclass(frozen=True)
class Column:
    """A table column: its header, the cell of a row, and whether the cell is Arabic text (laid out
    right-to-left) or an id, path or date (``arabic=False``)."""

    header: str
    cell: Callable[[dict], Any]
    arabic: bool = True
    overflow: Optional[str] = None
    justify: Optional[str] = None


def col(
    key: str,
    header: Optional[str] = None,
    arabic: bool = True,
    overflow: Optional[str] = None,
    justify: Optional[str] = None,
) -> Column:
    return Column(header or key, lambda r: r.get(key), arabic, overflow, justify)


def echo_json(obj, indent: Optional[int] = None) -> None:
    click.echo(json_text(obj, indent=indent))


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return "|".join(map(str, v))
    return str(v)


def output_rows(
    rows: Sequence[dict],
    fmt: str = "table",
    columns: Iterable[Column] = (),
    title: Optional[str] = None,
    show_lines: bool = False,
) -> None:
    """Print ``rows`` as ``table`` (``columns``), ``json`` (one array), ``jsonl`` (one object a
    line) or ``csv`` (every key of the rows)."""
    if fmt == "json":
        echo_json(list(rows), indent=2)
    elif fmt == "jsonl":
        for r in rows:
            echo_json(r)
    elif fmt == "csv":
        keys: list[str] = []
        for r in rows:
            keys += [k for k in r if k not in keys]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(keys)
        for r in rows:
            w.writerow([plain(_cell(r.get(k))) for k in keys])
        click.echo(buf.getvalue(), nl=False)
    elif fmt == "table":
        columns = list(columns)
        t = Table(title=title, title_justify="left", show_lines=show_lines)
        for c in columns:
            t.add_column(c.header, overflow=c.overflow, justify=c.justify or "left")
        for r in rows:
            t.add_row(*[shown(_cell(c.cell(r)), arabic=c.arabic) for c in columns])
        console.print(t)
    else:  # pragma: no cover - the commands choose among the four
        raise ValueError(f"unknown output format {fmt!r}")


def fmt_of(as_json: bool = False, as_csv: bool = False, json_fmt: str = "json") -> str:
    if as_json and as_csv:
        raise click.UsageError("--json and --csv: choose one")
    return json_fmt if as_json else "csv" if as_csv else "table"


def print_scores(s: dict, as_json: bool) -> None:
    """The figures of an evaluation: P/R/F1 a line, or JSON."""
    if as_json:
        echo_json(s, indent=2)
        return
    for k, v in s.items():
        if k.startswith("_"):
            continue
        if "f1" in v:
            console.print(
                f"{k:18s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})"
            )
        else:
            console.print(f"{k:18s} " + "  ".join(f"{kk} {vv}" for kk, vv in v.items()))
