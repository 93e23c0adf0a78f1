"""Events: trigger lexicon, the event-sentence detector, roles, conditions, evidence and places.

The public face of the stage (:class:`EventStep`, the lexicon look-ups, place look-ups).  The PLOVER /
ACLED / GeoJSON export formats live in :mod:`.plover`, imported by the store's exporter.
"""

from .lexicon import PLOVER_TYPES, Lexicon, Trigger, find_triggers, load_lexicon, read_lexicon
from .places import Place, PlaceFinder, geocode, state_of
from .step import EventStep, link_quote_events

__all__ = [
    "EventStep",
    "link_quote_events",
    "PLOVER_TYPES",
    "Trigger",
    "find_triggers",
    "load_lexicon",
    "Lexicon",
    "read_lexicon",
    "Place",
    "PlaceFinder",
    "geocode",
    "state_of",
]
