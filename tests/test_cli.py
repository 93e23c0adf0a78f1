"""End-to-end: the CLI on the bundled examples and on bad inputs."""

import gzip
import json
from pathlib import Path

from click.testing import CliRunner

from marsad.cli import main

ROOT = Path(__file__).resolve().parents[1]


def invoke(*args, ok=True):
    r = CliRunner().invoke(main, ["--bidi", "off", *map(str, args)], catch_exceptions=False)
    if ok:
        assert r.exit_code == 0, r.output
    return r


def test_examples_end_to_end(tmp_path):
    db = tmp_path / "ex.duckdb"
    r = invoke("run", ROOT / "examples", "--db", db, "--workers", "1")
    stored = int(r.output.split()[0])
    assert stored >= 8
    counts = invoke("stats", "--db", db, "--json").output
    s = json.loads(counts)
    assert s["articles"] == stored and s["sentences"] > stored
    # idempotent: the same input again adds nothing
    invoke("run", ROOT / "examples", "--db", db, "--workers", "1")
    assert json.loads(invoke("stats", "--db", db, "--json").output)["articles"] == stored
    # show, search, export
    invoke("export", "--db", db, "--format", "jsonl", "--out", tmp_path / "a.jsonl")
    lines = [json.loads(x) for x in open(tmp_path / "a.jsonl", encoding="utf-8")]
    assert len(lines) == stored
    for a in lines:
        for layer, field in (
            ("mentions", "text"),
            ("times", "text"),
            ("quotes", "text"),
            ("attributions", "text"),
            ("events", "evidence"),
        ):
            for sp in a[layer]:
                assert a["text"][sp["start"] : sp["end"]] == sp[field]
        assert all(0 <= s["start"] < s["end"] <= len(a["text"]) for s in a["sentences"])
    first = lines[0]["id"]
    assert " ".join(lines[0]["headline"].split()[:3]) in invoke("show", first, "--db", db).output
    word = lines[0]["headline"].split()[0]
    assert first in invoke("search", word, "--db", db).output
    for fmt in ("gold", "csv", "parquet"):
        invoke("export", "--db", db, "--format", fmt, "--out", tmp_path / f"x.{fmt}")
        assert (tmp_path / f"x.{fmt}").stat().st_size > 0


def bad_inputs(d: Path) -> Path:
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (d / "truncated.txt").write_bytes("خبر عاجل عن الاجتماع".encode("utf-8")[:-1] + b"\xd8")
    (d / "nul.txt").write_bytes("نص\x00فيه صفر".encode("utf-8"))
    (d / "script.html").write_text(
        "<html><head><script>var a=1;</script></head><body><script>x()</script></body></html>"
    )
    (d / "lines.jsonl").write_text(
        '{"id": "ok1", "text": "عنوان\\nالتقى الوزير نظيره في دمشق أمس وبحثا العلاقات."}\n{broken\n', encoding="utf-8"
    )
    with open(d / "huge.txt", "wb") as f:  # a 50 MB single line
        f.seek(50 * 2**20 - 1)
        f.write(b"a")
    with gzip.open(d / "fine.txt.gz", "wt", encoding="utf-8") as f:
        f.write("عنوان الخبر\nوصل وفد روسي إلى دمشق أمس في زيارة رسمية تستمر يومين.")
    return d


def test_bad_inputs_are_rejected_with_reasons(tmp_path):
    d = bad_inputs(tmp_path / "bad")
    db = tmp_path / "bad.duckdb"
    r = invoke("run", d, tmp_path / "does-not-exist.txt", "--db", db, "--workers", "1", ok=False)
    assert "2 stored" in r.output
    assert r.exit_code == 1 and "does-not-exist.txt" in r.output  # a mistyped path fails the command
    rej = json.loads(invoke("rejects", "--db", db, "--json").output)
    by_source = {Path(x["source"].split(":")[0]).name: x for x in rej}
    for name in (
        "empty.txt",
        "binary.txt",
        "truncated.txt",
        "nul.txt",
        "script.html",
        "lines.jsonl",
        "huge.txt",
        "does-not-exist.txt",
    ):
        assert name in by_source, (name, sorted(by_source))
        assert by_source[name]["reason"] and len(by_source[name]["detail"]) > 10
    strict = CliRunner().invoke(main, ["run", str(d), "--db", str(tmp_path / "s.duckdb"), "--workers", "1", "--strict"])
    assert strict.exit_code != 0


def test_missing_store_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "marsad run" in r.output
