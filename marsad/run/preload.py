"""Imported once by the fork server that starts the workers of a local Dask cluster
(:class:`marsad.run.dask.DaskRunner`): it loads and warms the default pipeline, so that
every worker forked from that server shares the models' and lexicons' pages instead of loading
its own copy (the local engine gets the same sharing by forking its workers after warming).

Any failure here only costs the sharing: each worker then loads what it needs itself."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

try:
    from .process import warm
    from ..pipeline import build_pipeline

    warm(build_pipeline())  # the default resources, loaded here, are inherited by every worker
    import gc

    gc.freeze()  # workers forked from here never collect (so never copy) these objects
except Exception as e:  # noqa: BLE001 - see the module docstring
    log.warning(
        "preloading the pipeline for Dask workers failed (%s: %s); workers load it themselves", type(e).__name__, e
    )
