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


def _filtered(d, base, page, field, name):
    """Fill a list page's filter field with ``name``, submit, and return (total, the evidence links)."""
    d.get(base + page)
    box = wait(d, EC.presence_of_element_located((By.CSS_SELECTOR, f"form.filters input[name={field}]")))
    box.clear()
    box.send_keys(name)
    box.submit()
    wait(d, lambda drv: f"{field}=" in drv.current_url)
    count = d.find_elements(By.CSS_SELECTOR, "h2 .count")
    total = int(count[0].text) if count else 0
    links = {a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "table td.evidence a")}
    return total, links


def test_any_spelling_filters_to_the_same_events_as_the_english_name(real_server, chromium):
    """«الأسد» and «Lavrentiev» (and the spellings «لافرنتييف», «لافرنتيف») select the same events as
    the English canonical names, typed into the Events page's Actor field."""
    d = chromium
    for english, others in (
        ("Bashar al-Assad", ("الأسد", "بشار الأسد")),
        ("Alexander Lavrentiev", ("Lavrentiev", "لافرنتييف", "لافرنتيف")),
    ):
        want = _filtered(d, real_server, "/events", "actor", english)
        assert want[0] > 0 and want[1], english
        for name in others:
            assert _filtered(d, real_server, "/events", "actor", name) == want, name
    assert js_errors(d) == []


SHOTS = (  # (file, page) of the README's pictures, from the real-article store
    ("search.png", "/search?q=%D8%B3%D9%88%D8%B1%D9%8A%D8%A7"),
    ("events.png", "/events?type=CONSULT"),
    ("map.png", "/map"),
    ("home-ar.png", "/?lang=ar"),
)


def test_pictures_of_the_real_store(real_server, chromium, artifacts):
    """Each page the README shows renders without a script error; with MARSAD_SCREENSHOT_DOCS=1 the
    pictures are also written to docs/img/ (the README's screenshots)."""
    import os
    import shutil

    from browser_kit import ROOT

    d = chromium
    for name, page in SHOTS:
        d.get(real_server + page)
        wait(d, EC.presence_of_element_located((By.TAG_NAME, "main")))
        if name == "events.png":
            wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "#network svg text"))
        path = screenshot(d, artifacts / f"real-{name}", full=False)
        if os.environ.get("MARSAD_SCREENSHOT_DOCS"):
            (ROOT / "docs" / "img").mkdir(exist_ok=True)
            shutil.copyfile(path, ROOT / "docs" / "img" / name)
        assert js_errors(d) == [], page
    d.get(real_server + "/?lang=en")  # leave the session's browser in English
