"""``marsad demo``: the bundled examples through the whole pipeline into a fresh store."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .errors import ConfigError


def examples_dir() -> Path:
    for c in (Path(__file__).resolve().parents[1] / "examples", Path.cwd() / "examples"):
        if c.is_dir():
            return c
    raise ConfigError(
        "the examples folder is missing: run `marsad demo` from a checkout of marsad "
        "(installed with `pip install -e .`)"
    )


def run_demo(db: Optional[str] = None):
    """Process examples/ into ``db`` (default ./marsad-demo.duckdb, recreated).  Returns
    (RunResult, the most annotated Article, db path)."""
    from .run import RunOptions, run
    from .store.db import connect
    from .store.read import get_article

    db = db or "marsad-demo.duckdb"
    p = Path(db)
    for f in (p, Path(str(p) + ".wal")):
        if f.exists():
            f.unlink()
    res = run([str(examples_dir())], RunOptions(db=db))
    con = connect(db, read_only=True)
    row = con.execute(
        "SELECT a.id FROM articles a LEFT JOIN (SELECT article_id, count(*) n FROM mentions GROUP BY 1) m "
        "ON m.article_id = a.id LEFT JOIN (SELECT article_id, count(*) n FROM quotes GROUP BY 1) q "
        "ON q.article_id = a.id ORDER BY coalesce(q.n, 0) * 3 + coalesce(m.n, 0) DESC, a.id LIMIT 1"
    ).fetchone()
    art = get_article(con, row[0]) if row else None
    con.close()
    return res, art, db
