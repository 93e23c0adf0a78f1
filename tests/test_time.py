"""Arabic time expressions: extraction, resolution, Hijri conversion."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from marsad.extract.time import find_times
from marsad.extract.time.lexicon import gregorian_to_hijri, hijri_to_gregorian
from marsad.extract.time.timex import find_timexes

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PUB = date(2017, 8, 3)  # a Thursday


def one(text, published=PUB):
    ts = find_times(text, published)
    assert len(ts) == 1, ts
    return ts[0]


def values(text, published=PUB):
    return [(t.text, t.value) for t in find_times(text, published)]


# --- relative days --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [
        ("وصل إلى دمشق أمس المساعد", "2017-08-02"),
        ("وصل البارحة", "2017-08-02"),
        ("قال بالأمس", "2017-08-02"),
        ("يصل اليوم الوفد", "2017-08-03"),
        ("يصل غداً الوفد", "2017-08-04"),
        ("وصل أول أمس", "2017-08-01"),
        ("وصل أمس الأول", "2017-08-01"),
        ("يصل بعد غد", "2017-08-05"),
        ("قصف الليلة الماضية", "2017-08-02"),
        ("قال مساء أمس", "2017-08-02"),
        ("قال صباح اليوم", "2017-08-03"),
        ("وقال منذ يومين", "2017-08-01"),
        ("وقال قبل ثلاثة أيام", "2017-07-31"),
    ],
)
def test_relative_days(text, value):
    t = one(text)
    assert t.value == value and t.precision == "day" and t.anchor == "2017-08-03"


def test_earlier_yesterday_keeps_whole_phrase():
    t = one("وفي وقت سابق من يوم أمس، ذكرت الوكالة")
    assert t.text == "في وقت سابق من يوم أمس" and t.value == "2017-08-02"


def test_outlet_names_are_not_today():
    assert find_times("نقله موقع «روسيا اليوم» الإلكتروني", PUB) == []
    assert find_times("وفي اليوم التالي وصل", PUB) == []


def test_days_before_an_event_are_not_anchored_to_publication():
    assert find_times("قبل أربعة أيام من الانتخابات", PUB) == []


# --- weekdays ---------------------------------------------------------------------------------
def test_bare_weekday_is_most_recent_on_or_before_published():
    assert one("وقال الجمعة إن").value == "2017-07-28"  # published Thursday 3 Aug
    assert one("وقال الأربعاء إن").value == "2017-08-02"
    assert one("وقال الخميس إن").value == "2017-08-03"  # same weekday: the day itself


def test_weekday_modifiers():
    assert one("اجتمع يوم الخميس الماضي").value == "2017-07-27"  # 'last Thursday': a week before
    assert one("اجتمع الأربعاء الماضي").value == "2017-08-02"
    t = one("يجتمع الخميس المقبل")
    assert t.value == "2017-08-10" and t.text == "الخميس المقبل"
    assert one("يجتمع يوم السبت القادم").value == "2017-08-05"


def test_weekday_future_cue():
    assert one("ومن المقرر أن يصل الوفد الأحد إلى جنيف").value == "2017-08-06"
    assert one("ومن المقرر أن يصل الوفد الخميس إلى جنيف").value == "2017-08-03"


def test_weekday_not_in_prayer_or_plural():
    assert find_times("بعد صلاة الجمعة", PUB) == []


def test_proclitic_stays_outside_the_span():
    t = one("والجمعة قال")
    assert t.text == "الجمعة"


def test_yesterday_with_weekday_apposition():
    t = one("قال أمس الأربعاء إن")
    assert t.text == "أمس الأربعاء" and t.value == "2017-08-02"


# --- day + month ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [
        ("الاتفاق المعلن عنه في 7 تموز الماضي", "2017-07-07"),  # Levantine
        ("في 7 يوليو الماضي", "2017-07-07"),  # Egyptian
        ("في 7 جويلية الماضي", "2017-07-07"),  # Maghrebi
        ("في 7 تموز 2016", "2016-07-07"),
        ("في 7 تموز عام 2016", "2016-07-07"),
        ("يوم 15 كانون الثاني المقبل", "2018-01-15"),
        ("في 3 تشرين الأول 2015", "2015-10-03"),
        ("في 12 فيفري 2018", "2018-02-12"),
        ("في 9 أوت 2018", "2018-08-09"),
        ("في 20 أفريل 2018", "2018-04-20"),
        ("في 28 آب/أغسطس 2013", "2013-08-28"),
        ("في 28 آب (أغسطس) 2013", "2013-08-28"),
        ("في 28 تموز", "2017-07-28"),  # no modifier: nearest
        ("في 20 آذار", "2017-03-20"),
        ("في 30 كانون الأول", "2017-12-30"),
        ("في 5 آب", "2017-08-05"),
    ],
)
def test_day_month(text, value):
    assert one(text).value == value


def test_leading_preposition_kept():
    assert one("الاتفاق المعلن عنه في 7 تموز الماضي").text == "في 7 تموز الماضي"


def test_ordinal_dates():
    assert values("في السابع من الشهر الجاري") == [("في السابع من الشهر الجاري", "2017-08-07")]
    assert one("في الحادي والعشرين من أيلول المقبل").value == "2017-09-21"
    assert one("الثامن من مايو القادم").value == "2018-05-08"
    assert one("في الأول من الشهر الماضي").value == "2017-07-01"


def test_weekday_with_day_of_current_month():
    t = one("هدنة دخلت حيز التنفيذ ظهر الأحد 9 الجاري.", date(2017, 7, 16))
    assert t.text == "ظهر الأحد 9 الجاري" and t.value == "2017-07-09"


def test_named_events_are_not_dates():
    assert find_times("قوى 14 آذار", PUB) == []
    assert find_times("ثورة 25 يناير", PUB) == []


def test_impossible_date_dropped():
    assert find_times("في 31 شباط 2017", PUB) == []


# --- months and years ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [
        ("مطلع آب المقبل", "2018-08"),  # already August: the next one
        ("مطلع أيلول المقبل", "2017-09"),
        ("قبل نهاية آب المقبل", "2018-08"),
        ("أواخر تموز الماضي", "2017-07"),
        ("منتصف أيلول", "2017-09"),
        ("مطلع الشهر المقبل", "2017-09"),
        ("الشهر الماضي", "2017-07"),
        ("في شهر تموز", "2017-07"),
        ("حزيران 2014", "2014-06"),
        ("نوفمبر/تشرين الثاني من العام الماضي", "2016-11"),
    ],
)
def test_month_precision(text, value):
    t = one(text)
    assert (t.value, t.precision) == (value, "month")


def test_ambiguous_month_name_alone_is_not_a_month():
    assert find_times("قال اب الطفل", PUB) == []
    assert find_times("مارس الضغط على الحكومة", PUB) == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("في عام 2016", "2016"),
        ("العام الماضي", "2016"),
        ("العام المقبل", "2018"),
        ("هذا العام", "2017"),
        ("نهاية العام الجاري", "2017"),
        ("السنة المقبلة", "2018"),
        ("منذ 2011", "2011"),
        ("أواخر عام 2016", "2016"),
    ],
)
def test_years(text, value):
    t = one(text)
    assert (t.value, t.precision) == (value, "year")


def test_bare_numbers_are_not_years():
    assert find_times("قتل 2000 شخص", PUB) == []


def test_weeks_and_vague_words_are_excluded():
    for s in ["الأسبوع الماضي", "قريباً", "مؤخراً", "حالياً", "في الأيام المقبلة"]:
        assert find_times(s, PUB) == [], s


# --- numeric and Hijri ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value",
    [
        ("2017/8/3", "2017-08-03"),
        ("3-8-2017", "2017-08-03"),
        ("2017-08-03", "2017-08-03"),
        ("03.08.2017", "2017-08-03"),
    ],
)
def test_numeric_dates(text, value):
    t = one("بتاريخ " + text)
    assert t.value == value and t.anchor is None


def test_hijri_conversion_known_dates():
    assert hijri_to_gregorian(1438, 9, 1) == date(2017, 5, 27)  # 1 Ramadan 1438
    assert hijri_to_gregorian(1445, 9, 1) == date(2024, 3, 11)  # 1 Ramadan 1445
    assert hijri_to_gregorian(1, 1, 1) == date(622, 7, 19)  # epoch (Julian 16 July 622)
    # Umm al-Qura put 1 Muharram 1439 on 21 Sept 2017; the tabular calendar is a day later
    assert abs((hijri_to_gregorian(1439, 1, 1) - date(2017, 9, 21)).days) <= 1


def test_hijri_round_trip():
    d = date(1990, 1, 1)
    for k in range(0, 20000, 7):
        x = d + timedelta(days=k)
        assert hijri_to_gregorian(*gregorian_to_hijri(x)) == x


def test_hijri_expressions():
    t = one("الخميس 5 رمضان 1438 هـ")
    assert t.value == "2017-05-31" and t.text.endswith("هـ")
    # 10 Dhu al-Hijjah 1438 (Eid al-Adha) was 1 Sept 2017 by sighting; tabular: within a day
    d = date.fromisoformat(one("في العاشر من ذي الحجة 1438").value)
    assert abs((d - date(2017, 9, 1)).days) <= 1
    assert one("رمضان 1438 هـ").value == "2017-06"  # month holding the 15th


# --- normalization and offsets -----------------------------------------------------------------
def test_arabic_indic_digits_and_diacritics():
    t = one("في ٧ تَمُّوز الماضي")
    assert t.value == "2017-07-07" and t.text == "في ٧ تَمُّوز الماضي"
    assert one("وصل أَمْسِ").value == "2017-08-02"
    assert one("وصل غـــداً").text == "غـــداً"
    assert one("عام ٢٠١٦").value == "2016"


def test_offsets_round_trip():
    text = "قال مساء أمس إن اتفاق 7 تموز الماضي و«اتفاقَ» ٢٨ آب ٢٠١٦ صامد، والخميس المقبل موعد."
    ts = find_times(text, PUB)
    assert len(ts) == 4
    for t in ts:
        assert text[t.start : t.end] == t.text


def test_no_publication_date():
    ts = find_times("قال أمس إن اتفاق 7 تموز 2017 صامد", None)
    got = {t.text: (t.value, t.precision) for t in ts}
    assert got["أمس"] == (None, "none")
    assert got["7 تموز 2017"] == ("2017-07-07", "day")


def test_ranges_give_two_expressions():
    assert values("بين 5 و7 آب") == [("5", "2017-08-05"), ("7 آب", "2017-08-07")]
    assert values("بين 5 و7 أيلول المقبل") == [("5", "2017-09-05"), ("7 أيلول المقبل", "2017-09-07")]
    assert values("من 12 إلى 15 من الشهر الجاري") == [("12", "2017-08-12"), ("15 من الشهر الجاري", "2017-08-15")]


def test_rules_are_named():
    assert one("أمس").rule == "deictic"
    assert one("الخميس الماضي").rule == "weekday"


# --- TimeML-style tagging -------------------------------------------------------------------------
def test_timexes_cover_durations_and_refs():
    got = {(t.text, t.type, t.value) for t in find_timexes("أمضى 26 عاماً هناك ويزورها حالياً يومياً", PUB)}
    assert ("26 عاماً", "DURATION", "P26Y") in got
    assert ("حالياً", "DATE", "PRESENT_REF") in got
    assert ("يومياً", "SET", "P1D") in got


@pytest.mark.skipif(not (SHARED / "gold" / "seeds.jsonl").is_file(), reason="../shared absent")
def test_seed_gold_times_are_found():
    for line in (SHARED / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        text = (SHARED / "seeds" / g["file"]).read_text(encoding="utf-8")
        pred = {(" ".join(t.text.split()), t.value) for t in find_times(text, date.fromisoformat(g["published"]))}
        for t in g["times"]:
            assert any(t["value"] == v and (t["surface"] in s or s in t["surface"]) for s, v in pred), t


def test_counts_and_clock_times_are_not_years():
    assert find_times("بأكثر من (1500) كيلومتر", PUB) == []
    assert find_times("الساعة 8.30 مساء بالتوقيت المحلي (1930 بتوقيت غرينتش)", PUB) == []


def test_month_named_twice_without_slash():
    assert one("وفي مايو أيار 2013، أدانت").value == "2013-05"


def test_same_year_takes_the_last_written_year():
    got = values("جرت انتخابات عام 2016. وفي آذار من العام نفسه حدث ذلك")
    assert got == [("عام 2016", "2016"), ("آذار من العام نفسه", "2016-03")]
    assert find_times("في العام نفسه", PUB) == []  # nothing to refer back to


def test_rule_prefilter_never_drops_a_match():
    """_rules_for skips a rule only when the text lacks a word every match of it contains."""
    from marsad.extract.time import extract as tx
    from marsad.extract.time.patterns import RULES
    from marsad.text.normalize import normalize

    texts = [
        "وصل الوفد يومي 12 و13يونيو إلى جنيف",
        "في 3/8/2017 وقع الاتفاق",
        "2017-08-03 موعد الجلسة",
        "اجتمعوا في ديسمبر2015 ثم بتموز الماضي",
        "قال هذا الصباح إن اللقاء بعد غد الثلاثاء",
        "في السابع من الشهر الجاري",
        "يوم 9 من الشهر المقبل",
        "في 5 رمضان 1438 هـ",
        "شهر رمضان المبارك",
        "منذ يومين وقبل ثلاثة أيام",
        "العام الماضي والعام نفسه",
        "أواخر عام 2016",
        "الليلة الماضية",
        "وأمس الخميس",
        "مطلع آب المقبل",
        "في كانون الثاني/يناير 2019",
        "نص بلا أي تاريخ على الإطلاق",
    ]
    for t in texts:
        nt = normalize(t).text
        every = [(n, m.span()) for n, rx in RULES for m in rx.finditer(nt)]
        kept = [(n, m.span()) for n, rx in tx._rules_for(nt) for m in rx.finditer(nt)]
        assert kept == every, t
    assert tx._rules_for(normalize("نص بلا أي تاريخ على الإطلاق").text) == []


def _in_set(items, ch: str) -> bool:
    """Whether a parsed character set ([...]) matches ``ch``."""
    import re as _re
    from re import _constants as K

    cats = {
        K.CATEGORY_WORD: r"\w",
        K.CATEGORY_NOT_WORD: r"\W",
        K.CATEGORY_DIGIT: r"\d",
        K.CATEGORY_NOT_DIGIT: r"\D",
        K.CATEGORY_SPACE: r"\s",
        K.CATEGORY_NOT_SPACE: r"\S",
    }
    neg = hit = False
    for op, av in items:
        if op is K.NEGATE:
            neg = True
        elif op is K.LITERAL:
            hit |= chr(av) == ch
        elif op is K.RANGE:
            hit |= av[0] <= ord(ch) <= av[1]
        elif op is K.CATEGORY:
            hit |= _re.fullmatch(cats[av], ch) is not None
        else:
            raise AssertionError(f"set item {op} not handled by this test")
    return hit != neg


def _can_read(tree, ch: str) -> bool:
    """Whether some node of a parsed pattern can match the character ``ch`` (look-arounds too)."""
    from re import _constants as K

    for op, av in tree:
        if op is K.LITERAL:
            found = chr(av) == ch
        elif op is K.NOT_LITERAL:
            found = chr(av) != ch
        elif op is K.ANY:
            found = ch != "\n"
        elif op is K.IN:
            found = _in_set(av, ch)
        elif op is K.BRANCH:
            found = any(_can_read(b, ch) for b in av[1])
        elif op is K.SUBPATTERN:
            found = _can_read(av[3], ch)
        elif op in (K.MAX_REPEAT, K.MIN_REPEAT, K.POSSESSIVE_REPEAT):
            found = _can_read(av[2], ch)
        elif op in (K.ASSERT, K.ASSERT_NOT):
            found = False  # a look-around reads one character: the stretch keeps the cut ones
            assert av[1].getwidth()[1] <= 1, "a look-around wider than one character"
        elif op is K.ATOMIC_GROUP:
            found = _can_read(av, ch)
        elif op is K.AT:
            found = False
        else:
            raise AssertionError(f"pattern node {op} not handled by this test")
        if found:
            return True
    return False


def test_time_rules_never_cross_a_cut_character():
    """The times step scans each rule only over the stretches between the _CUT characters that
    hold one of its words: right only while no rule (but the numeric dates, scanned whole) can
    consume such a character, and every rule's matches are non-empty."""
    parser = pytest.importorskip("re._parser")
    from marsad.extract.time import extract as tx
    from marsad.extract.time.patterns import RULES

    cuts = [c for c in map(chr, range(0x3000)) if tx._CUT.fullmatch(c)]
    assert set(".!?؟؛;:«»\"“”'") <= set(cuts)
    for name, rx in RULES:
        if name in tx._WHOLE:
            continue
        tree = parser.parse(rx.pattern, rx.flags)
        assert tree.getwidth()[0] > 0, name
        assert not [c for c in cuts if _can_read(tree, c)], name
        assert name in tx._ANCHORS, name


