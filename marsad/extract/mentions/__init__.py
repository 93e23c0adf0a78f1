"""Mention finding: NER, gazetteer and pattern candidates, resolved into the article's mentions.

The public face of the stage (:class:`NerStep`); the modules inside are its parts.  The KB and the
tagger are handed in (the pipeline takes them from its :class:`marsad.resources.Resources`).
"""

from .step import NerStep, extract_mentions

__all__ = ["NerStep", "extract_mentions"]
