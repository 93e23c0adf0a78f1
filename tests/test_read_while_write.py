"""Reading a store while a run writes it: the CLI's readers and the web API answer during the run
and see each batch once it is committed; a second writer is refused with one clear line; a holder
that does not take turns is named.  Every loop is bounded in time and in count."""

import json
import re
import subprocess
import sys
import threading
import time

import pytest
from fastapi.testclient import TestClient

from marsad.api import create_app
from marsad.errors import StoreError
from marsad.store import access
from marsad.store.access import WriteAccess, reading
from marsad.store.shared import SharedReader
from test_scale import make_corpus

CLI = [sys.executable, "-m", "marsad.cli"]
COMMITTED = re.compile(r"batch committed: \d+ new, (\d+) stored so far")
DEADLINE = 240.0  # s: no loop here runs longer


class Run:
    """`marsad -v run` in a subprocess; a thread notes each committed batch (time, stored so far)."""

    def __init__(self, src, db, *extra):
        self.proc = subprocess.Popen(
            CLI + ["-v", "run", str(src), "--db", str(db), "--workers", "1", "--quiet", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.commits: list[tuple[float, int]] = []
        self.errors: list[str] = []
        self.out = ""
        self._t = threading.Thread(target=self._read, daemon=True)
        self._t.start()

    def _read(self):
        for line in self.proc.stderr:
            m = COMMITTED.search(line)
            if m:
                self.commits.append((time.monotonic(), int(m.group(1))))
            elif "Traceback" in line or line.startswith("error"):
                self.errors.append(line)

    def committed_before(self, t: float) -> int:
        return max((n for at, n in list(self.commits) if at < t), default=0)

    def wait_for_commit(self, deadline: float) -> None:
        while not self.commits and self.proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.commits, "the run committed no batch"

    def finish(self, timeout: float = DEADLINE) -> int:
        self.out = self.proc.stdout.read() if self.proc.wait(timeout=timeout) is not None else ""
        self._t.join(timeout=10)
        m = re.search(r"(\d+) stored", self.out)
        assert self.proc.returncode == 0 and m, (self.proc.returncode, self.out, self.errors)
        return int(m.group(1))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)


def other_corpus(path, n):
    """``n`` articles unlike make_corpus's (other ids and texts)."""
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(
                json.dumps(
                    {"id": f"b{i}", "title": f"عنوان {i}", "text": f"نص الخبر الجديد رقم {i} عن عمان."},
                    ensure_ascii=False,
                )
                + "\n"
            )
    return path


def cli(*args, timeout=120):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_cli_and_api_read_while_a_run_writes(tmp_path):
    src = make_corpus(tmp_path / "c.jsonl", 600)
    db = tmp_path / "s.duckdb"
    run = Run(src, db, "--batch-size", "30")
    end = time.monotonic() + DEADLINE
    api: list[tuple[float, int, int]] = []  # (began, total seen, batches committed before it began)
    calls: list[tuple[float, float, str, subprocess.CompletedProcess]] = []
    try:
        run.wait_for_commit(end)

        def cli_reader(*args):  # one command again and again, as long as the run writes
            for _ in range(100):
                if run.proc.poll() is not None or time.monotonic() > end:
                    return
                t0 = time.monotonic()
                r = cli(*args, "--db", str(db))
                calls.append((t0, time.monotonic(), args[0], r))

        readers = [
            threading.Thread(target=cli_reader, args=args, daemon=True)
            for args in (("stats", "--json"), ("search", "سورية", "--limit", "3"), ("show", "n00003"))
        ]
        for t in readers:
            t.start()
        with TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=0)) as c:
            for _ in range(5000):
                if run.proc.poll() is not None or time.monotonic() > end:
                    break
                t0 = time.monotonic()
                before = run.committed_before(t0)
                r = c.get("/api/articles", params={"limit": 1})
                assert r.status_code == 200, r.text
                api.append((t0, r.json()["total"], before))
                found = c.get("/api/search", params={"q": "سورية", "limit": 5})
                assert found.status_code == 200, found.text
                items = found.json()["items"]
                assert items, "a committed batch is searchable"
                one = c.get("/api/articles/" + items[0]["id"])
                assert one.status_code == 200 and one.json()["id"] == items[0]["id"]
                time.sleep(0.01)
            stored = run.finish()
            for t in readers:
                t.join(timeout=DEADLINE)
            # after the run, readers see all of it (the API's shared connection included)
            assert c.get("/api/articles", params={"limit": 1}).json()["total"] == stored
    finally:
        run.kill()
    assert stored == 600 and not run.errors
    # every read saw at least the batches committed before it began, and counts only grew
    assert all(total >= before for _, total, before in api), [x for x in api if x[1] < x[2]][:3]
    totals = [total for _, total, _ in api]
    assert totals == sorted(totals)
    assert len({t for t in totals if 0 < t < stored}) >= 3, sorted(set(totals))
    # the CLI's readers answered while the run wrote, each command at least once
    during = [(name, r) for t0, t1, name, r in calls if t1 < run.commits[-1][0]]
    assert {name for name, _ in during} == {"stats", "search", "show"}, [(n, r.stderr) for _, _, n, r in calls]
    for _, _, name, r in calls:
        assert r.returncode == 0 and "error" not in r.stderr, (name, r.stderr)
    counts = [json.loads(r.stdout)["articles"] for name, r in during if name == "stats"]  # in call order
    assert all(0 < n <= stored for n in counts) and counts == sorted(counts)
    assert all("n00003" in r.stdout for name, r in during if name == "show")
    assert json.loads(cli("stats", "--json", "--db", str(db)).stdout)["articles"] == stored


