"""Counts of people an article reports, each tied to its category: killed, injured, arrested,
displaced, participants («مقتل 12 شخصا», «سقوط عشرات القتلى», «ارتفاع عدد الضحايا إلى 20»,
«إصابة خمسة وعشرين»).  Digits and Arabic number words; vague counts (عشرات، مئات، آلاف) keep their
order of magnitude.  Every count is a span of the article text, from the number to its noun."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..text.normalize import normalize

CATEGORIES = ("killed", "injured", "arrested", "displaced", "participants")

# folded forms (ة→ه, ى→ي, أإآ→ا).  N: a noun the count comes before («12 قتيلا», «عشرات القتلى»), or
# after عدد/حصيلة («عدد القتلى إلى 20»); V: a verb or verbal noun the count follows («مقتل 12 شخصا»)
_WORDS = {
    "killed": ("N", "قتيل قتيلا قتلي شهيد شهيدا شهداء ضحيه ضحايا"),
    "killed ": ("V", "مقتل قتل قتلوا مصرع استشهاد استشهد"),
    "injured": ("N", "جريح جريحا جرحي مصاب مصابا مصابين مصابون"),
    "injured ": ("V", "اصابه اصيب اصيبوا جرح"),
    "arrested": ("N", "معتقل معتقلا معتقلين معتقلون موقوف موقوفين محتجز محتجزين"),
    "arrested ": ("V", "اعتقال اعتقل اعتقلت توقيف اوقف احتجاز"),
    "displaced": ("N", "نازح نازحا نازحين نازحون مهجر مهجرين"),
    "displaced ": ("V", "نزوح تهجير"),
    "participants": ("N", "متظاهر متظاهرا متظاهرين متظاهرون محتج محتجا محتجين محتجون مشارك مشاركا مشاركين مشاركون"),
}
CATEGORY_OF: dict[str, tuple[str, str]] = {}
for _cat, (_kind, _forms) in _WORDS.items():
    for _w in _forms.split():
        CATEGORY_OF[_w] = (_cat.strip(), _kind)

_UNITS = {
    "واحد": 1,
    "واحده": 1,
    "احد": 1,
    "احدي": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "اثنا": 2,
    "اثني": 2,
    "اثنتا": 2,
    "اثنتي": 2,
    "ثلاث": 3,
    "ثلاثه": 3,
    "اربع": 4,
    "اربعه": 4,
    "خمس": 5,
    "خمسه": 5,
    "ست": 6,
    "سته": 6,
    "سبع": 7,
    "سبعه": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانيه": 8,
    "تسع": 9,
    "تسعه": 9,
    "عشر": 10,
    "عشره": 10,
}
_TENS = {
    p + s: v
    for p, v in (
        ("عشر", 20),
        ("ثلاث", 30),
        ("اربع", 40),
        ("خمس", 50),
        ("ست", 60),
        ("سبع", 70),
        ("ثمان", 80),
        ("تسع", 90),
    )
    for s in ("ين", "ون")
}
_HUNDREDS = {"مئه": 100, "مائه": 100, "مئتين": 200, "مائتين": 200, "مئتان": 200, "مائتان": 200}
_HUNDREDS.update(
    {
        u + h: v * 100
        for u, v in (("ثلاث", 3), ("اربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7), ("ثمان", 8), ("تسع", 9))
        for h in ("مئه", "مائه")
    }
)
_THOUSAND = {"الف": 1000, "الاف": 1000, "الفا": 1000, "الفين": 2000, "الفان": 2000}
VAGUE = {
    "عشرات": "tens",
    "العشرات": "tens",
    "مئات": "hundreds",
    "المئات": "hundreds",
    "الاف": "thousands",
    "الالاف": "thousands",
    "الوف": "thousands",
}
# words that may stand between the count and its noun or verb
_FILL = {
    "من",
    "الي",
    "نحو",
    "حوالي",
    "قرابه",
    "اكثر",
    "اقل",
    "ما",
    "يقارب",
    "لا",
    "يقل",
    "عن",
    "علي",
    "الاقل",
    "عدد",
    "شخص",
    "اشخاص",
    "شخصا",
    "مدني",
    "مدنيا",
    "مدنيين",
    "مدنيون",
    "عنصر",
    "عنصرا",
    "عناصر",
    "جندي",
    "جنديا",
    "جنود",
    "طفل",
    "طفلا",
    "اطفال",
    "امراه",
    "نساء",
    "مواطن",
    "مواطنا",
    "مواطنين",
    "اخرين",
    "اخرون",
    "مقاتل",
    "مقاتلا",
    "مقاتلين",
    "اضافه",
    "بينهم",
}
_PREFIX = re.compile(r"^(?:[وف])?(?:[بل])?(?:ال)?")
_DEFINITE = re.compile(r"^(?:[وف]?[بك]?ال|[وف]?لل)")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+")


@dataclass(frozen=True)
class Count:
    category: str
    value: Optional[int]  # None for a vague count
    vague: Optional[str]  # tens | hundreds | thousands
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return str(self.value) if self.value is not None else self.vague or ""

    def as_dict(self) -> dict:
        return {
            "category": self.category,
            "value": self.value,
            "vague": self.vague,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


def _bare(w: str) -> str:
    return w if w in CATEGORY_OF else _PREFIX.sub("", w, count=1)


def _word_value(w: str) -> Optional[int]:
    w = w[1:] if w[:1] in "وب" and w[1:] in {**_UNITS, **_TENS, **_HUNDREDS} else w
    for table in (_UNITS, _TENS, _HUNDREDS, _THOUSAND):
        if w in table:
            return table[w]
    return None


def _number(toks: list[str], i: int) -> Optional[tuple[Optional[int], Optional[str], int]]:
    """(value, vague, index after) of the number starting at token ``i``, if one does."""
    w = toks[i]
    if w in VAGUE:
        return None, VAGUE[w], i + 1
    if w[0].isdigit():
        try:
            v = int(float(w.replace(",", "")))
        except ValueError:
            return None
        j = i + 1
        if j < len(toks) and toks[j] in _THOUSAND:
            v, j = v * 1000, j + 1
        return v, None, j
    v = _word_value(w)
    if v is None or w in _THOUSAND and w != "الف":
        return None
    j = i + 1
    if j < len(toks) and v < 10 and toks[j] in ("عشر", "عشره"):  # 11..19
        v, j = v + 10, j + 1
    if j < len(toks) and v < 10 and toks[j][:1] == "و" and toks[j][1:] in _TENS:  # خمسة وعشرين
        v, j = v + _TENS[toks[j][1:]], j + 1
    if (
        j < len(toks)
        and v < 1000
        and toks[j] in _THOUSAND
        and toks[j] != "الف"
        or (j < len(toks) and v < 1000 and toks[j] == "الف" and v > 2)
    ):
        v, j = v * 1000, j + 1
    return v, None, j


def find_counts(text: str) -> list[Count]:
    """The counts of people ``text`` reports, in order (spans of ``text``)."""
    nz = normalize(text)
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(nz.text)]
    toks = [nz.text[s:e] for s, e in spans]
    out, used = [], set()

    def emit(cat, val, vague, a, b):  # tokens a..b-1
        if any(k in used for k in range(a, b)):
            return
        used.update(range(a, b))
        s, e = nz.to_source(spans[a][0], spans[b - 1][1])
        out.append(Count(cat, val, vague, s, e, text[s:e]))

    for i, w in enumerate(toks):
        hit = CATEGORY_OF.get(_bare(w)) or CATEGORY_OF.get(w)
        if not hit:
            continue
        cat, kind = hit
        # before: «12 قتيلا», «عشرات القتلى», «عشرات من القتلى», «خمسة وعشرين جريحا»
        for back in (1, 2):
            k = i - back
            if k < 0 or (back == 2 and toks[i - 1] != "من"):
                continue
            for start in range(max(0, k - 3), k + 1):
                n = _number(toks, start)
                if n and n[2] == k + 1 and kind == "N":
                    emit(cat, n[0], n[1], start, i + 1)
                    break
            else:
                continue
            break
        else:
            # after: «مقتل 12 شخصا», «عدد القتلى إلى 20», «إصابة خمسة آخرين»
            if kind == "N" and not (i > 0 and _bare(toks[i - 1]) in ("عدد", "حصيله")):
                continue
            if kind == "V" and _DEFINITE.match(w):  # «التهجير 3 خيارات»: a definite noun governs no count
                continue
            j = i + 1
            while j < len(toks) and j <= i + 4 and toks[j] in _FILL and not toks[j][0].isdigit():
                j += 1
            if j < len(toks) and j <= i + 4:
                n = _number(toks, j)
                if n:
                    emit(cat, n[0], n[1], i, n[2])
    return sorted(out, key=lambda c: c.start)
