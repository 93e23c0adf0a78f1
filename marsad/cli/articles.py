"""``marsad show`` (one article with its layers), ``marsad search`` and ``marsad index``."""

from __future__ import annotations

import click

from . import options
from .display import shown
from .output import Column, console, echo_json, output_rows


@click.command()
@click.argument("article_id")
@options.db
@click.option("--json", "as_json", is_flag=True, help="print the article and its layers as JSON")
def show(article_id, db, as_json):
    """Show one article with its extractions (ID or a unique prefix)."""
    from ..store.read import get_article

    with options.reading(db) as con:
        a = get_article(con, article_id)
    if a is None:
        raise click.ClickException(f"no article {article_id!r} in {db}; `marsad search` lists ids")
    if as_json:
        from ..store.exports import article_json

        echo_json(article_json(a), indent=2)
        return
    print_article(a)


def _cols(*headers: str) -> list[Column]:
    return [Column(h, lambda r, i=i: r[i]) for i, h in enumerate(headers)]


def print_article(a, max_rows: int = 200) -> None:
    console.rule(f"[bold]{shown(a.id, arabic=False)}")
    console.print(f"[bold]{shown(a.headline)}[/bold]")
    meta = [
        f"published {a.published or '?'} ({a.published_basis or 'unknown'})",
        f"outlet {shown(a.outlet or '?')}" + (f" = {shown(a.outlet_name)}" if a.outlet_name else ""),
    ]
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
        (
            "Mentions",
            ["type", "surface", "actor", "how"],
            [(m.type, m.text, m.canonical or m.actor_id or "", m.evidence or m.step) for m in a.mentions],
        ),
        ("Times", ["surface", "value", "rule"], [(t.text, t.value or "?", t.rule) for t in a.times]),
        (
            "Quotes",
            ["speaker", "cue", "kind", "text"],
            [(q.speaker or q.speaker_surface, q.cue, q.kind, q.text[:90]) for q in a.quotes],
        ),
        ("Attributions", ["surface", "outlet"], [(t.text, t.outlet or "") for t in a.attributions]),
        (
            "Events",
            ["type", "mode", "source", "target", "where", "when", "status"],
            [
                (e.type, e.mode, "; ".join(e.source), "; ".join(e.target), e.location or "", e.date or "", e.status)
                for e in a.events
            ],
        ),
    ]
    for title, headers, rows in layers:
        if rows:
            output_rows(rows[:max_rows], "table", _cols(*headers), title=f"{title} ({len(rows)})")


@click.command()
@click.argument("query")
@options.db
@click.option("--outlet", help="the outlet's name or surface")
@click.option("--type", "type_", help="articles with an event of this PLOVER type")
@click.option("--actor", help="articles naming this actor (an id or any spelling)")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="published on or after (YYYY-MM-DD)")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="published on or before (YYYY-MM-DD)")
@click.option("--limit", default=20, show_default=True)
@click.option("--offset", default=0)
@click.option("--json", "as_json", is_flag=True, help="print the result (total, facets, items) as JSON")
def search(query, db, outlet, type_, actor, since, until, limit, offset, as_json):
    """Full-text search: every word, with its Arabic proclitics ('مصر' finds 'ومصر', 'لمصر', never
    'مصرع'), "phrases" in quotes, ranked by BM25; spelling variants match ('سوريا' finds 'سورية')."""
    from ..errors import ConfigError
    from ..names import kb_names
    from ..store.read import SearchFilter
    from ..store.read import search as do_search
    from ..store.search_index import SearchIndex

    f = SearchFilter(outlet, type_, actor, since.date() if since else None, until.date() if until else None)
    with options.reading(db) as con:
        try:
            out = do_search(con, SearchIndex(db), query, f, limit=limit, offset=offset, kb_names=kb_names)
        except ConfigError as e:
            raise click.ClickException(str(e)) from e
    if as_json:
        echo_json(out)
        return
    if not out["items"]:
        console.print("no match")
        return
    console.print(f"{out['total']} articles; {offset + 1}–{offset + len(out['items'])}, best first")
    for r in out["items"]:
        console.print(
            f"[bold]{shown(r['id'], arabic=False)}[/bold]  {r['published'] or ''}  "
            f"{shown(r['outlet_name'] or r['outlet'] or '')}  ({r['hits']} hits)"
        )
        console.print(f"  {shown(r['headline'] or '')}")
        console.print(f"  [dim]{shown(r['snippet'])}[/dim]")


@click.command("index")
@options.db
def index(db):
    """Bring the store's search index (<db>.search) up to date: every search does it too; this
    builds it ahead for a store made before it existed."""
    from ..store.search_index import SearchIndex

    with options.reading(db) as con:
        ix = SearchIndex(db)
        done = ix.sync(con)
    console.print(
        f"{ix.path}: {done.articles} articles, {done.added} indexed, {done.removed} removed ({done.seconds:.2f} s)"
    )


COMMANDS = [show, search, index]
