"""The Dask engine gives the local engine's store row for row; a run killed with SIGKILL and run
again gives the same store as an uninterrupted run."""

import json
import os
import signal
import subprocess
import sys

import pytest

from marsad.run import RunOptions, run
from marsad.store.db import connect

SENTS = [
    "التقى وزير الخارجية الروسي سيرغي لافروف نظيره السوري وليد المعلم في موسكو أمس.",
    "وقال المبعوث الأممي إن «المحادثات كانت بناءة» مؤكداً ضرورة وقف إطلاق النار.",
    "وشنت طائرات حربية غارات على ريف إدلب الجنوبي يوم الخميس الماضي.",
    "ونفت الخارجية التركية ما تردد عن اتفاق جديد بشأن منبج.",
    "وتظاهر مئات الأشخاص في عمان احتجاجاً على رفع الأسعار.",
]
IGNORED = {"run_id", "ingested_at"}


def make_corpus(path, n, bad=True):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            body = "\n".join(SENTS[(i + k) % len(SENTS)] for k in range(3)) + f"\nرقم الخبر {i}."
            f.write(
                json.dumps(
                    {
                        "id": f"n{i:05d}",
                        "title": f"خبر رقم {i} عن سورية",
                        "text": body,
                        "published": "2018-03-0%d" % (1 + i % 9),
                        "outlet": "وكالة الاختبار",
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        if bad:
            f.write("{not json\n")
            f.write(json.dumps({"id": "empty", "text": ""}) + "\n")
    return path


def dump(db):
    con = connect(db, read_only=True)
    out = {}
    for t in ("articles", "sentences", "mentions", "times", "quotes", "attributions", "events", "rejects"):
        cols = [
            r[0] for r in con.execute(f"DESCRIBE {t}").fetchall() if r[0] not in IGNORED | {"first_seen", "last_seen"}
        ]
        sel = ", ".join(f'"{c}"' for c in cols)
        out[t] = con.execute(f"SELECT {sel} FROM {t} ORDER BY ALL").fetchall()
    con.close()
    return out


def test_dask_equals_local(tmp_path):
    pytest.importorskip("dask.distributed")
    src = make_corpus(tmp_path / "c.jsonl", 40)
    local = run([str(src)], RunOptions(db=str(tmp_path / "local.duckdb"), workers=1))
    dsk = run([str(src)], RunOptions(db=str(tmp_path / "dask.duckdb"), workers=2, engine="dask", shard_size=7))
    assert (local.stored, local.rejected) == (dsk.stored, dsk.rejected) == (40, 2)
    a, b = dump(tmp_path / "local.duckdb"), dump(tmp_path / "dask.duckdb")
    for t in a:
        assert a[t] == b[t], t
    # a rerun skips every recorded shard and changes nothing
    again = run([str(src)], RunOptions(db=str(tmp_path / "dask.duckdb"), workers=2, engine="dask", shard_size=7))
    assert again.stored == 0
    assert dump(tmp_path / "dask.duckdb") == b


@pytest.mark.slow
def test_kill_9_then_rerun_equals_uninterrupted(tmp_path):
    src = make_corpus(tmp_path / "c.jsonl", 3000)
    db = tmp_path / "killed.duckdb"
    cmd = [
        sys.executable,
        "-m",
        "marsad.cli",
        "-v",
        "run",
        str(src),
        "--db",
        str(db),
        "--workers",
        "1",
        "--quiet",
        "--steps",
        "segment",
    ]
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in p.stderr:  # wait until at least one batch is committed, then kill -9
        if "batch committed" in line:
            os.kill(p.pid, signal.SIGKILL)
            break
    p.wait()
    assert p.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    subprocess.run(cmd[:3] + cmd[4:], check=True, capture_output=True)
    clean = tmp_path / "clean.duckdb"
    run([str(src)], RunOptions(db=str(clean), workers=1, steps=["segment"]))
    assert dump(db) == dump(clean)


def test_a_shard_of_several_tasks_writes_the_rows_of_its_articles(tmp_path):
    """A shard runs in tasks of run.process.TASK records, each turned into Arrow at once; the Parquet
    files hold the rows the local engine stores, even where a column is empty in one task and
    filled in another (events here only in some tasks)."""
    import pyarrow.parquet as pq

    from marsad.run.process import TASK, Rejected, process_many
    from marsad.ingest import read_inputs
    from marsad.pipeline import build_pipeline
    from marsad.run.dask import process_shard
    from marsad.store.db import to_rows

    src = make_corpus(tmp_path / "c.jsonl", 3 * TASK + 3)
    with open(src, "a", encoding="utf-8") as f:  # a whole task of articles without any event
        for i in range(TASK):
            f.write(
                json.dumps(
                    {"id": f"q{i}", "title": "خبر", "text": f"قال المتحدث إن الطقس معتدل اليوم رقم {i}."},
                    ensure_ascii=False,
                )
                + "\n"
            )
    records = list(read_inputs([str(src)]))
    pipe = build_pipeline()
    out = process_shard("s0", records, pipe.names(), "run-x", str(tmp_path / "shards"))
    want = [r for k in range(0, len(records), TASK) for r in process_many(records[k : k + TASK], pipe)]
    rows = [to_rows(a) for a in want if not isinstance(a, Rejected)]
    assert len(out["rejects"]) == sum(isinstance(a, Rejected) for a in want) == 2
    got = pq.read_table(f"{out['dir']}/articles.parquet").to_pylist()
    assert [g["id"] for g in got] == [r.article["id"] for r in rows]
    assert all(g["run_id"] == "run-x" and g["text"] == r.article["text"] for g, r in zip(got, rows))
    for t in ("mentions", "events", "times"):
        expect = [row for r in rows for row in r.children[t]]
        assert expect, t
        assert pq.read_table(f"{out['dir']}/{t}.parquet").to_pylist() == expect, t
