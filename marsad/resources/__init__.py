"""The run's resources: one :class:`Resources` object owns what the pipeline's steps load and share.

* ``kb`` — the actor KB (``kb/``, :func:`marsad.extract.kb.load_kb`); the memos of the look-ups
  over it, its gazetteer and its media outlets live on the KB object
  (:func:`marsad.extract.kb.memos_of`), so they come and go with it;
* ``tagger`` — the NER tagger of the run's profile (``ner/`` or ``encoder/``,
  :func:`marsad.extract.ner.profiles.load_tagger`; ``MARSAD_NER_PROFILE`` when no profile is given);
* ``lexicon`` — the event trigger lexicon (``lexicons/event_triggers.tsv``, compiled, with its memo);
* ``detector`` — the GSR sentence detector of the event step (``events/gsr_weights.json``), its
  features over that lexicon;
* ``docfreq`` — the word document frequencies stories are compared with
  (``stories/docfreq.tsv.gz``, :class:`marsad.stories.DocFreq`);
* ``event_model`` — the learned event model (``events/learned/``, :func:`marsad.extract.events.learned.load`)
  when the run reads events the learned way (``events="learned"``, ``MARSAD_EVENTS=learned``,
  ``marsad run --events learned``); None for the rules, the default reading;
* ``labels`` — the actor label lexicon of the framing profiles (``lexicons/actor_labels.tsv``,
  :class:`marsad.stories.labels.LabelMatcher`).

Each part is loaded on first use, once, under a lock; :meth:`Resources.load` loads them all at once.
A shipped part that does not load raises :class:`~marsad.errors.ModelError` saying how to fix it.
Running without it is explicit: ``Resources(allow_missing=True)`` (``marsad run --degrade``) puts
the part's stand-in in its place (an :class:`~marsad.extract.actors.EmptyKB`, no tagger, no
detector), logs a warning and records why in :attr:`Resources.missing`.

The pipeline is built with one (:func:`marsad.pipeline.build_pipeline`); the engines build it once
per worker process (forked workers inherit it loaded).  Code without a run of its own
(``marsad.process()``, the readers' name look-ups, a pipeline built without resources) shares the
process's default, :func:`default_resources`, held in one slot (:data:`DEFAULT`); with the engines'
worker pipeline (:mod:`marsad.run.worker`) it is the only module-level state that holds what a run
loads (``tests/test_architecture.py`` lists the few module-level mutable objects allowed).
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Optional

from ..errors import ConfigError, ModelError
from ..extract.kb import KnowledgeBase

log = logging.getLogger(__name__)

__all__ = ["Resources", "KnowledgeBase", "default_resources", "DEFAULT"]

_UNSET: Any = object()  # a part not given: load it on first use
PARTS = ("kb", "tagger", "lexicon", "detector", "docfreq", "labels", "event_model")


def load_kb():
    from ..extract.kb import KB_DIR, load_kb as read

    try:
        return read()
    except Exception as e:  # KBError (a ModelError) or a file that cannot be read at all
        raise ModelError(
            f"the shipped actor KB ({KB_DIR}) cannot be read ({type(e).__name__}: {e}); "
            "restore marsad/resources/kb/ (`git checkout marsad/resources/kb`) or reinstall "
            "marsad (`pip install -e .`); `marsad run --degrade` runs without it"
        ) from e


def load_tagger(profile: Optional[str] = None):
    from ..extract.ner.profiles import current_profile, load_tagger as load

    profile = profile or current_profile()  # a bad profile name is a ConfigError, raised as is
    try:
        return load(profile)
    except ConfigError:
        raise
    except Exception as e:  # missing or corrupt model files, or no onnxruntime
        how = "`marsad train encoder`" if profile == "accurate" else "`marsad train ner`"
        raise ModelError(
            f"the NER model of profile {profile!r} cannot be loaded ({type(e).__name__}: {e}); "
            f"reinstall marsad (`pip install -e .`) or rebuild the model with {how}; "
            "`marsad run --degrade` runs without it"
        ) from e


def load_lexicon():
    from ..extract.events.lexicon import LEXICON, read_lexicon

    try:
        return read_lexicon()
    except Exception as e:  # LexiconError (a malformed row) or a file that cannot be read
        raise ModelError(
            f"the shipped event lexicon ({LEXICON}) cannot be read ({type(e).__name__}: {e}); "
            "fix the row it names, or restore it (`git checkout marsad/resources/lexicons`)"
        ) from e


def load_detector(lexicon=None):
    from ..extract.events.gsr import WEIGHTS, load_detector as load

    lexicon = lexicon if lexicon is not None else load_lexicon()
    try:
        det = load(lexicon=lexicon)
    except Exception as e:  # unreadable or not a weights file
        raise ModelError(
            f"the GSR detector weights ({WEIGHTS}) cannot be read ({type(e).__name__}: {e}); "
            "restore them (`git checkout marsad/resources/events`) or rebuild them with "
            "`python bench/gsr.py --train`; `marsad run --degrade` runs without them"
        ) from e
    if det is None:
        raise ModelError(
            f"no GSR detector weights at {WEIGHTS}; restore them (`git checkout "
            "marsad/resources/events`) or rebuild them with `python bench/gsr.py --train`; "
            "`marsad run --degrade` runs without them"
        )
    return det


def load_docfreq():
    from ..stories.docfreq import DocFreq

    return DocFreq.load()  # a ModelError naming `marsad train stories` when it cannot be read


def load_labels():
    from ..stories.labels import LEXICON, LabelMatcher, read_lexicon

    try:
        return LabelMatcher(read_lexicon())
    except Exception as e:  # a malformed row or a file that cannot be read
        raise ModelError(
            f"the actor label lexicon ({LEXICON}) cannot be read ({type(e).__name__}: {e}); "
            "fix the row it names, or restore it (`git checkout marsad/resources/lexicons`)"
        ) from e


EVENT_READINGS = ("rules", "learned")


def event_reading(name: Optional[str] = None) -> str:
    import os

    name = name or os.environ.get("MARSAD_EVENTS") or "rules"
    if name not in EVENT_READINGS:
        raise ConfigError(f"unknown event reading {name!r} (MARSAD_EVENTS / --events): choose rules or learned")
    return name


def load_event_model(reading: Optional[str] = None):
    if event_reading(reading) != "learned":
        return None
    from ..extract.events.learned import MODEL_DIR, load

    try:
        model = load()
    except Exception as e:  # corrupt model files
        raise ModelError(
            f"the learned event model ({MODEL_DIR}) cannot be loaded ({type(e).__name__}: {e}); "
            "reinstall marsad or rebuild it with `marsad train events --out "
            "marsad/resources/events/learned`; `--events rules` reads events without it"
        ) from e
    if model is None:
        raise ModelError(
            f"no learned event model at {MODEL_DIR}; rebuild it with `marsad train events --out "
            "marsad/resources/events/learned`, or read events with the rules (`--events rules`)"
        )
    return model


def _empty_kb():
    from ..extract.actors import EmptyKB

    return EmptyKB()


# what a degraded run uses in place of a part that does not load
_STAND_IN: dict[str, Callable[[], Any]] = {
    "kb": _empty_kb,
    "tagger": lambda: None,
    "detector": lambda: None,
    "docfreq": lambda: None,
}  # no docfreq: no stories
# (the lexicon has no stand-in: without it there is no event step to degrade)


class Resources:
    """The KB, the NER tagger, the event lexicon, the GSR detector and the story word frequencies
    of a run, each loaded once
    (see the module's docstring).  Parts given here are used as they are (tests, benchmarks:
    ``kb=FakeKB(...)``; ``tagger=None`` or ``detector=None``: run without one)."""

    def __init__(
        self,
        kb: Any = _UNSET,
        tagger: Any = _UNSET,
        detector: Any = _UNSET,
        lexicon: Any = _UNSET,
        docfreq: Any = _UNSET,
        labels: Any = _UNSET,
        event_model: Any = _UNSET,
        *,
        ner_profile: Optional[str] = None,
        events: Optional[str] = None,
        allow_missing: bool = False,
    ) -> None:
        self._parts: dict[str, Any] = {}
        for name, value in (
            ("kb", kb),
            ("tagger", tagger),
            ("detector", detector),
            ("lexicon", lexicon),
            ("docfreq", docfreq),
            ("labels", labels),
            ("event_model", event_model),
        ):
            if value is not _UNSET:
                self._parts[name] = value
        self.ner_profile = ner_profile
        self.events = event_reading(events)  # rules | learned (MARSAD_EVENTS when not given)
        self.allow_missing = allow_missing
        self.missing: dict[str, str] = {}  # part -> why it is missing (degraded runs only)
        self._derived: dict[Any, Any] = {}  # what is built from the parts (pipelines, name look-ups)
        self._lock = threading.RLock()

    @classmethod
    def load(cls, allow_missing: bool = False, ner_profile: Optional[str] = None) -> "Resources":
        """Resources with every part loaded now (a :class:`~marsad.errors.ModelError` at once,
        before any input is read, when a shipped part does not load and ``allow_missing`` is
        false)."""
        res = cls(ner_profile=ner_profile, allow_missing=allow_missing)
        res.load_all()
        return res

    def load_all(self) -> "Resources":
        for name in PARTS:
            getattr(self, name)
        return self

    @property
    def kb(self) -> KnowledgeBase:
        return self._part("kb", load_kb)

    @property
    def tagger(self):
        return self._part("tagger", lambda: load_tagger(self.ner_profile))

    @property
    def lexicon(self):
        """The event trigger lexicon (:class:`marsad.extract.events.Lexicon`)."""
        return self._part("lexicon", load_lexicon)

    @property
    def detector(self):
        return self._part("detector", lambda: load_detector(self.lexicon))

    @property
    def docfreq(self):
        """The story word document frequencies (:class:`marsad.stories.DocFreq`)."""
        return self._part("docfreq", load_docfreq)

    @property
    def event_model(self):
        """The learned event model, or None when events are read by the rules (the default)."""
        return self._part("event_model", lambda: load_event_model(self.events))

    @property
    def labels(self):
        """The actor label lexicon's matcher (:class:`marsad.stories.labels.LabelMatcher`)."""
        return self._part("labels", load_labels)

    @property
    def gazetteer(self):
        """The KB's gazetteer (kept with the KB's memos)."""
        from ..extract.gazetteer import gazetteer_of

        return gazetteer_of(self.kb)

    @property
    def media(self) -> dict:
        """The KB's media outlets, for the attributions and quotes steps."""
        from ..extract.quotes import kb_media

        return kb_media(self.kb)

    def _part(self, name: str, loader: Callable[[], Any]) -> Any:
        try:
            return self._parts[name]
        except KeyError:
            pass
        with self._lock:
            if name not in self._parts:
                try:
                    self._parts[name] = loader()
                except ModelError as e:
                    if not self.allow_missing or name not in _STAND_IN:
                        raise
                    log.warning("running without the %s (degraded on request): %s", name, e)
                    self.missing[name] = str(e)
                    self._parts[name] = _STAND_IN[name]()
        return self._parts[name]

    def derived(self, key: Any, build: Callable[[], Any]) -> Any:
        """What ``build()`` makes from these resources, made once per ``key`` (the pipelines of
        ``marsad.process()``, the readers' name look-ups)."""
        try:
            return self._derived[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._derived:
                self._derived[key] = build()
        return self._derived[key]


class DefaultResources:
    """The process's default :class:`Resources`, made on first use.  This slot (:data:`DEFAULT`) is
    allowed module-level state (``tests/test_architecture.py``, ALLOWED_STATE): forked workers
    inherit it loaded; :meth:`use` swaps it (benchmarks, tests) and returns the one it replaced."""

    def __init__(self) -> None:
        self._res: Optional[Resources] = None
        self._lock = threading.Lock()

    def get(self) -> Resources:
        res = self._res
        if res is None:
            with self._lock:
                if self._res is None:
                    self._res = Resources()
                res = self._res
        return res

    def use(self, res: Optional[Resources]) -> Optional[Resources]:
        with self._lock:
            old, self._res = self._res, res
        return old


DEFAULT = DefaultResources()


def default_resources() -> Resources:
    """The process's default :class:`Resources` (see :class:`DefaultResources`)."""
    return DEFAULT.get()
