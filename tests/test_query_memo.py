"""Query results kept per store generation (marsad/api/querymemo.py): the same query with the same
parameters is answered from the kept rows, read like a DuckDB result; nothing outlives a batch."""

import duckdb
import pytest

from marsad.api.querymemo import MAX_ROWS, MemoCursor, QueryMemo


class Counting:
    """A DuckDB connection that counts the queries it runs."""

    def __init__(self):
        self.con = duckdb.connect()
        self.con.execute("CREATE TABLE t AS SELECT range AS i, 'x' || range AS s FROM range(10)")
        self.runs = 0

    def execute(self, sql, params=None):
        self.runs += 1
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)


def test_a_query_asked_again_is_answered_from_the_kept_rows():
    db, memo = Counting(), QueryMemo()
    cur = MemoCursor(db, memo)
    first = cur.execute("SELECT i, s FROM t WHERE i < ? ORDER BY i", [3])
    assert [d[0] for d in first.description] == ["i", "s"]
    assert first.fetchone() == (0, "x0") and first.fetchall() == [(1, "x1"), (2, "x2")] and first.fetchone() is None
    again = cur.execute("SELECT i, s FROM t WHERE i < ? ORDER BY i", [3])
    assert again.fetchall() == [(0, "x0"), (1, "x1"), (2, "x2")] and db.runs == 1
    assert MemoCursor(db, memo).execute("SELECT i, s FROM t WHERE i < ? ORDER BY i", [3]).fetchmany(2) == [
        (0, "x0"),
        (1, "x1"),
    ]
    assert db.runs == 1 and memo.hits == 2
    cur.execute("SELECT i, s FROM t WHERE i < ? ORDER BY i", [4]).fetchall()  # other parameters: run
    assert db.runs == 2


def test_parameters_that_differ_only_in_type_are_different_queries():
    db = Counting()
    cur = MemoCursor(db, QueryMemo())
    assert cur.execute("SELECT ?::VARCHAR", [1]).fetchone() == ("1",)
    assert cur.execute("SELECT ?::VARCHAR", [True]).fetchone() == ("true",)
    assert cur.execute("SELECT ?::VARCHAR", [[1, 2]]).fetchone() == ("[1, 2]",)
    assert db.runs == 3


def test_large_results_are_not_kept_and_the_memo_stays_within_its_size():
    db, memo = Counting(), QueryMemo(max_cells=30)
    cur = MemoCursor(db, memo)
    big = f"SELECT range FROM range({MAX_ROWS + 1})"
    assert len(cur.execute(big).fetchall()) == MAX_ROWS + 1
    cur.execute(big).fetchall()
    assert db.runs == 2 and not memo.entries
    for k in range(5):
        cur.execute("SELECT i, s FROM t WHERE i >= ?", [k]).fetchall()  # 10-k rows x 2 columns each
    assert memo.cells <= 30 and len(memo.entries) >= 1


@pytest.mark.parametrize("params", [[object()], [{1, 2}]])
def test_parameters_it_cannot_key_on_go_to_the_store(params):
    db = Counting()
    cur = MemoCursor(db, QueryMemo())
    with pytest.raises(Exception):
        cur.execute("SELECT ?", params)  # DuckDB refuses them itself; the memo does not hide that
    assert db.runs == 1
