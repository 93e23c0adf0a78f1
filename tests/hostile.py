"""A folder of hostile inputs: every way an input can be odd, broken, huge or malicious that a run must
survive, each ending stored or as one row of the rejects ledger.

``make(folder)`` writes the cases and returns them: name, what the case is, and how many input units
it holds (a file is one unit, a JSON lines file one per non-blank line, a TREC file one per <DOC>,
a folder the units inside).  ``python tests/hostile.py DIR`` writes them for a run by hand; the
table of outcomes in ``docs/reliability.md`` is made by ``python bench/hostile.py``.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

AR = (
    "عنوان الخبر\nالتقى وزير الخارجية الأردني أيمن الصفدي نظيره الروسي سيرغي لافروف في موسكو أمس، "
    "وبحثا الأوضاع في سوريا. وقال الصفدي إن «الحل السياسي هو الطريق الوحيد»."
)
AR2 = (
    "اجتماع في القاهرة\nعقد وزراء الخارجية العرب اجتماعا طارئا في القاهرة يوم الأحد لبحث التطورات في غزة، "
    "وطالبوا مجلس الأمن بالتحرك العاجل."
)
AR3 = (
    "قصف في إدلب\nقصفت طائرات حربية مواقع في ريف إدلب الجنوبي صباح الاثنين، ما أدى إلى مقتل ثلاثة مدنيين "
    "بحسب المرصد السوري لحقوق الإنسان."
)


@dataclass
class Case:
    name: str  # the path written, relative to the folder
    what: str  # what the case is
    units: int  # input units it holds
    expect: str  # what should become of it: 'stored', 'rejected:REASON', 'duplicate', 'any'


def _w(p: Path, data: bytes | str, enc: str = "utf-8") -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data if isinstance(data, bytes) else data.encode(enc))


def _jl(*recs) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in recs)


def _variant(n: int) -> str:
    """Distinct article texts (the store keeps one article per text)."""
    return AR.replace("أمس", f"أمس في جولته رقم {n}")


def cases(unpunctuated_mb: float = 1.0) -> list[tuple[Case, Callable[[Path], None]]]:
    """The cases with their writers (``unpunctuated_mb``: size of the text without punctuation)."""
    out: list[tuple[Case, Callable[[Path], None]]] = []

    def case(name, what, units, expect):
        def deco(fn):
            out.append((Case(name, what, units, expect), fn))
            return fn

        return deco

    @case("ok/plain.txt", "an ordinary UTF-8 article", 1, "stored")
    def _(p):
        _w(p, _variant(1))

    @case("enc/bom.txt", "UTF-8 with a byte-order mark", 1, "stored")
    def _(p):
        _w(p, codecs.BOM_UTF8 + _variant(2).encode())

    @case("enc/utf16le.txt", "UTF-16 LE with BOM", 1, "stored")
    def _(p):
        _w(p, _variant(3).encode("utf-16"))

    @case("enc/utf16be.txt", "UTF-16 BE with BOM", 1, "stored")
    def _(p):
        _w(p, codecs.BOM_UTF16_BE + _variant(4).encode("utf-16-be"))

    @case("enc/utf32.txt", "UTF-32 with BOM", 1, "any")
    def _(p):
        _w(p, _variant(5).encode("utf-32"))

    @case("enc/cp1256.txt", "Windows-1256", 1, "stored")
    def _(p):
        _w(p, _variant(6).encode("cp1256"))

    @case("enc/cr-only.txt", "old-Mac CR line ends", 1, "stored")
    def _(p):
        _w(p, _variant(7).replace("\n", "\r"))

    @case("enc/crlf.txt", "CRLF line ends", 1, "stored")
    def _(p):
        _w(p, _variant(8).replace("\n", "\r\n"))

    @case("enc/truncated-utf8.txt", "UTF-8 cut inside a character", 1, "any")
    def _(p):
        _w(p, _variant(9).encode()[:-1])

    @case("enc/latin1-garbage.txt", "bytes that are no Arabic encoding", 1, "any")
    def _(p):
        _w(p, bytes(range(128, 256)) * 8)

    @case("bad/empty.txt", "0 bytes", 1, "rejected:empty")
    def _(p):
        _w(p, b"")

    @case("bad/spaces.txt", "only white space", 1, "rejected:empty")
    def _(p):
        _w(p, " \n\t\n   ")

    @case("bad/binary.txt", "a PNG named .txt", 1, "rejected")
    def _(p):
        _w(p, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)

    @case("bad/nul.txt", "NUL bytes in the text", 1, "any")
    def _(p):
        _w(p, _variant(10).replace("وبحثا", "وب\x00حثا"))

    @case("bad/huge.txt", "a 50 MB single line (sparse file)", 1, "rejected:too-large")
    def _(p):
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "wb") as f:
            f.seek(50 * 2**20 - 1)
            f.write(b"a")

    @case("bad/report.pdf", "an unsupported extension", 1, "rejected:unsupported")
    def _(p):
        _w(p, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    @case("bad/noext", "no extension, not TREC", 1, "rejected:unsupported")
    def _(p):
        _w(p, _variant(11))

    @case("gz/fine.txt.gz", "gzip", 1, "stored")
    def _(p):
        _w(p, gzip.compress(_variant(12).encode()))

    @case("gz/corrupt.txt.gz", "gzip header, garbage body", 1, "rejected:bad-gzip")
    def _(p):
        _w(p, gzip.compress(_variant(13).encode())[:12] + b"\x00garbage" * 20)

    @case("gz/truncated.txt.gz", "gzip cut short", 1, "rejected:bad-gzip")
    def _(p):
        _w(p, gzip.compress((_variant(14) * 50).encode())[:-30])

    @case("gz/gz-in-gz.txt.gz", "gzip inside gzip", 1, "rejected")
    def _(p):
        _w(p, gzip.compress(gzip.compress(_variant(15).encode())))

    @case("gz/not-gzip.txt.gz", "named .gz, not gzip", 1, "rejected:bad-gzip")
    def _(p):
        _w(p, _variant(16))

    @case("gz/bomb-trec.txt.gz", "starts like TREC, expands to 256 MB of zeros", 1, "rejected:decompression-bomb")
    def _(p):
        p.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(p, "wb", compresslevel=1) as f:
            f.write(b"<DOC>\n<DOCNO>bomb</DOCNO>\n<TEXT>\n")
            block = b"\x00" * (1 << 20)
            for _ in range(256):
                f.write(block)

    @case("html/page.html", "an HTML page", 1, "stored")
    def _(p):
        _w(
            p,
            "<html><head><title>t</title></head><body><article><h1>عنوان الصفحة</h1><p>"
            + _variant(17).replace("\n", "</p><p>")
            + "</p></article></body></html>",
        )

    @case("html/script-only.html", "HTML whose only content is script", 1, "rejected")
    def _(p):
        _w(p, "<html><head><script>var a=1;</script></head><body><script>x()</script></body></html>")

    @case("html/page-as.txt", "an HTML page saved as .txt", 1, "stored")
    def _(p):
        _w(
            p,
            "<!DOCTYPE html><html><body><article><h1>عنوان</h1><p>"
            + _variant(18).replace("\n", "</p><p>")
            + "</p></article></body></html>",
        )

    @case("html/cp1256.html", "HTML in Windows-1256 declared by a meta tag", 1, "stored")
    def _(p):
        _w(
            p,
            (
                '<html><head><meta charset="windows-1256"></head><body><article><h1>عنوان</h1><p>'
                + _variant(19).replace("\n", "</p><p>")
                + "</p></article></body></html>"
            ).encode("cp1256"),
        )

    @case("jsonl/good.jsonl", "three good records", 3, "stored")
    def _(p):
        _w(
            p,
            _jl(
                {"id": "g1", "text": _variant(20)},
                {"id": "g2", "text": AR2},
                {"id": "g3", "title": "عنوان", "text": AR3.split("\n", 1)[1]},
            ),
        )

    @case("jsonl/mixed.jsonl", "good, broken JSON, an array, no text, text not a string, html only", 6, "any")
    def _(p):
        _w(
            p,
            _jl(
                {"id": "m1", "text": _variant(21)},
                "{broken",
                "[1, 2]",
                {"id": "m4"},
                {"id": "m5", "text": 42},
                {"id": "m6", "html": "<html><body><article><p>" + _variant(22) + "</p></article></body></html>"},
            ),
        )

    @case("jsonl/deep.jsonl", "a record nested 100,000 deep", 1, "rejected:too-deep")
    def _(p):
        _w(p, '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}\n")

    @case("jsonl/bigint.jsonl", "an integer literal of 5,000 digits", 1, "rejected:bad-json")
    def _(p):
        _w(p, '{"id": "big", "text": "x", "n": ' + "7" * 5000 + "}\n")

    @case("jsonl/surrogate.jsonl", "a lone surrogate escape in the text", 1, "stored")
    def _(p):
        _w(p, '{"id": "sur", "text": ' + json.dumps(_variant(23))[:-1] + ' \\ud800"}\n')

    @case("jsonl/long-line.jsonl", "one line of 6 MB", 1, "rejected:too-large")
    def _(p):
        _w(p, '{"id": "long", "text": "' + "ا" * (3 * 2**20) + '"}\n')

    @case("jsonl/bom-crlf.jsonl", "BOM on the first line, CRLF line ends", 2, "stored")
    def _(p):
        _w(
            p,
            codecs.BOM_UTF8
            + _jl({"id": "b1", "text": _variant(24)}, {"id": "b2", "text": _variant(25)})
            .replace("\n", "\r\n")
            .encode(),
        )

    @case("jsonl/year-99999.jsonl", "a publication date in year 99999 and a number as date", 2, "stored")
    def _(p):
        _w(
            p,
            _jl(
                {"id": "y1", "text": _variant(26), "published": "99999-01-01"},
                {"id": "y2", "text": _variant(27), "published": 20180101},
            ),
        )

    @case("jsonl/many.jsonl", "1,000 records", 1000, "stored")
    def _(p):
        _w(p, _jl(*({"id": f"n{i}", "text": AR2 + f" وهذا الخبر رقم {i}."} for i in range(1000))))

    @case("feeds/feed-a.jsonl", "feed A numbered 1..3", 3, "stored")
    def _(p):
        _w(p, _jl(*({"id": str(i), "text": _variant(100 + i)} for i in range(1, 4))))

    @case("feeds/feed-b.jsonl", "feed B numbered 1..3 (same ids, other texts)", 3, "stored")
    def _(p):
        _w(p, _jl(*({"id": str(i), "text": _variant(200 + i)} for i in range(1, 4))))

    @case("feeds/dup-ids.jsonl", "one feed that repeats an id with another text", 2, "stored")
    def _(p):
        _w(p, _jl({"id": "same", "text": _variant(300)}, {"id": "same", "text": _variant(301)}))

    @case("json/array.json", "a JSON array of two records", 2, "stored")
    def _(p):
        _w(
            p,
            json.dumps([{"id": "ja1", "text": _variant(30)}, {"id": "ja2", "text": _variant(31)}], ensure_ascii=False),
        )

    @case("json/object.json", "one pretty-printed JSON object", 1, "stored")
    def _(p):
        _w(p, json.dumps({"id": "jo", "text": _variant(32)}, ensure_ascii=False, indent=2))

    @case("json/truncated.json", "a JSON array cut short", 1, "rejected:bad-json")
    def _(p):
        _w(p, json.dumps([{"id": "jt", "text": _variant(33)}], ensure_ascii=False)[:-5])

    @case("trec/two.txt", "a TREC file with two documents", 2, "stored")
    def _(p):
        _w(p, "".join(f"<DOC>\n<DOCNO>T-{i}</DOCNO>\n<TEXT>\n{_variant(40 + i)}\n</TEXT>\n</DOC>\n" for i in (1, 2)))

    @case("trec/unclosed.txt", "a TREC file whose last <DOC> is not closed", 2, "any")
    def _(p):
        _w(
            p,
            f"<DOC>\n<DOCNO>U-1</DOCNO>\n<TEXT>\n{_variant(43)}\n</TEXT>\n</DOC>\n"
            f"<DOC>\n<DOCNO>U-2</DOCNO>\n<TEXT>\n{_variant(44)}\n",
        )

    @case("trec/no-text.txt", "a TREC document without <TEXT>", 1, "rejected:missing-field")
    def _(p):
        _w(p, "<DOC>\n<DOCNO>N-1</DOCNO>\n<TITLE>x</TITLE>\n</DOC>\n")

    @case("trec/as.jsonl", "TREC content in a .jsonl file", 1, "stored")
    def _(p):
        _w(p, f"<DOC>\n<DOCNO>J-1</DOCNO>\n<TEXT>\n{_variant(45)}\n</TEXT>\n</DOC>\n")

    @case("site-a/index.html", "index.html of site A", 1, "stored")
    def _(p):
        _w(p, "<html><body><article><h1>أ</h1><p>" + _variant(50) + "</p></article></body></html>")

    @case("site-b/index.html", "index.html of site B (another text)", 1, "stored")
    def _(p):
        _w(p, "<html><body><article><h1>ب</h1><p>" + _variant(51) + "</p></article></body></html>")

    @case("copies/one.txt", "a text", 1, "stored")
    def _(p):
        _w(p, AR3)

    @case("copies/two.txt", "the same text under another name", 1, "duplicate")
    def _(p):
        _w(p, AR3)

    @case("side/with-sidecar.txt", "an article whose sidecar is broken", 1, "stored")
    def _(p):
        _w(p, _variant(60))

    @case(
        "side/with-sidecar.meta.json", "the broken sidecar (the article is read without it)", 1, "rejected:bad-sidecar"
    )
    def _(p):
        _w(p, "{not json")

    @case("side/orphan.meta.json", "a sidecar without its article", 1, "rejected:orphan-sidecar")
    def _(p):
        _w(p, '{"published": "2019-01-01"}')

    @case("side/y99999.txt", "a sidecar dated year 99999 (read with its article)", 1, "stored")
    def _(p):
        _w(p, _variant(61))
        _w(p.with_name("y99999.meta.json"), '{"published": "99999-12-31", "outlet": "x"}')

    @case("names/اسم عربي مع مسافات.txt", "an Arabic file name with spaces", 1, "stored")
    def _(p):
        _w(p, _variant(70))

    @case("names/new\nline.txt", "a newline in the file name", 1, "stored")
    def _(p):
        _w(p, _variant(71))

    @case("names/bad-\udcff-bytes.txt", "a file name that is not UTF-8", 1, "stored")
    def _(p):
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(os.fsencode(str(p)), "wb") as f:
            f.write(_variant(72).encode())

    @case("names/dir.txt/inner.txt", "a folder named like a file", 1, "stored")
    def _(p):
        _w(p, _variant(73))

    @case("links/loop", "a symbolic link back to its folder", 1, "rejected:unreadable")
    def _(p):
        p.parent.mkdir(parents=True, exist_ok=True)
        os.symlink("..", p)

    @case("links/broken.txt", "a broken symbolic link", 1, "rejected:unreadable")
    def _(p):
        p.parent.mkdir(parents=True, exist_ok=True)
        os.symlink("does-not-exist.txt", p)

    @case("special/fifo.txt", "a named pipe", 1, "rejected:unsupported")
    def _(p):
        p.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(p)

    @case("special/unreadable.txt", "a file without read permission (root reads it anyway)", 1, "any")
    def _(p):
        _w(p, _variant(80))
        os.chmod(p, 0)

    @case("text/zero-width.txt", "zero-width and bidi controls inside words", 1, "stored")
    def _(p):
        _w(p, _variant(81).replace("لافروف", "لاف\u200cروف").replace("موسكو", "\u200fموسكو\u200e"))

    @case("text/mixed-script.txt", "Arabic with a Hebrew and an English quote", 1, "stored")
    def _(p):
        _w(
            p,
            _variant(82) + "\nوكتبت صحيفة «هآرتس» بالعبرية: «שלום עכשיו אמרו היום» "
            'ونقلت عن مسؤول قوله بالإنجليزية: "We will not accept this agreement at all".',
        )

    @case("text/flash.txt", "a one-paragraph agency flash", 1, "stored")
    def _(p):
        _w(p, "عاجل: مقتل ثلاثة مدنيين في قصف على ريف إدلب الجنوبي صباح اليوم بحسب المرصد السوري.")

    @case("text/escapes.txt", "terminal escape sequences in the text", 1, "stored")
    def _(p):
        _w(p, _variant(83).replace("وبحثا", "\x1b[31mوبحثا\x1b[0m\x1b]0;pwned\x07"))

    @case("text/one-sentence.txt", "a single sentence, no headline line", 1, "any")
    def _(p):
        _w(p, "التقى لافروف نظيره السوري في دمشق.")

    @case("text/unpunctuated.txt", f"{unpunctuated_mb:g} MB of words without punctuation or newline", 1, "any")
    def _(p):
        words = "الوزير التقى نظيره في العاصمة وبحث معه العلاقات الثنائية بين البلدين ".split()
        n = int(unpunctuated_mb * 2**20 / 11)
        _w(p, " ".join(words[i % len(words)] for i in range(n)))

    @case("text/chrome-only.txt", "only web chrome", 1, "any")
    def _(p):
        _w(p, "الرئيسية\nاتصل بنا\nشارك\nتابعنا على تويتر")

    @case(".hidden/skipped.txt", "a hidden folder (not an input: skipped by design)", 0, "skipped")
    def _(p):
        _w(p, _variant(90))

    return out


def make(folder: Path, unpunctuated_mb: float = 1.0) -> list[Case]:
    """Write every case under ``folder``; the cases, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for c, fn in cases(unpunctuated_mb):
        fn(folder / c.name)
        made.append(c)
    return made


