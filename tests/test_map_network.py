"""The map's places and the who-meets-whom network (marsad/store/read/map_network.py): only actors
are nodes, the network follows the type and period filters, a country's place carries the
country's name, a region is not drawn at a country's point, each place carries its events' date
spans (the map's time slider); and the ISO-week timeline buckets."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.names import kb_place
from marsad.store.access import reading
from marsad.store.db import Writer, connect
from marsad.store.read import EventFilter, list_events, network, places, timeline
from marsad.store.read.events import bucket_key
from marsad.web.basemap import markers
from sample_store import ArticleBuilder

SYRIA = (35.0, 38.0)


def _store(path):
    con = connect(path)
    w = Writer(con, "map")
    pub = date(2018, 4, 10)
    # a meeting of two states, one of a person with a town (a place: no node), one with an actor
    # outside the KB named only as a place (GPE mentions: no node), one with an organisation
    b = ArticleBuilder("n1", "لقاء", "التقى ترامب ماكرون في دمشق. والتقى ترامب جدة. والتقى ماكرون بنغلادش.", pub)
    b.mention("ترامب", "PER", "per:donald-trump", "Donald Trump").mention("ماكرون", "PER", "per:emmanuel-macron")
    b.mention("بنغلادش", "GPE", "x:000000000001")
    b.event(
        "CONSULT", "التقى ترامب ماكرون في دمشق", ["ترامب"], ["ماكرون"], ["per:donald-trump"], ["per:emmanuel-macron"]
    )
    b.event("CONSULT", "والتقى ترامب جدة", ["ترامب"], ["جدة"], ["per:donald-trump"], ["gpe:jeddah"])
    b.event("CONSULT", "والتقى ماكرون بنغلادش", ["ماكرون"], ["بنغلادش"], ["per:emmanuel-macron"], ["x:000000000001"])
    w.add(b.build())
    b = ArticleBuilder("n2", "اتصال", "بحثت سوريا مع روسيا. وهاجمت سوريا دوما. واتهم ماكرون سوريا.", date(2018, 4, 20))
    b.event("CONSULT", "بحثت سوريا مع روسيا", ["سوريا"], ["روسيا"], ["gpe:syria"], ["gpe:russia"])
    b.event("ASSAULT", "وهاجمت سوريا دوما", ["سوريا"], ["دوما"], ["gpe:syria"], ["gpe:douma"])
    b.event("ACCUSE", "واتهم ماكرون سوريا", ["ماكرون"], ["سوريا"], ["per:emmanuel-macron"], ["gpe:syria"])
    w.add(b.build())
    # located events: Syria (a country), the Middle East (a region at Syria's point), Douma twice
    for i, (loc, lid, (lat, lon), day) in enumerate(
        [
            ("Syria", "gpe:syria", SYRIA, "2018-04-05"),
            ("Syria", "gpe:syria", SYRIA, "2018-04"),
            ("Middle East", "loc:middle-east", SYRIA, "2018-04-06"),
            ("Douma", "gpe:douma", (33.57, 36.4), "2018-04-07"),
            ("Douma", "gpe:douma", (33.57, 36.4), "2018-04-12"),
        ]
    ):
        b = ArticleBuilder(f"p{i}", "خبر", f"قصفت الطائرات المكان {i}.", date(2018, 4, 13))
        b.event("ASSAULT", f"قصفت الطائرات المكان {i}", location=loc, location_id=lid, lat=lat, lon=lon, date_=day)
        w.add(b.build())
    w.flush()
    con.close()
    return path


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = _store(tmp_path_factory.mktemp("mapnet") / "m.duckdb")
    with reading(path) as c:
        yield c


def test_kb_place_tells_countries_places_regions_and_actors():
    assert kb_place("gpe:syria")["kind"] == "country" and kb_place("gpe:syria")["name_ar"] == "سوريا"
    assert kb_place("gpe:douma")["kind"] == "place"
    assert kb_place("loc:eastern-ghouta")["kind"] == "place"
    assert kb_place("loc:middle-east")["kind"] == "region"
    assert kb_place("per:donald-trump")["kind"] == "actor"
    assert kb_place("no:such-id") is None


def test_the_network_has_actors_only(con):
    net = network(con, EventFilter(), kb_place=kb_place)
    ids = {n["id"] for n in net["nodes"]}
    assert ids == {"per:donald-trump", "per:emmanuel-macron", "gpe:syria", "gpe:russia"}
    assert net["places"] == 2  # Jeddah (a town in the KB) and a GPE outside the KB
    assert {(e["source"], e["target"]) for e in net["edges"]} == {
        ("per:donald-trump", "per:emmanuel-macron"),
        ("gpe:russia", "gpe:syria"),
    }
    # without the KB, only the store's own mention types speak: the GPE outside the KB is still a place
    assert "x:000000000001" not in {n["id"] for n in network(con, EventFilter())["nodes"]}


def test_the_network_follows_the_type_and_period_filters(con):
    net = network(con, EventFilter(type="ACCUSE"), kb_place=kb_place)
    assert net["type"] == "ACCUSE"
    assert {n["id"] for n in net["nodes"]} == {"per:emmanuel-macron", "gpe:syria"}
    assert all("type=ACCUSE" in e["url"] for e in net["edges"])
    # ASSAULT: Syria on Douma, a place: nothing left to draw
    assert network(con, EventFilter(type="ASSAULT"), kb_place=kb_place)["nodes"] == []
    later = network(con, EventFilter(since=date(2018, 4, 15)), kb_place=kb_place)
    assert {n["id"] for n in later["nodes"]} == {"gpe:syria", "gpe:russia"}
    assert all("since=2018-04-15" in e["url"] for e in later["edges"])
    for e in later["edges"]:  # an edge's link lists exactly its events
        f = EventFilter(type="CONSULT", actor=e["source"], partner=e["target"], since=date(2018, 4, 15))
        assert list_events(con, f)[0] == e["weight"]


def test_places_carry_kind_names_and_date_spans(con):
    got = {p["location_id"]: p for p in places(con, EventFilter(), kb_place=kb_place)}
    syria = got["gpe:syria"]
    assert syria["kind"] == "country" and syria["location"] == "Syria" and syria["name_ar"] == "سوريا"
    assert syria["spans"] == [["2018-04-01", "2018-04-30", 1], ["2018-04-05", "2018-04-05", 1]]
    assert (syria["first"], syria["last"]) == ("2018-04-01", "2018-04-30")
    assert got["gpe:douma"]["spans"] == [["2018-04-07", "2018-04-07", 1], ["2018-04-12", "2018-04-12", 1]]
    assert got["loc:middle-east"]["kind"] == "region"
    on, off = markers(list(got.values()))
    assert {p["location_id"] for p in on} == {"gpe:syria", "gpe:douma"}  # the region is not on Syria's point
    assert [p["why"] for p in off] == ["a region, not a point"]
    # a place's list link carries the page's filters and lists exactly the place's events
    f = EventFilter(type="ASSAULT", since=date(2018, 4, 6))
    for p in places(con, f, kb_place=kb_place):
        assert "type=ASSAULT" in p["events_url"] and "since=2018-04-06" in p["events_url"]
        assert (
            list_events(con, EventFilter(type="ASSAULT", since=date(2018, 4, 6), place=p["location_id"]))[0]
            == (p["events"])
        )


def test_week_buckets_are_iso_weeks(con):
    tl = timeline(con, EventFilter(type="ASSAULT"), unit="week")
    assert tl["bucket"] == "week"
    keys = [b["key"] for b in tl["buckets"]]
    assert keys[0] == "2018-W14" and keys[-1] == "2018-W16"  # 2018-04-05 .. 2018-04-20
    w14 = tl["buckets"][0]
    assert (w14["since"], w14["until"], w14["precision"]) == ("2018-04-02", "2018-04-08", "day")
    assert w14["total"] == 3  # Syria 04-05, the Middle East 04-06, Douma 04-07; not the month-dated one
    assert tl["wider"] == {"month": 1}
    # the ISO week's year differs from the calendar year at its edges; a week starts on Monday
    assert bucket_key(date(2018, 12, 31), "week") == "2019-W01"
    assert bucket_key(date(2021, 1, 3), "week") == "2020-W53"
    assert bucket_key(date(2018, 4, 8), "week") == "2018-W14" and bucket_key(date(2018, 4, 9), "week") == "2018-W15"
