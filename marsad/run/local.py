"""The local engine: stream inputs → clean → pipeline → single writer, on one or more processes.

Inputs are read lazily and fed to the worker processes in bounded windows, so memory stays flat
whatever the corpus size.  Results come back in input order and are written by this process only;
each task's results come with the per-step counters of the worker that processed it.
"""

from __future__ import annotations

import gc
import itertools
import logging
import multiprocessing as mp
import os
from collections import deque
from typing import Iterable, Iterator, Optional, Sequence

from ..pipeline import Pipeline, build_pipeline, merge_stats
from .base import Runner
from .process import TASK, Rejected, RunOptions, RunResult, as_rows, process_many, warm
from .worker import PIPELINES

log = logging.getLogger(__name__)

_LOCAL = "local"  # the key of the local engine's pipeline in the worker's PIPELINES


def _init_worker(steps) -> None:
    # inherited from the parent (fork), else built here once (spawn start method)
    PIPELINES.get(_LOCAL, lambda: build_pipeline(steps))


def _work_many(raws):
    pipe = PIPELINES.get(_LOCAL, lambda: build_pipeline(None))
    rows = as_rows(process_many(raws, pipe))
    return rows, pipe.take_stats()


def process_stream(
    raws: Iterable, opts: RunOptions, pipeline: Optional[Pipeline] = None, stats: Optional[dict] = None, resources=None
) -> Iterator:
    """Yield each record processed (as the store's :class:`~marsad.store.db.Rows`) or Rejected, in
    input order, using ``opts.n_workers()`` processes.  The per-step counters of the work are
    added to ``stats`` (:func:`~marsad.pipeline.merge_stats`) when it is given.  The pipeline
    (default: ``opts.steps`` built with ``resources``, default the process's) is built once, here;
    forked workers inherit it."""
    n = opts.n_workers()
    if n <= 1:
        pipe = pipeline or build_pipeline(opts.steps, resources)
        it = iter(raws)
        while task := list(itertools.islice(it, TASK)):
            rows = as_rows(process_many(task, pipe))
            if stats is not None:
                merge_stats(stats, pipe.take_stats())
            yield from rows
        return
    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    fork = ctx.get_start_method() == "fork"
    if fork:
        pipe = pipeline or build_pipeline(opts.steps, resources)
        PIPELINES.put(_LOCAL, pipe)  # the workers inherit it
        warm(pipe)
        # the forked workers inherit every object as frozen (never visited by their garbage
        # collector), so a collection does not copy the parent's pages into each worker
        gc.freeze()
    try:
        pool = ctx.Pool(n, initializer=_init_worker, initargs=(opts.steps,))
    finally:
        if fork:
            gc.unfreeze()  # the parent's own objects stay collectable
    # a sliding window of small tasks: the pool always has work queued (no barrier between
    # chunks), results come back in input order, and at most n * 8 tasks of TASK records are
    # read ahead, so the input is streamed, never loaded whole
    it = iter(raws)
    pending: deque = deque()
    with pool:
        while True:
            task = list(itertools.islice(it, TASK))
            if task:
                pending.append(pool.apply_async(_work_many, (task,)))
            if pending and (not task or len(pending) >= n * 8):
                rows, st = pending.popleft().get()
                if stats is not None:
                    merge_stats(stats, st)
                yield from rows
            if not task and not pending:
                break


class LocalRunner(Runner):
    engine = "local"

    def config(self, paths: Sequence[str]) -> dict:
        return {"paths": list(paths), "published": self.opts.published, "workers": self.opts.workers}

    def writer(self, access, run_id: str):
        from ..store.db import Writer

        return Writer(access, run_id, self.opts.batch_size)

    def process(self, paths: Sequence[str], steps: list, writer, res: RunResult) -> None:
        from ..ingest import read_inputs

        for item in process_stream(
            read_inputs(paths, published=self.opts.published), self.opts, stats=res.step_stats, resources=self.resources
        ):
            res.seen += 1
            if isinstance(item, Rejected):
                res.reject(item.reason)
                writer.reject(item.source, item.reason, item.detail)
                log.warning("rejected %s: %s (%s)", item.source, item.reason, item.detail)
            else:
                writer.add(item)
            if self.progress:
                self.progress(1)
        writer.flush()

    def close(self, writer) -> None:
        writer.flush()
