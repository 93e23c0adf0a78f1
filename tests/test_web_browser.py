"""End-to-end tests of the web pages in a real headless Chromium (selenium + chromedriver) against a
uvicorn server on a free loopback port, on the sample store (hand-made articles, hostile ones among
them).  Skipped when chromium, chromedriver or selenium is missing.  The browser tests on a store of
real articles are in ``test_web_real.py``.

Screenshots go to ``artifacts/`` under the repository root (or ``$MARSAD_ARTIFACTS``); with
``MARSAD_SCREENSHOT_DOCS=1`` the article view is also written to ``docs/screenshot.png``.
"""

from __future__ import annotations

import os
import time

import pytest
from browser_kit import ROOT, js_errors, no_alert, require_browser, screenshot, serving, svg_href, wait

require_browser()
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402

from marsad.api import create_app  # noqa: E402
from sample_store import XSS_IMG, XSS_SCRIPT, build_store  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("store") / "web.duckdb", synthetic=12)
    with serving(create_app(db, rate_limit=0)) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def test_search_article_actor_events(server, browser, artifacts):
    d = browser
    d.get(server + "/")
    assert "marsad" in d.title
    box = d.find_element(By.CSS_SELECTOR, ".bigsearch input[name=q]")
    box.send_keys("لافروف سورية")  # 'سورية' must find the articles spelling it 'سوريا'
    box.submit()
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "ol.results li")))
    results = d.find_elements(By.CSS_SELECTOR, "ol.results a.headline")
    assert results, "search found nothing"
    assert any("لافروف" in r.text for r in results)
    next(r for r in results if "المقداد" in r.text).click()

    # the article view: highlighted layers, RTL text, tooltips with canonical actor and resolved date
    wait(d, EC.presence_of_element_located((By.ID, "text")))
    text = d.find_element(By.ID, "text")
    assert text.get_attribute("dir") == "rtl" and text.get_attribute("lang") == "ar"
    for sel in (".hl.ent-PER", ".hl.ent-GPE", ".hl.time", ".hl.quote", ".hl.event", ".hl.attribution"):
        assert d.find_elements(By.CSS_SELECTOR, "#text " + sel), sel
    time_el = d.find_element(By.CSS_SELECTOR, "#text .hl.time")
    ActionChains(d).move_to_element(time_el).perform()
    tip = wait(d, EC.visibility_of_element_located((By.ID, "tip")))
    assert "2024-03-04" in tip.text
    mekdad = d.find_element(By.CSS_SELECTOR, "#text a.hl.ent-PER[href='/actors/Q-mekdad']")
    ActionChains(d).move_to_element(mekdad).perform()
    wait(d, lambda drv: "Faisal Mekdad" in drv.find_element(By.ID, "tip").text)
    assert "EVENT CONSULT" in d.find_element(By.ID, "tip").text  # the event evidence it sits in
    screenshot(d, artifacts / "article.png")
    if os.environ.get("MARSAD_SCREENSHOT_DOCS"):
        d.set_window_size(1400, 900)
        d.save_screenshot(str(ROOT / "docs" / "screenshot.png"))
        d.set_window_size(1400, 1000)

    # a side-panel fact jumps to its evidence span
    d.find_element(By.CSS_SELECTOR, ".layers a[href='#e-0']").click()
    wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "#e-0.is-target"))

    # → the actor page
    d.find_element(By.CSS_SELECTOR, "#text a.hl[href='/actors/Q-lavrov']").click()
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, ".actor-head h1")))
    assert "Sergey Lavrov" in d.find_element(By.CSS_SELECTOR, ".actor-head h1").text
    assert d.find_elements(By.CSS_SELECTOR, "table.events tbody tr td.evidence a")
    co = [a.text for a in d.find_elements(By.CSS_SELECTOR, ".two table a")]
    assert "Faisal Mekdad" in co and "Ayman Safadi" in co

    # → its events: a timeline with bars and a network with nodes and links
    d.find_element(By.LINK_TEXT, "Explore its events").click()
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "#network svg circle")))
    assert "Events of Sergey Lavrov" in d.find_element(By.TAG_NAME, "h1").text
    assert len(d.find_elements(By.CSS_SELECTOR, "#timeline svg a rect")) >= 2
    labels = [t.text for t in d.find_elements(By.CSS_SELECTOR, "#network svg text.node-label")]
    assert "Sergey Lavrov" in labels and "Faisal Mekdad" in labels
    assert d.find_elements(By.CSS_SELECTOR, "#network svg line.edge")
    rows = d.find_elements(By.CSS_SELECTOR, "table.events tbody tr")
    assert rows and all("CONSULT" in r.text or "ASSAULT" not in r.text for r in rows)
    screenshot(d, artifacts / "events.png")

    # every event row links to its evidence: the span is the anchor target
    link = d.find_element(By.CSS_SELECTOR, "table.events td.evidence a")
    href = link.get_attribute("href")
    link.click()
    anchor = href.split("#", 1)[1]
    wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, f"#{anchor}.is-target"))
    assert js_errors(d) == []


def test_timeline_bar_filters_events(server, browser):
    d = browser
    d.get(server + "/events")
    bar = wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "#timeline svg a")))
    href = svg_href(d, bar)
    assert "since=" in href and "until=" in href
    d.get(href)
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "table.events")))
    assert d.find_element(By.CSS_SELECTOR, "input[name=since]").get_attribute("value")


