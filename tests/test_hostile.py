"""The hostile-input folder (tests/hostile.py) through a real run: every input unit ends stored or as
exactly one ledger row, with 1 worker, 2 workers and Dask; a rerun adds nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hostile  # noqa: E402

from marsad.run import RunOptions, run  # noqa: E402
from marsad.store.db import connect  # noqa: E402
from marsad.store.read import accounting  # noqa: E402


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile") / "in"
    made = hostile.make(d, unpunctuated_mb=0.05)
    yield d, made
    os.chmod(d / "special" / "unreadable.txt", 0o644)


def _check(db, d, made, res):
    units = sum(c.units for c in made)
    assert len(made) >= 45
    assert res.seen == units
    con = connect(db, read_only=True)
    try:
        acc = accounting(con)
        assert acc["balanced"] and acc["inputs"] == units == acc["articles"] + acc["ledger"], acc
        got = hostile.outcomes(con, d, made)
        dups = con.execute("SELECT source, duplicate_of FROM rejects WHERE reason = 'duplicate'").fetchall()
        ids = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
    finally:
        con.close()
    assert "(other)" not in got, got.get("(other)")
    for c in made:
        assert len(got[c.name]) == c.units, (c.name, got[c.name])
        if c.expect == "stored":
            assert set(got[c.name]) == {"stored"}, (c.name, got[c.name])
        elif c.expect == "duplicate":
            assert got[c.name] == ["duplicate"], (c.name, got[c.name])
        elif c.expect.startswith("rejected"):
            assert "stored" not in got[c.name], (c.name, got[c.name])
            if ":" in c.expect:
                assert set(got[c.name]) == {c.expect.split(":", 1)[1]}, (c.name, got[c.name])
    # the duplicate names the stored copy; two feeds and two sites keep every article
    assert [d_ for _, d_ in dups] and all(x in ids for _, x in dups)
    assert {"1", "feed-b/1", "index", "site-b/index", "same", "dup-ids/same"} <= ids


@pytest.mark.parametrize("workers", [1, 2])
def test_hostile_folder_local(folder, tmp_path, workers):
    d, made = folder
    db = tmp_path / "h.duckdb"
    res = run([str(d)], RunOptions(db=str(db), workers=workers))
    _check(db, d, made, res)
    # a rerun stores nothing new and adds no ledger row
    con = connect(db, read_only=True)
    before = (
        con.execute("SELECT count(*) FROM articles").fetchone()[0],
        con.execute("SELECT count(*) FROM rejects").fetchone()[0],
    )
    con.close()
    again = run([str(d)], RunOptions(db=str(db), workers=workers))
    assert again.stored == 0 and again.already == before[0]
    con = connect(db, read_only=True)
    after = (
        con.execute("SELECT count(*) FROM articles").fetchone()[0],
        con.execute("SELECT count(*) FROM rejects").fetchone()[0],
    )
    con.close()
    assert after == before


@pytest.mark.slow
def test_hostile_folder_dask(folder, tmp_path):
    pytest.importorskip("dask.distributed")
    d, made = folder
    db = tmp_path / "h.duckdb"
    res = run([str(d)], RunOptions(db=str(db), workers=2, engine="dask", shard_size=50))
    _check(db, d, made, res)


def test_ids_stay_with_their_input_across_runs(tmp_path):
    """Two folders holding different index.html files store both, whichever is read first, and
    each keeps its id in later runs."""
    a, b = tmp_path / "site-a", tmp_path / "site-b"
    for d, t in ((a, hostile._variant(1)), (b, hostile._variant(2))):
        d.mkdir()
        (d / "index.txt").write_text(t, encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    run([str(a)], RunOptions(db=db, workers=1))
    run([str(b), str(a)], RunOptions(db=db, workers=1))
    con = connect(db, read_only=True)
    got = dict(con.execute("SELECT source, id FROM articles").fetchall())
    con.close()
    assert got == {str(a / "index.txt"): "index", str(b / "index.txt"): "site-b/index"}
    # the same input with a new text replaces its own article, under its own id
    (b / "index.txt").write_text(hostile._variant(3), encoding="utf-8")
    res = run([str(a), str(b)], RunOptions(db=db, workers=1))
    assert (res.stored, res.replaced, res.already) == (1, 1, 1)
    con = connect(db, read_only=True)
    assert dict(con.execute("SELECT source, id FROM articles").fetchall()) == got
    con.close()
