"""Text hygiene: invisible format characters inside words, mixed-script articles, short agency
flashes and single sentences, and terminal control sequences in what the CLI prints."""

import json
import re
from datetime import date

import pytest
from click.testing import CliRunner

import marsad
from marsad.cli import main
from marsad.cli.display import json_text, plain, shown
from marsad.errors import InputError
from marsad.ingest.clean import clean_document
from marsad.ingest.decode import decode_bytes
from marsad.ingest.records import RawDoc
from marsad.model import Event
from marsad.text.segment import segment, tokenize

ARTICLE = (
    "الأسد يستقبل لافروف في دمشق\n"
    "استقبل الرئيس السوري بشار الأسد اليوم وزير الخارجية الروسي سيرغي لافروف في دمشق. "
    "وقال الأسد إن «العلاقات مع روسيا استراتيجية». وأكد بشار الأسد أن سوريا ستواصل التعاون مع "
    "موسكو. والتقى لافروف أيضاً وزير الخارجية فيصل المقداد.\n"
    "وقالت وزارة الخارجية الروسية إن الجانبين بحثا الوضع في غزة ولبنان."
)
MARKS = "\u200c\u200b\u200f\u200d\u200e\u2067\u2069\u00ad\ufeff\u2060\u202b\u202c"


def _with_marks(text: str) -> str:
    """A zero-width or bidi mark inside every word of four letters or more."""
    k = iter(range(10**6))

    def ins(m):
        w = m.group(0)
        return w[:2] + MARKS[next(k) % len(MARKS)] + w[2:] if len(w) >= 4 else w

    return re.sub(r"\w+", ins, text)


def _strip_marks(s: str) -> str:
    return re.sub("[" + MARKS + "]", "", s)


# --- invisible characters inside words -----------------------------------------------------------


def test_a_word_keeps_its_invisible_marks_and_its_folded_form_drops_them():
    text = "التقى بشار\u200c الأ\u200bسد و\u200fلافروف ‎«"
    toks = tokenize(text, segment(text))
    assert [t.text for t in toks] == ["التقى", "بشار\u200c", "الأ\u200bسد", "و\u200fلافروف", "\u200e", "«"]
    assert [t.norm for t in toks][:4] == ["التقي", "بشار", "الاسد", "ولافروف"]
    assert toks[4].is_punct  # a mark standing alone stays a mark
    for t in toks:
        assert text[t.start : t.end] == t.text


def test_invisible_marks_inside_names_change_no_finding():
    day = date(2024, 5, 1)
    plain_a = marsad.process(ARTICLE, published=day)
    marked = _with_marks(ARTICLE)
    assert marked != ARTICLE
    a = marsad.process(marked, published=day)
    assert a.text == marked  # the stored text is the input, marks and all
    for layer in (a.mentions, a.times, a.quotes, a.events):
        for x in layer:
            surface = x.evidence if isinstance(x, Event) else x.text
            assert marked[x.start : x.end] == surface
    assert len(plain_a.mentions) >= 15
    assert [(_strip_marks(m.text), m.type, m.actor_id) for m in a.mentions] == [
        (m.text, m.type, m.actor_id) for m in plain_a.mentions
    ]
    assert sorted(e.actor_id for e in a.entities) == sorted(e.actor_id for e in plain_a.entities)
    assert [(e.type, e.source, e.target) for e in a.events] == [(e.type, e.source, e.target) for e in plain_a.events]
    assert len(a.quotes) == len(plain_a.quotes)


# --- mixed scripts ---------------------------------------------------------------------------------

BODY = (
    "استقبل الرئيس السوري بشار الأسد اليوم في دمشق وزير الخارجية الروسي سيرغي لافروف وبحث معه "
    "العلاقات الثنائية. وقال لافروف للصحفيين إن موسكو ستواصل دعم دمشق. "
) * 3


@pytest.mark.parametrize(
    "quote",
    [
        "ונאמר בהודעה כי הממשלה תמשיך במאמצים הדיפלומטיים בכל האמצעים",  # Hebrew
        "We will continue to support a political solution in Syria, the minister said",
        "Мы продолжим поддерживать политическое урегулирование в Сирии",  # Russian
        "我们将继续支持叙利亚问题的政治解决，我们将继续支持 😀🇸🇾",  # Chinese, emoji
    ],
)
def test_an_arabic_article_quoting_another_script_is_text(quote):
    text = "لافروف في دمشق\n" + BODY + "\nوقال: «" + quote + "».\n" + BODY
    share = sum(1 for ch in text if ch.isalpha() and not "\u0600" <= ch <= "\u06ff") / len(text)
    assert share > 0.02
    got, enc = decode_bytes(text.encode("utf-8"))
    assert got == text and enc == "utf-8"


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 20,  # binary
        "نص ".encode() + "".join(chr(0xE000 + i) for i in range(400)).encode(),  # private use
        "نص ".encode() + "\u0085\u0091\u009b".encode() * 200,  # C1 controls
        "نص ".encode()
        + "".join(chr(c) for c in range(0x0870, 0x0870 + 200) if not 0x0870 <= c <= 0x089F).encode()
        + "\U000e0080".encode() * 300,  # unassigned
    ],
)
def test_data_that_is_no_text_is_still_binary(data):
    with pytest.raises(InputError) as e:
        decode_bytes(data)
    assert e.value.reason == "binary"


