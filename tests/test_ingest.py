"""Readers and decoding: every input yields documents or rejects with a reason; nothing raises."""

from __future__ import annotations

import datetime
import gzip
import json
import os
from pathlib import Path

import pytest

from marsad.errors import InputError
from marsad.ingest import MAX_ARTICLE_BYTES, RawDoc, Reject, decode_bytes, parse_date, read_inputs

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"

AR = "وقال وزير الخارجية أمس إن «المحادثات مستمرة» في عمّان.\nسطر ثانٍ من النص 2025"


def items(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def docs(xs):
    return [x for x in xs if isinstance(x, RawDoc)]


def rejects(xs):
    return [x for x in xs if isinstance(x, Reject)]


# ----------------------------------------------------------------- decoding
@pytest.mark.parametrize(
    "data,enc",
    [
        (AR.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + AR.encode("utf-8"), "utf-8-sig"),
        (AR.encode("utf-16"), "utf-16"),
        (AR.encode("utf-16-le"), "utf-16-le"),
        (AR.encode("utf-16-be"), "utf-16-be"),
        (AR.encode("cp1256"), "cp1256"),
    ],
)
def test_decode_encodings(data, enc):
    text, got = decode_bytes(data)
    assert text == AR
    assert got == enc


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"PK\x03\x04" + b"\x00" * 100, "binary"),
        (bytes(range(256)) * 20, "binary"),
        (("نص عربي طويل " * 40).encode()[:200] + b"\x00" + ("نص " * 40).encode(), "nul-bytes"),
        (AR.encode("utf-8")[:-1] + "ب".encode()[:1], "truncated-utf8"),
        (AR.encode("utf-8")[:30] + b"\xff\xfe\xfa" + AR.encode("utf-8")[33:], "bad-encoding"),
    ],
)
def test_decode_rejects(data, reason):
    with pytest.raises(InputError) as ei:
        decode_bytes(data)
    assert ei.value.reason == reason
    assert len(str(ei.value)) > 30  # a sentence, not a code


def test_utf8_mojibake_is_not_taken_for_cp1256():
    # valid Arabic UTF-8 with one stray byte in the middle must not "succeed" as Windows-1256
    data = ("خبر " * 50).encode() + b"\xff" + ("خبر " * 50).encode()
    with pytest.raises(InputError) as ei:
        decode_bytes(data)
    assert ei.value.reason == "bad-encoding"


def test_parse_date_forms():
    assert parse_date("Sat, 05 May 2018 10:01:50 GMT") == datetime.date(2018, 5, 5)
    assert parse_date("Tue, 17 Jul 2018 23:27:52 +0400") == datetime.date(2018, 7, 17)
    assert parse_date("2019-09-21T10:00:00Z") == datetime.date(2019, 9, 21)
    assert parse_date("21/09/2019") == datetime.date(2019, 9, 21)
    assert parse_date("٢٠١٩-٠٩-٢١") == datetime.date(2019, 9, 21)
    assert parse_date("قبل أيام") is None
    assert parse_date("2019-02-30") is None


# ----------------------------------------------------------------- plain files, sidecars, options
def test_txt_id_source_and_option_date(tmp_path):
    p = tmp_path / "000_abc.txt"
    p.write_text(AR, encoding="utf-8")
    (d,) = items(p, published=datetime.date(2020, 1, 2))
    assert isinstance(d, RawDoc)
    assert (d.id, d.source, d.text, d.html) == ("000_abc", str(p), AR, None)
    assert (d.published, d.published_basis) == (datetime.date(2020, 1, 2), "option")


def test_gz_drops_both_suffixes(tmp_path):
    p = tmp_path / "story.txt.gz"
    p.write_bytes(gzip.compress(AR.encode("cp1256")))
    (d,) = items(p)
    assert d.id == "story" and d.text == AR


