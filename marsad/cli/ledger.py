"""``marsad stats`` (what the store holds) and ``marsad rejects`` (the rejects ledger)."""

from __future__ import annotations

import click

from . import options
from .output import Column, col, console, echo_json, fmt_of, output_rows


@click.command()
@options.db
@click.option("--json", "as_json", is_flag=True)
def stats(db, as_json):
    """Counts of what the store holds."""
    from ..store.read import stats as do_stats, step_stats

    with options.reading(db) as con:
        s = do_stats(con)
        steps = step_stats(con)
    if as_json:
        echo_json({**s, "step_stats": steps}, indent=2)
        return
    rows = [
        {"what": k, "value": ", ".join(f"{a}: {b}" for a, b in v.items()) if isinstance(v, dict) else v}
        for k, v in s.items()
    ]
    output_rows(rows, "table", [col("what", arabic=False), col("value")], title=f"marsad store {db}")
    if steps:
        rows = [
            {
                "step": name,
                "articles": st.get("articles", 0),
                "seconds": f"{st.get('seconds', 0.0):.2f}",
                "failures": st.get("failures", 0),
                "items added": st.get("items", 0),
            }
            for name, st in steps.items()
        ]
        output_rows(
            rows,
            "table",
            [col(c, arabic=False) for c in ("step", "articles", "seconds", "failures", "items added")],
            title="steps of the last run",
        )


REJECT_COLUMNS = [
    col("source", arabic=False, overflow="fold"),
    col("reason", arabic=False, overflow="fold"),
    col("detail", overflow="fold"),
    Column("last seen", lambda r: str(r["last_seen"])[:19], arabic=False, overflow="fold"),
]


@click.command()
@options.db
@click.option("--json", "as_json", is_flag=True, help="every row (of the page) as JSON")
@options.csv_flag
@click.option("--limit", type=int, default=100, show_default=True, help="rows per page (0: all)")
@click.option("--offset", type=int, default=0, show_default=True, help="rows to skip")
@click.option("--reason", default=None, help="only rows with this reason (e.g. duplicate, too-large)")
def rejects(db, as_json, as_csv, limit, offset, reason):
    """The rejects ledger: every input that was not stored, and why (newest first, paged)."""
    from ..store.read import count_rejects, rejects as do_rejects

    fmt = fmt_of(as_json, as_csv)
    with options.reading(db) as con:
        total = count_rejects(con, reason)
        rows = do_rejects(con, limit=limit or None, offset=offset, reason=reason)
    if fmt != "table":
        output_rows(rows, fmt)
        return
    if not rows:
        console.print("no rejects" if not total else f"no rejects past row {offset} (of {total})")
        return
    output_rows(rows, "table", REJECT_COLUMNS, title=f"rejected inputs {offset + 1}–{offset + len(rows)} of {total}")
    if offset + len(rows) < total:
        console.print(f"{total - offset - len(rows)} more: --offset {offset + len(rows)}")


COMMANDS = [stats, rejects]
