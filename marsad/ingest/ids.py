"""Article ids that two different inputs never share.

An article's id is its file name or its record's own id, so ``site-a/index.html`` and
``site-b/index.html``, or record ``1`` of two feeds, claim the same id.  The first claimant keeps the
id exactly as given; each other one gets the id qualified by where it comes from: its folder (files)
or its feed (records, TREC documents) — ``site-b/index``, ``feed-b/1`` — then more of its path, and
last a short hash of its source.  The store keeps an input's id once given (see
:meth:`marsad.store.db.Writer.write_rows`), so reruns give the same ids.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import PurePath
from typing import Iterable, Iterator

from .records import RawDoc

_EXTS = re.compile(r"(\.(txt|text|html?|xhtml|jsonl|ndjson|json|trec|sgml|xml|meta\.json))?(\.gz)?$", re.I)


def source_file(source: str) -> str:
    """The file an input unit was read from (its source without the record or document part)."""
    if ":" in source and source.rsplit(":", 1)[1].isdigit():
        return source.rsplit(":", 1)[0]
    if "#" in source:
        return source.split("#", 1)[0] if "/" not in source.split("#", 1)[1] else source
    return source


def qualified_ids(rid: str, source: str) -> Iterator[str]:
    """The ids ``rid`` may take for the unit read from ``source``, in order of preference."""
    yield rid
    path = PurePath(source_file(source))
    is_record = path.as_posix() != source
    parts = list(path.parts)
    if is_record:  # the feed (file stem) qualifies a record
        parts[-1] = _EXTS.sub("", parts[-1]) or parts[-1]
    else:  # the folder qualifies a file
        parts = parts[:-1]
    parts = [p for p in parts if p not in ("/", "")]
    for k in range(1, min(3, len(parts)) + 1):
        yield "/".join(parts[-k:]) + "/" + rid
    yield rid + "~" + hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def printable(s: str) -> str:
    """``s`` with the bytes of a file name that is not UTF-8 (surrogate escapes) written as ``\\xNN``,
    so every source and id can be stored and printed."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def assign_ids(items: Iterable) -> Iterator:
    """The reader's stream with every RawDoc's id made unique within it (the first claimant of an id
    keeps it), and every source and id printable.  Rejects pass through."""
    owner: dict[str, str] = {}
    for it in items:
        if printable(it.source) != it.source or (isinstance(it, RawDoc) and printable(it.id) != it.id):
            it = replace(
                it, source=printable(it.source), **({"id": printable(it.id)} if isinstance(it, RawDoc) else {})
            )
        if isinstance(it, RawDoc):
            for cand in qualified_ids(it.id, it.source):
                if owner.setdefault(cand, it.source) == it.source:
                    break
            if cand != it.id:
                it = replace(it, id=cand)
        yield it
