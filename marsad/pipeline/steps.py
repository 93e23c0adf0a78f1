"""The built-in pipeline steps.  Each wraps one extraction module; a step whose module is not
available is not registered, and the pipeline runs without it.  Every factory is called with the
pipeline's :class:`marsad.resources.Resources` and hands each step the parts it uses."""

from __future__ import annotations

import logging
from dataclasses import replace

from ..model import Article
from .core import register, registered
from ..text.segment import segment, tokenize

log = logging.getLogger(__name__)


class SegmentStep:
    name = "segment"
    requires = ("text",)
    assigns = ("sentences", "tokens")

    def __call__(self, a: Article) -> Article:
        sents = segment(a.text)
        # the headline is its own sentence even without final punctuation (it ends at the newline)
        return replace(a, sentences=sents, tokens=tokenize(a.text, sents))


register("segment")(lambda res: SegmentStep())


def _optional(name: str, factory_path: str, make) -> None:
    """Register a step whose implementation lives in an extraction module, if it imports:
    ``make(step class, resources)`` builds it."""
    mod, _, attr = factory_path.rpartition(".")
    try:
        module = __import__(mod, fromlist=[attr])
        factory = getattr(module, attr)
    except ModuleNotFoundError as e:  # the layer has not landed: run without it
        if e.name and not mod.startswith(e.name):
            raise
        log.debug("step %s unavailable: %s", name, e)
        return
    register(name)(lambda res: make(factory, res))


_optional("ner", "marsad.extract.mentions.NerStep", lambda cls, res: cls(res.kb, res.tagger))
_optional("actors", "marsad.extract.actors.ActorStep", lambda cls, res: cls(res.kb))


class TimeStep:
    """Time expressions resolved against the publication date."""

    name = "times"
    requires = ("text",)
    assigns = ("times",)

    def __init__(self):
        from ..extract.time import find_times

        self._find = find_times

    def __call__(self, a: Article) -> Article:
        return replace(a, times=tuple(self._find(a.text, a.published)))


try:
    from ..extract.time import find_times as _ft  # noqa: F401

    register("times")(lambda res: TimeStep())
except ImportError as _e:  # the time layer has not landed
    log.debug("step times unavailable: %s", _e)
_optional("attributions", "marsad.extract.quotes.AttributionStep", lambda cls, res: cls(res.kb))
_optional("quotes", "marsad.extract.quotes.QuoteStep", lambda cls, res: cls(res.kb))
_optional(
    "events",
    "marsad.extract.events.EventStep",
    lambda cls, res: cls(res.detector, kb=res.kb, lexicon=res.lexicon, model=res.event_model),
)


class QuoteEventStep:
    """Each quote linked to its events: those triggered inside it, and its speaker's acts that
    start inside it or up to 300 characters before it (``Quote.events``)."""

    name = "quote_events"
    requires = ("quotes", "events")
    assigns = ("quotes",)

    def __init__(self):
        from ..extract.events import link_quote_events

        self._link = link_quote_events

    def __call__(self, a: Article) -> Article:
        return self._link(a)


if "events" in registered():
    register("quote_events")(lambda res: QuoteEventStep())
