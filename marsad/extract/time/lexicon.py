"""Word lists for Arabic time expressions, in the *folded* form of :mod:`marsad.text.normalize`
(أ/إ/آ → ا, ة → ه, ى → ي, no diacritics), plus the tabular Islamic calendar.

Month systems (the Gregorian names and the weekdays are those of :mod:`marsad.text.calendar`):
- Syriac/Levantine (Syria, Lebanon, Jordan, Iraq, Palestine): كانون الثاني … كانون الأول
- Egyptian/Gulf transliterations of the Gregorian names: يناير … ديسمبر
- Maghrebi (Tunisia, Algeria; French-derived): جانفي، فيفري، أفريل، ماي، جوان، جويلية، أوت
- Moroccan: يوليوز، غشت، شتنبر، نونبر، دجنبر
- Hijri: محرم … ذو الحجة (converted with the tabular calendar below)
"""

from __future__ import annotations

from datetime import date
from typing import Mapping

from marsad.text.calendar import MONTHS, WEEKDAYS as WEEKDAY_NAMES, numbered
from marsad.text.normalize import fold

# --- Gregorian month names -> month number (the package's one table: marsad.text.calendar) ------
GREGORIAN: Mapping[str, int] = numbered(((m.number, m.arabic + m.variants) for m in MONTHS), fold)

# Names that are also ordinary words ("اب" = father after folding, "مارس" = practised, "ماي"):
# they count as months only next to a day number, a year or a month modifier.
AMBIGUOUS_MONTHS = {fold(x) for x in ["آب", "مارس", "ماي", "مايس", "أوت", "غشت", "ينير"]}

# --- Hijri month names -> month number -------------------------------------------------------
_HIJRI = {
    1: ["محرم", "المحرم"],
    2: ["صفر"],
    3: ["ربيع الأول", "ربيع اول"],
    4: ["ربيع الثاني", "ربيع الآخر", "ربيع ثاني", "ربيع الاخر"],
    5: ["جمادى الأولى", "جمادى الأول", "جمادى اولى"],
    6: ["جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى ثانية"],
    7: ["رجب"],
    8: ["شعبان"],
    9: ["رمضان"],
    10: ["شوال"],
    11: ["ذو القعدة", "ذي القعدة", "ذو القعده", "ذي القعده"],
    12: ["ذو الحجة", "ذي الحجة"],
}
HIJRI: dict[str, int] = {}
for _m, _names in _HIJRI.items():
    for _n in _names:
        HIJRI[fold(_n)] = _m

# --- weekdays: Python weekday() numbers (Monday = 0) -------------------------------------------
WEEKDAYS: Mapping[str, int] = numbered(enumerate(WEEKDAY_NAMES), fold)

