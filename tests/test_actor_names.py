"""Actor and speaker filters take any spelling, Arabic or English, resolved as ``marsad actor``
resolves it (the KB's spellings handed in, the stored mentions' skeletons, English canonical words),
and the suggestions endpoint offers actors for a typed prefix."""

from __future__ import annotations

import warnings
from datetime import date

import pytest

from marsad.store.db import Writer, connect
from sample_store import ArticleBuilder

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api import create_app  # noqa: E402

BASHAR, MAHER, LAVRENTIEV = "per:bashar-al-assad", "per:maher-al-assad", "per:alexander-lavrentiev"

# (id, surface in the text, actor id, canonical): each article has one actor, one event, one quote
ARTICLES = [
    ("b1", "الرئيس بشار الأسد", "بشار الأسد", BASHAR, "Bashar al-Assad"),
    ("b2", "الرئيس الأسد", "الأسد", BASHAR, "Bashar al-Assad"),
    ("m1", "العميد ماهر الأسد", "ماهر الأسد", MAHER, "Maher al-Assad"),
    ("l1", "المبعوث ألكسندر لافرنتييف", "لافرنتييف", LAVRENTIEV, "Alexander Lavrentiev"),
    ("l2", "المبعوث الروسي لافرنتييف", "لافرنتييف", LAVRENTIEV, "Alexander Lavrentiev"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "n.duckdb"
    con = connect(path)
    w = Writer(con, "names")
    for i, (aid, who, surface, actor, canon) in enumerate(ARTICLES):
        b = ArticleBuilder(
            aid,
            f"{who} يلتقي وفدا",
            f'دمشق - التقى {who} وفدا في دمشق يوم {i + 1} آذار.\nوقال {surface} إن "اللقاء كان مثمرا {i}".',
            date(2024, 3, i + 1),
            "سانا",
            "SANA",
        )
        b.mention(surface, "PER", actor, canon).mention(surface, "PER", actor, canon, nth=1)
        b.event("CONSULT", f"التقى {who} وفدا في دمشق", [canon], [], [actor], [])
        b.quote(f"اللقاء كان مثمرا {i}", "direct", "وقال", surface, canon, actor, speaker_nth=1)
        w.add(b.build())
    w.flush()
    con.close()
    with TestClient(create_app(path, allowed_hosts=["testserver"], rate_limit=0)) as c:
        yield c


def _events(client, actor) -> list[str]:
    r = client.get("/api/events", params={"actor": actor, "limit": 200})
    assert r.status_code == 200, r.text
    return sorted(e["article_id"] for e in r.json()["items"])


def _quotes(client, speaker) -> list[str]:
    r = client.get("/api/quotes", params={"speaker": speaker, "limit": 200})
    assert r.status_code == 200, r.text
    return sorted(q["article_id"] for q in r.json()["items"])


def test_arabic_and_english_spellings_select_the_same_events_and_quotes(client):
    for spellings, expected in (
        (("بشار الأسد", "الأسد", "Bashar al-Assad", "bashar al-assad", BASHAR), ["b1", "b2"]),  # not Maher
        (("Lavrentiev", "لافرنتييف", "لافرنتيف", "Alexander Lavrentiev", LAVRENTIEV), ["l1", "l2"]),
        (("ماهر الأسد", "Maher al-Assad"), ["m1"]),
    ):
        for s in spellings:
            assert _events(client, s) == expected, s
            assert _quotes(client, s) == expected, s
    assert _events(client, "nobody at all") == [] == _quotes(client, "nobody at all")


def test_the_pages_filter_by_an_arabic_name(client):
    for path, param in (("/events", "actor"), ("/quotes", "speaker")):
        page = client.get(path, params={param: "الأسد"}).text
        assert "/articles/b1" in page and "/articles/b2" in page and "/articles/m1" not in page, path


def test_suggestions_take_any_spelling_prefix(client):
    def ids(q):
        r = client.get("/api/actors/suggest", params={"q": q})
        assert r.status_code == 200, r.text
        return [a["actor_id"] for a in r.json()["items"]]

    assert ids("Lavr") == [LAVRENTIEV] == ids("لافرنت") == ids("per:alex")
    assert set(ids("assad")) == {BASHAR, MAHER} == set(ids("al-as"))
    assert ids("بشار") == [BASHAR]
    assert ids("ماهر") == [MAHER]
    assert ids("zzz") == []
    item = client.get("/api/actors/suggest", params={"q": "Lavr"}).json()["items"][0]
    assert item == {"actor_id": LAVRENTIEV, "name": "Alexander Lavrentiev", "mentions": 4}
    assert client.get("/api/actors/suggest").status_code == 422


def test_the_filter_inputs_load_the_suggestions_script(client):
    for path in ("/events", "/quotes"):
        page = client.get(path).text
        assert "data-suggest" in page and '<script src="/static/suggest.js"></script>' in page, path
    js = client.get("/static/suggest.js")
    assert js.status_code == 200 and "/api/actors/suggest" in js.text and "innerHTML" not in js.text
