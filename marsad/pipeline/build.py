"""Chains of registered steps: the default pipeline, and the steps of given names.  The built-in
steps (:mod:`.steps`) are imported on first use (they load the extraction modules)."""
from __future__ import annotations

import logging
from typing import Iterable

from ..errors import ConfigError
from .core import REGISTRY, BASE_FIELDS, Pipeline

log = logging.getLogger(__name__)

# the default order of the full pipeline; steps whose module is not importable are skipped
DEFAULT_STEPS = ("segment", "ner", "actors", "times", "attributions", "quotes", "events", "quote_events")


def _load_builtin_steps() -> None:
    from . import steps  # noqa: F401  (registers the built-in steps)


def available_steps() -> list[str]:
    _load_builtin_steps()
    return list(REGISTRY)


def build_pipeline(names: Iterable[str] | None = None) -> Pipeline:
    """The pipeline of the given step names (default: every built-in step that is available)."""
    _load_builtin_steps()
    if names is None:
        # every available default step whose requirements an earlier one meets (without an NER
        # step, say, the steps that need mentions are left out)
        steps, have = [], set(BASE_FIELDS)
        for n in DEFAULT_STEPS:
            if n not in REGISTRY:
                continue
            s = REGISTRY[n]()
            lacking = [r for r in s.requires if r not in have]
            if lacking:
                log.warning("step %s left out: it needs %s, which no available step assigns", n, lacking)
                continue
            steps.append(s)
            have.update(s.assigns)
        return Pipeline(steps)
    return Pipeline(make_steps(names))


def make_steps(names: Iterable[str]) -> list:
    """The steps of the given names, in order, unchecked (:func:`~.core.analyze_steps` says what
    is wrong with a chain; :class:`~.core.Pipeline` refuses it)."""
    _load_builtin_steps()
    wanted = list(names)
    unknown = [n for n in wanted if n not in REGISTRY]
    if unknown:
        raise ConfigError(f"unknown step(s) {unknown}; available: {sorted(REGISTRY)}")
    return [REGISTRY[n]() for n in wanted]
