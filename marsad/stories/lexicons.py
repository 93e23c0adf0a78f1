"""Where the story layers find the shipped actor label lexicon and its per-text counts: on the
process's default :class:`~marsad.resources.Resources` (loaded once, no module-level state)."""

from __future__ import annotations


def matcher():
    """The :class:`~marsad.stories.labels.LabelMatcher` of the shipped lexicon."""
    from ..resources import default_resources

    return default_resources().labels


def term_memo() -> dict:
    """content hash -> lexicon term counts of that text (a text never changes under its hash)."""
    from ..resources import default_resources

    return default_resources().derived("label_terms", dict)