# --- flashes and single sentences -------------------------------------------------------------------

FLASH = (
    "أعلنت وزارة الخارجية الروسية اليوم أن الوزير سيرغي لافروف سيزور دمشق الأسبوع المقبل لإجراء "
    "محادثات مع نظيره السوري فيصل المقداد حول الأوضاع في المنطقة"
)


@pytest.mark.parametrize(
    "text",
    [
        FLASH,
        FLASH + ".",
        "دمشق - سانا: استقبل الرئيس بشار الأسد اليوم وزير الخارجية الروسي سيرغي لافروف والوفد المرافق له.",
        "التقى لافروف نظيره السوري في دمشق.",
    ],
)
def test_a_lone_flash_or_sentence_is_an_article(text):
    c = clean_document(RawDoc(id="f", source="f.txt", text=text))
    assert c.text == text and c.body == text and c.headline == "" and c.body_start == 0
    a = marsad.process(text, published=date(2024, 5, 1))
    assert a.body == text
    assert any(m.text.endswith("لافروف") for m in a.mentions)


def test_single_sentence_gives_its_event():
    a = marsad.process("التقى لافروف نظيره السوري في دمشق.", published=date(2024, 5, 1))
    assert [e.type for e in a.events] == ["CONSULT"]


@pytest.mark.parametrize(
    "text",
    ["عاجل", "لافروف في دمشق", "   \n  ", "الرئيسية | أخبار | سياسة\nشارك على فيسبوك\nجميع الحقوق محفوظة © 2024"],
)
def test_a_title_alone_chrome_or_nothing_is_still_no_text(text):
    with pytest.raises(InputError) as e:
        clean_document(RawDoc(id="x", source="x.txt", text=text))
    assert e.value.reason == "no-text"


def test_a_flash_with_a_title_keeps_the_title_as_headline():
    c = clean_document(RawDoc(id="f", source="f.jsonl", text=FLASH, title="لافروف إلى دمشق"))
    assert c.headline == "لافروف إلى دمشق" and c.body == FLASH


# --- terminal output ---------------------------------------------------------------------------------

EVIL = "خبر \x1b[31mأحمر\x1b[0m \x1b]0;pwned\x07 \x9b2J [bold]عريض[/bold]\r\tآخر"


def test_plain_removes_escape_sequences_and_controls_but_keeps_layout():
    assert plain(EVIL) == "خبر أحمر   [bold]عريض[/bold]\tآخر"
    assert plain("سطر\nسطر\tعمود") == "سطر\nسطر\tعمود"
    assert plain("a\x1bcb\x00c\x7fd\x85e") == "abcde"
    assert "\\[bold]" in shown(EVIL, arabic=False)  # rich markup is escaped, not applied
    s = json_text({"t": EVIL})
    assert json.loads(s) == {"t": EVIL}
    assert not re.search("[\x00-\x1f\x7f-\x9f]", s)


def test_cli_prints_no_control_sequence_from_article_text(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "ansi.txt").write_text(
        "خبر \x1b[31mأحمر\x1b[0m عن دمشق\nقال وزير الخارجية السوري فيصل المقداد في "
        "دمشق اليوم إن المحادثات مع الجانب الروسي كانت بناءة \x1b]0;pwned\x07 وإن "
        "التعاون سيستمر.\x1b[2J\x9b1m",
        encoding="utf-8",
    )
    db = tmp_path / "s.duckdb"

    def run(*args):
        r = CliRunner().invoke(main, ["--bidi", "off", *map(str, args)], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r.output

    run("run", src, "--db", db, "--workers", "1", "--published", "2024-05-01")
    outputs = [
        run("show", "ansi", "--db", db),
        run("search", "أحمر", "--db", db),
        run("search", "المقداد", "--db", db),
        run("events", "--db", db, "--status", "any"),
        run("actor", "المقداد", "--db", db),
        run("stats", "--db", db),
        run("rejects", "--db", db),
    ]
    assert "أحمر" in outputs[0] and "أحمر" in outputs[1]
    for out in outputs:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), repr(out)
    for args in (
        ("show", "ansi", "--json"),
        ("stats", "--json"),
        ("events", "--status", "any", "--json"),
        ("events", "--status", "any", "--csv"),
        ("rejects", "--json"),
        ("rejects", "--csv"),
        ("actor", "المقداد", "--json"),
    ):
        out = run(*args, "--db", db)
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    assert "\x1b[31m" in json.loads(run("show", "ansi", "--json", "--db", db))["text"]  # stored as given