if __name__ == "__main__":
    got = make(Path(sys.argv[1]))
    print(f"{len(got)} cases, {sum(c.units for c in got)} input units in {sys.argv[1]}")


def printable(s: str) -> str:
    """A path as the store keeps it (bytes that are not UTF-8 written as \\xNN)."""
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def outcomes(con, folder: Path, made: list[Case]) -> dict[str, list[str]]:
    """For each case, what became of its units: ``stored`` or the ledger's reason, one per unit."""
    rows = [(s, "stored") for (s,) in con.execute("SELECT source FROM articles").fetchall()]
    rows += con.execute("SELECT source, reason FROM rejects").fetchall()
    root = printable(str(Path(os.path.abspath(folder))))
    got: dict[str, list[str]] = {c.name: [] for c in made}
    names = sorted(got, key=len, reverse=True)  # the longest matching case name owns a source
    for src, what in rows:
        rel = src[len(root) + 1 :] if src.startswith(root + "/") else src
        for n in names:
            pn = printable(n)
            if (
                rel == pn
                or rel.startswith((pn + ":", pn + "#", pn + " ("))
                or (Path(pn).suffix == "" and rel.startswith(pn + "/"))
            ):
                got[n].append(what)
                break
        else:
            got.setdefault("(other)", []).append(f"{what}: {rel}")
    return got
