"""``marsad run`` (ingest and extract), ``marsad doctor`` and ``marsad demo``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import options
from .output import console, err


@click.command()
@click.argument("paths", nargs=-1, required=True)
@options.db
@options.date_option("--published", "publication date for inputs that give none (YYYY-MM-DD)")
@click.option("--workers", type=int, default=0, show_default=True, help="processes (0 = all cores)")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="dask scheduler address (tcp://HOST:PORT)")
@click.option("--steps", default=None, help="comma-separated steps (default: all available)")
@click.option("--strict", is_flag=True, help="exit non-zero if any input is rejected")
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.option(
    "--batch-size",
    type=click.IntRange(1, 100_000),
    default=256,
    show_default=True,
    help="articles per store transaction, local engine (readers see a batch once it is written)",
)
@click.option(
    "--stories/--no-stories",
    default=True,
    show_default=True,
    help="place the new articles in stories at the end of the run (`marsad stories`)",
)
@click.option(
    "--degrade",
    is_flag=True,
    help="run without a shipped model that does not load (logged, and recorded in the run's config)",
)
@options.events
@options.profile
def run(paths, db, published, workers, engine, scheduler, steps, strict, quiet, batch_size, stories, degrade):
    """Ingest PATHS (files or folders) into the store and extract every layer.  `search`, `show`,
    `stats` and `serve` can read the store while it runs."""
    from ..run import RunOptions, run as do_run

    missing = [p for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    opts = RunOptions(
        db=db,
        published=published,
        workers=workers,
        engine=engine,
        scheduler=scheduler,
        steps=steps.split(",") if steps else None,
        strict=strict,
        batch_size=batch_size,
        stories=stories,
        degrade=degrade,
    )
    with Progress(
        TextColumn("[bold]marsad run"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
    ) as prog:
        task = prog.add_task("articles", total=None)
        res = do_run(list(paths), opts, progress=lambda n: prog.advance(task, n))
    console.print(res.summary())
    if res.stories is not None and res.stories.placed:
        console.print(
            f"stories: {res.stories.placed} article(s) placed, {res.stories.founded} new "
            f"story(ies), {res.stories.near_duplicates} near-duplicate(s) — see `marsad stories`"
        )
    if res.reasons:
        console.print(
            "rejected: " + ", ".join(f"{k} {v}" for k, v in sorted(res.reasons.items())) + " — see `marsad rejects`"
        )
    if missing:  # read as ledger rows like any unreadable input, but a mistyped path is the user's error
        err.print(
            f"[red]error:[/red] no such file or directory: {', '.join(missing)} (in the ledger; the other "
            "inputs were run)",
            soft_wrap=True,
        )
        sys.exit(1)
    if strict and res.rejected:
        sys.exit(1)


@click.command()
def doctor():
    """Check that every package and model a run needs loads (what is missing, and how to install it)."""
    from ..preflight import problems

    found = problems("dask")
    for p in found:
        console.print(f"[red]missing:[/red] {p}")
    if found:
        sys.exit(2)
    console.print("all packages and models load")


@click.command()
@options.db_option(None, "store for the demo (default: a fresh marsad-demo.duckdb here)")
@click.option("--article", default=None, help="which example article to show")
def demo(db, article):
    """Run marsad on its bundled example articles and show one article's extraction."""
    from ..demo import run_demo
    from ..store.read import get_article, stats as do_stats
    from .articles import print_article

    res, a, db = run_demo(db)
    console.print(f"[bold]demo store {db}[/bold]: {res.summary()}")
    if res.reasons:
        console.print(
            "rejected (on purpose, to show the ledger): "
            + ", ".join(f"{k} {v}" for k, v in sorted(res.reasons.items()))
        )
    with options.reading(db) as con:
        s = do_stats(con)
        a = get_article(con, article) if article else a
    console.print(
        "store: "
        + ", ".join(
            f"{k} {s[k]}"
            for k in ("articles", "sentences", "mentions", "times", "quotes", "attributions", "events", "rejects")
        )
    )
    if a is not None:
        print_article(a)


COMMANDS = [run, doctor, demo]
