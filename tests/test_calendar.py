"""The package's one digit table and one month/weekday table (marsad.text.calendar), and that
every user reads them: normalization, the NER folding, the time extractor, the chrome rules and
the publication-date finder."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime
import importlib
import unicodedata

import pytest

from marsad.extract.time import find_times
from marsad.extract.time.lexicon import GREGORIAN, WEEKDAYS
from marsad.ingest import chrome, parse_date
from marsad.ingest.published import line_date
from marsad.text.calendar import DIGITS, MONTHS, WEEKDAYS as WEEKDAY_NAMES, fold_digits, numbered
from marsad.text.normalize import fold, norm_key

ner_fold = importlib.import_module("marsad.extract.ner.features").fold

# month → (Levantine/Iraqi name, Egyptian/Gulf name): the two systems every Arabic outlet uses
TWO_SYSTEMS = {
    1: ("كانون الثاني", "يناير"),
    2: ("شباط", "فبراير"),
    3: ("آذار", "مارس"),
    4: ("نيسان", "أبريل"),
    5: ("أيار", "مايو"),
    6: ("حزيران", "يونيو"),
    7: ("تموز", "يوليو"),
    8: ("آب", "أغسطس"),
    9: ("أيلول", "سبتمبر"),
    10: ("تشرين الأول", "أكتوبر"),
    11: ("تشرين الثاني", "نوفمبر"),
    12: ("كانون الأول", "ديسمبر"),
}
ARABIC_INDIC, PERSIAN = "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"


def test_months_are_numbered_in_order_and_hold_both_systems():
    assert [m.number for m in MONTHS] == list(range(1, 13))
    for m in MONTHS:
        for name in TWO_SYSTEMS[m.number]:
            assert name in m.arabic, (m.number, name)
            assert GREGORIAN[fold(name)] == m.number


def test_english_names_are_the_calendars():
    for m in MONTHS:
        assert m.latin[0] == stdlib_calendar.month_abbr[m.number].lower()
        assert m.latin[-1] == stdlib_calendar.month_name[m.number].lower()


@pytest.mark.parametrize("key", [fold, norm_key])
def test_no_spelling_names_two_months(key):
    seen: dict[str, int] = {}
    for m in MONTHS:
        for name in m.arabic + m.variants + m.latin:
            assert seen.setdefault(key(name), m.number) == m.number, name


def test_time_extractor_reads_every_spelling():
    for m in MONTHS:
        for name in m.arabic + m.variants:
            values = [t.value for t in find_times(f"وصل الوفد في 12 {name} 2019 إلى المدينة", None)]
            assert f"2019-{m.number:02d}-12" in values, (name, values)
    assert set(GREGORIAN) == {fold(n) for m in MONTHS for n in m.arabic + m.variants}


def test_dateline_reads_the_names_in_wide_use_only():
    for m in MONTHS:
        for name in m.arabic + m.latin:
            line = f"الأحد 12 {name} 2019"
            assert line_date(norm_key(line)) == datetime.date(2019, m.number, 12), name
    for name in ("جوان", "ماي", "غشت", "كانون ثاني"):  # regional variants: not a date line there
        key = norm_key(f"الأحد 12 {name} 2019")
        assert line_date(key) is None and chrome.edge_kind(key, key) != ("date", None)
    key = norm_key("الأحد 12 تشرين الأول 2025")
    assert chrome.edge_kind(key, key) == ("date", None)


def test_weekdays_follow_python_numbering():
    monday = datetime.date(2024, 1, 1)
    assert monday.weekday() == 0
    for offset, names in enumerate(WEEKDAY_NAMES):
        for name in names:
            assert WEEKDAYS[fold(name)] == (monday + datetime.timedelta(days=offset)).weekday()
    assert WEEKDAYS[fold("الجمعة")] == datetime.date(2025, 10, 10).weekday()  # a Friday


def test_digit_table_covers_every_arabic_decimal_digit():
    arabic_digits = {c for c in range(0x0600, 0x0700) if unicodedata.category(chr(c)) == "Nd"}
    assert set(DIGITS) == arabic_digits
    for code, ascii_digit in DIGITS.items():
        assert ascii_digit == str(unicodedata.digit(chr(code)))


def test_all_digit_forms_fold_everywhere():
    assert fold_digits(ARABIC_INDIC + PERSIAN + "x") == "0123456789" * 2 + "x"
    for digits in (ARABIC_INDIC, PERSIAN):
        assert norm_key(digits) == fold(digits) == ner_fold(digits) == "0123456789"
        y, m, d = digits[2] + digits[0] + digits[1] + digits[9], digits[0] + digits[9], digits[2] + digits[1]
        assert parse_date(f"{y}-{m}-{d}") == datetime.date(2019, 9, 21)
        assert line_date(norm_key(f"{d} أيلول {y}")) == datetime.date(2019, 9, 21)


def test_tables_are_read_only():
    with pytest.raises(TypeError):
        DIGITS[ord("٠")] = "x"  # type: ignore[index]
    with pytest.raises(TypeError):
        GREGORIAN["x"] = 1  # type: ignore[index]
    table = numbered([(1, ("a", "B"))], str.lower)
    assert dict(table) == {"a": 1, "b": 1}
    with pytest.raises(TypeError):
        table["c"] = 2  # type: ignore[index]