def test_a_second_writer_is_refused_in_one_clear_line(tmp_path):
    src = make_corpus(tmp_path / "c.jsonl", 300)
    small = other_corpus(tmp_path / "small.jsonl", 5)
    db = tmp_path / "s.duckdb"
    run = Run(src, db, "--batch-size", "50")
    try:
        run.wait_for_commit(time.monotonic() + DEADLINE)
        with reading(db):  # keeps the run from writing its next batch, so it is still there
            second = cli("run", str(small), "--db", str(db), "--workers", "1", "--quiet")
            still_writing = run.proc.poll() is None
        run.finish()
    finally:
        run.kill()
    assert still_writing
    assert second.returncode == 2 and "Traceback" not in second.stderr
    lines = [x for x in second.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, second.stderr
    assert f"is being written by process {run.proc.pid} (marsad -v run" in lines[0]
    assert "wait for it to finish" in lines[0]
    # once the first run is over, the store is free to write again
    again = cli("run", str(small), "--db", str(db), "--workers", "1", "--quiet")
    assert again.returncode == 0 and "5 stored" in again.stdout, again.stderr


def test_the_write_lock_is_exclusive_and_released(tmp_path):
    db = tmp_path / "s.duckdb"
    first = WriteAccess(db, what="first writer")
    with pytest.raises(StoreError, match=r"is being written by process \d+ \(first writer\)"):
        WriteAccess(db)
    with first.connection() as con:
        con.execute("INSERT INTO meta VALUES ('k', 'v')")
    first.close()
    with WriteAccess(db) as second, second.connection() as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'k'").fetchone() == ("v",)


def test_an_idle_server_lets_a_run_write_and_then_sees_it(tmp_path):
    """The API keeps a shared read-only connection between requests; a run asking for the store
    gets it even when no request comes to notice, and the next request sees the run's articles."""
    db = tmp_path / "s.duckdb"
    first = cli(
        "run",
        str(make_corpus(tmp_path / "a.jsonl", 10, bad=False)),
        "--db",
        str(db),
        "--workers",
        "1",
        "--quiet",
        "--steps",
        "segment",
    )
    assert first.returncode == 0, first.stderr
    app = create_app(db, allowed_hosts=["testserver"], rate_limit=0)
    with TestClient(app) as c:
        assert c.get("/api/articles", params={"limit": 1}).json()["total"] == 10
        src = other_corpus(tmp_path / "b.jsonl", 30)
        second = cli("run", str(src), "--db", str(db), "--workers", "1", "--quiet", "--steps", "segment")
        assert second.returncode == 0 and "30 stored" in second.stdout, second.stderr
        assert c.get("/api/articles", params={"limit": 1}).json()["total"] == 40
        assert app.state.store.reader.opened >= 2  # the connection was given up and opened again


def test_a_shared_reader_waits_for_the_writer_and_then_sees_its_batch(tmp_path):
    """In one process, with the writer in a thread: a read that begins while the writer has the
    store waits for it, and sees what it wrote."""
    db = tmp_path / "s.duckdb"
    with WriteAccess(db) as w, w.connection() as con:
        con.execute("INSERT INTO meta VALUES ('n', '0')")
    reader = SharedReader(db)
    try:
        with reader.connection() as cur:
            assert cur.execute("SELECT value FROM meta WHERE key = 'n'").fetchone() == ("0",)
        has_store, done = threading.Event(), threading.Event()

        def write():
            with WriteAccess(db) as w2:
                with w2.connection() as c2:  # waits for the shared connection to be closed
                    has_store.set()
                    time.sleep(0.3)  # a reader arriving now waits at the gate
                    c2.execute("UPDATE meta SET value = '1' WHERE key = 'n'")
                done.set()

        t = threading.Thread(target=write)
        t.start()
        assert has_store.wait(timeout=60), "the writer never got the store from an idle shared reader"
        with reader.connection() as cur:
            assert cur.execute("SELECT value FROM meta WHERE key = 'n'").fetchone() == ("1",)
        t.join(timeout=60)
        assert done.is_set()
    finally:
        reader.close()


def test_a_holder_that_does_not_take_turns_is_named(tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    with WriteAccess(db) as w, w.connection():
        pass
    hold = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert hold.stdout.readline().strip() == "held"
        r = cli("stats", "--db", str(db))
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert len([x for x in r.stderr.splitlines() if x.strip()]) == 1, r.stderr
        assert f"process {hold.pid} (" in r.stderr and "does not let readers in" in r.stderr
        with pytest.raises(StoreError, match=f"process {hold.pid}"), reading(db, wait=0.2):
            pass
        # a writer waits for it (bounded), names it, and does not wait again on its way out
        with WriteAccess(db, wait=0.3) as w:
            with pytest.raises(StoreError, match=f"process {hold.pid} .* has kept it open"), w.connection():
                pass
            monkeypatch.setattr(access, "open_writable", lambda *a: pytest.fail("tried to open the store again"))
            with pytest.raises(StoreError, match=f"process {hold.pid}"), w.connection():
                pass
    finally:
        hold.kill()
        hold.wait(timeout=30)


def test_a_writable_server_refuses_a_run_by_name(tmp_path):
    db = tmp_path / "s.duckdb"
    with WriteAccess(db) as w, w.connection():
        pass
    app = create_app(db, read_only=False, allowed_hosts=["testserver"], rate_limit=0)
    try:
        r = cli(
            "run", str(make_corpus(tmp_path / "c.jsonl", 3, bad=False)), "--db", str(db), "--workers", "1", "--quiet"
        )
    finally:
        app.state.store.close()
    assert r.returncode == 2 and "marsad serve --writable" in r.stderr, r.stderr
