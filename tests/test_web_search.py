"""Search on a store of real articles (the ``real_store``/``real_server`` fixtures: ANT articles of
10-13 April 2018 through ``marsad run``): «مصر» finds the word, never «مصرع»; phrases; the total and
facets shown and a facet click narrowing the results, in Chromium; and live data: a ``marsad run``
adding articles while ``marsad serve --workers 2`` answers, its articles searchable before the run
ends, with no failed request.  Skipped without ``../shared``, chromium, chromedriver or selenium."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import httpx
import pytest
from browser_kit import js_errors, real_records, require_browser, screenshot, wait

require_browser()
from selenium.webdriver.common.by import By  # noqa: E402

from marsad.text.normalize import search_key  # noqa: E402
from test_read_while_write import Run  # noqa: E402

PROCLITICS = (
    "و",
    "ف",
    "ب",
    "ك",
    "ل",
    "ال",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "ولل",
    "فلل",
)


def _readings(text: str) -> set[str]:
    """Every word of ``text`` (folded as search folds it) and each word with a proclitic taken off:
    a check written apart from the query's own expansion."""
    out = set()
    for w in re.findall(r"[\u0621-\u064a]+|[^\W\u0621-\u064a_]+", search_key(text)):  # words, cut at a change of script
        out.add(w)
        out.update(w[len(p) :] for p in PROCLITICS if w.startswith(p) and len(w) - len(p) >= 3)
    return out


def _all(base: str, q: str, **params) -> tuple[int, list[dict]]:
    items, offset, total = [], 0, None
    while True:
        r = httpx.get(base + "/api/search", params={"q": q, "limit": 200, "offset": offset, **params}, timeout=30)
        assert r.status_code == 200, r.text
        body = r.json()
        total = body["total"]
        items += body["items"]
        if body["next_offset"] is None:
            return total, items
        offset = body["next_offset"]


def _texts(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT id, text FROM articles").fetchall())
    finally:
        con.close()


def test_egypt_finds_the_word_never_a_longer_one(real_server, real_store):
    texts = _texts(real_store)
    total, items = _all(real_server, "مصر")
    assert total == len(items) >= 5
    for it in items:  # every article returned holds «مصر» as a word, perhaps behind a proclitic
        assert "مصر" in _readings(texts[it["id"]]), it["id"]
    # and every article that holds it so is returned (recall), «مصرع»-only articles are not
    expected = {aid for aid, t in texts.items() if "مصر" in _readings(t)}
    assert {it["id"] for it in items} == expected
    longer = {aid for aid, t in texts.items() if any(w.startswith("مصر") and w != "مصر" for w in search_key(t).split())}
    assert longer - expected, "the store should hold an article with «مصرع»/«مصري»… but not «مصر»"
    _, amman = _all(real_server, "عمان")  # never «النعمان»
    assert all("عمان" in _readings(texts[it["id"]]) for it in amman)


def test_a_phrase_finds_its_words_together(real_server, real_store):
    texts = _texts(real_store)
    loose_total, loose = _all(real_server, "مجلس الامن")
    total, items = _all(real_server, '"مجلس الأمن"')
    assert 0 < total <= loose_total and {i["id"] for i in items} <= {i["id"] for i in loose}
    for it in items:
        assert "مجلس الامن" in search_key(texts[it["id"]]), it["id"]
        marked = [it["snippet"][s:e] for s, e in it["marks"]]
        assert marked and all(search_key(m).endswith("مجلس الامن") for m in marked)
    # loose: the articles where the words stand together come first
    flags = [i["adjacent"] for i in loose]
    assert flags == sorted(flags, reverse=True) and flags[0]


def test_a_phrase_typed_in_the_search_box(real_server, chromium):
    d = chromium
    d.get(real_server + "/search")
    box = wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, ".bigsearch input[name=q]"))[0]
    box.send_keys('"مجلس الأمن"')
    d.find_element(By.CSS_SELECTOR, ".bigsearch button[type=submit]").click()
    count = wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "#search-total .count"))[0]
    assert int(count.get_attribute("data-total")) == _all(real_server, '"مجلس الأمن"')[0] > 0
    marks = [m.text for m in d.find_elements(By.CSS_SELECTOR, "ol.results .snippet mark")]
    assert marks and all(search_key(m).endswith("مجلس الامن") for m in marks), marks
    assert js_errors(d) == []


