"""A correction round trip in real Chromium on the store of real articles (issue 20, item 8): open an
article, flag an event as wrong and fix a quote's speaker (typed in Arabic, resolved through the actor
layer), see both on the page after a reload, in the /events and /quotes lists and on /corrections
with their counts, export them (corpus format, read back by marsad.lab.corpus), and see a write from
another origin refused.  The server here has its own corrections file in a temporary folder."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from browser_kit import js_errors, require_browser, screenshot, serving, wait

require_browser()
import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from marsad.lab.corpus import annot_io  # noqa: E402
from marsad.lab.corpus.corpus import expand  # noqa: E402
from marsad.names import kb_names  # noqa: E402
from marsad.store.access import reading  # noqa: E402
from marsad.store.correction_items import resolve_name  # noqa: E402
from marsad.store.read import list_quotes  # noqa: E402


@pytest.fixture(scope="module")
def corrections_server(real_store, tmp_path_factory):
    from marsad.api import create_app

    path = tmp_path_factory.mktemp("corrections") / "corrections.sqlite"
    with serving(create_app(real_store, rate_limit=0, corrections=path)) as url:
        yield url, path


def pick(real_store) -> dict:
    """An article whose first event has a source actor and whose first quote has a speaker actor, with
    another person named in it: the new speaker, typed as the article spells it."""
    with reading(real_store) as con:
        rows = con.execute(
            """WITH fe AS (SELECT article_id, arg_min(idx, idx) AS idx FROM events GROUP BY 1),
                    fq AS (SELECT article_id, arg_min(idx, idx) AS idx FROM quotes GROUP BY 1)
               SELECT e.article_id, e.type, e.source_ids, q.speaker_actor, q.speaker, q.start, q."end"
               FROM fe JOIN events e USING (article_id, idx) JOIN fq ON fq.article_id = e.article_id
               JOIN quotes q ON q.article_id = fq.article_id AND q.idx = fq.idx
               WHERE len(e.source_ids) > 0 AND q.speaker_actor IS NOT NULL ORDER BY e.article_id"""
        ).fetchall()
        for aid, etype, sources, speaker_id, speaker, qs, qe in rows:
            other = con.execute(
                "SELECT text, actor_id FROM mentions WHERE article_id = ? AND type = 'PER' AND actor_id IS NOT NULL "
                "AND actor_id != ? ORDER BY idx LIMIT 1",
                [aid, speaker_id],
            ).fetchone()
            if other is None:
                continue
            new = resolve_name(con, other[0], kb_names)
            if new["actor_id"] and new["actor_id"] != speaker_id:
                text = con.execute("SELECT text FROM articles WHERE id = ?", [aid]).fetchone()[0]
                _, listed = list_quotes(con, speaker_id, limit=100_000, kb_names=kb_names)
                at = [(r["article_id"], r["start"]) for r in listed].index((aid, qs))
                return dict(quotes_offset=at // 50 * 50, article=aid, type=etype, source=sources[0], speaker_id=speaker_id, speaker=speaker,
                            typed=other[0], new=new, text=text, quote=(qs, qe))  # fmt: skip
    pytest.skip("no article of the real store has an event with a source and a quote with a speaker")


def attacker_app(action: str, fields: dict):
    """A page on another origin with a form that posts ``fields`` to ``action``."""
    from html import escape

    inputs = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(str(v))}">' for k, v in fields.items())
    page = f'<!doctype html><form method="post" action="{escape(action)}">{inputs}<button id="go">go</button></form>'

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": page.encode()})

    return app


def fetch_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8")


def test_a_correction_round_trip_in_chromium(corrections_server, real_store, chromium, artifacts):
    base, path = corrections_server
    p, d = pick(real_store), chromium
    d.get(f"{base}/articles/{p['article']}")
    # flag the first event as wrong
    box = wait(d, lambda drv: drv.find_element(By.ID, "corr-event-0"))
    box.find_element(By.TAG_NAME, "summary").click()
    box.find_element(By.CSS_SELECTOR, "input[name=action][value=wrong]").click()
    box.find_element(By.NAME, "note").send_keys("not an event: <b>background</b>")
    box.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "ul.facts .corr-wrong"), timeout=20)
    # fix the first quote's speaker, typed as the article spells the other person
    box = wait(d, lambda drv: drv.find_element(By.ID, "corr-quote-0"))
    box.find_element(By.TAG_NAME, "summary").click()
    box.find_element(By.NAME, "new_speaker").send_keys(p["typed"])
    box.find_element(By.NAME, "author").send_keys("test analyst")
    box.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "ul.facts .corr-fix"), timeout=20)
    # both shown after a reload: the badge, the old value struck through, the new one
    d.refresh()
    wrong = wait(d, lambda drv: drv.find_element(By.CSS_SELECTOR, "ul.facts .corr-wrong"))
    assert "marked wrong" in wrong.text and "<b>background</b>" in wrong.text  # the note, as text
    fixed = d.find_element(By.CSS_SELECTOR, "ul.facts .corr-fix")
    assert fixed.find_element(By.TAG_NAME, "ins").text == p["new"]["name"]
    assert fixed.find_element(By.TAG_NAME, "del").text == p["speaker"]
    assert d.find_element(By.ID, "corrections").is_displayed()
    screenshot(d, artifacts / "corrections-article.png")
    # in the lists
    d.get(f"{base}/events?actor={p['source']}&type={p['type']}")
    assert d.find_elements(By.CSS_SELECTOR, "table.events .corr-wrong")
    d.get(f"{base}/quotes?speaker={p['speaker_id']}&offset={p['quotes_offset']}")
    assert d.find_elements(By.CSS_SELECTOR, "table.quotes .corr-fix ins")
    # the corrections page and its counts per layer
    d.get(f"{base}/corrections")
    counts = {
        r.get_attribute("data-layer"): [c.text for c in r.find_elements(By.CSS_SELECTOR, "td.num")]
        for r in d.find_elements(By.CSS_SELECTOR, "table.corr-stats tr[data-layer]")
    }
    assert counts == {"event": ["1", "0", "1"], "quote": ["0", "1", "1"], "mention": ["0", "0", "0"]}
    assert len(d.find_elements(By.CSS_SELECTOR, "tr.corr-row")) == 2
    screenshot(d, artifacts / "corrections-page.png")
    assert js_errors(d) == []
    # a write from another site: a page of another server (another origin, no CSP of ours) whose form
    # posts a valid 'wrong' mark to this one; the browser sends its Origin and the server refuses it
    fields = {"layer": "quote", "article_id": p["article"], "start": p["quote"][0], "end": p["quote"][1]}
    with serving(attacker_app(f"{base}/api/corrections", dict(fields, action="wrong"))) as evil:
        d.get(evil.replace("127.0.0.1", "localhost") + "/")
        d.find_element(By.ID, "go").click()
        wait(d, lambda drv: "own pages" in drv.page_source, timeout=20)
    # the refusal is the only console error (read now, so the next test's check starts clean)
    assert all("/api/corrections" in e and "403" in e for e in js_errors(d))
    stats = json.loads(fetch_json(f"{base}/api/corrections/stats"))
    assert stats["records"] == 2 and stats["current"] == 2
    # the export: the API download and the command give the same corpus record, read back
    lines = fetch_json(f"{base}/api/corrections/export").splitlines()
    out = path.parent / "export.jsonl"
    args = ["--bidi", "off", "corrections", "export", "--db", str(real_store), "--corrections", str(path)]
    res = CliRunner().invoke(__import__("marsad.cli", fromlist=["main"]).main, args + ["--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").splitlines() == lines and len(lines) == 1
    rec = json.loads(lines[0])
    full, problems = expand(rec, p["text"]), annot_io.Problems()
    annot_io.check_offsets(full, p["text"], problems)
    assert list(problems) == []
    (q,) = full["quotes"]
    assert q["speaker"] == p["new"]["name"] and q["text_span"] == list(p["quote"])
    assert full["events"] == [] and len(rec["negatives"]["events"]) == 1
    neg = rec["negatives"]["events"][0]
    assert neg["type"] == p["type"] and Path(path).exists()
