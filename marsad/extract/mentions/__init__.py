"""Mention finding: NER, gazetteer and pattern candidates, resolved into the article's mentions.

The public face of the stage (:class:`NerStep`, the tagger it uses); the modules inside are its parts.
"""
from .state import get_gazetteer, get_tagger, set_tagger
from .step import NerStep, extract_mentions

__all__ = ["NerStep", "extract_mentions", "get_tagger", "set_tagger", "get_gazetteer"]
