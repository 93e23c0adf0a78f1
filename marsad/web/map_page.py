"""The map page (``/map``): the offline basemap drawn on the server, the located events as data for
``static/map.js`` (zoom and pan, clusters that depend on the zoom, labels placed without
collisions, a time slider), and a table of every place."""

from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ..api.checks import event_filter
from ..names import kb_names, kb_place
from ..store.read import event_types, places
from .basemap import basemap, markers
from .pages import render

router = APIRouter(include_in_schema=False)
Text = dict(max_length=200)


@router.get("/map", response_class=HTMLResponse)
def map_page(
    request: Request,
    actor: Optional[str] = Query(None, **Text),
    type: Optional[str] = Query(None, pattern="^[A-Za-z_]*$", max_length=40),
    outlet: Optional[str] = Query(None, **Text),
    since: Optional[date] = None,
    until: Optional[date] = None,
):
    f = event_filter(actor=actor, type=type, outlet=outlet, since=since, until=until)
    with request.app.state.store.cursor(memo=True) as cur:
        pts = places(cur, f, kb_names=request.app.state.store.names(kb_names), kb_place=kb_place)
        types = event_types(cur)
    on, off = markers(pts)
    dated = [p for p in on if p["first"]]
    data = {
        "width": basemap()["width"],
        "height": basemap()["height"],
        "first": min((p["first"] for p in dated), default=None),
        "last": max((p["last"] for p in dated), default=None),
        "places": [
            {
                k: p[k]
                for k in (
                    "location",
                    "location_id",
                    "name_ar",
                    "kind",
                    "x",
                    "y",
                    "events",
                    "types",
                    "spans",
                    "events_url",
                )
            }
            for p in on
        ],
        "filters": {k: v for k, v in f.query().items() if k not in ("since", "until")},
        "since": f.since.isoformat() if f.since else None,
        "until": f.until.isoformat() if f.until else None,
    }
    return render(
        request,
        "map.html",
        title="Map",
        nav="map",
        base=basemap(),
        on=on,
        off=off,
        f=f,
        params=f.query(),
        types=types,
        data=data,
    )
