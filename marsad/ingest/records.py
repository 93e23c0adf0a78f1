"""The two things the readers yield: a raw document, or a reject that says why an input was refused."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

__all__ = ["RawDoc", "Reject", "MAX_ARTICLE_BYTES"]

#: Largest single article accepted (bytes of one file, one JSONL line or one TREC <DOC>).
#: News articles are a few kB; anything above this is a dump, a log or a mistake, and is
#: rejected with reason ``too-large`` without being read into memory.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One article as read from its input, before cleaning."""

    id: str
    source: str
    text: str | None
    html: str | None = None
    title: str | None = None
    published: datetime.date | None = None
    published_basis: str = ""
    outlet: str | None = None
    url: str | None = None
    meta: tuple[tuple[str, str], ...] = ()

    def meta_get(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.meta:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Reject:
    """An input (file, JSONL line, TREC document) that is not stored, with a machine code and a
    sentence saying what is wrong and how to fix it."""

    source: str
    reason: str
    detail: str
