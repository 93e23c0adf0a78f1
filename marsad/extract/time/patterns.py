"""Regular expressions for Arabic time expressions, written against the *folded* text of
:func:`marsad.text.normalize.normalize` (so hamza forms, ة/ه, ى/ي, diacritics and tatweel do not
matter and Arabic-Indic digits are ASCII).

Every pattern captures the expression in group ``x``; a proclitic (و ف ب ل) in front of it is
matched but left outside ``x``.  Each entry of :data:`RULES` is ``(rule name, compiled regex)``.
"""

from __future__ import annotations

import re

from marsad.text.normalize import fold

from .lexicon import (
    AMBIGUOUS_MONTHS,
    CARDINALS,
    CURRENT,
    GREGORIAN,
    HIJRI,
    NEXT,
    ORDINALS,
    PART_OF,
    PARTS_OF_DAY,
    PAST,
    WEEKDAYS,
)


def alt(words) -> str:
    """A regex alternation of folded phrases, longest first; a space matches any white space."""
    ws = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ws) + ")"


F = fold
B = r"(?<![\w])"  # start of a word
E = r"(?![\w])"  # end of a word
LE = r"(?![^\W\d])"  # end of a word that may run into digits ('ديسمبر2015')
CL = r"(?:[وفبل]{1,2})?"  # proclitics, left outside the span
DAY = r"(?:3[01]|[12]\d|0?[1-9])(?!\d)"
YEAR = r"(?:1[6-9]\d\d|20\d\d)(?!\d)"
HYEAR = r"(?:1[2-5]\d\d)(?!\d)"
G = alt(GREGORIAN)
G_UNAMB = alt(k for k in GREGORIAN if k not in AMBIGUOUS_MONTHS)
H = alt(HIJRI)
WD = alt(WEEKDAYS)
ORD = alt(ORDINALS)
MOD = alt(PAST | NEXT | CURRENT)
PART = alt(PART_OF)
POD = alt(PARTS_OF_DAY)
CARD = alt(k for k, v in CARDINALS.items() if v <= 10)
GMARK = r"(?:\s*(?:م|ميلادي|ميلاديه|للميلاد)" + E + ")"
HMARK = r"(?:\s*(?:ه|هجري|هجريه|للهجره)" + E + ")"
IN = r"(?:في\s+)?"  # a leading في belongs to explicit dates (GUIDELINES)


def _month(tag: str = "mon") -> str:
    """A month name, optionally doubled with another system's name: 'آب/أغسطس', 'آب (أغسطس)'."""
    return rf"(?P<{tag}>{G})(?:\s*[/\-]\s*{G}{LE}|\s*\(\s*{G}\s*\)|\s+{G}{LE})?{LE}"


def _year_tail(tag: str = "y") -> str:
    """', 2017', ' عام 2017 م', ' من العام الماضي' (the last sets ``ymod``)."""
    return (
        rf"(?:\s*[,،]?\s*(?:(?:من\s+)?(?:عام|العام|سنه|السنه)\s+)?(?P<{tag}>{YEAR}){GMARK}?"
        rf"|\s*[,،]?\s*(?:من\s+)?(?:العام|السنه)\s+(?P<ymod>{MOD}){E}"
        rf"|\s*[,،]?\s*(?:من\s+)?(?P<ysame>(?:العام|السنه)\s+(?:نفسه|نفسها|ذاته|ذاتها)"
        rf"|(?:نفس|ذات)\s+(?:العام|السنه)){E})"
    )


_WD_PREFIX = rf"(?:(?P<pod>{POD})\s+)?(?:(?:يوم|نهار)\s+)?(?:(?P<wd>{WD})\s*[,،]?\s*)?(?:(?:يوم)\s+)?"
_REL_MONTH = rf"(?:(?:الشهر|هذا\s+الشهر)(?:\s+(?P<rmod>{MOD}))?)"

