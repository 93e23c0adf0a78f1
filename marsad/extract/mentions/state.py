"""The NER step's process-wide models: the tagger (loaded once, or None when its model is missing)
and the gazetteer of the current KB."""
from __future__ import annotations

import logging
import threading

from ..gazetteer import Gazetteer

log = logging.getLogger(__name__)

_STATE: dict = {"tagger": None, "tried": False, "gaz": None, "gaz_kb": None}
_LOCK = threading.Lock()


def get_tagger():
    """The NER tagger, loaded once per process; None (logged once) when the model is missing."""
    if not _STATE["tried"]:
        with _LOCK:
            if not _STATE["tried"]:
                try:
                    from ..ner.profiles import load_tagger
                    _STATE["tagger"] = load_tagger()
                except Exception as e:  # missing model files or runtime: gazetteer + NORP only
                    log.warning("NER model unavailable (%s); mentions come from the gazetteer and "
                                "nationality passes only", e)
                    _STATE["tagger"] = None
                _STATE["tried"] = True
    return _STATE["tagger"]


def set_tagger(tagger) -> None:
    """Use this tagger (or None: no model) in this process (tests, benchmarks)."""
    _STATE["tagger"], _STATE["tried"] = tagger, True


def get_gazetteer(kb) -> Gazetteer:
    if _STATE["gaz_kb"] is not kb:
        with _LOCK:
            if _STATE["gaz_kb"] is not kb:
                _STATE["gaz"] = Gazetteer(kb)
                _STATE["gaz_kb"] = kb
    return _STATE["gaz"]
