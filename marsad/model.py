"""The data model: frozen dataclasses shared by every layer.

Every span is a half-open character range ``[start, end)`` into ``Article.text`` (the stored,
cleaned article: headline line first, then the body lines verbatim) and ``text[start:end]`` equals
the span's surface.  Steps never mutate an article; they return ``dataclasses.replace(article, ...)``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Optional

__all__ = [
    "Span",
    "Token",
    "Sentence",
    "Mention",
    "Entity",
    "Quote",
    "Attribution",
    "TimeExpr",
    "Event",
    "Article",
    "content_hash",
    "replace",
]

ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "NORP")


def content_hash(text: str) -> str:
    """Stable hash of an article's content (used for idempotent storage)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def surface(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation mark.  ``clitics`` are proclitic pieces split off the front
    (e.g. ``وبال`` → ``و``, ``ب``, ``ال``) and ``stem_start`` is where the stem begins."""

    start: int
    end: int
    text: str
    norm: str
    sentence: int = 0
    stem_start: int = -1  # -1: no clitics split; otherwise the absolute offset of the stem
    clitics: tuple[str, ...] = ()
    is_punct: bool = False

    @property
    def stem(self) -> str:
        if self.stem_start < 0:
            return self.text
        return self.text[self.stem_start - self.start :]


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    index: int
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention.  ``type`` is one of ENTITY_TYPES; ``step`` names the producer."""

    start: int
    end: int
    text: str
    type: str
    score: float = 1.0
    step: str = ""
    actor_id: Optional[str] = None  # resolved actor (KB id or cluster id)
    canonical: Optional[str] = None  # English canonical name of the actor
    confidence: float = 0.0  # of the resolution
    evidence: str = ""  # which rule resolved it
    title: Optional[str] = None  # role phrase attached to a PER mention


@dataclass(frozen=True, slots=True)
class Entity:
    """An actor as it appears in one article: its mentions grouped."""

    actor_id: str
    canonical: str
    type: str
    mentions: tuple[int, ...] = ()  # indexes into Article.mentions


@dataclass(frozen=True, slots=True)
class TimeExpr:
    start: int
    end: int
    text: str
    value: Optional[str]  # ISO: YYYY-MM-DD, YYYY-MM or YYYY (None if unresolvable)
    precision: str = "day"  # day | month | year | none
    rule: str = ""
    anchor: Optional[str] = None  # the date it was resolved against


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # content span
    end: int
    text: str
    kind: str  # direct | indirect
    cue_start: int = -1
    cue_end: int = -1
    cue: str = ""
    speaker_start: int = -1
    speaker_end: int = -1
    speaker_surface: str = ""
    speaker: Optional[str] = None  # canonical name or description
    speaker_actor: Optional[str] = None
    addressee: Optional[str] = None
    parent: int = -1  # index of the quote this one is nested in
    events: tuple[int, ...] = ()  # indexes into Article.events


@dataclass(frozen=True, slots=True)
class Attribution:
    start: int
    end: int
    text: str
    outlet: Optional[str] = None  # canonical outlet name
    actor_id: Optional[str] = None
    cue: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    type: str  # PLOVER type, e.g. CONSULT
    mode: str
    start: int  # evidence span
    end: int
    evidence: str
    source: tuple[str, ...] = ()  # canonical actor names
    target: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()
    target_ids: tuple[str, ...] = ()
    location: Optional[str] = None
    location_id: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    date: Optional[str] = None
    date_from_published: bool = False  # True when the date fell back to the publication date
    status: str = "realized"  # realized | negated | planned | conditional
    confidence: float = 0.5
    cameo: str = ""
    trigger_start: int = -1
    trigger_end: int = -1
    # what produced it: rules (the lexicon and rule reading) | crf | encoder | encoder+crf (the
    # learned reading's trigger taggers; its roles are always the learned labeller's)
    origin: str = ""
    # the other evidence spans of the same occasion in the article (a lead, a quote and a recap
    # of one strike are one event): half-open (start, end) ranges, each ``text[start:end]`` verbatim
    more_evidence: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str  # stored text: headline line + "\n" + cleaned body
    url: Optional[str] = None
    outlet: Optional[str] = None  # outlet surface as named in the text (or metadata)
    outlet_name: Optional[str] = None  # canonical outlet name
    published: Optional[date] = None
    published_basis: str = ""  # where the date came from
    headline: str = ""
    byline: Optional[str] = None
    source: str = ""  # input path (and record number)
    body_start: int = 0  # offset in ``text`` where the body begins
    boilerplate: tuple[str, ...] = ()  # chrome lines removed from the input
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    quotes: tuple[Quote, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    events: tuple[Event, ...] = ()
    meta: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    def surface(self, span) -> str:
        return self.text[span.start : span.end]


# the fields of an article before any step runs (ingest's; the store's articles row): all but the layers
BASE_FIELDS = (
    "id",
    "text",
    "url",
    "outlet",
    "outlet_name",
    "published",
    "published_basis",
    "headline",
    "byline",
    "source",
    "body_start",
    "boilerplate",
    "meta",
)
