"""Partial dates: an event's date is an interval (a day, a month, a year, else its article's
publication day); a range keeps the events whose interval overlaps it, and every timeline bar's
range lists exactly the bar's count, at every granularity."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.store.access import reading
from marsad.store.db import Writer, connect
from marsad.store.read import EventFilter, list_events, timeline
from sample_store import ArticleBuilder

# (own date or None for the publication day, publication day): day, month, year, fallback, bad values
DATED = [
    ("2018-04-05", date(2018, 4, 9)),
    ("2018-04", date(2018, 4, 9)),
    ("2018-04", date(2018, 5, 2)),
    ("2018", date(2018, 6, 1)),
    ("2018", date(2019, 1, 3)),
    ("2017-12", date(2018, 1, 2)),
    ("2018-12-31", date(2019, 1, 1)),
    (None, date(2018, 4, 30)),
    (None, date(2018, 7, 15)),
    ("2018-13", date(2018, 8, 1)),  # no such month: the publication day
    ("0012", date(2018, 8, 2)),  # implausible: the publication day
    (None, None),  # undated
]


def _store(path):
    con = connect(path)
    w = Writer(con, "dates")
    for i, (own, pub) in enumerate(DATED):
        b = ArticleBuilder(f"d{i}", f"عنوان الخبر {i}", f"التقى الوزير نظيره في دمشق {i}.", pub, "سانا", "SANA")
        b.event("CONSULT" if i % 2 else "ASSAULT", "التقى الوزير نظيره", ["A"], ["B"], ["Q-a"], ["Q-b"], date_=own)
        w.add(b.build())
    w.flush()
    con.close()
    return path


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = _store(tmp_path_factory.mktemp("dates") / "d.duckdb")
    with reading(path) as c:
        yield c


def _ids(con, **kw) -> set[str]:
    _, rows = list_events(con, EventFilter(status=None, **kw), limit=1000)
    return {r["article_id"] for r in rows}


def test_a_range_keeps_the_events_whose_interval_overlaps_it(con):
    # the last day of April 2018 overlaps the day 04-30 (publication fallback), April 2018 and the year 2018
    assert _ids(con, since=date(2018, 4, 30), until=date(2018, 4, 30)) == {"d1", "d2", "d3", "d4", "d7"}
    assert _ids(con, since=date(2018, 5, 1), until=date(2018, 5, 31)) == {"d3", "d4"}  # only the years
    assert _ids(con, since=date(2017, 12, 31), until=date(2017, 12, 31)) == {"d5"}  # December 2017
    assert _ids(con, until=date(2017, 12, 1)) == {"d5"}
    assert _ids(con, since=date(2019, 1, 1)) == set()
    assert _ids(con, since=date(2018, 12, 31)) == {"d3", "d4", "d6"}
    assert _ids(con, since=date(2018, 8, 1), until=date(2018, 8, 2)) == {"d3", "d4", "d9", "d10"}
    assert "d11" not in _ids(con, since=date(1900, 1, 1))  # undated: no range keeps it
    assert _ids(con, precision="day", since=date(2018, 4, 1), until=date(2018, 4, 30)) == {"d0", "d7"}
    assert _ids(con, precision="month", since=date(2018, 4, 1), until=date(2018, 4, 30)) == {"d0", "d1", "d2", "d7"}


def test_the_list_shows_each_date_with_its_precision(con):
    _, rows = list_events(con, EventFilter(status=None), limit=100)
    got = {r["article_id"]: (r["when"], r["precision"]) for r in rows}
    assert got["d0"] == ("2018-04-05", "day")
    assert got["d1"] == ("2018-04", "month")
    assert got["d3"] == ("2018", "year")
    assert got["d7"] == ("2018-04-30", "published")
    assert got["d9"] == ("2018-08-01", "published") and got["d10"] == ("2018-08-02", "published")
    assert got["d11"] == (None, None)


@pytest.mark.parametrize("unit", ["day", "week", "month", "year", None])
@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"type": "CONSULT"},
        {"precision": "day"},
        {"since": date(2018, 4, 10)},
        {"since": date(2018, 4, 10), "until": date(2018, 8, 1)},
    ],
)
def test_every_timeline_bar_lists_exactly_its_count(con, unit, extra):
    f = EventFilter(status=None, **extra)
    tl = timeline(con, f, unit=unit)
    assert tl["buckets"]
    for b in tl["buckets"]:
        # the bar's link: the page's filters, with the bar's range and precision in place of the page's
        bar = EventFilter(
            status=None,
            **{
                **extra,
                "since": date.fromisoformat(b["since"]),
                "until": date.fromisoformat(b["until"]),
                "precision": b["precision"],
            },
        )
        total, rows = list_events(con, bar, limit=1000)
        assert total == b["total"] == len(rows), (unit, extra, b)
        assert {r["type"] for r in rows} == set(b["counts"]) or not rows
    total, _ = list_events(con, f, limit=1)
    assert sum(b["total"] for b in tl["buckets"]) + sum(tl["wider"].values()) + tl["undated"] == total


def test_the_timeline_sets_wider_events_apart(con):
    tl = timeline(con, EventFilter(status=None), unit="month")
    assert tl["wider"] == {"year": 2} and tl["undated"] == 1
    apr = next(b for b in tl["buckets"] if b["key"] == "2018-04")
    assert apr["total"] == 4  # d0 (day), d1 and d2 (month), d7 (publication day); not the year d3
    assert timeline(con, EventFilter(status=None), unit="year")["wider"] == {}


def test_the_api_bar_links_list_their_counts(tmp_path):
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(_store(tmp_path / "api.duckdb"), allowed_hosts=["testserver"], rate_limit=0)) as client:
        tl = client.get("/api/timeline", params={"status": "realized"}).json()
        assert tl["bucket"] == "month" and tl["buckets"]
        for b in tl["buckets"]:
            params = {"since": b["since"], "until": b["until"], "precision": b["precision"], "limit": 200}
            assert client.get("/api/events", params=params).json()["total"] == b["total"], b
        assert client.get("/api/events", params={"precision": "week"}).status_code == 422


def test_the_api_week_bars_list_their_counts(tmp_path):
    from fastapi.testclient import TestClient

    from marsad.api import create_app

    with TestClient(create_app(_store(tmp_path / "w.duckdb"), allowed_hosts=["testserver"], rate_limit=0)) as client:
        tl = client.get("/api/timeline", params={"unit": "week"}).json()
        assert tl["bucket"] == "week" and tl["buckets"]
        assert all(b["key"][4:6] == "-W" and b["precision"] == "day" for b in tl["buckets"])
        assert sum(b["total"] for b in tl["buckets"]) > 0
        for b in tl["buckets"]:
            assert date.fromisoformat(b["since"]).weekday() == 0 and date.fromisoformat(b["until"]).weekday() == 6
            params = {"since": b["since"], "until": b["until"], "precision": b["precision"], "limit": 200}
            assert client.get("/api/events", params=params).json()["total"] == b["total"], b
        assert client.get("/api/timeline", params={"unit": "fortnight"}).status_code == 422
        page = client.get("/events", params={"unit": "week"})
        assert page.status_code == 200 and 'class="current" aria-current="true" data-unit="week"' in page.text
