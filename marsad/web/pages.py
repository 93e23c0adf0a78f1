"""The server-rendered pages: search, article, actors, events (timeline + network), quotes, stories, map.

Templates are Jinja2 with autoescaping on: every value from the store is escaped when rendered; the
only pre-built HTML is the highlighted article text, which :mod:`.highlight` escapes piece by piece.
"""

from __future__ import annotations

from datetime import date
from typing import Optional
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..names import kb_names, kb_place
from ..store.read import EventFilter, event_types, list_events, network, timeline
from ..store import read
from . import TEMPLATES_DIR
from ..api.checks import check_range, event_filter
from .corrections import annotate, article_context
from .highlight import article_html
from . import i18n

PAGE = 50
PAGE_ACTOR_ROWS = 100  # an actor page shows its first 50 events and quotes and 100 mentions

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
_env.filters["urlq"] = lambda s: quote(str(s), safe="")
_env.filters["qs"] = lambda d: urlencode({k: v for k, v in d.items() if v not in (None, "")})
_env.filters["join_names"] = lambda xs: "; ".join(x for x in (xs or ()) if x)
i18n.install(_env)  # _("label"), |num, |n: the Arabic interface (marsad/web/i18n.py)
templates = Jinja2Templates(env=_env)

router = APIRouter(include_in_schema=False)
Offset = Query(0, ge=0, le=1_000_000)
Text = dict(max_length=200)


def render(request: Request, name: str, status_code: int = 200, **ctx) -> HTMLResponse:
    ctx.setdefault("title", "")
    ctx.setdefault("nav", "")
    ctx["lang"], ctx["lang_links"] = i18n.lang_of(request), i18n.switch_links(request)
    with i18n.rendering(ctx["lang"]):
        response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    keep = i18n.cookie_to_set(request)
    if keep:
        response.set_cookie(i18n.COOKIE, keep, max_age=365 * 86400, samesite="lax", httponly=True)
    response.headers["Vary"] = "Cookie"
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, title=f"Error {status}", status=status, message=message)


def _pager(total: Optional[int], offset: int, n: int, params: dict, limit: int = PAGE) -> dict:
    more = (offset + limit < total) if total is not None else n > limit
    base = {k: v for k, v in params.items() if v not in (None, "")}
    return {
        "total": total,
        "first": offset + 1 if n else 0,
        "last": offset + min(n, limit),
        "prev": urlencode({**base, "offset": max(0, offset - limit)}) if offset > 0 else None,
        "next": urlencode({**base, "offset": offset + limit}) if more else None,
    }


def _cur(request: Request):
    return request.app.state.store.cursor(memo=True)


def _names(request: Request):
    """The KB resolver with the memo of the store's generation (call it holding a cursor)."""
    return request.app.state.store.names(kb_names)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    outlet: Optional[str] = Query(None, **Text),
    since: Optional[date] = None,
    until: Optional[date] = None,
    offset: int = Offset,
):
    check_range(since, until)
    with _cur(request) as cur:
        total, rows = read.list_articles(cur, outlet, since, until, PAGE, offset)
        st = {**read.stats(cur), **read.extra_stats(cur)}
        outs = read.outlets(cur)
    params = {"outlet": outlet, "since": since, "until": until}
    return render(
        request,
        "home.html",
        title="Articles",
        nav="home",
        rows=rows,
        stats=st,
        outlets=outs,
        params=params,
        pg=_pager(total, offset, len(rows), params),
    )


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article(request: Request, article_id: str):
    with _cur(request) as cur:
        a = read.get_article(cur, article_id) if article_id else None
    if a is None:
        raise HTTPException(404, f"no article {article_id!r}")
    entities: dict = {}
    for i, m in enumerate(a.mentions):
        key = m.actor_id or f"{m.type}:{m.text}"
        e = entities.setdefault(key, {"actor_id": m.actor_id, "name": m.canonical, "type": m.type, "refs": []})
        e["refs"].append((i, m.text))
    for e in entities.values():  # each spelling once: its first occurrence and how often it occurs
        first: dict = {}
        for i, surface in e["refs"]:
            first.setdefault(surface, [surface, i, 0])[2] += 1
        e["n"], e["refs"] = len(e["refs"]), list(first.values())
        if not e["name"]:  # an actor the KB lacks: its commonest spelling here, never its id
            e["name"] = max(e["refs"], key=lambda r: (r[2], -r[1]))[0]
    return render(
        request,
        "article.html",
        title=a.headline or a.id,
        nav="",
        a=a,
        html=article_html(a),
        entities=sorted(entities.values(), key=lambda e: (-e["n"], e["name"])),
        **article_context(request, a),
    )


@router.get("/actors", response_class=HTMLResponse)
def actors(
    request: Request,
    q: Optional[str] = Query(None, **Text),
    type: Optional[str] = Query(None, pattern="^(PER|ORG|GPE|LOC|NORP)?$"),
    offset: int = Offset,
):
    with _cur(request) as cur:
        total, rows = read.list_actors(cur, q, type or None, PAGE, offset)
    params = {"q": q, "type": type}
    return render(
        request,
        "actors.html",
        title="Actors",
        nav="actors",
        rows=rows,
        params=params,
        pg=_pager(total, offset, len(rows), params),
    )


