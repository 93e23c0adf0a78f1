"""The pipelines of a worker process, built once per process.

:data:`PIPELINES` is allowed module-level state (``tests/test_architecture.py``, ALLOWED_STATE;
like the default resources, :data:`marsad.resources.DEFAULT`): the task functions the engines send to their worker processes find the pipeline here.  The
local engine fills it before forking (the workers inherit the pipeline loaded and warm) or in the
pool's initializer (spawn); a Dask worker fills it on its first shard (or the fork server that
starts the workers preloads it: :mod:`marsad.run.preload`).
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional


class WorkerPipelines:
    """Pipelines by key (the tuple of step names, or None for the default chain)."""

    def __init__(self) -> None:
        self._by_key: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def get(self, key, build: Callable[[], Any]):
        """The pipeline of ``key``, built by ``build()`` the first time it is asked for."""
        try:
            return self._by_key[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._by_key:
                self._by_key[key] = build()
        return self._by_key[key]

    def put(self, key, pipeline) -> None:
        with self._lock:
            self._by_key[key] = pipeline

    def peek(self, key) -> Optional[Any]:
        return self._by_key.get(key)


PIPELINES = WorkerPipelines()
