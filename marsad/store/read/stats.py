"""What the store holds: counts, the accounting identity, the last run, the rejects ledger."""

from __future__ import annotations

import json

from collections import Counter

from ...outlets import STORED, outlet_table
from .sql import rows as _rows


def stats(con) -> dict:
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    out = {
        t: one(f"SELECT count(*) FROM {t}")
        for t in ("articles", "sentences", "mentions", "times", "quotes", "attributions", "events", "rejects", "runs")
    }
    outlets: Counter = Counter()  # named in Python: outlet_sql over every article costs more than the rest
    for raw, n in con.execute(f"SELECT {STORED}, count(*) FROM articles a GROUP BY 1").fetchall():
        outlets[outlet_table().name(raw) or "?"] += n
    out["outlets"] = dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:20])
    out["published"] = [
        str(x) if x else None for x in con.execute("SELECT min(published), max(published) FROM articles").fetchone()
    ]
    out["mention_types"] = dict(
        con.execute("SELECT type, count(*) FROM mentions GROUP BY 1 ORDER BY 2 DESC").fetchall()
    )
    out["event_types"] = dict(con.execute("SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall())
    out["accounting"] = accounting(con)
    out["last_run"] = _last_run(con)
    out["reject_reasons"] = dict(
        con.execute("SELECT reason, count(*) FROM rejects GROUP BY 1 ORDER BY 2 DESC").fetchall()
    )
    return out


def rejects(con, limit: int | None = None, offset: int = 0, reason: str | None = None) -> list[dict]:
    """The rejects ledger, newest first, a page at a time (``limit`` None: every row)."""
    where, args = ("WHERE reason = ? ", [reason]) if reason else ("", [])
    page = "LIMIT ? OFFSET ?" if limit is not None else "OFFSET ?"
    args += [limit, offset] if limit is not None else [offset]
    return _rows(
        con,
        "SELECT source, reason, detail, duplicate_of, last_seen FROM rejects "
        + where
        + "ORDER BY last_seen DESC, source "
        + page,
        args,
    )


def count_rejects(con, reason: str | None = None) -> int:
    if reason:
        return con.execute("SELECT count(*) FROM rejects WHERE reason = ?", [reason]).fetchone()[0]
    return con.execute("SELECT count(*) FROM rejects").fetchone()[0]


def accounting(con) -> dict:
    """Every input unit ever read ends as one stored article or one ledger row: ``inputs`` (distinct
    units) = ``articles`` + ``ledger``."""
    arts = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    ledger = con.execute("SELECT count(*) FROM rejects").fetchone()[0]
    units = con.execute(
        "SELECT count(*) FROM (SELECT coalesce(nullif(source, ''), 'id:' || id) FROM articles "
        "UNION SELECT source FROM rejects)"
    ).fetchone()[0]
    return {"inputs": units, "articles": arts, "ledger": ledger, "balanced": units == arts + ledger}


def _last_run(con) -> dict:
    row = con.execute(
        "SELECT run_id, status, seen, stored, already, duplicates, rejected, replaced, started, finished "
        "FROM runs ORDER BY started DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return {}
    keys = (
        "run_id",
        "status",
        "seen",
        "stored",
        "already",
        "duplicates",
        "rejected",
        "replaced",
        "started",
        "finished",
    )
    return {k: (str(v) if k in ("started", "finished") and v is not None else v) for k, v in zip(keys, row)}


def extra_stats(cur) -> dict:
    """The API's additions to :func:`stats`: distinct actors and located events."""
    one = lambda sql: cur.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "actors": one("SELECT count(DISTINCT actor_id) FROM mentions WHERE actor_id IS NOT NULL"),
        "located_events": one("SELECT count(*) FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL"),
    }


def step_stats(con, run_id: str | None = None) -> dict:
    """The per-step counters of a run (default: the latest), as its engine merged them from its
    workers: {step: {articles, items, seconds, failures}}, in the pipeline's order."""
    sql = "SELECT step_stats FROM runs " + ("WHERE run_id = ?" if run_id else "ORDER BY started DESC LIMIT 1")
    row = con.execute(sql, [run_id] if run_id else []).fetchone()
    return json.loads(row[0]) if row and row[0] else {}
