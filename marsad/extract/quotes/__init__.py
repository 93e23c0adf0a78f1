"""Quotes and attributions: reported speech, its speaker and content, and the outlets cited.

The public face of the stage (:class:`QuoteStep`, :class:`AttributionStep`); the modules inside are
its parts.
"""

from .attributions import AttributionStep, find_attributions, kb_media
from .step import QuoteStep, extract_quotes

__all__ = ["QuoteStep", "extract_quotes", "AttributionStep", "find_attributions", "kb_media"]