@router.get("/actors/{actor_id:path}", response_class=HTMLResponse)
def actor(request: Request, actor_id: str):
    with _cur(request) as cur:
        f = EventFilter(actor=actor_id)  # its events and its timeline: the actor resolved once
        d = read.actor_detail(cur, actor_id, limit=PAGE_ACTOR_ROWS, events_filter=f)
        tl = timeline(cur, f) if d else None
    if d is None:
        raise HTTPException(404, f"no actor {actor_id!r}")
    return render(request, "actor.html", title=d["name"], nav="actors", d=d, timeline=tl)


@router.get("/events", response_class=HTMLResponse)
def events(
    request: Request,
    actor: Optional[str] = Query(None, **Text),
    partner: Optional[str] = Query(None, **Text),
    type: Optional[str] = Query(None, pattern="^[A-Za-z_]*$", max_length=40),
    outlet: Optional[str] = Query(None, **Text),
    place: Optional[str] = Query(None, **Text),
    since: Optional[date] = None,
    until: Optional[date] = None,
    status: Optional[str] = Query(None, pattern="^(realized|negated|planned|conditional)?$"),
    precision: Optional[str] = Query(None, pattern="^(day|month|year)?$"),
    unit: Optional[str] = Query(None, pattern="^(day|week|month|year)?$"),
    offset: int = Offset,
):
    f = event_filter(
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
    with _cur(request) as cur:
        total, rows = list_events(cur, f, PAGE, offset, kb_names=_names(request))
        tl = timeline(cur, f, kb_names=_names(request), unit=unit or None)
        net = network(cur, f, kb_names=_names(request), kb_place=kb_place)
        types, outs = event_types(cur), read.outlets(cur)
        ids = f.actor_ids(cur, f.actor, _names(request)) if f.actor else None
        # the heading names the actor when the filter is its id (a name typed is shown as typed)
        actor_name = read.actor_name(cur, f.actor) if f.actor and (not ids or ids == [f.actor]) else None
    params = f.query()
    annotate(request, "event", rows)
    return render(
        request,
        "events.html",
        title="Events",
        nav="events",
        rows=rows,
        params=params,
        f=f,
        timeline=tl,
        network=net,
        unit=unit or "",
        types=types,
        outlets=outs,
        actor_name=actor_name,
        pg=_pager(total, offset, len(rows), {**params, "unit": unit or None}),
    )


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(
    request: Request,
    speaker: Optional[str] = Query(None, **Text),
    kind: Optional[str] = Query(None, pattern="^(direct|indirect)?$"),
    outlet: Optional[str] = Query(None, **Text),
    offset: int = Offset,
):
    with _cur(request) as cur:
        total, rows = read.list_quotes(
            cur, speaker or None, kind or None, outlet or None, limit=PAGE, offset=offset, kb_names=_names(request)
        )
    params = {"speaker": speaker, "kind": kind, "outlet": outlet}
    annotate(request, "quote", rows)
    return render(
        request,
        "quotes.html",
        title="Quotes",
        nav="quotes",
        rows=rows,
        params=params,
        pg=_pager(total, offset, len(rows), params),
    )


@router.get("/stories", response_class=HTMLResponse)
def stories_page(
    request: Request,
    outlet: Optional[str] = Query(None, **Text),
    since: Optional[date] = None,
    until: Optional[date] = None,
    min_articles: int = Query(1, ge=1, le=1000),
    offset: int = Offset,
):
    from ..store.read.stories import list_stories

    check_range(since, until)
    with _cur(request) as cur:
        total, rows = list_stories(cur, since, until, outlet or None, min_articles, PAGE, offset)
        outs = read.outlets(cur)
    params = {"outlet": outlet, "since": since, "until": until, "min_articles": min_articles}
    return render(
        request,
        "stories.html",
        title="Stories",
        nav="stories",
        rows=rows,
        outlets=outs,
        params=params,
        pg=_pager(total, offset, len(rows), params),
    )


@router.get("/stories/{story_id:path}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str):
    from ..store.read.stories import get_story

    with _cur(request) as cur:
        s = get_story(cur, story_id)
    if s is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return render(request, "story.html", title=s["title"] or story_id, nav="stories", story=s)


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request):
    from ..store.read.outlet_profiles import list_outlets

    with _cur(request) as cur:
        rows = list_outlets(cur)
    return render(request, "outlets.html", title="Outlets", nav="outlets", rows=rows)


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(request: Request, name: str):
    from ..names import kb_side
    from ..store.read.outlet_profiles import outlet_profile

    with _cur(request) as cur:
        p = outlet_profile(cur, name, kb_side) if name else None
    if p is None:
        raise HTTPException(404, f"no outlet {name!r}")
    return render(request, "outlet.html", title=p["outlet"], nav="outlets", p=p)
