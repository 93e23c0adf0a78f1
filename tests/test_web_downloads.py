"""Browser tests of the download bar on the store of real articles (``real_server``: 426 ANT articles of
10-13 April 2018 through ``marsad run``): a real click in Chromium on each link of a filtered page
saves a file (the download folder set through the DevTools protocol) that DuckDB loads, with as many
rows as the page's total and the page's filters in its metadata.  Skipped without ``../shared``,
chromium, chromedriver or selenium."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import duckdb
import pytest
from browser_kit import js_errors, require_browser, screenshot, wait

require_browser()
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture
def downloads(chromium, tmp_path):
    """A fresh folder where Chromium saves what a click downloads (reset to the default after)."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    chromium.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    yield folder
    chromium.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})


def _click_and_wait(drv, folder: Path, fmt: str, timeout: float = 60) -> Path:
    """Click the bar's ``fmt`` link; the file Chromium saved (once complete)."""
    before = set(folder.iterdir())
    drv.find_element(By.CSS_SELECTOR, f"nav.downloads a.download[data-format='{fmt}']").click()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [p for p in set(folder.iterdir()) - before if not p.name.endswith(".crdownload")]
        partial = [p for p in folder.iterdir() if p.name.endswith(".crdownload")]
        if new and not partial:
            return new[0]
        time.sleep(0.1)
    pytest.fail(f"no {fmt} download in {folder}: {sorted(p.name for p in folder.iterdir())}")


def _rows(path: Path, fmt: str) -> int:
    reader = {"csv": "read_csv", "parquet": "read_parquet", "geojson": "read_json"}[fmt]
    return duckdb.connect().execute(f"SELECT count(*) FROM {reader}(?)", [str(path)]).fetchone()[0]


def _pager_total(drv) -> int:
    pager = drv.find_elements(By.CSS_SELECTOR, ".pager")
    assert pager, (drv.current_url, drv.find_element(By.TAG_NAME, "main").text[:500])
    pager = pager[0]
    m = re.search(r"of (\d+)", pager.text)
    assert m, (drv.current_url, pager.text)
    return int(m.group(1))


def _page_filters(drv) -> dict:
    return {k: v for k, v in parse_qsl(urlsplit(drv.current_url).query) if v and k != "offset"}


def test_a_filtered_events_page_downloads_csv_parquet_geojson_and_plover_that_load(
    real_server, chromium, downloads, artifacts
):
    d = chromium
    d.get(real_server + "/events")
    # filter as an analyst does: a type from the list, then a date range, through the form
    d.find_element(By.CSS_SELECTOR, "select[name=type] option[value='']")
    d.execute_script("document.querySelector('select[name=type]').value = 'CONSULT'")
    for name, value in (("since", "2018-04-11"), ("until", "2018-04-12")):
        d.execute_script(f"document.querySelector('input[name={name}]').value = arguments[0]", value)
    d.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait(d, lambda drv: "type=CONSULT" in drv.current_url)
    total = int(d.find_element(By.CSS_SELECTOR, "h2 .count").text)
    filters = _page_filters(d)
    assert total > 10 and filters == {"type": "CONSULT", "since": "2018-04-11", "until": "2018-04-12"}
    screenshot(d, artifacts / "real-events-downloads.png")

    csv_file = _click_and_wait(d, downloads, "csv")
    assert csv_file.name == "marsad-events-type-CONSULT-since-2018-04-11-until-2018-04-12.csv"
    assert _rows(csv_file, "csv") == total
    pq = _click_and_wait(d, downloads, "parquet")
    assert _rows(pq, "parquet") == total
    kv = dict(
        duckdb.connect().execute("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", [str(pq)]).fetchall()
    )
    assert json.loads(kv["filters"]) == filters and json.loads(kv["marsad"])["count"] == total
    geo = _click_and_wait(d, downloads, "geojson")
    assert _rows(geo, "geojson") == total
    assert json.loads(geo.read_text(encoding="utf-8"))["metadata"]["filters"] == filters
    plover = json.loads(_click_and_wait(d, downloads, "plover").read_text(encoding="utf-8"))
    assert plover["metadata"]["filters"] == filters
    assert len(plover["events"]) == total - plover["metadata"].get("left_out_undated", 0) > 0
    assert {e["event"][0] for e in plover["events"]} == {"CONSULT"}
    assert js_errors(d) == []


def test_an_arabic_actor_filter_downloads_the_same_rows_as_its_list(real_server, chromium, downloads):
    d = chromium
    d.get(real_server + "/events?actor=" + "الأسد")
    total = int(d.find_element(By.CSS_SELECTOR, "h2 .count").text)
    assert total > 0
    path = _click_and_wait(d, downloads, "csv")
    ids = [r[0] for r in duckdb.connect().execute("SELECT event_id FROM read_csv(?)", [str(path)]).fetchall()]
    assert len(ids) == total
    # the page's first rows are the file's first rows: same order
    shown = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "table.events td.evidence a")]
    first = duckdb.connect().execute("SELECT evidence_url FROM read_csv(?) LIMIT 5", [str(path)]).fetchall()
    assert [u for (u,) in first] == shown[:5]


def test_quotes_and_articles_pages_download_their_filtered_lists(real_server, chromium, downloads):
    d = chromium
    d.get(real_server + "/quotes?kind=direct")
    total = _pager_total(d)
    assert total > 0
    assert _rows(_click_and_wait(d, downloads, "csv"), "csv") == total
    assert _rows(_click_and_wait(d, downloads, "parquet"), "parquet") == total

    d.get(real_server + "/")
    options = d.find_elements(By.CSS_SELECTOR, "select[name=outlet] option")
    outlet = next(o.get_attribute("value") for o in options if o.get_attribute("value"))
    d.execute_script("document.querySelector('select[name=outlet]').value = arguments[0]", outlet)
    # both dates: a form sent with an empty date field is refused (422) by the pages as they are
    d.execute_script("document.querySelector('input[name=since]').value = '2018-04-11'")
    d.execute_script("document.querySelector('input[name=until]').value = '2018-04-12'")
    d.find_elements(By.CSS_SELECTOR, "form.filters button[type=submit]")[0].click()
    wait(d, lambda drv: "outlet=" in drv.current_url)
    total = _pager_total(d)
    assert total > 0
    path = _click_and_wait(d, downloads, "csv")
    assert _rows(path, "csv") == total
    outlets = (
        duckdb.connect()
        .execute("SELECT outlet_name, min(published), max(published) FROM read_csv(?) GROUP BY 1", [str(path)])
        .fetchall()
    )
    assert len(outlets) == 1 and outlets[0][0] == outlet  # the canonical name (the outlet table)
    assert "2018-04-11" <= str(outlets[0][1]) <= str(outlets[0][2]) <= "2018-04-12"


def test_the_map_downloads_its_located_events_as_geojson(real_server, chromium, downloads):
    d = chromium
    d.get(real_server + "/map?since=2018-04-10&until=2018-04-13")
    # the table under the map: one row per place with its count of events
    counts = [int(td.text) for td in d.find_elements(By.CSS_SELECTOR, "table.list.compact tbody tr td.num") if td.text]
    assert sum(counts) > 0
    path = _click_and_wait(d, downloads, "geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["metadata"]["filters"] == {"since": "2018-04-10", "until": "2018-04-13", "located": "true"}
    assert all(f["geometry"] and f["geometry"]["type"] == "Point" for f in doc["features"])
    assert len(doc["features"]) == _rows(path, "geojson") == sum(counts)
