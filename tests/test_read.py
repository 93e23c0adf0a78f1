"""The one read side: ``marsad events`` / ``marsad actor`` and the JSON API give the same answers for
the same question (they share :mod:`marsad.store.read`), and every export format of the registry
writes its file."""

from __future__ import annotations

import json
import warnings

import pytest
from click.testing import CliRunner

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api import create_app  # noqa: E402
from sample_store import build_store  # noqa: E402
from marsad.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("read") / "read.duckdb", synthetic=12)


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as c:
        yield c


def cli_events(db, *args) -> list[tuple[str, int]]:
    r = CliRunner().invoke(main, ["events", "--db", str(db), "--status", "any", "--limit", "1000", "--json", *args])
    assert r.exit_code == 0, r.output
    return [(e["article_id"], e["idx"]) for e in map(json.loads, r.output.splitlines())]


def api_events(client, **params) -> list[tuple[str, int]]:
    out, offset = [], 0
    while True:
        r = client.get("/api/events", params={**params, "limit": 200, "offset": offset})
        assert r.status_code == 200, r.text
        page = r.json()
        out += [(e["article_id"], e["idx"]) for e in page["items"]]
        if page["next_offset"] is None:
            return out
        offset = page["next_offset"]


@pytest.mark.parametrize(
    "cli_args, params",
    [
        ((), {}),
        (("--actor", "Q-lavrov"), {"actor": "Q-lavrov"}),
        (("--actor", "sergey lavrov"), {"actor": "sergey lavrov"}),  # canonical name, any case
        (("--actor", "لافروف"), {"actor": "لافروف"}),  # the Arabic spelling
        (("--actor", "لافاروف"), {"actor": "لافاروف"}),  # another transliteration
        (("--type", "consult"), {"type": "consult"}),
        (("--since", "2024-03-01", "--until", "2024-03-31"), {"since": "2024-03-01", "until": "2024-03-31"}),
        (
            ("--actor", "Q-mekdad", "--type", "CONSULT", "--since", "2024-03-01"),
            {"actor": "Q-mekdad", "type": "CONSULT", "since": "2024-03-01"},
        ),
        (("--outlet", "sana"), {"outlet": "sana"}),
    ],
)
def test_cli_and_api_list_the_same_events(db, client, cli_args, params):
    cli, api = cli_events(db, *cli_args), api_events(client, **params)
    assert cli == api  # same events, same order
    if params:
        assert len(api) < len(api_events(client))


def test_an_actor_in_arabic_and_english_gives_the_same_events(db, client):
    by_id = api_events(client, actor="Q-lavrov")
    assert by_id
    for spelling in ("Sergey Lavrov", "SERGEY LAVROV", "لافروف", "سيرغي لافروف"):
        assert sorted(api_events(client, actor=spelling)) == sorted(by_id), spelling
        assert sorted(cli_events(db, "--actor", spelling)) == sorted(by_id), spelling
    assert api_events(client, actor="nobody at all") == [] == cli_events(db, "--actor", "nobody at all")


def test_cli_and_api_give_the_same_actor_report(db, client):
    for name in ("لافروف", "Q-lavrov", "Sergey Lavrov"):
        r = CliRunner().invoke(main, ["actor", name, "--db", str(db), "--json"])
        assert r.exit_code == 0, r.output
        cli = json.loads(r.output)
        api = client.get("/api/actor", params={"name": name})
        assert api.status_code == 200, api.text
        assert cli == api.json()
        assert cli["actors"][0]["actor_id"] == "Q-lavrov" and cli["mentions"] and cli["events"]


def test_the_export_registry_lists_every_format_and_each_writes_a_file(db, tmp_path):
    from marsad.store.access import reading
    from marsad.store.exports import FORMATS, export

    assert set(FORMATS) == {"jsonl", "csv", "parquet", "gold", "plover", "acled", "geojson", "stories"}
    with reading(db) as con:
        for name in FORMATS:
            out = tmp_path / f"out.{name}"
            n = export(con, name, out)
            assert out.is_file() and out.stat().st_size > 0, name
            assert n > 0, name
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == export_count(
        db, "SELECT count(*) FROM articles"
    )


def export_count(db, sql):
    from marsad.store.access import reading

    with reading(db) as con:
        return con.execute(sql).fetchone()[0]


def test_an_unknown_format_names_the_registry(db, tmp_path):
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "xml", "--out", str(tmp_path / "x")])
    assert r.exit_code == 2 and "geojson" in r.output
