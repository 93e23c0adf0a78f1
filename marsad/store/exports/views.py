"""The filtered lists the pages show (events, quotes, articles; the map's located events), as the
queries of their downloads: the same filters as the lists (:class:`~marsad.store.read.EventFilter`,
:func:`~marsad.store.read.quotes.quotes_from`, :func:`~marsad.store.read.articles.article_filters`),
the same order, one row per item of the list, each with its evidence: the article's id, the span's
offsets and ``evidence_url``, the page that highlights it (``base`` + ``/articles/ID#e-3``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ...outlets import outlet_sql
from ..read.articles import article_filters
from ..read.dates import END, PRECISION, START
from ..read.events import FROM as EVENTS_FROM, EventFilter, KbNames
from ..read.quotes import quotes_from
from ..read.sql import where as sql_where

VIEWS = ("events", "quotes", "articles")
# the events :func:`.plover.plover_record` cannot date: no full day of their own, no publication day
NO_DAY = (
    "published IS NULL AND NOT (NOT coalesce(date_from_published, false) "
    "AND regexp_full_match(coalesce(date, ''), '\\d{4}-\\d{2}-\\d{2}'))"
)
E_ANCHOR, Q_ANCHOR = "'e-' || e.idx", "'q-' || qt.idx"  # the span's anchor on its article's page


@dataclass(frozen=True)
class View:
    """One filtered list as a query: ``select`` (``?`` parameters ``params``) gives its rows in the
    list's order; ``filters`` are the non-empty filters as query-string values."""

    name: str
    select: str
    params: list = field(default_factory=list)
    filters: dict = field(default_factory=dict)
    undated: str = ""  # a condition on the rows without a full day, which PLOVER leaves out ('' if none)


def _url(article_col: str, anchor: str = "") -> str:
    """SQL of a row's evidence page: the base (the first parameter) + /articles/ID (+ #anchor), the
    id URL-encoded as :func:`marsad.store.read.sql.evidence_url` encodes it."""
    return f"? || '/articles/' || url_encode({article_col})" + (f" || '#' || {anchor}" if anchor else "")


def events_view(
    cur, f: Optional[EventFilter] = None, base: str = "", located: bool = False, kb_names: Optional[KbNames] = None
) -> View:
    """The events ``f`` keeps (``located``: only those with coordinates, the map's), latest day first."""
    f = f or EventFilter()
    where, params = f.sql(cur, kb_names)
    if located:
        where = (where + " AND " if where else " WHERE ") + "e.lat IS NOT NULL AND e.lon IS NOT NULL"
    sentence = '(SELECT min(s.idx) FROM sentences s WHERE s.article_id = e.article_id AND s.start <= e.start AND e.start < s."end")'
    select = (
        "SELECT printf('marsad-%s-%03d', e.article_id, e.idx) AS event_id, e.article_id, e.idx, "
        f"{START} AS day, {END} AS day_end, {PRECISION} AS precision, e.date, e.date_from_published, "
        "e.type, e.mode, e.status, e.confidence, e.cameo, e.source, e.source_ids, e.target, e.target_ids, "
        'e.location, e.location_id, e.lat, e.lon, e.evidence, e.start AS evidence_start, e."end" AS evidence_end, '
        f"e.trigger_start, e.trigger_end, e.origin, e.more_evidence, coalesce({sentence}, 0) AS sentence, a.headline, a.outlet, "
        f"{outlet_sql()} AS outlet_name, "
        f"a.published, a.url, sm.story_id, {_url('e.article_id', E_ANCHOR)} AS evidence_url"
        + EVENTS_FROM
        + where
        + " ORDER BY day DESC NULLS LAST, e.article_id, e.idx"
    )
    filters = {**f.query(), **({"located": "true"} if located else {})}
    return View("events", select, [base.rstrip("/")] + params, filters, undated=NO_DAY)


def quotes_view(
    cur,
    speaker: Optional[str] = None,
    kind: Optional[str] = None,
    outlet: Optional[str] = None,
    since=None,
    until=None,
    base: str = "",
    kb_names: Optional[KbNames] = None,
) -> View:
    """The quotes the filters keep, newest article first."""
    frm, params = quotes_from(cur, speaker, kind, outlet, since, until, kb_names)
    select = (
        "SELECT printf('marsad-%s-q%03d', qt.article_id, qt.idx) AS quote_id, qt.article_id, qt.idx, qt.kind, "
        "qt.text, qt.cue, qt.speaker, qt.speaker_actor, qt.speaker_surface, qt.addressee, "
        'qt.start AS quote_start, qt."end" AS quote_end, qt.cue_start, qt.cue_end, qt.speaker_start, qt.speaker_end, '
        "a.headline, a.outlet, "
        f"{outlet_sql()} AS outlet_name, a.published, a.url, "
        f"{_url('qt.article_id', Q_ANCHOR)} AS evidence_url"
        + frm
        + " ORDER BY a.published DESC NULLS LAST, qt.article_id, qt.idx"
    )
    filters = {"speaker": speaker, "kind": kind, "outlet": outlet, "since": since, "until": until}
    return View("quotes", select, [base.rstrip("/")] + params, _query(filters))


def articles_view(cur, outlet: Optional[str] = None, since=None, until=None, base: str = "") -> View:
    """The articles the filters keep, newest first, with their counts of mentions, quotes and events."""
    conds: list[str] = []
    params: list = []
    article_filters(conds, params, outlet, since, until)
    counts = " ".join(
        f"LEFT JOIN (SELECT article_id, count(*) n FROM {t} GROUP BY 1) {t} ON {t}.article_id = a.id"
        for t in ("mentions", "quotes", "events")
    )
    select = (
        "SELECT a.id AS article_id, a.published, a.headline, a.outlet, "
        f"{outlet_sql()} AS outlet_name, a.url, a.byline, "
        "length(a.text) AS characters, coalesce(mentions.n, 0) AS mentions, coalesce(quotes.n, 0) AS quotes, "
        f"coalesce(events.n, 0) AS events, {_url('a.id')} AS evidence_url "
        f"FROM articles a {counts}{sql_where(conds)} ORDER BY a.published DESC NULLS LAST, a.id"
    )
    return View(
        "articles", select, [base.rstrip("/")] + params, _query({"outlet": outlet, "since": since, "until": until})
    )


def _query(filters: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.items() if v not in (None, "")}
