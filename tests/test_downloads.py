"""Downloads of the filtered lists (/api/download/events|quotes|articles, `marsad download`): every
format holds exactly the list's rows under the same filters, in its order, each with its evidence;
the filters are in the file's metadata; DuckDB loads CSV, Parquet and GeoJSON; bad requests are 422."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date
from urllib.parse import unquote

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from marsad.api import create_app
from marsad.store.db import Writer, connect
from marsad.store.exports.download import chunks
from sample_store import ArticleBuilder, sample_articles, synthetic_articles

# (own date, publication day, status): partial dates, statuses, an undated event, one PLOVER cannot date
DATED = [
    ("2018-04-05", date(2018, 4, 9), "realized"),
    ("2018-04", date(2018, 4, 9), "planned"),
    ("2018", date(2018, 6, 1), "realized"),
    (None, date(2018, 4, 30), "negated"),
    ("2018-04", None, "realized"),  # a month, no publication day: listed, but PLOVER needs a day
    (None, None, "conditional"),  # undated
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("downloads") / "dl.duckdb"
    con = connect(path)
    w = Writer(con, "downloads")
    for a in list(sample_articles()) + list(synthetic_articles(30)):
        w.add(a)
    for i, (own, pub, status) in enumerate(DATED):
        b = ArticleBuilder(f"dated-{i}", f"عنوان الخبر {i}", f"التقى الوزير نظيره في دمشق {i}.", pub, "سانا", "SANA")
        b.event("CONSULT", "التقى الوزير نظيره", ["A"], ["B"], ["Q-a"], ["Q-b"], date_=own, status=status)
        w.add(b.build())
    w.flush()
    con.close()
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=0)) as c:
        yield c


def _all(client, url: str, **params) -> tuple[int, list[dict]]:
    """Every row of a paginated list."""
    items, offset = [], 0
    while True:
        r = client.get(url, params={**params, "limit": 200, "offset": offset})
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["items"]
        if body["next_offset"] is None:
            return body["total"], items
        offset = body["next_offset"]


def _get(client, view: str, fmt: str, **params):
    r = client.get(f"/api/download/{view}", params={"format": fmt, **params})
    assert r.status_code == 200, r.text
    return r


def _load(tmp_path, content: bytes, fmt: str) -> list[dict]:
    """The rows DuckDB reads from a downloaded file."""
    path = tmp_path / f"download.{fmt}"
    path.write_bytes(content)
    con = duckdb.connect()
    reader = {"csv": "read_csv", "parquet": "read_parquet", "geojson": "read_json"}[fmt]
    cur = con.execute(f"SELECT * FROM {reader}(?)", [str(path)])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


EVENT_FILTERS = [
    {},
    {"type": "CONSULT"},
    {"since": "2018-04-10", "until": "2018-04-30"},  # partial dates: the month and the year overlap
    {"precision": "month"},
    {"status": "planned"},
    {"actor": "لافروف"},  # an Arabic spelling, resolved like the list's
    {"actor": "Sergey Lavrov", "partner": "المقداد"},
    {"outlet": "SANA", "place": "دمشق"},
    {"actor": "'; DROP TABLE events; --"},
]


@pytest.mark.parametrize("filters", EVENT_FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_event_downloads_hold_exactly_the_filtered_list_in_every_format(client, tmp_path, filters):
    total, items = _all(client, "/api/events", **filters)
    keys = [(e["article_id"], e["idx"]) for e in items]
    for fmt in ("csv", "parquet", "geojson"):
        r = _get(client, "events", fmt, **filters)
        rows = _load(tmp_path, r.content, fmt)
        assert len(rows) == total == int(r.headers["x-marsad-count"]), fmt
        assert [(x["article_id"], x["idx"]) for x in rows] == keys, fmt  # same rows, same order
    plover = json.loads(_get(client, "events", "plover", **filters).content)
    meta = plover["metadata"]
    assert meta["count"] == len(plover["events"]) == total - meta.get("left_out_undated", 0)
    assert [(p["article_id"], int(p["id"].rsplit("-", 1)[1])) for p in plover["events"]] == [
        (e["article_id"], e["idx"]) for e in items if e["published"] or len(e["date"] or "") == 10
    ]


def test_partial_dates_and_statuses_reach_the_downloads(client, tmp_path):
    rows = _load(tmp_path, _get(client, "events", "csv", since="2018-04-10", until="2018-04-30").content, "csv")
    by_id = {r["article_id"]: r for r in rows}
    # the month 2018-04 and the year 2018 overlap the range; the day 04-05 does not
    assert {"dated-1", "dated-2", "dated-3", "dated-4"} <= set(by_id) and "dated-0" not in by_id
    assert by_id["dated-1"]["precision"] == "month" and by_id["dated-1"]["status"] == "planned"
    assert str(by_id["dated-2"]["day_end"]) == "2018-12-31"


def test_plover_download_reuses_the_plover_records_and_leaves_out_what_it_cannot_date(client):
    jsonschema = pytest.importorskip("jsonschema")
    from marsad.store.exports.plover import load_schema

    doc = json.loads(_get(client, "events", "plover", type="CONSULT").content)
    schema = load_schema()
    for rec in doc["events"]:
        jsonschema.validate(rec, schema)
        assert rec["evidence_url"].startswith("http://testserver/articles/")
    ids = {r["article_id"] for r in doc["events"]}
    assert "dated-5" not in ids and "dated-4" not in ids  # no day: PLOVER requires one
    assert {"dated-1", "dated-3"} <= ids  # planned and negated events are listed, with their status
    assert doc["metadata"]["left_out_undated"] == 2
    statuses = {r["article_id"]: r["status"] for r in doc["events"]}
    assert statuses["dated-1"] == "planned" and statuses["dated-3"] == "negated"


def test_every_row_carries_its_evidence(client, tmp_path):
    rows = _load(tmp_path, _get(client, "events", "parquet").content, "parquet")
    texts = {}
    for r in rows:
        if r["article_id"] not in texts:
            texts[r["article_id"]] = client.get(f"/api/articles/{r['article_id']}").json()["text"]
        assert texts[r["article_id"]][r["evidence_start"] : r["evidence_end"]] == r["evidence"]
        assert r["evidence_url"] == f"http://testserver/articles/{r['article_id']}#e-{r['idx']}"
    quotes = _load(tmp_path, _get(client, "quotes", "csv").content, "csv")
    assert quotes
    for r in quotes:
        text = client.get(f"/api/articles/{r['article_id']}").json()["text"]
        assert text[r["quote_start"] : r["quote_end"]] == r["text"]
        assert unquote(r["evidence_url"]).endswith(f"/articles/{r['article_id']}#q-{r['idx']}")


def test_the_filters_are_in_the_files_metadata(client, tmp_path):
    filters = {"type": "CONSULT", "since": "2024-01-01", "actor": "لافروف"}
    expected = dict(filters)
    r = _get(client, "events", "parquet", **filters)
    path = tmp_path / "e.parquet"
    path.write_bytes(r.content)
    kv = dict(
        duckdb.connect()
        .execute("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", [str(path)])
        .fetchall()
    )
    assert json.loads(kv["filters"]) == expected
    meta = json.loads(kv["marsad"])
    assert meta["view"] == "events" and meta["count"] == int(r.headers["x-marsad-count"])
    assert meta["store"] == "dl.duckdb" and "/" not in meta["store"]  # the name, never the folders
    assert meta["marsad_version"] and meta["generated_at"]
    gj = json.loads(_get(client, "events", "geojson", **filters).content)
    assert gj["type"] == "FeatureCollection" and gj["metadata"]["filters"] == expected
    assert gj["metadata"]["count"] == len(gj["features"])
    pl = json.loads(_get(client, "events", "plover", **filters).content)
    assert pl["metadata"]["filters"] == expected
    c = _get(client, "events", "csv", **filters)  # CSV: in the name and the header
    assert json.loads(c.headers["x-marsad-metadata"])["filters"] == expected
    disp = c.headers["content-disposition"]
    assert disp.startswith("attachment;") and "type-CONSULT" in disp and "since-2024-01-01" in disp
    assert "%D9%84%D8%A7%D9%81%D8%B1%D9%88%D9%81" in disp  # the Arabic name, UTF-8 in filename*


def test_csv_is_utf8_with_a_bom_and_duckdb_reads_its_arabic(client, tmp_path):
    body = _get(client, "events", "csv", actor="لافروف").content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    loaded = _load(tmp_path, body, "csv")
    assert [r["evidence"] for r in rows] == [r["evidence"] for r in loaded]
    assert any("لافروف" in r["evidence"] for r in loaded)


def test_geojson_features_are_points_or_unlocated_and_the_map_downloads_the_located(client, tmp_path):
    gj = json.loads(_get(client, "events", "geojson").content)
    located = [f for f in gj["features"] if f["geometry"] is not None]
    assert located and len(located) < len(gj["features"])  # unlocated events: geometry null
    for f in located:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    on_map = json.loads(_get(client, "events", "geojson", located="true").content)
    places = client.get("/api/places").json()["items"]
    assert len(on_map["features"]) == len(located) == sum(p["events"] for p in places)
    assert _load(tmp_path, _get(client, "events", "csv", located="true").content, "csv")[0]["lat"] is not None


@pytest.mark.parametrize(
    "filters", [{}, {"speaker": "لافروف"}, {"kind": "direct"}, {"outlet": "SANA", "since": "2024-03-01"}]
)
def test_quote_downloads_hold_the_filtered_quotes(client, tmp_path, filters):
    total, items = _all(client, "/api/quotes", **filters)
    for fmt in ("csv", "parquet"):
        rows = _load(tmp_path, _get(client, "quotes", fmt, **filters).content, fmt)
        assert [(r["article_id"], r["idx"]) for r in rows] == [(q["article_id"], q["idx"]) for q in items]
    assert total == len(items)


@pytest.mark.parametrize("filters", [{}, {"outlet": "SANA"}, {"since": "2024-03-01", "until": "2024-06-30"}])
def test_article_downloads_hold_the_filtered_articles(client, tmp_path, filters):
    total, items = _all(client, "/api/articles", **filters)
    for fmt in ("csv", "parquet"):
        rows = _load(tmp_path, _get(client, "articles", fmt, **filters).content, fmt)
        assert [r["article_id"] for r in rows] == [a["id"] for a in items] and len(rows) == total
        assert [r["events"] for r in rows] == [a["events"] for a in items]


@pytest.mark.parametrize(
    "url",
    [
        "/api/download/events",  # no format
        "/api/download/events?format=xlsx",
        "/api/download/quotes?format=geojson",  # an event format
        "/api/download/articles?format=plover",
        "/api/download/events?format=csv&since=2024-05-01&until=2024-04-01",
        "/api/download/quotes?format=csv&since=2024-05-01&until=2024-04-01",
        "/api/download/articles?format=csv&since=2024-05-01&until=2024-04-01",
        "/api/download/events?format=csv&since=2024-13-01",
        "/api/download/events?format=csv&precision=week",
    ],
)
def test_bad_downloads_are_422_as_json(client, url):
    r = client.get(url)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid_parameters"


def test_downloads_answer_only_allowed_hosts_and_the_rate_limit(db):
    with TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=1, rate_burst=1)) as c:
        assert c.get("/api/download/events?format=csv", headers={"host": "evil.example"}).status_code == 400
        codes = [c.get("/api/download/articles?format=csv").status_code for _ in range(3)]
        assert codes[0] == 200 and 429 in codes


def test_the_csv_is_written_batch_by_batch(client, tmp_path):
    path = tmp_path / "snap.parquet"
    path.write_bytes(_get(client, "events", "parquet").content)
    meta = {"filters": {}}
    pieces = list(chunks(path, "csv", meta, batch=5))
    n = len(_load(tmp_path, b"".join(pieces), "csv"))
    assert n > 10 and len(pieces) == -(-n // 5)  # one piece per batch of 5 rows
    geo = list(chunks(path, "geojson", {"filters": {}}, batch=5))
    assert len(json.loads(b"".join(geo))["features"]) == n and len(geo) > n // 5


def test_downloads_leave_no_temporary_files(client, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for fmt in ("csv", "parquet", "geojson", "plover"):
        _get(client, "events", fmt)
    assert not list(tmp_path.glob("marsad-download-*"))


def test_marsad_download_writes_the_same_file_as_the_api(client, db, tmp_path):
    from marsad.cli import main

    filters = {"type": "CONSULT", "since": "2024-01-01"}
    api = _get(client, "events", "csv", **filters).content
    out = tmp_path / "cli.csv"
    res = CliRunner().invoke(
        main,
        ["download", "events", "--db", str(db), "--format", "csv", "--out", str(out), "--type", "CONSULT"]
        + ["--since", "2024-01-01", "--base-url", "http://testserver"],
    )
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == api
    res = CliRunner().invoke(main, ["download", "quotes", "--db", str(db), "--format", "plover", "--out", str(out)])
    assert res.exit_code != 0 and "csv or parquet" in res.output
