"""What every engine shares: the run's options and result, and an input record → a processed
Article (or a Rejected with its reason; the record becomes an Article in
:func:`marsad.ingest.to_article`).  The engines (:mod:`.local`, :mod:`.dask`) only decide
where :func:`process_many` runs and carry its results, and the pipeline's per-step counters, back
to the single writer (:mod:`.base`)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Optional, Sequence

from ..errors import InputError, MarsadError
from ..model import Article
from ..pipeline import Pipeline

log = logging.getLogger(__name__)


@dataclass
class RunOptions:
    """Everything a run can be told (one options object, not long keyword lists)."""

    db: str = "marsad.duckdb"
    published: Optional[date] = None
    workers: int = 0  # 0: all cores
    strict: bool = False
    steps: Optional[Sequence[str]] = None
    batch_size: int = 256
    engine: str = "local"  # local | dask
    scheduler: Optional[str] = None  # dask scheduler address
    shard_size: int = 200  # records per Dask shard (a worker holds one shard's rows)
    shard_dir: Optional[str] = None
    degrade: bool = False  # run without a shipped model that does not load (recorded)
    stories: bool = True  # place the new articles in stories at the end of the run
    story_params: Optional[object] = None  # marsad.stories.StoryParams (None: the defaults)

    def n_workers(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


@dataclass
class Rejected:
    source: str
    reason: str
    detail: str


@dataclass
class RunResult:
    """What a run did with its input units: ``seen`` = ``stored`` (new or replacing their own earlier
    article) + ``already`` (stored by an earlier run, unchanged) + ``duplicates`` (the text of another
    stored article: a ledger row) + ``rejected`` (a ledger row with the reason) + ``skipped``
    (Dask: in shards an interrupted earlier run already wrote)."""

    run_id: str = ""
    seen: int = 0
    skipped: int = 0
    stored: int = 0
    already: int = 0
    duplicates: int = 0
    replaced: int = 0
    rejected: int = 0
    reasons: dict = field(default_factory=dict)
    step_stats: dict = field(default_factory=dict)
    stories: Optional[object] = None  # marsad.stories.StoryUpdate, when the run placed its articles

    def summary(self) -> str:
        s = f"{self.seen} input(s): {self.stored} stored"
        if self.replaced:
            s += f" ({self.replaced} replacing their earlier text)"
        if self.already:
            s += f", {self.already} already stored"
        if self.duplicates:
            s += f", {self.duplicates} duplicate(s) of stored articles"
        if self.skipped:
            s += f", {self.skipped} in shards written before"
        return s + f", {self.rejected} rejected"

    def take(self, writer) -> None:
        """The writer's counts."""
        self.stored, self.duplicates, self.replaced, self.already = (
            writer.stored,
            writer.duplicates,
            writer.replaced,
            writer.already,
        )

    def reject(self, reason: str) -> None:
        self.rejected += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


def process_raw(raw, pipeline: Pipeline):
    """One input record → a processed Article, or a Rejected with its reason."""
    return process_many([raw], pipeline)[0]


def process_many(raws: Sequence, pipeline: Pipeline) -> list:
    """Input records → one processed Article or Rejected (with its reason) each, in order.  The
    pipeline sees the articles together (:meth:`Pipeline.run_many`); the results are those of
    processing each record alone."""
    from ..ingest import Reject, to_article

    out: list = [None] * len(raws)
    arts, pos = [], []
    for k, raw in enumerate(raws):
        if isinstance(raw, Reject):
            out[k] = Rejected(raw.source, raw.reason, raw.detail)
            continue
        try:
            arts.append(to_article(raw))
            pos.append(k)
        except MarsadError as e:
            out[k] = _rejected(raw, e)
        except Exception as e:  # a bug met by one input: that input's ledger row, the run goes on
            log.exception("cleaning %s failed", raw.source)
            out[k] = internal_error(raw.source, e)
    for k, res in zip(pos, pipeline.run_many(arts) if arts else ()):
        # tokens are derived (cheap to recompute) and not stored: drop them before the article
        # travels back from a worker and waits in the writer's batch
        out[k] = _rejected(raws[k], res) if isinstance(res, MarsadError) else replace(res, tokens=())
    return out


def internal_error(source: str, e: BaseException) -> Rejected:
    return Rejected(
        source, "internal-error", f"{type(e).__name__}: {e}"[:500] + " — marsad failed on this input; please report it"
    )


def _rejected(raw, e: MarsadError) -> Rejected:
    if isinstance(e, InputError):
        return Rejected(raw.source, getattr(e, "reason", "invalid"), str(e))
    return Rejected(raw.source, "pipeline-error", f"{type(e).__name__}: {e}")


TASK = 8  # records per task sent to a worker process, and per pipeline batch (run_many)


def warm(pipeline: Pipeline) -> None:
    """Run a tiny article through the pipeline so that every lazily loaded model and lexicon is in
    memory: forked workers then share those pages with the parent instead of loading their own."""
    from datetime import date as _d

    text = "عنوان\nالتقى وزير الخارجية الروسي نظيره السوري في دمشق أمس، وقال إن «المحادثات بناءة»."
    pipeline(Article(id="warm-up", text=text, headline="عنوان", body_start=6, published=_d(2020, 1, 2)))
    pipeline.take_stats()  # the warm-up article is no part of any run's counts


def as_rows(items: list) -> list:
    """Articles as the writer's rows (built where they were processed, so the writer only inserts)."""
    from ..store.db import to_rows

    out = []
    for x in items:
        try:
            out.append(to_rows(x) if isinstance(x, Article) else x)
        except Exception as e:
            out.append(internal_error(x.source or x.id, e))
    return out
