"""The pipeline: the step contract, the registry and the runner of steps (:mod:`.core`), the
built-in steps (:mod:`.steps`, loaded on first use) and the chains of them (:mod:`.build`)."""

from .build import DEFAULT_STEPS, available_steps, build_pipeline, make_steps
from .core import BASE_FIELDS, Pipeline, Step, StepStats, analyze_steps, merge_stats, register, registered

__all__ = [
    "BASE_FIELDS",
    "DEFAULT_STEPS",
    "Pipeline",
    "Step",
    "StepStats",
    "analyze_steps",
    "available_steps",
    "build_pipeline",
    "make_steps",
    "merge_stats",
    "register",
    "registered",
]
