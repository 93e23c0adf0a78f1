"""The same pipeline on dask.distributed, shard by shard.

The driver streams the inputs and cuts them into shards of ``opts.shard_size`` records.  Each shard
has a stable id (its position and a hash of its records), so a rerun skips the shards the store has
already recorded.  Workers run the pipeline on a shard and write Parquet files (one per table) under
``opts.shard_dir``; the driver loads finished shards *in input order* through the store's single
writer, so the result is the same, row for row, as the local engine's.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import shutil
from collections import deque
from pathlib import Path
from typing import Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from ..pipeline import merge_stats
from ..store.db import Writer, child_tables, now, record_rejects, to_rows
from ..store.schema import CHILD_TABLES
from .base import Runner
from .process import TASK, Rejected, RunResult, internal_error, process_many

log = logging.getLogger(__name__)


def shard_id(index: int, records: list) -> str:
    h = hashlib.sha1()
    for r in records:
        h.update(r.source.encode("utf-8", "replace"))
        body = getattr(r, "text", None) or getattr(r, "html", None) or getattr(r, "reason", "")
        h.update(hashlib.sha1((body or "").encode("utf-8", "replace")).digest())
    return f"{index:06d}-{h.hexdigest()[:16]}"


def process_shard(sid: str, records: list, steps, run_id: str, out_dir: str, degrade: bool = False) -> dict:
    """Run on a worker: the pipeline over one shard, written as Parquet files (``degrade``: built
    with resources that stand in for a model that does not load, :class:`~marsad.resources.Resources`)."""
    from ..pipeline import build_pipeline
    from ..resources import Resources
    from .worker import PIPELINES

    key = (tuple(steps) if steps is not None else None, degrade)
    pipe = PIPELINES.get(key, lambda: build_pipeline(steps, Resources(allow_missing=True) if degrade else None))
    pipe.take_stats()  # this shard's counters only
    at = now()
    # each task's rows become Arrow tables at once: a shard never holds more than TASK articles
    # as Python rows (columnar Arrow is several times smaller), so a worker's memory stays flat
    tables: dict[str, list] = {t: [] for t in ("articles",) + CHILD_TABLES}
    rejects = []
    for k in range(0, len(records), TASK):
        done = []
        for item in process_many(records[k : k + TASK], pipe):
            if isinstance(item, Rejected):
                rejects.append((item.source, item.reason, item.detail))
            else:
                try:
                    done.append(to_rows(item))
                except Exception as e:
                    bad = internal_error(item.source or item.id, e)
                    rejects.append((bad.source, bad.reason, bad.detail))
        if done:
            tables["articles"].append(pa.Table.from_pylist([r.stamped(run_id, at) for r in done]))
            for t, tbl in child_tables(done).items():
                if tbl is not None:
                    tables[t].append(tbl)
    d = Path(out_dir) / sid
    tmp = Path(out_dir) / (sid + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for t, parts in tables.items():
        if parts:  # a column that was all null in one task is typed by the others
            pq.write_table(pa.concat_tables(parts, promote_options="default"), tmp / f"{t}.parquet")
    shutil.rmtree(d, ignore_errors=True)
    tmp.rename(d)  # a shard folder exists only when complete
    del tables
    pa.default_memory_pool().release_unused()
    return {"shard": sid, "dir": str(d), "rejects": rejects, "records": len(records), "step_stats": pipe.take_stats()}


def _load(writer: Writer, res: RunResult, out: dict, run_id: str) -> None:
    d = Path(out["dir"])
    arts = pq.read_table(d / "articles.parquet").to_pylist() if (d / "articles.parquet").exists() else []
    children = {t: pq.read_table(d / f"{t}.parquet") if (d / f"{t}.parquet").exists() else None for t in CHILD_TABLES}
    for _, reason, _ in out["rejects"]:
        res.reject(reason)
    merge_stats(res.step_stats, out.get("step_stats") or {})
    with writer.session() as con:
        if arts:
            writer.write_rows(arts, children)
        if out["rejects"]:
            record_rejects(con, out["rejects"], run_id)
        con.execute(
            "INSERT INTO shards VALUES (?, ?, ?, ?) ON CONFLICT (shard_id) DO NOTHING",
            [out["shard"], run_id, len(arts), now()],
        )
    shutil.rmtree(d, ignore_errors=True)


class DaskRunner(Runner):
    engine = "dask"

    def config(self, paths: Sequence[str]) -> dict:
        return {"paths": list(paths), "published": self.opts.published, "scheduler": self.opts.scheduler}

    def prepare(self, con) -> None:
        self.done = {r[0] for r in con.execute("SELECT shard_id FROM shards").fetchall()}

    def process(self, paths: Sequence[str], steps: list, writer, res: RunResult) -> None:
        from dask.distributed import Client
        from ..ingest import read_inputs

        opts, progress = self.opts, self.progress
        out_dir = opts.shard_dir or (str(opts.db) + ".shards")
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        cluster = None
        if opts.scheduler:
            client = Client(opts.scheduler)
        else:
            cluster = _local_cluster(opts.n_workers())
            client = Client(cluster)
        try:
            window = max(2, 2 * opts.n_workers())
            pending: deque = deque()
            it = iter(read_inputs(paths, published=opts.published))
            for index in itertools.count():
                records = list(itertools.islice(it, opts.shard_size))
                if not records:
                    break
                sid = shard_id(index, records)
                res.seen += len(records)
                if sid in self.done:
                    res.skipped += len(records)  # accounted for by the run that wrote the shard
                    if progress:
                        progress(len(records))
                    continue
                pending.append(
                    (
                        client.submit(
                            process_shard, sid, records, steps, res.run_id, out_dir, opts.degrade, pure=False
                        ),
                        len(records),
                    )
                )
                while len(pending) >= window:
                    _drain_one(pending, writer, res, progress)
            while pending:
                _drain_one(pending, writer, res, progress)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _local_cluster(n: int):
    """A cluster of ``n`` one-thread worker processes on this machine.  Where the platform can
    fork, the workers are forked from a fork server that has loaded and warmed the pipeline
    (:mod:`marsad.run.preload`), so they share its models' pages (less memory than a spawned
    worker loading its own copy)."""
    import multiprocessing as mp

    import dask
    from dask.distributed import LocalCluster
    from distributed.utils import get_mp_context

    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        if method == "forkserver":
            get_mp_context()  # distributed's own preload list first; then add the pipeline to it
            mp.get_context("forkserver").set_forkserver_preload(["distributed", "marsad.run.preload"])
        return LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)


def _drain_one(pending: deque, writer, res, progress) -> None:
    from dask.distributed import wait

    fut, n = pending.popleft()
    while True:  # while the shard is processed, a reader waiting for the store gets it
        try:
            wait([fut], timeout=0.05)
            break
        except TimeoutError:
            writer.access.let_readers_in()
    _load(writer, res, fut.result(), res.run_id)
    if progress:
        progress(n)
