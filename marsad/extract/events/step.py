"""Events: who did what to whom, where and when — PLOVER-coded, located, dated and cited.

:class:`EventStep` finds lexicon triggers (:mod:`.lexicon`) in the body sentences, checks each
trigger's conditions, reads its status (realized | negated | planned | conditional), its source and
target actors from the resolved mentions (the most specific actor: person > organization > state),
its location (:mod:`.places`), its date (a time expression of the sentence, else the publication date
with ``date_from_published``) and cuts a verbatim evidence clause of 30–200 characters.  ASSAULT and
PROTEST triggers are confirmed by the sentence detector of :mod:`.gsr` when the step is given one.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from ...model import Article
from .assemble import clause, finish  # noqa: F401  (the rule reading's parts, read by bench/ and tests)
from .coding import run_learned
from .context import EventContext
from .lexicon import read_lexicon
from .reading import code, run  # noqa: F401


class EventStep:
    name = "events"
    requires = ("sentences", "mentions", "times", "quotes")
    assigns = ("events",)

    def __init__(self, detector=None, min_detector: float = 0.2, kb=None, lexicon=None, model=None):
        """``detector``: the GSR sentence detector (None: the lexicon only); ``kb``: the actor KB
        that geocodes places and maps capitals to their states (None: names only); ``lexicon``:
        the trigger lexicon (:class:`.lexicon.Lexicon`; None: the shipped one, read now);
        ``model``: the learned event model (:func:`.learned.load`; None: the rules alone, the
        default reading).  The pipeline hands them from its :class:`marsad.resources.Resources`
        (``MARSAD_EVENTS=learned`` or ``marsad run --events learned`` for the learned reading)."""
        self.model = model
        self.detector = detector
        self.min_detector = min_detector
        self.kb = kb
        self.lexicon = lexicon if lexicon is not None else read_lexicon()

    def __call__(self, a: Article) -> Article:
        if not a.sentences or not a.text:
            return replace(a, events=())
        # the learned model may carry its own gate for the GSR detector (its rule reading included)
        gate = getattr(self.model, "min_detector", None)
        ctx = EventContext(a, self.detector, self.min_detector if gate is None else gate, self.kb, self.lexicon)
        return replace(a, events=tuple(run_learned(ctx, self.model) if self.model is not None else run(ctx)))


def link_quote_events(a: Article) -> Article:
    """The article with each quote linked to its events (the ``quote_events`` step)."""
    return replace(a, quotes=_quote_events(a.quotes, a.events)) if a.quotes else a


def _quote_events(quotes: tuple, events: tuple) -> tuple:
    """Each quote with the indexes of its events: those triggered inside it, and its speaker's
    acts that start inside it or up to 300 characters before it.  The events near a quote are
    found by bisection over their trigger starts and their starts, then checked as a scan of all
    of them would (a scan per quote was quadratic in the length of the text)."""
    by_trigger = sorted((e.trigger_start, i) for i, e in enumerate(events))
    by_start = sorted((e.start, i) for i, e in enumerate(events))
    out = []
    for q in quotes:
        near = {
            i
            for _, i in by_trigger[
                bisect.bisect_left(by_trigger, (q.start, -1)) : bisect.bisect_left(by_trigger, (q.end, -1))
            ]
        }
        if q.speaker_actor:
            near.update(
                i
                for _, i in by_start[
                    bisect.bisect_right(by_start, (q.start - 300, len(events))) : bisect.bisect_left(
                        by_start, (q.end, -1)
                    )
                ]
            )
        out.append(
            replace(
                q,
                events=tuple(
                    i
                    for i in sorted(near)
                    if q.start <= events[i].trigger_start < q.end
                    or (
                        q.speaker_actor
                        and q.speaker_actor in events[i].source_ids
                        and q.start - 300 < events[i].start < q.end
                    )
                ),
            )
        )
    return tuple(out)
