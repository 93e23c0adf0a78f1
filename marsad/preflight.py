"""Start-up checks: before a run reads anything, every part it will need must load, so a missing
package or model stops the run at once with one line saying what is missing and how to install it,
instead of a traceback in a worker half-way through the input."""

from __future__ import annotations

import importlib

from .errors import MarsadError, SetupError

# (module, what needs it, how to install it)
_PACKAGES = (
    ("lxml_html_clean", "reading HTML input", "pip install lxml_html_clean"),
    ("trafilatura", "reading HTML input", "pip install trafilatura"),
    ("onnxruntime", "the NER model", "pip install onnxruntime"),
    ("duckdb", "the store", "pip install duckdb"),
    ("pyarrow", "the store", "pip install pyarrow"),
)
_DASK = (("distributed", "the Dask engine", "pip install 'dask[distributed]'"),)


def problems(engine: str = "local", model: bool = True) -> list[str]:
    """What cannot be loaded, one sentence each (empty: all is well)."""
    out = []
    for mod, need, how in _PACKAGES + (_DASK if engine == "dask" else ()):
        try:
            importlib.import_module(mod)
        except Exception as e:  # ImportError, or a broken install raising anything on import
            out.append(
                f"{need} needs the Python package {mod!r}, which cannot be imported ({type(e).__name__}: {e}); "
                f"install it with `{how}` (or reinstall marsad: `pip install -e .`)"
            )
    if model and not out:
        # every shipped model a run loads, loaded here into the process's default resources (which
        # the run then uses); a ModelError says how to fix what does not load
        from .resources import PARTS, default_resources

        res = default_resources()
        for part in PARTS:
            try:
                getattr(res, part)
            except MarsadError as e:
                out.append(str(e))
    return out


def check(engine: str = "local", model: bool = True) -> None:
    """Raise :class:`SetupError` naming the first thing that cannot be loaded."""
    found = problems(engine, model)
    if found:
        more = f" (and {len(found) - 1} more: run `marsad doctor`)" if len(found) > 1 else ""
        raise SetupError(found[0] + more)