# --- ordinal day words (masculine, as used with "اليوم" understood) -------------------------------
_UNITS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
_TEENS_UNIT = ["الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
ORDINALS: dict[str, int] = {}
for _i, _w in enumerate(_UNITS, 1):
    ORDINALS[fold(_w)] = _i
ORDINALS[fold("الاول")] = 1
ORDINALS[fold("العاشر")] = 10
for _i, _w in enumerate(_TEENS_UNIT, 1):
    ORDINALS[fold(_w + " عشر")] = 10 + _i
for _tens, _tw in ((20, "العشرين"), (30, "الثلاثين")):
    ORDINALS[fold(_tw)] = _tens
    for _i, _w in enumerate(_TEENS_UNIT, 1):
        if _tens + _i <= 31:
            ORDINALS[fold(_w + " و" + _tw)] = _tens + _i

# --- cardinal number words (for "منذ ثلاثة أيام", durations) ----------------------------------------
_CARD = {
    1: ["واحد", "واحدة"],
    2: ["اثنين", "اثنان", "اثنتين", "اثنتان"],
    3: ["ثلاثة", "ثلاث"],
    4: ["أربعة", "أربع"],
    5: ["خمسة", "خمس"],
    6: ["ستة", "ست"],
    7: ["سبعة", "سبع"],
    8: ["ثمانية", "ثماني", "ثمان"],
    9: ["تسعة", "تسع"],
    10: ["عشرة", "عشر"],
    11: ["أحد عشر", "إحدى عشرة"],
    12: ["اثني عشر", "اثنا عشر", "اثنتي عشرة"],
    20: ["عشرين", "عشرون"],
    30: ["ثلاثين", "ثلاثون"],
    40: ["أربعين", "أربعون"],
    50: ["خمسين", "خمسون"],
    60: ["ستين", "ستون"],
    70: ["سبعين", "سبعون"],
    80: ["ثمانين", "ثمانون"],
    90: ["تسعين", "تسعون"],
    100: ["مائة", "مئة"],
}
CARDINALS: dict[str, int] = {}
for _v, _ws in _CARD.items():
    for _w in _ws:
        CARDINALS[fold(_w)] = _v
for _u in range(1, 10):
    for _t in range(20, 100, 10):
        for _uw in _CARD[_u]:
            for _tw in _CARD[_t]:
                CARDINALS.setdefault(fold(f"{_uw} و{_tw}"), _u + _t)

# --- modifiers ------------------------------------------------------------------------------
PAST = {fold(x) for x in ["الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة", "السابق", "السابقة"]}
NEXT = {fold(x) for x in ["المقبل", "المقبلة", "القادم", "القادمة", "التالي"]}
CURRENT = {fold(x) for x in ["الجاري", "الجارية", "الحالي", "الحالية"]}

# part of a month/year: name -> which end it leans to (only month/year precision is emitted)
PART_OF = [
    fold(x)
    for x in [
        "قبل نهاية",
        "قبيل نهاية",
        "حتى نهاية",
        "بحلول نهاية",
        "مع نهاية",
        "قبل منتصف",
        "قبل مطلع",
        "مطلع",
        "أوائل",
        "اوايل",
        "بداية",
        "بدايات",
        "مستهل",
        "أول",
        "منتصف",
        "أواسط",
        "اواسط",
        "أواخر",
        "اواخر",
        "نهاية",
        "نهايات",
        "آخر",
        "خواتيم",
        "ختام",
        "حتى منتصف",
    ]
]

PARTS_OF_DAY = [
    fold(x)
    for x in [
        "صباح",
        "مساء",
        "ظهر",
        "عصر",
        "فجر",
        "ليل",
        "ليلة",
        "منتصف ليل",
        "منتصف ليلة",
        "ظهيرة",
        "صبيحة",
        "عشية",
        "ضحى",
        "بعد ظهر",
        "قبيل منتصف ليل",
        "مطلع",
        "نهار",
        "فجر يوم",
        "صباح يوم",
        "مساء يوم",
        "ليل يوم",
        "ظهر يوم",
    ]
]

# vague words never emitted by find_times (listed for the docs and the TimeML bench)
VAGUE = {fold(x) for x in ["قريبا", "مؤخرا", "حاليا", "الآن", "لاحقا", "سابقا", "آنذاك", "حينها", "اليوم"]}


# --- tabular Islamic calendar ---------------------------------------------------------------------
# Arithmetic (civil, "type II" leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29 of each 30-year
# cycle) with epoch 16 July 622 (Julian).  Python's date ordinals are Rata Die fixed dates, so the
# formulas work on them directly.  Real calendars (Umm al-Qura, sighting) may differ by ±1-2 days.
_ISLAMIC_EPOCH = 227015  # RD of 1 Muharram 1 AH


def hijri_to_ordinal(year: int, month: int, day: int) -> int:
    if not (1 <= month <= 12 and 1 <= day <= 30 and year >= 1):
        raise ValueError(f"bad Hijri date {year}-{month}-{day}")
    return _ISLAMIC_EPOCH - 1 + (year - 1) * 354 + (3 + 11 * year) // 30 + 29 * (month - 1) + month // 2 + day


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """Convert a Hijri date with the tabular Islamic calendar (may differ ±1-2 days from sighting)."""
    return date.fromordinal(hijri_to_ordinal(year, month, day))


def gregorian_to_hijri(d: date) -> tuple[int, int, int]:
    rd = d.toordinal()
    year = (30 * (rd - _ISLAMIC_EPOCH) + 10646) // 10631
    start = hijri_to_ordinal(year, 1, 1)
    month = min(12, (11 * (rd - start) + 330) // 325)
    day = rd - hijri_to_ordinal(year, month, 1) + 1
    return year, month, day


def hijri_month_length(year: int, month: int) -> int:
    if month == 12:
        return hijri_to_ordinal(year + 1, 1, 1) - hijri_to_ordinal(year, 12, 1)
    return hijri_to_ordinal(year, month + 1, 1) - hijri_to_ordinal(year, month, 1)
