"""Browser tests on a store of real articles (≥ 300 ANT articles of 10-13 April 2018 through the whole
pipeline; fixtures ``real_store``/``real_server`` in ``conftest.py``).  Skipped without ``../shared``,
chromium, chromedriver or selenium."""

from __future__ import annotations

import duckdb
from browser_kit import js_errors, require_browser, screenshot, wait

require_browser()
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402


def test_the_real_store_holds_enough_articles(real_store):
    con = duckdb.connect(str(real_store), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        ev = con.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        con.close()
    assert n >= 300 and ev > 300


def test_home_and_an_article_of_the_real_store(real_server, chromium, artifacts):
    d = chromium
    d.get(real_server + "/")
    links = wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "a[href^='/articles/']"))
    links[0].click()
    text = wait(d, EC.presence_of_element_located((By.ID, "text")))
    assert text.get_attribute("dir") == "rtl"
    assert d.find_elements(By.CSS_SELECTOR, "#text .hl")
    screenshot(d, artifacts / "real-article.png")
    assert js_errors(d) == []
