"""Arabic text layer: normalization (a view with an offset map), segmentation, tokens."""

from .normalize import Normalized, norm_key, normalize  # noqa: F401
