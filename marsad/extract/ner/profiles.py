"""NER profiles: ``fast`` (the BiLSTM-CRF of ``marsad/resources/ner``, the default) and
``accurate`` (the fine-tuned e5-small encoder of ``marsad/resources/encoder``, see
:mod:`marsad.extract.encoder`, read together with the BiLSTM-CRF at the weight its folder's
``encoder.json`` keeps, :mod:`.combined`; a folder without that weight is read alone).  All
taggers have the same ``tag(sentences)`` interface.

The profile of a run comes from the caller or from the ``MARSAD_NER_PROFILE`` environment
variable (what ``marsad run --ner-profile`` sets, so that worker processes see it too)."""

from __future__ import annotations

import os
from pathlib import Path

from marsad.errors import ConfigError

PROFILES = ("fast", "accurate")
ENV = "MARSAD_NER_PROFILE"


def current_profile() -> str:
    p = os.environ.get(ENV) or "fast"
    if p not in PROFILES:
        raise ConfigError(f"{ENV}={p!r} is not a NER profile (choose one of {', '.join(PROFILES)})")
    return p


def is_encoder_dir(path: str | Path) -> bool:
    return (Path(path) / "encoder.json").is_file()


def load_tagger(
    profile: str | None = None, path: str | Path | None = None, threads: int = 1, encoder_alone: bool = False
):
    """The tagger of ``profile`` (default: :func:`current_profile`), or of the model folder
    ``path`` (an encoder folder is recognised by its ``encoder.json``).  ``encoder_alone``: the
    encoder without the BiLSTM-CRF, even where its folder has a ``combine`` weight."""
    if path is not None:
        profile = "accurate" if is_encoder_dir(path) else "fast"
    profile = profile or current_profile()
    if profile not in PROFILES:
        raise ConfigError(f"{profile!r} is not a NER profile (choose one of {', '.join(PROFILES)})")
    if profile == "accurate":
        from marsad.extract.encoder.tagger import E5Tagger, default_model_dir

        from .combined import combine_settings, load_combined

        folder = Path(path) if path is not None else default_model_dir()
        if not encoder_alone and is_encoder_dir(folder) and combine_settings(folder):
            return load_combined(folder, threads=threads)
        return E5Tagger.load(folder, threads=threads)
    from .model import NerTagger

    return NerTagger.load(path, threads=threads)
