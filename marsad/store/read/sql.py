"""Small helpers of every read query: rows as dicts, WHERE clauses, counts, and the pages' links.

Every query is parameterized: values from a user only ever travel as ``?`` parameters."""

from __future__ import annotations

from urllib.parse import quote


def rows(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def where(conds: list[str]) -> str:
    return (" WHERE " + " AND ".join(conds)) if conds else ""


def count(cur, sql: str, params: list) -> int:
    return cur.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def q(s: str) -> str:
    """An id as one URL path segment."""
    return quote(str(s), safe="")


def evidence_url(article_id: str, anchor: str = "") -> str:
    """The web page of an article (``anchor``: a span on it, e.g. ``e-3``)."""
    return f"/articles/{q(article_id)}" + (f"#{anchor}" if anchor else "")
