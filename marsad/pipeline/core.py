"""Steps and the pipeline that runs them.

A step is any object with ``name``, ``requires`` and ``assigns`` (names of Article fields) and a
``__call__(article) -> article``.  The contract: a step reads of the article only the base fields
(what cleaning gives) and its ``requires``, and changes only its ``assigns``
(``tests/test_steps_contract.py`` holds every built-in step to it).  Steps are registered by name;
:func:`~.build.build_pipeline` assembles the default chain, checking that every name is a field of
:class:`~marsad.model.Article` and that each step's requirements are assigned by an earlier one
(:func:`analyze_steps`, printed by ``marsad steps``).  The pipeline keeps per-step counters
(articles, items added, seconds, failures), which the engines carry back from their workers
(:meth:`Pipeline.take_stats`, :func:`merge_stats`) into the run's record.

This module depends on no step: the built-in steps (:mod:`.steps`) register themselves here, and
:mod:`.build` assembles chains of them.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Callable, Iterable, Protocol, runtime_checkable

from ..errors import ConfigError, MarsadError
from .. import model
from ..model import Article

log = logging.getLogger(__name__)

# what cleaning gives every article before any step runs
BASE_FIELDS = frozenset(model.BASE_FIELDS)
ARTICLE_FIELDS = frozenset(f.name for f in fields(Article))


@runtime_checkable
class Step(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, article: Article) -> Article: ...


REGISTRY: dict[str, Callable[[Any], Step]] = {}  # name -> factory(resources)


def register(name: str):
    """Decorator: register a step factory under ``name``; it is called with the pipeline's
    :class:`marsad.resources.Resources` (and takes what it needs from them)."""

    def deco(factory):
        REGISTRY[name] = factory
        return factory

    return deco


def registered() -> list[str]:
    """The names registered so far (without loading the built-in steps)."""
    return list(REGISTRY)


@dataclass
class StepStats:
    articles: int = 0
    items: int = 0
    seconds: float = 0.0
    failures: int = 0


def merge_stats(into: dict, more: dict) -> dict:
    """Add the per-step counters ``more`` ({step: {articles, items, seconds, failures}}, as
    :meth:`Pipeline.take_stats` gives them) to ``into``; returns ``into``."""
    for name, st in more.items():
        cur = into.setdefault(name, {k: 0 for k in ("articles", "items", "seconds", "failures")})
        for k in ("articles", "items", "failures"):
            cur[k] = cur.get(k, 0) + int(st.get(k, 0))
        cur["seconds"] = round(cur.get("seconds", 0.0) + float(st.get("seconds", 0.0)), 6)
    return into


def analyze_steps(steps) -> list[dict]:
    """The table of ``steps`` in order: for each its name, what it reads (``requires``) and writes
    (``assigns``), whether it has a ``batch`` method, and the problems of its contract: names that
    are no field of Article, and requirements that no earlier step assigns (nor cleaning gives)."""
    have = set(BASE_FIELDS)
    rows = []
    for s in steps:
        unknown = [f for f in tuple(s.requires) + tuple(s.assigns) if f not in ARTICLE_FIELDS]
        missing = [r for r in s.requires if r in ARTICLE_FIELDS and r not in have]
        rows.append(
            {
                "name": s.name,
                "requires": list(s.requires),
                "assigns": list(s.assigns),
                "batch": callable(getattr(s, "batch", None)),
                "unknown": unknown,
                "missing": missing,
            }
        )
        have.update(s.assigns)
    return rows


@dataclass
class Pipeline:
    steps: list[Step]
    stats: dict[str, StepStats] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in analyze_steps(self.steps):
            if row["unknown"]:
                raise ConfigError(
                    f"step {row['name']!r} names {row['unknown']}, which are not fields of "
                    f"Article; requires and assigns name Article fields"
                )
            if row["missing"]:
                raise ConfigError(
                    f"step {row['name']!r} needs {row['missing']}, which no earlier step "
                    f"assigns; put the steps that assign them before it"
                )
        for s in self.steps:
            self.stats.setdefault(s.name, StepStats())

    def take_stats(self) -> dict:
        """The per-step counters since the last take, as plain dicts in step order; resets them."""
        out = {}
        for s in self.steps:
            out[s.name] = asdict(self.stats[s.name])
            self.stats[s.name] = StepStats()
        return out

    def __call__(self, article: Article) -> Article:
        for s in self.steps:
            article = self._step(s, article)
        return article

    def _step(self, s: Step, article: Article) -> Article:
        st = self.stats[s.name]
        before = article
        t0 = time.perf_counter()
        try:
            article = s(article)
        except MarsadError:
            st.failures += 1
            raise
        except Exception as e:  # a bug in a step must not lose the article: record and go on
            st.failures += 1
            log.exception("step %s failed on article %s", s.name, article.id)
            article = replace(article, meta=article.meta + ((f"error:{s.name}", f"{type(e).__name__}: {e}"),))
        st.seconds += time.perf_counter() - t0
        self._count(s, st, (before,), (article,))
        return article

    @staticmethod
    def _count(s: Step, st: StepStats, before, after) -> None:
        """``articles`` passed the step; ``items``: what it added to the layers it assigns (a
        step that rewrites a layer, such as ``actors`` resolving the mentions, adds none to it)."""
        st.articles += len(after)
        st.items += sum(
            len(getattr(b, f)) - len(getattr(a, f))
            for a, b in zip(before, after)
            for f in s.assigns
            if isinstance(getattr(b, f, None), tuple)
        )

    def run_many(self, articles: list[Article]) -> list:
        """The pipeline over several articles, one step at a time: a step with a ``batch(articles)
        -> articles`` method sees them all at once (the NER tags every sentence in one pass), the
        others each article in turn.  Gives what calling the pipeline on each article gives: an
        Article per input, or the MarsadError that stopped it.  Should a batch call fail, the step
        runs again article by article, so one bad article cannot fail the others."""
        out: list = list(articles)
        for s in self.steps:
            live = [i for i, a in enumerate(out) if isinstance(a, Article)]
            if not live:
                break
            many = getattr(s, "batch", None)
            if many is not None and len(live) > 1:
                st = self.stats[s.name]
                t0 = time.perf_counter()
                try:
                    res = list(many([out[i] for i in live]))
                    if len(res) != len(live):
                        raise RuntimeError(f"batch returned {len(res)} articles for {len(live)}")
                except Exception as e:
                    log.info(
                        "step %s: batch of %d failed (%s: %s); running it article by article",
                        s.name,
                        len(live),
                        type(e).__name__,
                        e,
                    )
                else:
                    st.seconds += time.perf_counter() - t0
                    self._count(s, st, [out[i] for i in live], res)
                    for i, a in zip(live, res):
                        out[i] = a
                    continue
            for i in live:
                try:
                    out[i] = self._step(s, out[i])
                except MarsadError as e:
                    out[i] = e
        return out

    def run(self, articles: Iterable[Article]):
        for a in articles:
            yield self(a)

    def names(self) -> list[str]:
        return [s.name for s in self.steps]
