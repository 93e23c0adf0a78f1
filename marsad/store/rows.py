"""Rows of the child tables from the model's dataclasses and back, derived from their fields.

A child table (sentences, mentions, times, quotes, attributions, events) has the article's id, the
layer's index (``idx``) and one column per field of its dataclass, under the field's name; tuples
are stored as lists (a tuple of pairs as a list of lists).  The one renaming: ``Sentence.index`` is the column ``idx``.  A column read
back as NULL gives the field's default where it has one (``confidence``, ``evidence``...).
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any

from ..model import Attribution, Event, Mention, Quote, Sentence, TimeExpr

LAYERS: dict[str, type] = {
    "sentences": Sentence,
    "mentions": Mention,
    "times": TimeExpr,
    "quotes": Quote,
    "attributions": Attribution,
    "events": Event,
}
COLUMN = {"index": "idx"}  # field -> column, where they differ


def row_of(obj, article_id: str, idx: int | None = None) -> dict[str, Any]:
    """The table row of one layer item (``idx``: its index in the article's layer; Sentence has its own)."""
    row: dict[str, Any] = {"article_id": article_id}
    if idx is not None:
        row["idx"] = idx
    for f in fields(obj):
        v = getattr(obj, f.name)
        row[COLUMN.get(f.name, f.name)] = (
            [list(x) if isinstance(x, tuple) else x for x in v] if isinstance(v, tuple) else v
        )
    return row


def from_row(cls: type, row: dict[str, Any]):
    """The dataclass ``cls`` from a table row (extra columns ignored)."""
    kw = {}
    for f in fields(cls):
        v = row[COLUMN.get(f.name, f.name)]
        if v is None and f.default is not MISSING and f.default is not None:
            v = f.default
        elif v is None and f.default_factory is not MISSING:  # type: ignore[misc]
            v = f.default_factory()  # type: ignore[misc]
        elif isinstance(v, list):
            v = tuple(tuple(x) if isinstance(x, list) else x for x in v)
        kw[f.name] = v
    return cls(**kw)