def test_search_page_total_marks_and_a_facet_click(real_server, chromium, artifacts):
    d = chromium
    d.get(real_server + "/search?q=" + "سوريا")
    count = wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "#search-total .count"))[0]
    total = int(count.get_attribute("data-total"))
    assert total == _all(real_server, "سوريا")[0] and total > 50
    assert d.find_elements(By.CSS_SELECTOR, "ol.results .snippet mark")
    marks = [m.text for m in d.find_elements(By.CSS_SELECTOR, "ol.results .snippet mark")]
    assert all(search_key(m).endswith(("سوريا", "سوريه")) or "سوري" in search_key(m) for m in marks), marks
    screenshot(d, artifacts / "search-real.png")
    link = d.find_element(By.CSS_SELECTOR, "section[data-facet=outlet] li a")
    want = int(link.find_element(By.XPATH, "following-sibling::span").text)
    outlet = link.text
    link.click()
    wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "a.tag.filter[data-filter=outlet]"))
    narrowed = int(d.find_element(By.CSS_SELECTOR, "#search-total .count").get_attribute("data-total"))
    assert narrowed == want < total
    api_total, items = _all(real_server, "سوريا", outlet=outlet)
    assert api_total == narrowed and all(outlet in (i["outlet_name"], i["outlet"]) for i in items)
    # the type facet narrows further, and every facet count adds up to no more than the total
    link = d.find_element(By.CSS_SELECTOR, "section[data-facet=type] li a")
    want = int(link.find_element(By.XPATH, "following-sibling::span").text)
    link.click()
    wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "a.tag.filter[data-filter=type]"))
    assert int(d.find_element(By.CSS_SELECTOR, "#search-total .count").get_attribute("data-total")) == want
    assert js_errors(d) == []


def test_search_filters_by_actor_in_any_spelling(real_server):
    en, _ = _all(real_server, "سوريا", actor="Bashar al-Assad")
    ar, _ = _all(real_server, "سوريا", actor="بشار الأسد")
    assert en == ar > 0
    both, _ = _all(real_server, "سوريا", actor="Bashar al-Assad", since="2018-04-12", until="2018-04-12")
    assert 0 < both < en


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _new_records(n: int) -> list[dict]:
    """Real records of 14 April 2018 (outside the test store's days), none reserved."""
    shared = Path(__file__).resolve().parents[1].parent / "shared"
    reserved = set((shared / "corpus" / "reserved_ids.txt").read_text(encoding="utf-8").split())
    out = []
    with open(shared / "corpus" / "ant_unlabeled.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["id"].endswith("-20180414") and r["id"] not in reserved:
                out.append(r)
            if len(out) == n:
                break
    return out


# long: one scenario (a server, a run, a poller) kept in one piece
def test_a_run_adds_searchable_articles_while_the_server_answers(real_store, tmp_path):
    assert real_records  # the fixture's records come from ../shared: so do these
    db = tmp_path / "live.duckdb"
    shutil.copy(real_store, db)
    before = _texts(db)
    recs = _new_records(24)
    src = tmp_path / "new.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    serve = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "serve", "--db", str(db), "--port", str(port), "--workers", "2"]
        + ["--rate-limit", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and serve.poll() is None, "the server did not start"
            time.sleep(0.2)
        # a word the new articles hold and the old ones do not
        headline = search_key(recs[0].get("title") or recs[0]["text"].split("\n")[0])
        old_words = set(search_key(" ".join(before.values())).split())
        word = next(w for w in headline.split() if len(w) >= 4 and w not in old_words)
        statuses: list[int] = []
        seen_during: list[float] = []
        stop = threading.Event()
        run = None

        def poll():
            with httpx.Client(timeout=60) as c:
                while not stop.is_set():
                    for url, params in (("/api/search", {"q": word}), ("/api/articles", {"limit": 5})):
                        try:
                            r = c.get(base + url, params=params)
                        except httpx.HTTPError:
                            statuses.append(0)  # a failed request
                            continue
                        statuses.append(r.status_code)
                        if (
                            url == "/api/search"
                            and r.status_code == 200
                            and r.json()["total"]
                            and run.proc.poll() is None
                        ):
                            seen_during.append(time.monotonic())
                    time.sleep(0.05)

        run = Run(src, db, "--batch-size", "4")
        th = threading.Thread(target=poll, daemon=True)
        th.start()
        stored = run.finish()  # asserts the run's exit status 0
        assert stored > 0 and not run.errors, run.errors
        time.sleep(0.3)
        stop.set()
        th.join(timeout=60)
        assert statuses and set(statuses) == {200}, sorted(set(statuses))
        assert seen_during, "no search found the new articles before the run ended"
        after = _texts(db)
        new = set(after) - set(before)
        assert new, "the run stored nothing"
        listed = httpx.get(base + "/api/articles", params={"limit": 1}).json()["total"]
        assert listed == len(after)
        total, items = _all(base, word)
        assert {i["id"] for i in items} == {a for a, t in after.items() if word in _readings(t)} and total
        assert {i["id"] for i in items} <= new
        for aid in sorted(new)[:5]:  # each new article: found by the words of its headline, as a phrase
            words = search_key(after[aid].split("\n")[0]).split()[:6]
            if len(words) >= 2:
                _, hits = _all(base, '"' + " ".join(words) + '"')
                assert aid in {h["id"] for h in hits}, (aid, words)
    finally:
        serve.terminate()
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
    if serve.returncode not in (0, -15):
        pytest.fail(serve.stderr.read()[-2000:])
