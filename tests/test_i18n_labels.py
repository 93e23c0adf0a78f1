"""The Arabic interface without a browser: every template label has its translation, an Arabic
page shows no English label of the table, counts use Arabic-Indic digits, data keeps its own."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api import create_app
from marsad.web.i18n import counted, digits
from marsad.web.labels import AR, COUNTED

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "marsad" / "web" / "templates"
# labels the templates build from data: _(e.status), _(e.precision), _(qt.kind), _(k), _(title) …
DYNAMIC = (
    ["realized", "negated", "planned", "conditional", "direct", "indirect", "day", "month", "year", "published"]
    + ["Articles", "Actors", "Events", "Quotes", "Stories", "Outlets", "Map", "Search"]
    + [f"the {p} or better" for p in ("day", "month", "year")]
    + [f"events per {b}" for b in ("day", "week", "month", "year")]
    + [f"dated only to the {p} (not drawn)" for p in ("month", "year")]
    + [f"dated to the {p}" for p in ("month", "year")]
    + ["hostile", "neutral", "sympathetic", "own", "number", "responsible", "label", "source"]
)
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def template_labels() -> set[str]:
    out = set()
    for p in TEMPLATES.glob("*.html"):
        out |= set(re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', p.read_text(encoding="utf-8")))
    return out


def test_the_templates_wrap_their_labels():
    labels = template_labels()
    assert len(labels) > 150 and {"Articles", "Events", "Outlet", "Filter", "No events match."} <= labels


def test_every_label_has_an_arabic_translation():
    missing = sorted(k for k in template_labels() | set(DYNAMIC) if k not in AR)
    assert missing == []
    for k, v in AR.items():  # a translation is Arabic, not the English left in place
        assert v != k and ARABIC_LETTER.search(v), k


def test_counted_nouns_follow_arabic_number_agreement():
    assert counted("ar", 1, "article") == "مقال واحد"
    assert counted("ar", 1, "mention") == "إشارة واحدة"
    assert counted("ar", 2, "event") == "حدثان"
    assert counted("ar", 3, "article") == "٣ مقالات"
    assert counted("ar", 11, "quote") == "١١ تصريحًا"
    assert counted("ar", 100, "article") == "١٠٠ مقال"
    assert counted("ar", 103, "article") == "١٠٣ مقالات"
    assert counted("en", 1, "article") == "1 article" and counted("en", 3, "event") == "3 events"
    assert set(COUNTED) >= {"article", "mention", "quote", "event", "hit"}
    assert digits("ar", "2018-04-12") == "٢٠١٨-٠٤-١٢" and digits("en", 426) == "426"


class Visible(HTMLParser):
    """The text a reader sees, outside Arabic data (lang="ar"), code, scripts, styles and SVG."""

    SKIP = {"script", "style", "code", "svg", "title"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.attrs: list[str] = []
        self.html_attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        data = tag != "html" and a.get("lang") == "ar"  # Arabic data, not the page's own language
        skip = (self.stack[-1][1] if self.stack else False) or tag in self.SKIP or data
        if tag not in ("meta", "link", "img", "br", "input", "hr"):
            self.stack.append((tag, skip))
        if not skip:
            self.attrs += [a[k] for k in ("placeholder", "title", "aria-label") if a.get(k)]

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if data.strip() and not (self.stack and self.stack[-1][1]):
            self.texts.append(data.strip())


PAGES = [
    "/",
    "/search?q=لافروف",
    "/search?q=nothingmatchesthis",
    "/actors",
    "/actors/Q-lavrov",
    "/events",
    "/events?actor=Q-lavrov",
    "/quotes",
    "/stories",
    "/outlets",
    "/map",
    "/articles/sana-2024-03-04-lavrov",
    "/articles/no-such-article",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from sample_store import build_store

    db = build_store(tmp_path_factory.mktemp("i18n") / "s.duckdb")
    with TestClient(create_app(db, allowed_hosts=["testserver"], rate_limit=0)) as c:
        yield c


def _english_labels(html: str) -> list[str]:
    """The table's English labels that a page shows as a whole piece of text (or a placeholder,
    title, aria-label)."""
    v = Visible()
    v.feed(html)
    keys = {k for k in AR if len(k) > 2}  # 'id', 'of', 'in' also occur inside data
    return [t for t in v.texts + v.attrs if t in keys or t.rstrip(":") in keys]


@pytest.mark.parametrize("path", PAGES + ["/stories/{story}", "/outlets/{outlet}"])
def test_an_arabic_page_shows_no_english_label(client, path):
    if "{story}" in path:
        path = "/stories/" + client.get("/api/stories").json()["items"][0]["story"]
    if "{outlet}" in path:
        path = "/outlets/" + client.get("/api/outlets").json()["items"][0]["outlet"]
    en = client.get(path, cookies={"lang": "en"})
    ar = client.get(path, cookies={"lang": "ar"})
    assert ar.status_code == en.status_code
    assert _english_labels(en.text)  # the English page does show labels of the table ...
    assert _english_labels(ar.text) == []  # ... the Arabic one none
    assert '<html lang="ar" dir="rtl">' in ar.text and '<html lang="en" dir="ltr">' in en.text


def test_a_planted_english_label_is_found():
    assert _english_labels('<html lang="ar" dir="rtl"><body><h2>Events</h2><p lang="ar">Events</p></body></html>') == [
        "Events"
    ]


def test_numerals_are_arabic_indic_in_counts_but_not_in_data(client):
    html = client.get("/events", params={"lang": "ar", "since": "2024-01-01"}).text
    total = client.get("/api/events", params={"since": "2024-01-01"}).json()["total"]
    assert total >= 5
    assert f'<span class="count">{digits("ar", total)}</span>' in html
    assert 'value="2024-01-01"' in html  # an ISO date in an input keeps its digits
    art = client.get("/articles/sana-2024-03-04-lavrov", params={"lang": "ar"}).text
    assert "<code>sana-2024-03-04-lavrov</code>" in art  # ids too


def test_the_choice_is_kept_in_a_cookie_and_the_switch_keeps_the_query(client):
    c = client
    c.cookies.clear()
    r = c.get("/events", params={"lang": "ar", "type": "CONSULT"})
    assert r.cookies.get("lang") == "ar" and "Cookie" in r.headers["vary"]
    assert '<html lang="ar" dir="rtl">' in c.get("/quotes").text  # the next page, no parameter
    assert 'href="?type=CONSULT&amp;lang=en"' in r.text  # the switch: the same page in English
    c.get("/", params={"lang": "en"})
    assert '<html lang="en" dir="ltr">' in c.get("/quotes").text
    assert '<html lang="en" dir="ltr">' in c.get("/", params={"lang": "fr"}).text  # unknown: the default
    c.cookies.clear()


def test_error_pages_speak_arabic_too(client):
    r = client.get("/articles/no-such-article", params={"lang": "ar"})
    assert r.status_code == 404 and "<h1>خطأ ٤٠٤</h1>" in r.text and "العودة إلى المقالات" in r.text
