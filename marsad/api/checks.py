"""What the JSON API and the pages check and show the same way: a date range (422 when ``since`` is
after ``until``, on every route that takes one), the events' filter of a request, and an input's name
without the folders of the machine that ingested it."""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

from fastapi import HTTPException

from ..store.read import EventFilter

_SEP = re.compile(r"[\\/]")


def check_range(since: Optional[date], until: Optional[date]) -> None:
    """422 when the range is empty (``since`` after ``until``); malformed dates are refused (422)
    before this, by the routes' ``date`` parameters."""
    if since and until and since > until:
        raise HTTPException(422, f"since ({since}) is after until ({until})")


def event_filter(since: Optional[date] = None, until: Optional[date] = None, **fields) -> EventFilter:
    """The events' filter of a request (API route, page or download): the date range checked (422),
    an empty field (``type=``) taken as no filter."""
    check_range(since, until)
    return EventFilter(since=since, until=until, **{k: v or None for k, v in fields.items()})


def public_source(source: Optional[str]) -> Optional[str]:
    """An input unit's ``source`` without its folders: ``/home/x/data/a.jsonl:12`` → ``a.jsonl:12``,
    ``C:\\in\\b.trec#AR-1`` → ``b.trec#AR-1`` (a TREC document number after ``#`` is kept whole)."""
    if not source:
        return source
    head, sep, docno = source.partition("#")
    return _SEP.split(head)[-1] + sep + docno