def test_sidecar_gives_metadata_and_is_not_an_article(tmp_path):
    (tmp_path / "a.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(
        json.dumps({"published": "2019-09-21", "outlet": "الوطن", "url": "https://x.example/a", "section": "سياسة"}),
        encoding="utf-8",
    )
    out = items(tmp_path, published=datetime.date(2000, 1, 1))
    assert len(out) == 1
    d = out[0]
    assert (d.published, d.published_basis, d.outlet, d.url) == (
        datetime.date(2019, 9, 21),
        "sidecar",
        "الوطن",
        "https://x.example/a",
    )
    assert ("section", "سياسة") in d.meta


def test_orphan_and_broken_sidecars(tmp_path):
    (tmp_path / "lonely.meta.json").write_text("{}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "b.meta.json").write_text("{not json", encoding="utf-8")
    out = items(tmp_path)
    assert [d.id for d in docs(out)] == ["b"]  # the article is still read
    assert sorted(r.reason for r in rejects(out)) == ["bad-sidecar", "orphan-sidecar"]


def test_html_file_keeps_html(tmp_path):
    p = tmp_path / "page.htm"
    p.write_text("<html><body><p>" + AR + "</p></body></html>", encoding="utf-8")
    (d,) = items(p)
    assert d.text is None and "<p>" in d.html and d.id == "page"


# ----------------------------------------------------------------- JSONL / JSON
def test_jsonl_good_bad_and_missing(tmp_path):
    p = tmp_path / "recs.jsonl"
    lines = [
        json.dumps(
            {
                "id": "r1",
                "text": AR,
                "title": "عنوان",
                "published": "2018-05-05",
                "outlet": "france24",
                "url": "http://u",
                "category": "world",
            },
            ensure_ascii=False,
        ),
        "{broken json",
        "",
        json.dumps({"text": AR}, ensure_ascii=False),
        json.dumps({"id": "r4", "title": "بلا نص"}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
        json.dumps(
            {"id": "r6", "html": "<p>" + AR + "</p>", "published_raw": "Sat, 05 May 2018 10:01:50 GMT"},
            ensure_ascii=False,
        ),
        json.dumps({"id": "r7", "text": "   "}),
        json.dumps({"id": "r8", "text": 42}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = items(p, published=datetime.date(2001, 1, 1))
    got = {(x.source.rsplit(":", 1)[1], getattr(x, "reason", "doc")) for x in out}
    assert got == {
        ("1", "doc"),
        ("2", "bad-json"),
        ("4", "doc"),
        ("5", "missing-field"),
        ("6", "bad-json"),
        ("7", "doc"),
        ("8", "empty"),
        ("9", "bad-field"),
    }
    r1, r4, r6 = docs(out)
    assert (r1.id, r1.title, r1.outlet, r1.url, r1.published, r1.published_basis) == (
        "r1",
        "عنوان",
        "france24",
        "http://u",
        datetime.date(2018, 5, 5),
        "record",
    )
    assert ("category", "world") in r1.meta
    assert r4.id == "recs-4" and r4.published_basis == "option"
    assert r6.text is None and r6.html and r6.published == datetime.date(2018, 5, 5)
    assert ("published_raw", "Sat, 05 May 2018 10:01:50 GMT") in r6.meta
    bad = [r for r in rejects(out) if r.reason == "bad-json"][0]
    assert "line 2" in bad.detail


def test_jsonl_over_long_line_is_rejected_alone(tmp_path):
    p = tmp_path / "big.jsonl"
    with p.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a", "text": AR}, ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "huge", "text": "x" * (MAX_ARTICLE_BYTES + 10)}) + "\n")
        f.write(json.dumps({"id": "c", "text": AR}, ensure_ascii=False) + "\n")
    out = items(p)
    assert [d.id for d in docs(out)] == ["a", "c"]
    assert [(r.source.rsplit(":", 1)[1], r.reason) for r in rejects(out)] == [("2", "too-large")]


def test_json_array_and_single_object(tmp_path):
    (tmp_path / "arr.json").write_text(
        json.dumps([{"id": "x1", "text": AR}, {"id": "x2", "text": AR}], ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "one.json").write_text(
        json.dumps({"id": "solo", "text": AR}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    assert [d.id for d in docs(items(tmp_path))] == ["x1", "x2", "solo"]


def test_jsonl_gz(tmp_path):
    p = tmp_path / "c.jsonl.gz"
    p.write_bytes(gzip.compress((json.dumps({"id": "g1", "text": AR}, ensure_ascii=False) + "\n").encode()))
    (d,) = items(p)
    assert d.id == "g1" and d.source == f"{p}:1"


# ----------------------------------------------------------------- TREC
TREC = """<DOC>
<DOCNO>XX-world-1-20180101</DOCNO>
<URL>https://x.example/1</URL>
<SRC>outletx</SRC>
<CAT>world</CAT>
<TITLE>العنوان الأول</TITLE>
<TIME>Mon, 01 Jan 2018 10:00:00 +0300</TIME>
<AUTHOR>دمشق - وكالات</AUTHOR>
<TEXT>
{a}
</TEXT>
</DOC>
<DOC>
<DOCNO>XX-world-2-20180102</DOCNO>
<TITLE>العنوان الثاني</TITLE>
<TEXT>
{a}
</TEXT>
</DOC>
<DOC>
<DOCNO>XX-world-3</DOCNO>
<TITLE>لا نص</TITLE>
</DOC>
"""


def test_trec_detected_by_content(tmp_path):
    p = tmp_path / "bundle.txt"
    p.write_text(TREC.format(a=AR), encoding="utf-8")
    out = items(p, published=datetime.date(2019, 1, 1))
    d1, d2 = docs(out)
    assert (d1.id, d1.source, d1.title, d1.url, d1.outlet) == (
        "XX-world-1-20180101",
        f"{p}#XX-world-1-20180101",
        "العنوان الأول",
        "https://x.example/1",
        "outletx",
    )
    assert d1.text == AR and d1.published == datetime.date(2018, 1, 1) and d1.published_basis == "record"
    assert ("category", "world") in d1.meta and ("author", "دمشق - وكالات") in d1.meta
    assert d2.published_basis == "option"
    assert [r.reason for r in rejects(out)] == ["missing-field"]


def test_big_trec_file_is_streamed(tmp_path):
    p = tmp_path / "big.trec"
    block = TREC.split("<DOC>\n<DOCNO>XX-world-3")[0].format(a=AR)
    n = MAX_ARTICLE_BYTES // len(block.encode()) + 20
    with p.open("w", encoding="utf-8") as f:
        for _ in range(n):
            f.write(block)
    assert p.stat().st_size > MAX_ARTICLE_BYTES
    out = items(p)
    assert not rejects(out) and len(out) == 2 * n


# ----------------------------------------------------------------- bad input
def test_bad_inputs_each_get_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    (tmp_path / "nul.txt").write_bytes(("خبر عاجل " * 100).encode() + b"\x00\x00" + ("خبر " * 10).encode())
    (tmp_path / "cut.txt").write_bytes(AR.encode()[:-1] + "ع".encode()[:1])
    (tmp_path / "bad.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage-not-gzip")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    (tmp_path / "sheet.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    big = tmp_path / "huge.txt"  # 50 MB, one line, written sparsely: never read by the reader
    with big.open("wb") as f:
        f.seek(50 * 1024 * 1024 - 1)
        f.write(b"x")
    out = items(tmp_path)
    assert not docs(out)
    got = {Path(r.source).name: r.reason for r in out}
    assert got == {
        "empty.txt": "empty",
        "blank.txt": "empty",
        "image.txt": "binary",
        "nul.txt": "nul-bytes",
        "cut.txt": "truncated-utf8",
        "bad.txt.gz": "bad-gzip",
        "photo.png": "unsupported",
        "sheet.docx": "unsupported",
        "huge.txt": "too-large",
    }
    assert all(len(r.detail) > 20 for r in out)


def test_unreadable_paths(tmp_path):
    missing = tmp_path / "nope.txt"
    out = items(missing, tmp_path / "no_dir")
    assert [r.reason for r in out] == ["unreadable", "unreadable"]
    assert "no such file" in out[0].detail


def test_symlink_loop_and_broken_link(tmp_path):
    d = tmp_path / "corpus"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.txt").write_text(AR, encoding="utf-8")
    (d / "sub" / "loop").symlink_to(d, target_is_directory=True)
    (d / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    out = items(d)
    assert [x.id for x in docs(out)] == ["a"]
    reasons = sorted(r.reason for r in rejects(out))
    assert reasons == ["unreadable", "unreadable"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_permission_denied(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text(AR, encoding="utf-8")
    p.chmod(0)
    try:
        (r,) = items(p)
        assert r.reason == "unreadable" and "permission" in r.detail
    finally:
        p.chmod(0o644)


def test_folder_walk_is_sorted_recursive_and_skips_hidden(tmp_path):
    for name in ["b/2.txt", "b/1.txt", "a.txt", "c/d/e.txt", ".git/x.txt", "b/.hidden.txt"]:
        f = tmp_path / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(AR, encoding="utf-8")
    assert [d.id for d in docs(items(tmp_path))] == ["a", "1", "2", "e"]


def test_streams_lazily(tmp_path):
    p = tmp_path / "many.jsonl"
    p.write_text(
        "".join(json.dumps({"id": str(i), "text": AR}, ensure_ascii=False) + "\n" for i in range(1000)),
        encoding="utf-8",
    )
    it = read_inputs([p])
    assert next(it).id == "0"  # a generator: nothing forces the whole file


# ----------------------------------------------------------------- bundled examples and shared corpora
def test_examples_all_ingest():
    out = items(EXAMPLES)
    assert not rejects(out), rejects(out)
    ds = docs(out)
    assert len(ds) >= 8
    encs = {v for d in ds for k, v in d.meta if k == "encoding"}
    assert {"cp1256", "utf-16", "utf-8-sig"} <= encs
    assert any(d.html for d in ds) and any("#" in d.source for d in ds) and any(d.source.endswith(".gz") for d in ds)
    assert any(d.published_basis == "sidecar" for d in ds)


@pytest.mark.skipif(not (SHARED / "corpus" / "ant_raw").is_dir(), reason="../shared absent")
def test_ant_raw_zero_rejects():
    out = items(SHARED / "corpus" / "ant_raw")
    assert not rejects(out)
    assert len(out) == len(list((SHARED / "corpus" / "ant_raw").iterdir()))
    assert all(d.title and d.published and d.url and d.outlet for d in out)


@pytest.mark.skipif(not (SHARED / "corpus" / "ant_bench.jsonl").is_file(), reason="../shared absent")
def test_ant_bench_zero_rejects():
    n = 0
    for x in read_inputs([SHARED / "corpus" / "ant_bench.jsonl"]):
        assert isinstance(x, RawDoc), x
        assert x.title and x.published is not None and x.outlet
        n += 1
    assert n == 5000


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(lambda s: s.encode("utf-8")))
def test_decode_never_raises_anything_else(data):
    try:
        text, enc = decode_bytes(data)
    except InputError as e:
        assert e.reason in {"empty", "binary", "nul-bytes", "truncated-utf8", "bad-encoding"}
        return
    assert isinstance(text, str) and enc


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    p = tmp_path / "saved.txt"
    p.write_text("<!DOCTYPE html><html><body><p>" + AR + "</p></body></html>", encoding="utf-8")
    (d,) = items(p)
    assert d.text is None and d.html