def test_time_stretch_scan_equals_whole_scan(monkeypatch):
    """On texts mixing every kind of expression with cut characters, the candidates found over
    the stretches are those found by scanning the whole text with every rule."""
    import random
    from marsad.extract.time import extract as tx
    from marsad.extract.time.patterns import RULES
    from marsad.text.normalize import normalize

    pieces = [
        "وصل الوفد يومي 12 و13يونيو",
        "في 3/8/2017 وقع",
        "2017-08-03 موعد",
        "ديسمبر2015",
        "بتموز الماضي",
        "هذا الصباح",
        "بعد غد الثلاثاء",
        "في السابع من الشهر الجاري",
        "يوم 9 من الشهر المقبل",
        "في 5 رمضان 1438 هـ",
        "منذ يومين",
        "العام الماضي",
        "أواخر عام 2016",
        "الليلة الماضية",
        "وأمس الخميس",
        "مطلع آب المقبل",
        "كانون الثاني/يناير 2019",
        "12.5.2018",
        "عام 1990",
        "في 2019",
        "نص بلا تاريخ",
    ]
    seps = [" ", ". ", "، ", ": ", "«", "» ", '"', "؟ ", "'", "؛", "!"]
    rnd = random.Random(7)
    texts = []
    for _ in range(400):
        texts.append(normalize("".join(rnd.choice(pieces) + rnd.choice(seps) for _ in range(rnd.randint(1, 7)))).text)
    stretched = [repr(tx._candidates(nt)) for nt in texts]
    monkeypatch.setattr(tx, "_WHOLE", frozenset(name for name, _ in RULES))
    whole = [repr(tx._candidates(nt)) for nt in texts]
    assert stretched == whole
    assert sum(len(tx._candidates(nt)) for nt in texts) > 400
