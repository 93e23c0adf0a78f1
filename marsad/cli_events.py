"""``marsad events``: list the coded events with their evidence.  Registered by marsad.cli."""
from __future__ import annotations

from datetime import date

import click
from rich.console import Console
from rich.table import Table

from .cli_util import date_option
from .display import json_text, shown

console = Console(highlight=False)


_date = date_option


def query_events(con, actor=None, typ=None, since=None, until=None, outlet=None, status="realized",
                 limit=100) -> list[dict]:
    """Events joined with their article, filtered; newest first.  Dates compare the event's date when a
    time expression gave one, else the publication date."""
    where, params = [], []
    if typ:
        where.append("upper(e.type) = upper(?)")
        params.append(typ)
    if status and status != "any":
        where.append("e.status = ?")
        params.append(status)
    if actor:
        where.append("lower(array_to_string(e.source || e.target || e.source_ids || e.target_ids, '|')) LIKE ?")
        params.append(f"%{actor.lower()}%")
    if outlet:
        where.append("(lower(coalesce(a.outlet_name, '')) LIKE ? OR coalesce(a.outlet, '') LIKE ?)")
        params += [f"%{outlet.lower()}%", f"%{outlet}%"]
    day = "coalesce(CASE WHEN e.date_from_published THEN NULL ELSE TRY_CAST(e.date AS DATE) END, a.published)"
    if since:
        where.append(f"{day} >= ?")
        params.append(since)
    if until:
        where.append(f"{day} <= ?")
        params.append(until)
    sql = (f"SELECT e.article_id, e.idx, e.type, e.mode, e.source, e.target, e.location, e.date, "
           f"e.date_from_published, e.status, e.evidence, e.start, e.\"end\", e.confidence, e.cameo, "
           f"a.outlet_name, a.outlet, a.published, {day} AS day FROM events e JOIN articles a ON a.id = e.article_id"
           + (" WHERE " + " AND ".join(where) if where else "") +
           " ORDER BY day DESC NULLS LAST, e.article_id, e.idx LIMIT ?")
    cur = con.execute(sql, params + [int(limit)])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


@click.command("events")
@click.option("--db", default="marsad.duckdb", show_default=True, help="the DuckDB store file")
@click.option("--actor", default=None, help="an actor's canonical name or id (source or target)")
@click.option("--type", "typ", default=None, help="a PLOVER type (CONSULT, AGREE, ASSAULT…)")
@click.option("--since", callback=_date, default=None, help="from this date (YYYY-MM-DD)")
@click.option("--until", callback=_date, default=None, help="up to this date (YYYY-MM-DD)")
@click.option("--outlet", default=None, help="outlet name (substring)")
@click.option("--status", type=click.Choice(["realized", "negated", "planned", "conditional", "any"]),
              default="realized", show_default=True)
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per event")
def events(db, actor, typ, since, until, outlet, status, limit, as_json):
    """List events (who did what to whom, where, when) with their evidence sentence."""
    from .store.db import connect
    con = connect(db, read_only=True)
    rows = query_events(con, actor, typ, since, until, outlet, status, limit)
    if as_json:
        for r in rows:
            click.echo(json_text(r))
        return
    if not rows:
        console.print("no event matches")
        return
    t = Table(title=f"{len(rows)} event(s)", title_justify="left", show_lines=True)
    for c in ("day", "type/mode", "source → target", "where", "evidence", "article"):
        t.add_column(c, overflow="fold")
    for r in rows:
        who = "; ".join(r["source"] or []) + " → " + "; ".join(r["target"] or [])
        when = f"{r['day'] or '?'}" + (" (pub.)" if r["date_from_published"] else "")
        t.add_row(when, f"{r['type']}/{r['mode']}", shown(who), shown(r["location"] or ""), shown(r["evidence"]),
                  f"{shown(r['article_id'], arabic=False)}#{r['idx']} {shown(r['outlet_name'] or r['outlet'] or '')}")
    console.print(t)


COMMANDS = [events]
EVAL_COMMANDS: list = []
