"""The ``/search`` page: ranked results with their total, snippets with the matched words marked,
facets (outlet, event type, year, actor) that narrow the search when clicked, and the filters."""

from __future__ import annotations

from datetime import date
from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..api.search_routes import run_search
from ..store.read import SearchFilter
from .pages import render

PAGE = 50
FACET_TITLES = {"outlet": "Outlet", "type": "Event type", "year": "Year", "actor": "Actor"}

router = APIRouter(include_in_schema=False)
Text = dict(max_length=200)


def _qs(params: dict, **change) -> str:
    merged = {**params, **change}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "") and k != "offset"})


def _parts(snippet: str, marks: list) -> list[tuple[str, bool]]:
    """The snippet as (text, marked) pieces, for the template to escape and wrap."""
    out, pos = [], 0
    for s, e in marks:
        if s < pos:
            continue
        out += [(snippet[pos:s], False), (snippet[s:e], True)]
        pos = e
    out.append((snippet[pos:], False))
    return [p for p in out if p[0]]


def _facet_links(facets: dict, params: dict) -> list[dict]:
    out = []
    for key, rows in facets.items():
        links = []
        for r in rows:
            if key == "year":
                y = int(r["value"])
                lo, hi = date(y, 1, 1), date(y, 12, 31)
                since = max(lo, params["since"]) if params.get("since") else lo
                until = min(hi, params["until"]) if params.get("until") else hi
                href = _qs(params, since=since, until=until)
                on = params.get("since") == since and params.get("until") == until
            else:
                href = _qs(params, **{key: r["value"]})
                on = str(params.get(key) or "") == str(r["value"])
            links.append({"label": r.get("name") or r["value"], "count": r["count"], "href": href, "on": on})
        out.append({"key": key, "title": FACET_TITLES[key], "links": links})
    return out


def _day(name: str, value: str) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: str = Query("", **Text),
    outlet: Optional[str] = Query(None, **Text),
    type: Optional[str] = Query(None, **Text),
    actor: Optional[str] = Query(None, **Text),
    since: str = Query("", max_length=10, description="YYYY-MM-DD; empty: none"),
    until: str = Query("", max_length=10, description="YYYY-MM-DD; empty: none"),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    # the form sends its empty date fields as since=&until=: empty is no date, a bad date is 422
    since, until = _day("since", since), _day("until", until)
    f = SearchFilter(outlet=outlet or None, type=type or None, actor=actor or None, since=since, until=until)
    params = {"q": q, **f.params()}
    out, message = None, None
    if q.strip():
        try:
            out = run_search(request, q, f, PAGE, offset)
        except HTTPException as e:
            if e.status_code != 400:
                raise
            message = str(e.detail)
    total = out["total"] if out else 0
    rows = out["items"] if out else []
    for r in rows:
        r["parts"] = _parts(r["snippet"], r["marks"])
    pg = {
        "total": total,
        "first": offset + 1 if rows else 0,
        "last": offset + len(rows),
        "prev": urlencode({**params, "offset": max(0, offset - PAGE)}) if offset > 0 else None,
        "next": urlencode({**params, "offset": offset + PAGE}) if offset + PAGE < total else None,
    }
    filters = [
        {
            "key": k,
            "value": v,
            "href": _qs(params, **({"since": None, "until": None} if k in ("since", "until") else {k: None})),
        }
        for k, v in f.params().items()
    ]
    return render(
        request,
        "search.html",
        status_code=400 if message else 200,
        title=f"Search {q}".strip(),
        nav="search",
        q=q,
        f=f,
        rows=rows,
        total=total,
        phrases=out["phrases"] if out else [],
        facets=_facet_links(out["facets"], params) if out else [],
        filters=filters,
        message=message,
        pg=pg,
    )
