"""Running the pipeline over inputs into the store: what both engines share (:mod:`.process`:
options, results, a record → an Article; :mod:`.base`: the runner and the run's record), the
local engine (:mod:`.local`) and the Dask engine (:mod:`.dask`, with :mod:`.preload` for its
workers)."""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from .process import Rejected, RunOptions, RunResult, process_many, process_raw

__all__ = ["run", "RunOptions", "RunResult", "Rejected", "process_many", "process_raw"]


def run(paths: Sequence[str], opts: RunOptions, progress: Optional[Callable[[int], None]] = None) -> RunResult:
    """Ingest and process ``paths`` into the store ``opts.db`` with the engine ``opts.engine``.
    Every input unit ends stored or in the rejects ledger; what was processed is written on every
    way out (an error, an interrupt)."""
    from .. import preflight

    preflight.check(opts.engine, model=not opts.degrade)
    if opts.engine == "dask":
        from .dask import DaskRunner

        return DaskRunner(opts, progress).run(paths)
    from .local import LocalRunner

    return LocalRunner(opts, progress).run(paths)