def test_xss_article_renders_inertly(server, browser, artifacts):
    d = browser
    pages = [
        "/articles/xss-test",
        "/actors/Q-evil",
        "/events",
        "/quotes",
        "/map",
        "/",
        "/search?q=" + "%3Cscript%3E",
        "/actors?q=Evil",
    ]
    for page in pages:
        d.get(server + page)
        time.sleep(0.2)  # give any injected handler a chance to fire
        assert no_alert(d), f"an alert fired on {page}"
        # no element came from the payloads: every script is ours, no <img src=x>, no <svg onload>
        scripts = d.execute_script("return Array.from(document.scripts).map(s => s.src || s.type)")
        assert all(s.startswith(server + "/static/") or s == "application/json" for s in scripts), (page, scripts)
        assert not d.find_elements(By.CSS_SELECTOR, "img[src='x'], img[onerror], svg[onload]")
    d.get(server + "/articles/xss-test")
    body = d.find_element(By.TAG_NAME, "body").text
    assert XSS_SCRIPT in body and XSS_IMG in body  # shown as text
    assert XSS_SCRIPT in d.find_element(By.CSS_SELECTOR, "h1.headline").text
    d.get(server + "/")
    assert "<b>موقع</b>" in d.find_element(By.TAG_NAME, "body").text
    d.get(server + "/actors/Q-evil")
    assert "Evil <script>alert(3)</script> Actor" in d.find_element(By.CSS_SELECTOR, ".actor-head h1").text
    d.get(server + "/events?actor=Q-evil")
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "#network svg text.node-label")))
    labels = [t.text for t in d.find_elements(By.CSS_SELECTOR, "#network svg text.node-label")]
    assert "Evil <script>alert(3)</script> Actor" in labels
    assert no_alert(d)
    screenshot(d, artifacts / "xss.png")
    assert js_errors(d) == []


def test_map_shows_markers_offline(server, browser, artifacts):
    d = browser
    d.get(server + "/map")
    svg = wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "svg.map")))
    assert len(svg.find_elements(By.CSS_SELECTOR, "path.land")) >= 15
    markers = svg.find_elements(By.CSS_SELECTOR, "a.marker circle")
    assert len(markers) >= 3
    titles = [m.find_element(By.TAG_NAME, "title").get_attribute("textContent") for m in markers]
    assert any(t.startswith("عمّان") for t in titles)
    assert any("outside the map" in r.text for r in d.find_elements(By.CSS_SELECTOR, "table tr"))  # Moscow
    screenshot(d, artifacts / "map.png")
    href = svg_href(d, svg.find_element(By.CSS_SELECTOR, "a.marker"))
    d.get(href)
    assert d.find_elements(By.CSS_SELECTOR, "table.events tbody tr td.evidence a")
    assert js_errors(d) == []


def test_stories_list_and_story_page(server, browser, artifacts):
    d = browser
    d.get(server + "/stories")
    assert d.find_elements(By.CSS_SELECTOR, "table.stories tbody tr td a"), "the stored articles' stories are listed"
    d.get(server + "/stories?min_articles=2")  # a story of several articles if there is one
    links = d.find_elements(By.CSS_SELECTOR, "table.stories tbody tr td a")
    if not links:
        d.get(server + "/stories")
        links = d.find_elements(By.CSS_SELECTOR, "table.stories tbody tr td a")
    title = links[0].text
    links[0].click()
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "ol.story-timeline")))
    assert d.find_element(By.TAG_NAME, "h1").text == title
    items = d.find_elements(By.CSS_SELECTOR, "ol.story-timeline li")
    assert items and all(li.find_elements(By.CSS_SELECTOR, "a[href^='/articles/']") for li in items)
    screenshot(d, artifacts / "story.png")
    evidence = d.find_elements(By.CSS_SELECTOR, "table.occasions td.evidence a")
    if evidence:  # a report's evidence opens its article at the span
        href = evidence[0].get_attribute("href")
        d.get(href)
        assert "#e-" in href and d.find_elements(By.CSS_SELECTOR, "mark, .hl")
    assert js_errors(d) == []


def test_outlet_profile_page(server, browser, artifacts):
    d = browser
    d.get(server + "/outlets")
    links = d.find_elements(By.CSS_SELECTOR, "table.outlets tbody tr td a")
    assert links, "the stored articles' outlets are listed"
    name = links[0].text
    links[0].click()
    wait(d, EC.presence_of_element_located((By.TAG_NAME, "h1")))
    assert d.find_element(By.TAG_NAME, "h1").text.startswith(name)
    bars = d.find_elements(By.CSS_SELECTOR, "table.bars svg.bar.here rect")
    assert bars and any(b.size["width"] > 1 for b in bars)  # the chart is drawn, not empty
    screenshot(d, artifacts / "outlet.png")
    assert js_errors(d) == []


def test_every_timeline_bar_opens_a_list_of_its_count(server, browser):
    d = browser
    d.get(server + "/events?status=")
    wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "#timeline svg a")))
    data = d.execute_script("return JSON.parse(document.getElementById('timeline-data').textContent)")
    totals = {b["since"]: b["total"] for b in data["buckets"]}
    hrefs = [svg_href(d, a) for a in d.find_elements(By.CSS_SELECTOR, "#timeline svg a")]
    assert hrefs and sum(totals.values()) > 0
    for href in hrefs:
        since = href.split("since=")[-1].split("&")[0]
        d.get(href)
        count = wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, "h2 .count"))).text
        assert int(count) == totals[since], href
    assert js_errors(d) == []


def test_the_actor_input_suggests_actors_in_any_spelling(server, browser):
    d = browser
    for page, name in (("/events", "actor"), ("/quotes", "speaker")):
        d.get(server + page)
        box = wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, f"input[name={name}][list]")))
        box.send_keys("لافر")
        options = "return Array.from(document.getElementById(arguments[0]).options).map(o => o.value)"
        wait(d, lambda drv: "Q-lavrov" in drv.execute_script(options, box.get_attribute("list")))
        assert js_errors(d) == [], page
