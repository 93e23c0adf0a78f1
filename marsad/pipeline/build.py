"""Chains of registered steps: the default pipeline, and the steps of given names.  The built-in
steps (:mod:`.steps`) are imported on first use (they load the extraction modules)."""

from __future__ import annotations

import logging
from typing import Iterable

from ..errors import ConfigError
from ..resources import default_resources
from .core import REGISTRY, BASE_FIELDS, Pipeline

log = logging.getLogger(__name__)

# the default order of the full pipeline; steps whose module is not importable are skipped
DEFAULT_STEPS = ("segment", "ner", "actors", "times", "attributions", "quotes", "events", "quote_events")


def _load_builtin_steps() -> None:
    from . import steps  # noqa: F401  (registers the built-in steps)


def available_steps() -> list[str]:
    _load_builtin_steps()
    return list(REGISTRY)


def build_pipeline(names: Iterable[str] | None = None, resources=None) -> Pipeline:
    """The pipeline of the given step names (default: every built-in step that is available), its
    steps made with ``resources`` (a :class:`marsad.resources.Resources`; default: the process's,
    :func:`marsad.resources.default_resources`)."""
    _load_builtin_steps()
    res = resources if resources is not None else default_resources()
    if names is None:
        # every available default step whose requirements an earlier one meets (without an NER
        # step, say, the steps that need mentions are left out)
        steps, have = [], set(BASE_FIELDS)
        for n in DEFAULT_STEPS:
            if n not in REGISTRY:
                continue
            s = REGISTRY[n](res)
            lacking = [r for r in s.requires if r not in have]
            if lacking:
                log.warning("step %s left out: it needs %s, which no available step assigns", n, lacking)
                continue
            steps.append(s)
            have.update(s.assigns)
        return Pipeline(steps)
    return Pipeline(make_steps(names, res))


def make_steps(names: Iterable[str], resources=None) -> list:
    """The steps of the given names, in order, unchecked (:func:`~.core.analyze_steps` says what
    is wrong with a chain; :class:`~.core.Pipeline` refuses it), made with ``resources`` (default:
    the process's)."""
    _load_builtin_steps()
    res = resources if resources is not None else default_resources()
    wanted = list(names)
    unknown = [n for n in wanted if n not in REGISTRY]
    if unknown:
        raise ConfigError(f"unknown step(s) {unknown}; available: {sorted(REGISTRY)}")
    return [REGISTRY[n](res) for n in wanted]
