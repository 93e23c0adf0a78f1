"""Shared by tests: load a script (a bench or resource builder) as a module by its path."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_script(path, name: str | None = None):
    path = Path(path)
    spec = importlib.util.spec_from_file_location(name or f"script_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def shipped_encoder_dir():
    """The shipped encoder folder of the `accurate` profile; skips the test when it is not there."""
    import pytest

    from marsad.extract.encoder.tagger import FILES, default_model_dir

    d = default_model_dir()
    if not all((d / f).is_file() for f in FILES):
        pytest.skip("no shipped encoder model")
    return d
