"""The JSON API under ``/api/``.  Lists are paginated (``limit`` 1..200, ``offset`` ≥ 0) and return
``{"total", "limit", "offset", "items"}``; unknown ids are 404 and bad parameters 422, as JSON."""

from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ..names import kb_names, kb_place
from ..store import read
from ..store.read import EventFilter, list_events, network, places, timeline
from .checks import check_range, event_filter, public_source
from .jsonout import JSONRoute

MAX_LIMIT = 200

router = APIRouter(prefix="/api", route_class=JSONRoute)

Limit = Query(20, ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")
Offset = Query(0, ge=0, le=1_000_000, description="rows to skip")
Text = dict(min_length=1, max_length=200)


def _page(total: int, items: list, limit: int, offset: int, **extra) -> dict:
    nxt = offset + limit if offset + limit < total else None
    return {"total": total, "limit": limit, "offset": offset, "next_offset": nxt, **extra, "items": items}


def _cur(request: Request):
    return request.app.state.store.cursor(memo=True)


def _names(request: Request):
    """The KB resolver with the memo of the store's generation (call it holding a cursor)."""
    return request.app.state.store.names(kb_names)


@router.get("/articles", summary="Articles, newest first")
def articles(
    request: Request,
    outlet: Optional[str] = Query(None, **Text),
    since: Optional[date] = Query(None, description="published on or after (YYYY-MM-DD)"),
    until: Optional[date] = Query(None, description="published on or before (YYYY-MM-DD)"),
    limit: int = Limit,
    offset: int = Offset,
):
    check_range(since, until)
    with _cur(request) as cur:
        total, rows = read.list_articles(cur, outlet, since, until, limit, offset)
    return _page(total, rows, limit, offset)


@router.get("/articles/{article_id:path}", summary="One article with every layer of spans")
def article(request: Request, article_id: str):
    from ..store.exports import article_json

    with _cur(request) as cur:
        a = read.get_article(cur, article_id) if article_id else None
    if a is None:
        raise HTTPException(404, f"no article {article_id!r}: /api/articles or /api/search list the ids")
    out = article_json(a)
    out["source"] = public_source(out.get("source"))  # the input's name, not the ingesting machine's folders
    return {**out, "url_html": read.evidence_url(a.id)}


@router.get("/actors", summary="Actors, from the resolved mentions, most mentioned first")
def actors(
    request: Request,
    q: Optional[str] = Query(None, **Text, description="part of a name or id"),
    type: Optional[str] = Query(None, pattern="^(PER|ORG|GPE|LOC|NORP)$"),
    limit: int = Limit,
    offset: int = Offset,
):
    with _cur(request) as cur:
        total, rows = read.list_actors(cur, q, type, limit, offset)
    return _page(total, rows, limit, offset)


@router.get("/actors/suggest", summary="Actors a typed prefix may name (any spelling), most mentioned first")
def actors_suggest(request: Request, q: str = Query(..., **Text, description="the start of a name, any spelling")):
    with _cur(request) as cur:
        return {"query": q, "items": read.suggest_actors(cur, q, _names(request))}


@router.get(
    "/actor",
    summary="One actor across the corpus by any spelling: its mentions, quotes and events "
    "(the report of `marsad actor NAME --json`)",
)
def actor_by_name(
    request: Request,
    name: str = Query(..., **Text, description="an id, canonical name or any spelling"),
    limit: int = Query(200, ge=1, le=1000, description="most rows per section"),
):
    with _cur(request) as cur:
        return read.actor_report(cur, name, _names(request), limit=limit)


@router.get("/actors/{actor_id:path}", summary="One actor: mentions, quotes, events and co-actors")
def actor(request: Request, actor_id: str):
    with _cur(request) as cur:
        d = read.actor_detail(cur, actor_id)
    if d is None:
        raise HTTPException(404, f"no actor {actor_id!r}: /api/actors lists the ids")
    return d


EventArgs = dict(
    actor=Query(None, **Text, description="actor id or canonical name, on either side"),
    partner=Query(None, **Text, description="a second actor that must also take part"),
    type=Query(None, min_length=2, max_length=40, pattern="^[A-Za-z_]+$", description="PLOVER type, e.g. CONSULT"),
    outlet=Query(None, **Text),
    place=Query(None, **Text, description="location id or part of its name"),
    since=Query(None, description="event date on or after (YYYY-MM-DD)"),
    until=Query(None, description="event date on or before (YYYY-MM-DD)"),
    status=Query(None, pattern="^(realized|negated|planned|conditional)$"),
    precision=Query(None, pattern="^(day|month|year)$", description="the date's interval at most a day|month|year"),
)


def event_query(
    actor: Optional[str] = EventArgs["actor"],
    partner: Optional[str] = EventArgs["partner"],
    type: Optional[str] = EventArgs["type"],
    outlet: Optional[str] = EventArgs["outlet"],
    place: Optional[str] = EventArgs["place"],
    since: Optional[date] = EventArgs["since"],
    until: Optional[date] = EventArgs["until"],
    status: Optional[str] = EventArgs["status"],
    precision: Optional[str] = EventArgs["precision"],
) -> EventFilter:
    """The events' filter of a request to /api/events, /api/timeline or /api/download/events, its
    query parameters declared once (a FastAPI dependency)."""
    return event_filter(
        actor=actor,
        partner=partner,
        type=type,
        outlet=outlet,
        place=place,
        since=since,
        until=until,
        status=status,
        precision=precision,
    )


@router.get("/events", summary="Events, filtered by actor, type, outlet, place and date range")
def events(request: Request, f: EventFilter = Depends(event_query), limit: int = Limit, offset: int = Offset):
    with _cur(request) as cur:
        total, rows = list_events(cur, f, limit, offset, kb_names=_names(request))
    return _page(total, rows, limit, offset, filters=f.query())


@router.get("/timeline", summary="Event counts per day, week, month or year, by type (same filters as /api/events)")
def events_timeline(
    request: Request,
    f: EventFilter = Depends(event_query),
    unit: Optional[str] = Query(
        None, pattern="^(day|week|month|year)$", description="the bars' width (default: by span)"
    ),
):
    with _cur(request) as cur:
        return timeline(cur, f, kb_names=_names(request), unit=unit)


@router.get("/network", summary="Who meets whom: actors (not places) linked by CONSULT events, or events of `type`")
def events_network(
    request: Request,
    actor: Optional[str] = EventArgs["actor"],
    partner: Optional[str] = EventArgs["partner"],
    type: Optional[str] = EventArgs["type"],
    outlet: Optional[str] = EventArgs["outlet"],
    place: Optional[str] = EventArgs["place"],
    since: Optional[date] = EventArgs["since"],
    until: Optional[date] = EventArgs["until"],
    status: Optional[str] = EventArgs["status"],
):
    f = event_filter(
        actor=actor, partner=partner, type=type, outlet=outlet, place=place, since=since, until=until, status=status
    )
    with _cur(request) as cur:
        return network(cur, f, kb_names=_names(request), kb_place=kb_place)


@router.get("/places", summary="Located events grouped by place (same filters)")
def events_places(
    request: Request,
    actor: Optional[str] = EventArgs["actor"],
    type: Optional[str] = EventArgs["type"],
    outlet: Optional[str] = EventArgs["outlet"],
    since: Optional[date] = EventArgs["since"],
    until: Optional[date] = EventArgs["until"],
):
    f = event_filter(actor=actor, type=type, outlet=outlet, since=since, until=until)
    with _cur(request) as cur:
        return {"items": places(cur, f, kb_names=_names(request), kb_place=kb_place)}


@router.get("/quotes", summary="Quotes, newest first")
def quotes(
    request: Request,
    speaker: Optional[str] = Query(None, **Text, description="speaker actor id or name"),
    kind: Optional[str] = Query(None, pattern="^(direct|indirect)$"),
    outlet: Optional[str] = Query(None, **Text),
    since: Optional[date] = None,
    until: Optional[date] = None,
    limit: int = Limit,
    offset: int = Offset,
):
    check_range(since, until)
    with _cur(request) as cur:
        total, rows = read.list_quotes(
            cur, speaker, kind, outlet, since, until, limit, offset, kb_names=_names(request)
        )
    return _page(total, rows, limit, offset)


@router.get("/stories", summary="Stories (articles grouped by the happening they report), latest first")
def stories(
    request: Request,
    outlet: Optional[str] = Query(None, **Text, description="an outlet reported it"),
    since: Optional[date] = Query(None, description="an article published on or after (YYYY-MM-DD)"),
    until: Optional[date] = Query(None, description="an article published on or before (YYYY-MM-DD)"),
    min_articles: int = Query(1, ge=1, le=10_000),
    limit: int = Limit,
    offset: int = Offset,
):
    from ..store.read.stories import list_stories

    check_range(since, until)
    with _cur(request) as cur:
        total, rows = list_stories(cur, since, until, outlet, min_articles, limit, offset)
    return _page(total, rows, limit, offset)


@router.get("/stories/{story_id:path}", summary="One story: its articles, copies and events merged across outlets")
def story(request: Request, story_id: str):
    from ..names import kb_side
    from ..store.read.stories import get_story

    with _cur(request) as cur:
        s = get_story(cur, story_id, kb_side)
    if s is None:
        raise HTTPException(404, f"no story {story_id!r}")
    for c in s.get("copies", ()):
        c["source"] = public_source(c.get("source"))
    return s


@router.get("/outlets", summary="Outlets: articles, stories, quotes, articles citing an agency")
def outlets_list(request: Request):
    from ..store.read.outlet_profiles import list_outlets

    with _cur(request) as cur:
        items = list_outlets(cur)
    return {"total": len(items), "items": items}


@router.get(
    "/outlets/{name:path}", summary="An outlet's framing profile against the corpus (`marsad outlet NAME --json`)"
)
def outlet_profile(request: Request, name: str, top: int = Query(8, ge=1, le=50)):
    from ..names import kb_side
    from ..store.read.outlet_profiles import outlet_profile as profile

    with _cur(request) as cur:
        p = profile(cur, name, kb_side, top) if name else None
    if p is None:
        raise HTTPException(404, f"no outlet {name!r}: /api/outlets lists them")
    return p


@router.get("/stats", summary="Counts of what the store holds")
def stats(request: Request):
    with _cur(request) as cur:
        return {**read.stats(cur), **read.extra_stats(cur)}