_SRC = {
    # 2017-08-03, 2017/8/3
    "numeric_ymd": rf"(?<![\w/.\-]){CL}(?P<x>{IN}(?P<y>{YEAR})(?P<s>[/\-.])(?P<m>1[0-2]|0?[1-9])(?P=s)"
    rf"(?P<d>{DAY}))(?![\w/.\-])",
    # 3/8/2017, 3-8-2017, 3.8.2017 (day first, as in Arabic usage); Hijri with هـ
    "numeric_dmy": rf"(?<![\w/.\-]){CL}(?P<x>{IN}(?P<d>{DAY})(?P<s>[/\-.])(?P<m>1[0-2]|0?[1-9])(?P=s)"
    rf"(?P<y>{YEAR}|{HYEAR})(?P<h>{HMARK})?{GMARK}?)(?![\w/.\-])",
    # (في) (ظهر) (الأحد) 9 تموز (الماضي) (2017)
    "day_month": rf"{B}{CL}(?P<x>{IN}{_WD_PREFIX}(?P<d>{DAY})\s*(?:من\s+)?(?:شهر\s+)?{_month()}"
    rf"(?:\s+(?P<mod>{MOD}))?{_year_tail()}?)",
    # (في) السابع من تموز / من الشهر الجاري
    "ordinal_month": rf"{B}{CL}(?P<x>{IN}{_WD_PREFIX}(?P<ord>{ORD})\s+من\s+(?:(?:شهر\s+)?{_month()}"
    rf"(?:\s+(?P<mod>{MOD}))?{_year_tail()}?|{_REL_MONTH}))(?!\w)",
    # ظهر الأحد 9 الجاري, 12 من الشهر الماضي
    "day_of_month": rf"{B}{CL}(?P<x>{IN}{_WD_PREFIX}(?P<d>{DAY})\s+(?:(?:من\s+)?(?:الشهر|هذا\s+الشهر)\s+"
    rf"(?P<rmod>{MOD})|(?P<bmod>الجاري|الحالي|الماضي|المنصرم|المقبل|القادم)){E})",
    # Hijri day: 5 رمضان 1438 هـ
    "hijri_day": rf"{B}{CL}(?P<x>{IN}{_WD_PREFIX}(?:(?P<d>{DAY})|(?P<ord>{ORD})\s+من)\s+(?:شهر\s+)?"
    rf"(?P<hm>{H}){E}(?:\s+(?:المبارك|الحرام|الخير)(?!\w))?(?:\s+(?P<mod>{MOD}))?"
    rf"(?:\s*[,،]?\s*(?:(?:من\s+)?(?:عام|العام|سنه|السنه)\s+)?(?P<y>{HYEAR}))?(?P<h>{HMARK})?)",
    # Hijri month: رمضان 1438 هـ, شهر رمضان المقبل
    "hijri_month": rf"{B}{CL}(?P<x>(?:(?P<part>{PART})\s+)?(?:شهر\s+)?(?P<hm>{H}){E}"
    rf"(?:\s+(?:المبارك|الحرام|الخير)(?!\w))?(?:(?:\s+(?P<mod>{MOD}))|"
    rf"\s*(?:(?:من\s+)?(?:عام|العام|سنه)\s+)?(?P<y>{HYEAR})(?P<h>{HMARK})?)){E}",
    # تموز 2017, مطلع آب 2017
    "month_year": rf"{B}{CL}(?P<x>(?:(?P<part>{PART})\s+)?(?:شهر\s+)?{_month()}{_year_tail()})",
    # تموز الماضي, مطلع آب المقبل
    "month_mod": rf"{B}{CL}(?P<x>(?:(?P<part>{PART})\s+)?(?:شهر\s+)?{_month()}\s+(?P<mod>{MOD}){E})",
    # مطلع آب, منتصف تموز
    "month_part": rf"{B}{CL}(?P<x>(?P<part>{PART})\s+(?:شهر\s+)?{_month()})",
    # في تموز, خلال شهر آب, شهر تموز
    "month_bare": rf"{B}(?:(?:[وف]?(?:في|خلال|منذ|حتي|قبل|بعد|اثناء))\s+(?P<x>(?:شهر\s+)?(?P<mon>{G_UNAMB})){E}"
    rf"|{CL}(?P<x2>شهر\s+(?P<mon2>{G_UNAMB})){E})",
    # الشهر الماضي, مطلع الشهر المقبل, هذا الشهر
    "relative_month": rf"{B}{CL}(?P<x>(?:(?P<part>{PART})\s+)?(?:(?:الشهر)\s+(?P<mod>{MOD})|هذا\s+الشهر)){E}",
    # العام الماضي, نهاية العام الجاري, هذا العام
    "relative_year": rf"{B}{CL}(?P<x>(?:(?P<part>{PART})\s+)?(?:(?:العام|السنه)\s+(?P<mod>{MOD})"
    rf"|هذا\s+العام|هذه\s+السنه)){E}",
    # العام نفسه, في نفس العام: the year last written before it
    "same_year": rf"{B}{CL}(?P<x>(?:(?P<part>{PART})\s+)?(?P<ysame>(?:العام|السنه)\s+(?:نفسه|نفسها|ذاته|ذاتها)"
    rf"|(?:نفس|ذات)\s+(?:العام|السنه))){E}",
    # عام 2016, العام 2016, أواخر عام 2016, عامي 2016 و2017 (first year)
    "year": rf"{B}{CL}(?P<x>(?:(?P<part>{PART})\s+)?(?:عام|العام|سنه|السنه|عامي|سنتي|مطلع|اوائل|اواخر"
    rf"|نهايه|بدايه|منتصف|اواسط)\s+(?P<y>{YEAR}){GMARK}?)",
    # bare 4-digit year; accepted by extract.py only with a context cue
    "year_bare": rf"(?<![\w/.\-]){CL}(?P<x>(?P<y>(?:1[5-9]|20)\d\d)(?!\d){GMARK}?)(?![\w/.\-])",
    # أمس, أول أمس, صباح اليوم, في وقت سابق من يوم أمس, أمس الخميس
    "deictic": rf"{B}{CL}(?P<x>(?:(?:في\s+)?وقت\s+(?:سابق|متاخر|لاحق|مبكر)\s+(?:من\s+)?)?"
    rf"(?:(?P<pod>{POD})\s+)?(?:(?:يوم|نهار)\s+)?"
    rf"(?P<w>اول\s+من\s+امس|اول\s+امس|امس\s+الاول|بعد\s+غد|امس|الامس|البارحه|اليوم|غدا|الغد"
    rf"|الليله\s+الماضيه|الليله\s+المقبله|الليله|هذا\s+الصباح|هذا\s+المساء)"
    rf"(?:\s*[,،]?\s*(?P<wd>{WD}))?){E}",
    # (ظهر) (يوم) الخميس (الماضي)
    "weekday": rf"{B}{CL}(?P<x>(?:(?P<pod>{POD})\s+)?(?:(?:يوم|نهار)\s+)?(?P<wd>{WD})(?:\s+(?P<mod>{MOD}))?){E}",
    # منذ يومين, قبل ثلاثة أيام
    "days_ago": rf"{B}{CL}(?P<x>(?:منذ|قبل)\s+(?:(?P<n>\d{{1,2}}|{CARD})\s+(?:ايام|يوما)|(?P<dual>يومين)"
    rf"|يوم\s+واحد)){E}",
}

