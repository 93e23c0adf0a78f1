"""Browser tests of the map, the network and the timeline's granularity on the store of 426 real
articles (fixtures ``real_store``/``real_server`` in ``conftest.py``): zoom (buttons, wheel, drag),
clusters that depend on the zoom, labels that never overlap (map and network), a country's marker
named by its country, the time slider, a network of actors only, week bars that list their
counts.  Skipped without ``../shared``, chromium, chromedriver or selenium."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import duckdb
from browser_kit import js_errors, require_browser, screenshot, svg_href, wait

require_browser()
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402

from marsad.names import kb_place  # noqa: E402

# the boxes of the labels a reader sees (not display:none), in screen pixels
VISIBLE_BOXES = """
return Array.from(document.querySelectorAll(arguments[0])).filter(function (t) {
  return getComputedStyle(t).display !== 'none' && t.textContent.trim();
}).map(function (t) {
  var r = t.getBoundingClientRect();
  return {text: t.textContent, x: r.left, y: r.top, w: r.width, h: r.height};
});
"""


def _overlapping(boxes: list[dict], slack: float = 0.5) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["x"] + slack < b["x"] + b["w"]
                and b["x"] + slack < a["x"] + a["w"]
                and a["y"] + slack < b["y"] + b["h"]
                and b["y"] + slack < a["y"] + a["h"]
            ):
                out.append((a["text"], b["text"]))
    return out


def _open_map(d, url):
    d.get(url)
    return wait(
        d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "#map-markers > *") and drv.find_element(By.ID, "map")
    )


def _view(d) -> list[float]:
    return [float(v) for v in d.execute_script("return document.getElementById('map').getAttribute('viewBox')").split()]


def _markers(d) -> int:
    return len(d.find_elements(By.CSS_SELECTOR, "#map-markers > *"))


def _shown(d) -> int:
    """The events the markers and clusters show."""
    return sum(int(e.get_attribute("data-count")) for e in d.find_elements(By.CSS_SELECTOR, "#map-markers > *"))


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


def test_the_map_zooms_with_buttons_wheel_and_drag(real_server, chromium):
    d = chromium
    _open_map(d, real_server + "/map")
    full = _view(d)
    assert full[:2] == [0, 0]
    d.find_element(By.ID, "map-zoom-in").click()
    zoomed = _view(d)
    assert abs(zoomed[2] - full[2] / 2) < 0.5, (full, zoomed)
    d.find_element(By.ID, "map-reset").click()
    assert _view(d) == full
    # the mouse wheel zooms around the pointer
    d.execute_script(
        "var s = document.getElementById('map'), r = s.getBoundingClientRect();"
        "s.dispatchEvent(new WheelEvent('wheel', {deltaY: -120, clientX: r.left + r.width / 2,"
        " clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));"
    )
    wheeled = _view(d)
    assert wheeled[2] < full[2] and wheeled[0] > 0
    # a drag pans
    svg = d.find_element(By.ID, "map")
    ActionChains(d).move_to_element_with_offset(svg, 10, 10).click_and_hold().move_by_offset(
        -120, -60
    ).release().perform()
    dragged = _view(d)
    assert dragged[2] == wheeled[2] and (dragged[0], dragged[1]) != (wheeled[0], wheeled[1])
    # the keyboard: '+' zooms in, '0' resets
    svg.send_keys("+")
    assert _view(d)[2] < dragged[2]
    svg.send_keys("0")
    assert _view(d) == full
    assert js_errors(d) == []


def test_clusters_depend_on_the_zoom(real_server, chromium):
    d = chromium
    _open_map(d, real_server + "/map")
    out, total = _markers(d), _shown(d)
    clusters = d.find_elements(By.CSS_SELECTOR, "#map-markers .cluster")
    assert clusters, "nearby places (Damascus, Douma, Eastern Ghouta) merge when zoomed out"
    big = max(clusters, key=lambda c: int(c.get_attribute("data-count")))
    assert big.find_element(By.CSS_SELECTOR, "text.count").text == big.get_attribute("data-count")
    d.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", big)  # zooms in
    assert _view(d)[2] < 1000
    assert _markers(d) > out, "zoomed in, the cluster splits"
    assert _shown(d) == total  # every event is still on one marker
    # a cluster of places at one point (Douma and Eastern Ghouta share coordinates) lists its places
    for _ in range(8):
        clusters = d.find_elements(By.CSS_SELECTOR, "#map-markers .cluster")
        if not clusters:
            break
        d.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", clusters[0])
        panel = d.find_element(By.ID, "map-panel")
        if panel.is_displayed():
            links = panel.find_elements(By.TAG_NAME, "a")
            assert len(links) >= 2 and all("place=" in a.get_attribute("href") for a in links)
            break
    else:
        raise AssertionError("the clusters never opened")
    assert js_errors(d) == []


def test_no_two_visible_labels_overlap_on_the_map(real_server, chromium, artifacts):
    d = chromium
    _open_map(d, real_server + "/map")
    for step in range(4):  # the whole map, then zoomed in on the largest cluster or the centre
        boxes = d.execute_script(VISIBLE_BOXES, "#map text.place-label, #map text.country, #map text.grat-label")
        assert len(boxes) >= 5, boxes
        assert _overlapping(boxes) == [], (step, _view(d))
        if step == 0:
            screenshot(d, artifacts / "map.png", full=False)
        clusters = d.find_elements(By.CSS_SELECTOR, "#map-markers .cluster")
        if clusters:
            d.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", clusters[0])
        else:
            d.find_element(By.ID, "map-zoom-in").click()
    # a label that does not fit is hidden, and shows while its marker is hovered
    d.find_element(By.ID, "map-reset").click()
    hidden = d.find_elements(By.CSS_SELECTOR, "#map-labels text.label-hidden")
    if hidden:
        place = hidden[0].get_attribute("data-place")
        marker = d.find_element(By.CSS_SELECTOR, f"#map-markers > [data-place='{place}'] circle")
        assert not hidden[0].is_displayed()
        ActionChains(d).move_to_element(marker).perform()
        assert hidden[0].is_displayed()
    assert js_errors(d) == []


def test_a_country_marker_carries_the_country_name(real_server, chromium):
    d = chromium
    _open_map(d, real_server + "/map")
    syria = d.find_element(By.CSS_SELECTOR, "#map-markers a.country-marker[data-place='gpe:syria']")
    title = syria.find_element(By.TAG_NAME, "title").get_attribute("textContent")
    assert title.startswith("Syria · سوريا:"), title
    label = d.find_element(By.CSS_SELECTOR, "#map-labels text[data-place='gpe:syria']")
    assert label.text == "Syria" and label.is_displayed()
    labels = [t.get_attribute("textContent") for t in d.find_elements(By.CSS_SELECTOR, "#map-labels text")]
    assert not any(t.startswith("Middle East") for t in labels), "a region is not drawn at Syria's point"
    rows = [r.text for r in d.find_elements(By.CSS_SELECTOR, "table.list tbody tr")]
    assert any(r.startswith("Middle East") and "a region, not a point" in r for r in rows)
    # the marker lists exactly its events
    count = int(syria.get_attribute("data-count"))
    d.get(svg_href(d, syria))
    assert int(wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "h2 .count"))).text) == count


def test_the_time_slider_changes_the_markers(real_server, chromium):
    d = chromium
    _open_map(d, real_server + "/map")
    data = d.execute_script("return JSON.parse(document.getElementById('map-data').textContent)")
    assert data["first"] < "2018-04-10" <= data["last"]
    all_markers, all_events = _markers(d), _shown(d)

    ticks = d.find_element(By.ID, "slider-from").get_attribute("data-ticks").split()
    assert ticks == sorted(ticks) and ticks[0] == data["first"] and ticks[-1] == data["last"]

    def slide(since: str, until: str):  # the slider steps from one day on which an event starts or ends to the next
        d.execute_script(
            "var f = document.getElementById('slider-from'), t = document.getElementById('slider-to');"
            "f.value = arguments[0]; f.dispatchEvent(new Event('input'));"
            "t.value = arguments[1]; t.dispatchEvent(new Event('input'));",
            ticks.index(since),
            ticks.index(until),
        )

    slide("2018-04-12", "2018-04-12")
    assert "2018-04-12 – 2018-04-12" in d.find_element(By.ID, "slider-range").text
    one_day = _shown(d)
    assert 0 < one_day < all_events and _markers(d) < all_markers
    list_link = d.find_element(By.ID, "map-list").get_attribute("href")
    assert "since=2018-04-12" in list_link and "until=2018-04-12" in list_link
    # each marker's link carries the window and lists exactly the marker's count
    q = {"since": "2018-04-12", "until": "2018-04-12", "limit": 1}
    for m in d.find_elements(By.CSS_SELECTOR, "#map-markers a.marker"):
        href = svg_href(d, m)
        assert "since=2018-04-12&until=2018-04-12" in href
        place = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)["place"][0]
        got = _get_json(real_server + "/api/events?" + urllib.parse.urlencode({**q, "place": place}))
        assert got["total"] == int(m.get_attribute("data-count")), href
    slide("2018-04-10", "2018-04-13")
    assert one_day < _shown(d) <= all_events
    assert js_errors(d) == []


def test_the_network_is_readable_and_holds_actors_only(real_server, real_store, chromium, artifacts):
    d = chromium
    d.get(real_server + "/events")
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "#network svg circle")))
    ids = [a.get_attribute("data-id") for a in d.find_elements(By.CSS_SELECTOR, "#network a.node-link")]
    assert len(ids) >= 20
    kinds = {i: (kb_place(i) or {}).get("kind") for i in ids}
    assert not [i for i, k in kinds.items() if k in ("place", "region")], kinds
    outside = [i for i in ids if i.startswith("x:")]
    con = duckdb.connect(str(real_store), read_only=True)
    try:
        only_places = con.execute(
            "SELECT actor_id FROM mentions WHERE actor_id IN (SELECT unnest(?)) GROUP BY 1 "
            "HAVING bool_and(type IN ('GPE', 'LOC'))",
            [outside],
        ).fetchall()
    finally:
        con.close()
    assert only_places == []
    heading = d.find_element(By.CSS_SELECTOR, "#network").find_element(By.XPATH, "preceding-sibling::h2").text
    assert "places left out" in heading or "place left out" in heading
    boxes = d.execute_script(VISIBLE_BOXES, "#network text.node-label")
    assert len(boxes) >= 15 and _overlapping(boxes) == []
    d.execute_script("document.getElementById('network').parentNode.scrollIntoView()")
    screenshot(d, artifacts / "network.png", full=False)
    # the network follows the page's type and period filters; an edge lists exactly its events
    d.get(real_server + "/events?type=ACCUSE&since=2018-04-10&until=2018-04-13")
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "#network svg")))
    assert "Who acts on whom" in d.page_source
    edges = [svg_href(d, a) for a in d.find_elements(By.CSS_SELECTOR, "#network svg g.edges a")]
    assert edges and all("type=ACCUSE" in e and "since=2018-04-10" in e for e in edges)
    net = _get_json(real_server + "/api/network?type=ACCUSE&since=2018-04-10&until=2018-04-13")
    for e in net["edges"][:10]:
        q = urllib.parse.urlparse(e["url"]).query
        assert _get_json(real_server + "/api/events?" + q + "&limit=1")["total"] == e["weight"], e
    assert _overlapping(d.execute_script(VISIBLE_BOXES, "#network text.node-label")) == []
    assert js_errors(d) == []


def test_each_week_bar_lists_its_count(real_server, chromium, artifacts):
    d = chromium
    d.get(real_server + "/events?unit=week&since=2018-03-01&until=2018-04-30")
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "#timeline svg a")))
    data = d.execute_script("return JSON.parse(document.getElementById('timeline-data').textContent)")
    assert data["bucket"] == "week" and len(data["buckets"]) >= 8
    assert d.find_element(By.CSS_SELECTOR, "#timeline-units a.current").text == "week"
    totals = {b["since"]: b["total"] for b in data["buckets"]}
    assert sum(totals.values()) > 50
    hrefs = [svg_href(d, a) for a in d.find_elements(By.CSS_SELECTOR, "#timeline svg a")]
    assert len(hrefs) == len(totals)
    for href in hrefs:
        since = href.split("since=")[-1].split("&")[0]
        assert "precision=day" in href
        d.get(href)
        count = wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "h2 .count"))).text
        assert int(count) == totals[since], href
    # the whole store, per week: every non-empty bar's range lists its count (through the API)
    tl = _get_json(real_server + "/api/timeline?unit=week")
    assert tl["bucket"] == "week"
    for b in [b for b in tl["buckets"] if b["total"]]:
        q = urllib.parse.urlencode({"since": b["since"], "until": b["until"], "precision": b["precision"], "limit": 1})
        assert _get_json(real_server + "/api/events?" + q)["total"] == b["total"], b
    assert js_errors(d) == []
