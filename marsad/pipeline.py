"""Steps and the pipeline that runs them.

A step is any object with ``name``, ``requires`` and ``assigns`` (names of Article fields) and a
``__call__(article) -> article``.  Steps are registered by name; :func:`build_pipeline` assembles the
default chain, checking that each step's requirements are assigned by an earlier one.  The pipeline
keeps per-step counters (articles, items produced, seconds, failures).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Protocol, runtime_checkable

from .errors import ConfigError, MarsadError
from .model import Article

log = logging.getLogger(__name__)

BASE_FIELDS = frozenset({"id", "text", "headline", "byline", "outlet", "published", "body_start", "url",
                         "mentions"})  # mentions may stay empty when no NER step is available


@runtime_checkable
class Step(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, article: Article) -> Article: ...


_REGISTRY: dict[str, Callable[[], Step]] = {}

# the default order of the full pipeline; steps whose module is not importable are skipped
DEFAULT_STEPS = ("segment", "ner", "actors", "times", "attributions", "quotes", "events")


def register(name: str):
    """Decorator: register a step factory under ``name``."""
    def deco(factory):
        _REGISTRY[name] = factory
        return factory
    return deco


def _load_builtin_steps() -> None:
    from . import steps  # noqa: F401  (registers the built-in steps)


def available_steps() -> list[str]:
    _load_builtin_steps()
    return list(_REGISTRY)


@dataclass
class StepStats:
    articles: int = 0
    items: int = 0
    seconds: float = 0.0
    failures: int = 0


@dataclass
class Pipeline:
    steps: list[Step]
    stats: dict[str, StepStats] = field(default_factory=dict)

    def __post_init__(self) -> None:
        have = set(BASE_FIELDS)
        for s in self.steps:
            missing = [r for r in s.requires if r not in have]
            if missing:
                raise ConfigError(f"step {s.name!r} needs {missing}, which no earlier step assigns; "
                                  f"put the steps that assign them before it")
            have.update(s.assigns)
            self.stats.setdefault(s.name, StepStats())

    def __call__(self, article: Article) -> Article:
        for s in self.steps:
            article = self._step(s, article)
        return article

    def _step(self, s: Step, article: Article) -> Article:
        st = self.stats[s.name]
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
        self._count(s, st, (article,))
        return article

    @staticmethod
    def _count(s: Step, st: StepStats, articles) -> None:
        st.articles += len(articles)
        st.items += sum(len(getattr(a, f)) for a in articles for f in s.assigns
                        if isinstance(getattr(a, f, None), tuple))

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
                    log.info("step %s: batch of %d failed (%s: %s); running it article by article",
                             s.name, len(live), type(e).__name__, e)
                else:
                    st.seconds += time.perf_counter() - t0
                    self._count(s, st, res)
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


def build_pipeline(names: Iterable[str] | None = None) -> Pipeline:
    """The pipeline of the given step names (default: every built-in step that is available)."""
    _load_builtin_steps()
    wanted = list(names) if names is not None else [n for n in DEFAULT_STEPS if n in _REGISTRY]
    unknown = [n for n in wanted if n not in _REGISTRY]
    if unknown:
        raise ConfigError(f"unknown step(s) {unknown}; available: {sorted(_REGISTRY)}")
    return Pipeline([_REGISTRY[n]() for n in wanted])
