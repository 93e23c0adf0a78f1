"""The ``marsad`` command line.  Only this module prints."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .cli_util import date_option
from .display import json_text, set_mode, shown
from .errors import MarsadError

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)
DB_OPT = click.option("--db", default="marsad.duckdb", show_default=True, help="the DuckDB store file")


_date = date_option


class Main(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except MarsadError as e:
            err.print(f"[red]error:[/red] {shown(e, arabic=False)}", soft_wrap=True)   # one line, as written
            sys.exit(2)


@click.group(cls=Main)
@click.version_option(__version__)
@click.option("-v", "--verbose", count=True, help="more log output (-vv for debug)")
@click.option("--bidi", type=click.Choice(["auto", "on", "off"]), default="auto",
              help="reorder Arabic for terminals without bidi support")
def main(verbose, bidi):
    """marsad (مرصد): Arabic news → a structured, cited record of conflict and diplomacy."""
    level = logging.ERROR if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    set_mode(bidi)



@main.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPT
@click.option("--published", callback=_date, help="publication date for inputs that give none (YYYY-MM-DD)")
@click.option("--workers", type=int, default=0, show_default=True, help="processes (0 = all cores)")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="dask scheduler address (tcp://HOST:PORT)")
@click.option("--steps", default=None, help="comma-separated steps (default: all available)")
@click.option("--strict", is_flag=True, help="exit non-zero if any input is rejected")
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=256, show_default=True,
              help="articles per store transaction, local engine (readers see a batch once it is written)")
def run(paths, db, published, workers, engine, scheduler, steps, strict, quiet, batch_size):
    """Ingest PATHS (files or folders) into the store and extract every layer.  `search`, `show`,
    `stats` and `serve` can read the store while it runs."""
    from .run import RunOptions, run as do_run
    missing = [p for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    opts = RunOptions(db=db, published=published, workers=workers, engine=engine, scheduler=scheduler,
                      steps=steps.split(",") if steps else None, strict=strict, batch_size=batch_size)
    with Progress(TextColumn("[bold]marsad run"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=quiet or not err.is_terminal) as prog:
        task = prog.add_task("articles", total=None)
        res = do_run(list(paths), opts, progress=lambda n: prog.advance(task, n))
    console.print(res.summary())
    if res.reasons:
        console.print("rejected: " + ", ".join(f"{k} {v}" for k, v in sorted(res.reasons.items())) +
                      " — see `marsad rejects`")
    if missing:  # read as ledger rows like any unreadable input, but a mistyped path is the user's error
        err.print(f"[red]error:[/red] no such file or directory: {', '.join(missing)} (in the ledger; the other "
                  "inputs were run)")
        sys.exit(1)
    if strict and res.rejected:
        sys.exit(1)


def _open(db):
    """``with _open(db) as con:`` the store read-only, closed after the block (a run writing the
    store waits for its readers to close it)."""
    from .store.access import reading
    return reading(db)


@main.command()
@click.argument("article_id")
@DB_OPT
@click.option("--json", "as_json", is_flag=True, help="print the article and its layers as JSON")
def show(article_id, db, as_json):
    """Show one article with its extractions (ID or a unique prefix)."""
    from .store.queries import get_article
    with _open(db) as con:
        a = get_article(con, article_id)
    if a is None:
        raise click.ClickException(f"no article {article_id!r} in {db}; `marsad search` lists ids")
    if as_json:
        from .store.export import article_json
        click.echo(json_text(article_json(a), indent=2))
        return
    print_article(a)


def print_article(a, max_rows: int = 200) -> None:
    console.rule(f"[bold]{shown(a.id, arabic=False)}")
    console.print(f"[bold]{shown(a.headline)}[/bold]")
    meta = [f"published {a.published or '?'} ({a.published_basis or 'unknown'})",
            f"outlet {shown(a.outlet or '?')}" + (f" = {shown(a.outlet_name)}" if a.outlet_name else "")]
    if a.byline:
        meta.append(f"byline {shown(a.byline)}")
    if a.url:
        meta.append(shown(a.url, arabic=False))
    console.print("  ·  ".join(meta), style="dim")
    console.print()
    for line in a.body.split("\n"):
        console.print(shown(line), justify="right")
    if a.boilerplate:
        console.print(f"\n[dim]{len(a.boilerplate)} chrome line(s) removed[/dim]")
    layers = [
        ("Mentions", ["type", "surface", "actor", "how"], [(m.type, m.text, m.canonical or m.actor_id or "", m.evidence or m.step) for m in a.mentions]),
        ("Times", ["surface", "value", "rule"], [(t.text, t.value or "?", t.rule) for t in a.times]),
        ("Quotes", ["speaker", "cue", "kind", "text"], [(q.speaker or q.speaker_surface, q.cue, q.kind, q.text[:90]) for q in a.quotes]),
        ("Attributions", ["surface", "outlet"], [(t.text, t.outlet or "") for t in a.attributions]),
        ("Events", ["type", "mode", "source", "target", "where", "when", "status"],
         [(e.type, e.mode, "; ".join(e.source), "; ".join(e.target), e.location or "", e.date or "", e.status) for e in a.events]),
    ]
    for title, cols, rows in layers:
        if not rows:
            continue
        t = Table(title=f"{title} ({len(rows)})", title_justify="left", show_lines=False)
        for c in cols:
            t.add_column(c)
        for r in rows[:max_rows]:
            t.add_row(*[shown(x) for x in r])
        console.print(t)


@main.command()
@click.argument("query")
@DB_OPT
@click.option("--limit", default=20, show_default=True)
@click.option("--offset", default=0)
def search(query, db, limit, offset):
    """Full-text search, insensitive to Arabic spelling variants ('سوريا' finds 'سورية')."""
    from .store.queries import search as do_search
    with _open(db) as con:
        rows = do_search(con, query, limit=limit, offset=offset)
    if not rows:
        console.print("no match")
        return
    for r in rows:
        console.print(f"[bold]{shown(r['id'], arabic=False)}[/bold]  {r['published'] or ''}  "
                      f"{shown(r['outlet'] or '')}  ({r['hits']} hits)")
        console.print(f"  {shown(r['headline'] or '')}")
        console.print(f"  [dim]{shown(r['snippet'])}[/dim]")


@main.command()
@DB_OPT
@click.option("--json", "as_json", is_flag=True)
def stats(db, as_json):
    """Counts of what the store holds."""
    from .store.queries import stats as do_stats, step_stats
    with _open(db) as con:
        s = do_stats(con)
        steps = step_stats(con)
    if as_json:
        click.echo(json_text({**s, "step_stats": steps}, indent=2))
        return
    t = Table(title=f"marsad store {db}", title_justify="left")
    t.add_column("what")
    t.add_column("value")
    for k, v in s.items():
        t.add_row(k, shown(", ".join(f"{a}: {b}" for a, b in v.items())) if isinstance(v, dict) else shown(v))
    console.print(t)
    if steps:
        t = Table(title="steps of the last run", title_justify="left")
        for c in ("step", "articles", "seconds", "failures", "items added"):
            t.add_column(c, justify="left" if c == "step" else "right")
        for name, st in steps.items():
            t.add_row(name, str(st.get("articles", 0)), f"{st.get('seconds', 0.0):.2f}",
                      str(st.get("failures", 0)), str(st.get("items", 0)))
        console.print(t)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--steps", default=None, help="comma-separated steps (default: the full pipeline)")
def steps(as_json, steps):
    """The pipeline's steps in order: what each reads (requires) and writes (assigns), whether it
    runs on several articles at once (batch), and a warning for any requirement no earlier step
    assigns."""
    from .pipeline import analyze_steps, build_pipeline, make_steps
    # a chain that is not a Pipeline: a broken one is shown, not refused (ConfigError for a name
    # that is no step)
    chain = make_steps(steps.split(",")) if steps else build_pipeline().steps
    rows = analyze_steps(chain)
    problems = [f"step {r['name']!r} requires {f!r}, which no earlier step assigns" for r in rows for f in r["missing"]]
    problems += [f"step {r['name']!r} names {f!r}, which is not a field of Article" for r in rows for f in r["unknown"]]
    if as_json:
        click.echo(json_text({"steps": rows, "problems": problems}, indent=2))
        return
    t = Table(title="pipeline steps", title_justify="left")
    for c in ("#", "step", "requires", "assigns", "batch"):
        t.add_column(c)
    for i, r in enumerate(rows):
        t.add_row(str(i), r["name"], ", ".join(r["requires"]), ", ".join(r["assigns"]), "yes" if r["batch"] else "")
    console.print(t)
    if problems:
        for p in problems:
            err.print(f"[yellow]warning:[/yellow] {p}")
    else:
        console.print("no problems: every requirement is assigned by an earlier step")


@main.command()
@DB_OPT
@click.option("--json", "as_json", is_flag=True, help="every row (of the page) as JSON")
@click.option("--limit", type=int, default=100, show_default=True, help="rows per page (0: all)")
@click.option("--offset", type=int, default=0, show_default=True, help="rows to skip")
@click.option("--reason", default=None, help="only rows with this reason (e.g. duplicate, too-large)")
def rejects(db, as_json, limit, offset, reason):
    """The rejects ledger: every input that was not stored, and why (newest first, paged)."""
    from .store.queries import count_rejects, rejects as do_rejects
    with _open(db) as con:
        total = count_rejects(con, reason)
        rows = do_rejects(con, limit=limit or None, offset=offset, reason=reason)
    if as_json:
        click.echo(json_text(rows, indent=2))
        return
    if not rows:
        console.print("no rejects" if not total else f"no rejects past row {offset} (of {total})")
        return
    t = Table(title=f"rejected inputs {offset + 1}–{offset + len(rows)} of {total}", title_justify="left")
    for c in ("source", "reason", "detail", "last seen"):
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(shown(r["source"], arabic=False), shown(r["reason"], arabic=False), shown(r["detail"]),
                  str(r["last_seen"])[:19])
    console.print(t)
    if offset + len(rows) < total:
        console.print(f"{total - offset - len(rows)} more: --offset {offset + len(rows)}")


@main.command()
def doctor():
    """Check that every package and model a run needs loads (what is missing, and how to install it)."""
    from .preflight import problems
    found = problems("dask")
    for p in found:
        console.print(f"[red]missing:[/red] {p}")
    if found:
        sys.exit(2)
    console.print("all packages and models load")


@main.command()
@DB_OPT
@click.option("--format", "fmt", required=True, help="jsonl | csv | parquet | gold (and plover | acled | geojson when events are available)")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="output file")
@click.option("--table", default="articles", show_default=True, help="table for csv/parquet")
def export(db, fmt, out, table):
    """Export the store."""
    from .store.export import export as do_export
    with _open(db) as con:
        n = do_export(con, fmt, out, table=table)
    console.print(f"{n} record(s) written to {shown(out, arabic=False)}")


@main.command()
@click.option("--db", default=None, help="store for the demo (default: a fresh marsad-demo.duckdb here)")
@click.option("--article", default=None, help="which example article to show")
def demo(db, article):
    """Run marsad on its bundled example articles and show one article's extraction."""
    from .demo import run_demo
    res, a, db = run_demo(db)
    console.print(f"[bold]demo store {db}[/bold]: {res.summary()}")
    if res.reasons:
        console.print("rejected (on purpose, to show the ledger): " +
                      ", ".join(f"{k} {v}" for k, v in sorted(res.reasons.items())))
    from .store.queries import get_article, stats as do_stats
    with _open(db) as con:
        s = do_stats(con)
        a = get_article(con, article) if article else a
    console.print("store: " + ", ".join(f"{k} {s[k]}" for k in ("articles", "sentences", "mentions", "times",
                                                                  "quotes", "attributions", "events", "rejects")))
    if a is not None:
        print_article(a)


from .cli_more import eval_group, train_group  # noqa: E402

main.add_command(eval_group)
main.add_command(train_group)

# Each layer contributes its commands from its own module: a list COMMANDS of click commands, and
# optionally EVAL_COMMANDS added under `marsad eval`.
for _mod in ("cli_actors", "cli_events", "cli_web", "cli_time", "cli_corpus"):
    try:
        _m = __import__(f"marsad.{_mod}", fromlist=["COMMANDS"])
    except ModuleNotFoundError as _e:
        if _e.name != f"marsad.{_mod}":
            raise
        continue
    for _c in getattr(_m, "COMMANDS", ()):
        main.add_command(_c)
    for _c in getattr(_m, "EVAL_COMMANDS", ()):
        eval_group.add_command(_c)

if __name__ == "__main__":  # pragma: no cover
    main()
