"""``csv`` and ``parquet``: one table of the store as it is (``--table``, default articles)."""

from __future__ import annotations

import csv
from pathlib import Path

from ...errors import ConfigError


def _columns(con, table: str) -> list[str]:
    tables = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
    if table not in tables:
        raise ConfigError(f"no table {table!r}; choose one of {sorted(tables)}")
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "search_text"]


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


def write_csv(con, out: Path, table: str = "articles") -> int:
    cols = _columns(con, table)
    sel = ", ".join(f'"{c}"' for c in cols)
    cur = con.execute(f"SELECT {sel} FROM {table}")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for row in cur.fetchall():
            w.writerow(["|".join(map(str, v)) if isinstance(v, list) else v for v in row])
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def write_parquet(con, out: Path, table: str = "articles") -> int:
    cols = _columns(con, table)
    sel = ", ".join(f'"{c}"' for c in cols)
    con.execute(f"COPY (SELECT {sel} FROM {table}) TO '{_sql_path(out)}' (FORMAT PARQUET)")
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
