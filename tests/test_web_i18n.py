"""Browser tests of the Arabic interface, the merged outlets and the source links, on the store of
426 real ANT articles (fixtures ``real_store``/``real_server`` in ``conftest.py``).  Skipped without
``../shared``, chromium, chromedriver or selenium."""

from __future__ import annotations

import re

import duckdb
import pytest
from browser_kit import js_errors, require_browser, screenshot, wait

require_browser()
from selenium.webdriver.common.by import By  # noqa: E402

ARABIC_INDIC = re.compile(r"^[٠-٩]+$")


@pytest.fixture
def browser(chromium, real_server):
    """The shared Chromium, in English again afterwards (the language lives in a cookie)."""
    chromium.get(real_server + "/?lang=en")
    yield chromium
    chromium.get(real_server + "/?lang=en")
    chromium.delete_cookie("lang")


def _nav(d) -> dict[str, object]:
    return {
        a.get_attribute("href").rsplit("/", 1)[-1] or "home": a
        for a in d.find_elements(By.CSS_SELECTOR, "header.top nav:not(.lang-switch) a")
    }


def test_toggle_to_arabic_and_back(browser, real_server, artifacts):
    d = browser
    d.get(real_server + "/events")
    html = d.find_element(By.TAG_NAME, "html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    en = _nav(d)
    assert en["events"].text == "Events"
    en_x = {k: a.rect["x"] for k, a in en.items()}
    d.find_element(By.LINK_TEXT, "عربي").click()
    wait(d, lambda drv: drv.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ar"
    assert "/events" in d.current_url  # the same page
    ar = _nav(d)
    assert {k: a.text for k, a in ar.items()} == {
        "home": "المقالات",
        "search": "بحث",
        "actors": "الفاعلون",
        "events": "الأحداث",
        "quotes": "التصريحات",
        "stories": "القصص",
        "outlets": "وسائل الإعلام",
        "map": "الخريطة",
        "corrections": "التصحيحات",
    }
    # the layout mirrors: the nav reads from the right, and sits right of the page's middle
    ar_x = {k: a.rect["x"] for k, a in ar.items()}
    assert en_x["home"] < en_x["events"] < en_x["map"]
    assert ar_x["home"] > ar_x["events"] > ar_x["map"]
    width = d.execute_script("return document.documentElement.clientWidth")
    assert ar_x["home"] > width / 2 > en_x["home"]
    brand_x = d.find_element(By.CSS_SELECTOR, "header.top .brand").rect["x"]
    assert brand_x > ar_x["home"]  # the brand on the far right
    # counts in Arabic-Indic digits, the ISO dates of the inputs untouched
    count = d.find_element(By.CSS_SELECTOR, "h2 .count").text
    assert ARABIC_INDIC.match(count), count
    for el in d.find_elements(By.CSS_SELECTOR, "td.num"):
        assert not re.search(r"[0-9]", el.text), el.text
    screenshot(d, artifacts / "i18n-events-ar.png")
    # the choice follows the links (a cookie): the home page, in Arabic, with its counts
    ar["home"].click()
    wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "ul.stats b"))
    assert d.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    stats = [b.text for b in d.find_elements(By.CSS_SELECTOR, "ul.stats b")]
    assert stats and all(ARABIC_INDIC.match(s) for s in stats), stats
    assert d.find_element(By.CSS_SELECTOR, "h1").text == "المقالات"
    screenshot(d, artifacts / "i18n-home-ar.png")
    # and back to English
    d.find_element(By.LINK_TEXT, "EN").click()
    wait(d, lambda drv: drv.find_element(By.TAG_NAME, "html").get_attribute("dir") == "ltr")
    assert _nav(d)["home"].text == "Articles"
    assert all(re.match(r"^[0-9]+$", b.text) for b in d.find_elements(By.CSS_SELECTOR, "ul.stats b"))
    assert js_errors(d) == []


def test_the_outlets_page_lists_each_outlet_once(browser, real_server, real_store):
    con = duckdb.connect(str(real_store), read_only=True)
    try:
        surfaces = {
            o for (o,) in con.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL").fetchall()
        }
        n_articles = con.execute("SELECT count(*) FROM articles WHERE outlet IS NOT NULL").fetchone()[0]
    finally:
        con.close()
    assert {"skynews", "france24", "alarabia", "BBC", "CNN"} <= surfaces
    d = browser
    d.get(real_server + "/outlets")
    rows = d.find_elements(By.CSS_SELECTOR, "table.outlets tbody tr")
    names = [r.find_element(By.CSS_SELECTOR, "td a").text for r in rows]
    assert sorted(names) == ["Al Arabiya", "BBC Arabic", "CNN Arabic", "France 24 Arabic", "Sky News Arabia"]
    assert sum(int(r.find_elements(By.CSS_SELECTOR, "td.num")[0].text) for r in rows) == n_articles
    # the events filter lists the same outlets, and an alias selects the outlet's events
    d.get(real_server + "/events?outlet=france24")
    opts = [o.text for o in d.find_elements(By.CSS_SELECTOR, "select[name=outlet] option") if o.get_attribute("value")]
    assert sorted(opts) == sorted(names)
    selected = d.find_element(By.CSS_SELECTOR, "select[name=outlet] option:checked").text
    n_alias = d.find_element(By.CSS_SELECTOR, "h2 .count").text
    d.get(real_server + "/events?outlet=" + "فرانس24")
    assert selected == "France 24 Arabic" and d.find_element(By.CSS_SELECTOR, "h2 .count").text == n_alias
    d.get(real_server + "/outlets?lang=ar")
    ar_names = [a.text for a in d.find_elements(By.CSS_SELECTOR, "table.outlets tbody td a")]
    assert "سكاي نيوز عربية" in ar_names and len(ar_names) == len(set(ar_names)) == 5
    assert js_errors(d) == []


def test_an_article_with_a_source_url_links_it(browser, real_server, real_store):
    con = duckdb.connect(str(real_store), read_only=True)
    try:
        aid, url = con.execute(
            "SELECT id, url FROM articles WHERE url LIKE 'http%' ORDER BY published DESC, id LIMIT 1"
        ).fetchone()
        without = con.execute("SELECT id FROM articles WHERE url IS NULL LIMIT 1").fetchone()[0]
    finally:
        con.close()
    d = browser
    d.get(real_server + "/articles/" + aid)
    link = wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, ".meta a.source-link"))[0]
    assert link.get_attribute("href").startswith(("http://", "https://"))
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert link.text == url
    d.get(real_server + "/articles/" + without)
    assert not d.find_elements(By.CSS_SELECTOR, "a.source-link")
    # the home list links the source of each article that has one, to http(s) only
    d.get(real_server + "/")
    hrefs = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "table.articles a.source-link")]
    assert all(h.startswith(("http://", "https://")) for h in hrefs)
    assert js_errors(d) == []


def test_no_internal_id_is_shown_as_a_name(browser, real_server):
    d = browser
    shown = re.compile(r"^x:[0-9a-f]{12}$")
    for path in ("/actors", "/actors?offset=50", "/events", "/quotes"):
        d.get(real_server + path)
        texts = [a.text for a in d.find_elements(By.CSS_SELECTOR, "main a")]
        assert not [t for t in texts if shown.match(t.strip())], path
    d.get(real_server + "/actors?q=x:")
    links = [
        a for a in d.find_elements(By.CSS_SELECTOR, "table.actors td a") if "/actors/x%3A" in a.get_attribute("href")
    ]
    assert links and all(not shown.match(a.text) for a in links)
