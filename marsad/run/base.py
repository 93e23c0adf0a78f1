"""The runner both engines share: the store opened for writing for the whole run, the run's
record opened and closed (with what it saw, stored and rejected, and the per-step counters
merged from every worker), and the single writer.  An engine says only how the inputs are
processed and their results handed to the writer (:meth:`Runner.process`)."""

from __future__ import annotations

import logging
from typing import Callable, Optional, Sequence

from ..extract.ner.profiles import current_profile
from .process import RunOptions, RunResult

log = logging.getLogger(__name__)


class Runner:
    engine = ""

    def __init__(self, opts: RunOptions, progress: Optional[Callable[[int], None]] = None):
        self.opts = opts
        self.progress = progress
        self._resources = None

    @property
    def resources(self):
        """The run's :class:`~marsad.resources.Resources`: the process's default ones, or with
        ``opts.degrade`` ones loaded now that stand in for what does not load (what is missing is
        logged and recorded in the run's config)."""
        if self._resources is None:
            from ..resources import Resources, default_resources

            self._resources = Resources.load(allow_missing=True) if self.opts.degrade else default_resources()
        return self._resources

    def run_config(self, paths: Sequence[str]) -> dict:
        cfg = self.config(paths)
        res = self.resources
        cfg["readings"] = {"ner_profile": res.ner_profile or current_profile(), "events": res.events}
        if self.opts.degrade:
            cfg["degraded"] = dict(self.resources.missing)  # part -> why it did not load
        return cfg

    # --- what an engine says ---------------------------------------------------------------------
    def config(self, paths: Sequence[str]) -> dict:
        """The run's configuration as recorded in ``runs``."""
        return {"paths": list(paths), "published": self.opts.published}

    def prepare(self, con) -> None:
        """Read what the engine needs from the store before the writer starts."""

    def writer(self, access, run_id: str):
        from ..store.db import Writer

        return Writer(access, run_id)

    def process(self, paths: Sequence[str], steps: list, writer, res: RunResult) -> None:
        raise NotImplementedError

    def close(self, writer) -> None:
        """On every way out, before the run's record is closed (what is still buffered)."""

    def place_stories(self, access, res: RunResult) -> None:
        """The stored articles not yet in a story join one (a failure here loses no article: the
        next run places them)."""
        from ..stories import StoryParams, update_stories
        from ..errors import MarsadError

        docfreq = self.resources.docfreq
        if docfreq is None:  # a degraded run without the story word frequencies
            log.warning("stories were not updated: the story word frequencies did not load")
            return
        try:
            with access.connection() as con:
                res.stories = update_stories(con, docfreq, params=self.opts.story_params or StoryParams())
        except (MarsadError, OSError) as e:
            log.warning("stories were not updated: %s", e)

    # --- the run ---------------------------------------------------------------------------------
    def run(self, paths: Sequence[str]) -> RunResult:
        from ..pipeline import build_pipeline
        from ..store.db import WriteAccess, finish_run, start_run

        opts = self.opts
        steps = list(opts.steps) if opts.steps is not None else build_pipeline(None, self.resources).names()
        res = RunResult()
        # the store is ours to write for the whole run (a second writer is refused), but readers
        # (`marsad search`, `marsad serve`) get it between batches whenever they ask for it
        with WriteAccess(opts.db) as access:
            with access.connection() as con:
                res.run_id = start_run(con, self.run_config(paths), self.engine, steps)
                self.prepare(con)
            writer = self.writer(access, res.run_id)
            access.release()  # the workers start now (seconds): readers need not wait for them
            status = "failed"
            try:
                self.process(paths, steps, writer, res)
                status = "done"
            finally:
                try:
                    self.close(writer)  # what was processed before an error or an interrupt is kept
                finally:
                    res.take(writer)
                    with access.connection() as con:
                        finish_run(
                            con,
                            res.run_id,
                            res.stored,
                            res.duplicates,
                            res.rejected,
                            status,
                            step_stats=res.step_stats,
                            seen=res.seen,
                            already=res.already,
                            replaced=res.replaced,
                        )
            if status == "done" and opts.stories:
                self.place_stories(access, res)
        return res
