"""The package's one digit table and one table of calendar words: Arabic-Indic digits, the
Gregorian months' Arabic and English names, the weekdays.

Pure data, immutable, importing nothing from marsad (normalization itself folds digits with
:data:`DIGITS`).  Names are stored as written; a user folds them with its own key through
:func:`numbered` (the time extractor with :func:`marsad.text.normalize.fold`, the chrome rules
and the dateline reader with :func:`marsad.text.normalize.norm_key`).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Iterable, Mapping, NamedTuple

__all__ = ["DIGITS", "fold_digits", "Month", "MONTHS", "WEEKDAYS", "numbered"]

#: Arabic-Indic (U+0660–U+0669) and Eastern Arabic-Indic, or Persian (U+06F0–U+06F9), digits →
#: ASCII digits, as a :meth:`str.translate` table (code point → digit).
DIGITS: Mapping[int, str] = MappingProxyType({base + i: str(i) for base in (0x0660, 0x06F0) for i in range(10)})


def fold_digits(s: str) -> str:
    """``s`` with its Arabic-Indic and Persian digits written as ASCII digits."""
    return s.translate(DIGITS)


class Month(NamedTuple):
    """One Gregorian month's names.  ``arabic``: the names in wide use, the Syriac names of the
    Levant and Iraq (كانون الثاني …) and the transliterations of Egypt and the Gulf (يناير …);
    ``variants``: other spellings, Maghrebi (جانفي، فيفري، أفريل، ماي، جوان، جويلية، أوت),
    Moroccan (ينير، يوليوز، غشت، شتنبر، نونبر، دجنبر), Iraqi (مايس), names without the article
    (كانون ثاني، تشرين اول) and rarer transliterations; ``latin``: lower-case English names,
    the abbreviation first."""

    number: int
    arabic: tuple[str, ...]
    variants: tuple[str, ...]
    latin: tuple[str, ...]


#: The twelve months, January first.  The time extractor reads ``arabic`` and ``variants``; the
#: chrome rules and the dateline reader read ``arabic`` and ``latin`` only (a head line
#: 'الأحد 12 جوان 2019' is not taken for a date line there).
MONTHS: tuple[Month, ...] = (
    Month(1, ("كانون الثاني", "يناير"), ("كانون ثاني", "جانفي", "جانفييه", "ينير"), ("jan", "january")),
    Month(2, ("شباط", "فبراير"), ("فيفري",), ("feb", "february")),
    Month(3, ("آذار", "اذار", "مارس"), (), ("mar", "march")),
    Month(4, ("نيسان", "أبريل", "إبريل", "ابريل"), ("أفريل", "افريل"), ("apr", "april")),
    Month(5, ("أيار", "ايار", "مايو"), ("ماي", "مايس"), ("may",)),
    Month(6, ("حزيران", "يونيو", "يونيه"), ("جوان",), ("jun", "june")),
    Month(7, ("تموز", "يوليو", "يوليه"), ("جويلية", "جويليه", "يوليوز"), ("jul", "july")),
    Month(8, ("آب", "أغسطس", "اغسطس"), ("أوت", "غشت", "اغسطوس"), ("aug", "august")),
    Month(9, ("أيلول", "ايلول", "سبتمبر"), ("شتنبر", "سيبتمبر"), ("sep", "sept", "september")),
    Month(10, ("تشرين الأول", "أكتوبر", "اكتوبر"), ("تشرين اول",), ("oct", "october")),
    Month(11, ("تشرين الثاني", "نوفمبر"), ("تشرين ثاني", "نونبر"), ("nov", "november")),
    Month(12, ("كانون الأول", "ديسمبر"), ("كانون اول", "دجنبر", "دیسمبر"), ("dec", "december")),
)

#: The weekdays' Arabic names as written, by Python's ``date.weekday()`` (Monday = 0).
WEEKDAYS: tuple[tuple[str, ...], ...] = (
    ("الاثنين", "الإثنين"),
    ("الثلاثاء",),
    ("الأربعاء", "الاربعاء"),
    ("الخميس",),
    ("الجمعة",),
    ("السبت",),
    ("الأحد", "الاحد"),
)


def numbered(groups: Iterable[tuple[int, Iterable[str]]], key: Callable[[str], str]) -> Mapping[str, int]:
    """A read-only look-up ``key(name) → number`` from ``(number, names)`` pairs, e.g.
    ``numbered(((m.number, m.arabic) for m in MONTHS), fold)``."""
    return MappingProxyType({key(name): n for n, names in groups for name in names})