RULES: list[tuple[str, re.Pattern]] = [(k, re.compile(v)) for k, v in _SRC.items()]

# how a modifier word maps to past / current / next
MODS = {
    **{w: "past" for w in PAST},
    **{w: "next" for w in NEXT},
    **{w: "current" for w in CURRENT},
    F("المنصرم"): "past",
}

# words before a "day month" that make it the name of an event or movement, not a date
NAMED_EVENT_BEFORE = {
    F(w)
    for w in [
        "قوى",
        "قوي",
        "تيار",
        "حركة",
        "تحالف",
        "ثورة",
        "انتفاضة",
        "احداث",
        "أحداث",
        "هجمات",
        "اعتداءات",
        "ذكرى",
        "فريق",
        "جماعة",
        "ميدان",
        "شارع",
        "جسر",
        "مدينة",
        "بيان",
        "مجموعة",
        "قرار",
        "اتفاق",
        "اتفاقية",
        "ملعب",
    ]
}
# words around اليوم that make it a name or a non-deictic day
OUTLET_BEFORE_TODAY = {
    F(w)
    for w in [
        "روسيا",
        "مصر",
        "تركيا",
        "فلسطين",
        "الإمارات",
        "العرب",
        "أخبار",
        "صحيفة",
        "جريدة",
        "موقع",
        "قناة",
        "ذلك",
        "نفس",
        "ذات",
        "هذا",
    ]
}
NOT_TODAY_AFTER = {
    F(w)
    for w in [
        "التالي",
        "الأول",
        "الثاني",
        "الثالث",
        "الأخير",
        "الوطني",
        "العالمي",
        "الدولي",
        "الذي",
        "السابع",
        "السابق",
        "الموعود",
        "ذاته",
        "نفسه",
        "المشهود",
        "الموالي",
        "المقبل",
    ]
}
WEEKDAY_NOT_AFTER = {
    F(w)
    for w in [
        "صلاة",
        "صلاه",
        "خطبة",
        "خطبه",
        "خطيب",
        "أيام",
        "كل",
        "بين",
        "كلا",
        "صلوات",
        "مسجد",
        "جامع",
        "سوق",
        "يوما",
    ]
}
WEEKDAY_NOT_BEFORE = {F(w) for w in ["معا", "منهما", "منهم", "الآخرين", "الآخر"]}
# a bare number followed by one of these is a count or a clock time, not a year
COUNT_AFTER = {
    F(w)
    for w in [
        "كيلومتر",
        "كيلومترا",
        "كلم",
        "كم",
        "متر",
        "مترا",
        "ميل",
        "هكتار",
        "طن",
        "برميل",
        "غرام",
        "شخص",
        "شخصا",
        "دولار",
        "جنيه",
        "ريال",
        "درهم",
        "دينار",
        "يورو",
        "ليرة",
        "مليون",
        "ألف",
        "قتيل",
        "جريح",
        "جندي",
        "مقاتل",
        "عنصر",
        "لاجئ",
        "مدني",
        "طفل",
        "امرأة",
        "منزل",
        "صاروخ",
        "عائلة",
        "أسرة",
        "مرة",
        "نسمة",
        "بتوقيت",
        "توقيت",
        "غرينتش",
        "ساعة",
        "دقيقة",
        "ميغاواط",
        "وحدة",
        "سجين",
        "معتقل",
    ]
}

# cues of a future reading for a bare weekday ("سيزور ... الخميس")
FUTURE = re.compile(
    B
    + alt(
        F(w)
        for w in [
            "سوف",
            "من المقرر",
            "المقرر",
            "من المنتظر",
            "المرتقب",
            "من المتوقع",
            "يعتزم",
            "تعتزم",
            "يزمع",
            "تزمع",
            "سيعقد",
            "ستعقد",
            "سيزور",
            "ستزور",
            "سيلتقي",
            "ستلتقي",
            "سيبدأ",
            "ستبدأ",
            "سينطلق",
            "ستنطلق",
            "سيجري",
            "ستجري",
            "سيصل",
            "ستصل",
            "سيتوجه",
            "ستتوجه",
            "سيقوم",
            "ستقوم",
            "سيكون",
            "ستكون",
            "سيشارك",
            "ستشارك",
            "سيجتمع",
            "ستجتمع",
            "سيعلن",
            "ستعلن",
            "سيتم",
            "ستستأنف",
            "سيستأنف",
            "سيلقي",
            "ستلقي",
            "سيترأس",
            "سيصوت",
            "سيناقش",
            "ستناقش",
            "سيبحث",
            "ستبحث",
            "سيوقع",
            "ستوقع",
            "سيغادر",
            "ستغادر",
            "ستنظم",
            "سينظم",
            "ستقام",
            "سيقام",
            "ستعقده",
            "يعقد غدا",
        ]
    )
    + E
)
