"""Word lists and the KB gazetteer of the NER step (:mod:`marsad.extract.mentions`).

Everything here is precomputed once per process: the word lists are folded with ``name_key`` at import
time, per-word lookups are memoized (``lru_cache`` or bounded dicts), and :class:`Gazetteer` compiles
the KB's names once per KB for longest match over token keys (:func:`gazetteer_of`: kept with the
KB's other memos).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .. import caching
from ..model import Token
from ..text.normalize import fold
from .kb import memos_of
from .similarity import name_key

PROCLITIC = "وفبكل"
# generic heads and evaluative words trimmed from ORG spans
# fmt: off
TRIM_HEAD = {name_key(w) for w in ("تنظيم", "تنظيمي", "ميليشيا", "ميليشيات", "مليشيا", "مليشيات", "عصابة",
                                      "عصابات", "فصيل", "جماعة", "وكالة", "صحيفة", "قناة", "موقع", "شبكة")}
TRIM_TAIL = {name_key(w) for w in ("الإرهابي", "الإرهابية", "الارهابي", "المتطرف", "المتطرفة", "المزعوم",
                                      "المزعومة", "الإرهابيين", "للأنباء", "الإخبارية", "الإخباري")}
# descriptive heads: the phrase is not an entity (a PER/NORP inside it still is)
DESCRIPTIVE = {name_key(w) for w in ("الحكومة", "حكومة", "نظام", "النظام", "الجانب", "الوفد", "وفد", "الوفدين",
                                        "السلطات", "الدولة", "الحكومات", "الطرف", "الأطراف", "المعارضة",
                                        "الشعب", "القيادة", "البلاد", "الأزمة", "الثورة", "العاصمة")}
# place-kind heads kept in a LOC name / trimmed before a GPE name
LOC_HEAD = {name_key(w) for w in ("مخيم", "منطقة", "حي", "طريق", "منتجع", "كراجات", "معبر", "مطار", "شارع",
                                     "ساحة", "دوار", "جسر", "سد", "قاعدة", "ميناء", "بحيرة", "نهر", "جبل", "سهل",
                                     "وادي", "ضاحية", "بادية", "قصر", "أوتوستراد", "اوتوستراد", "منفذ", "مرفأ")}
LOC_HEAD_NAMED = {name_key(w) for w in ("مخيم", "حي", "منتجع", "كراجات", "معبر", "مطار", "شارع", "ساحة",
                                           "دوار", "ضاحية", "قصر", "أوتوستراد", "اوتوستراد")}
# first words of compound place names ('حي الشيخ جراح', 'ساحة باب توما'): the name takes one more word
COMPOUND_START = {name_key(w) for w in ("الشيخ", "السيدة", "الإمام", "باب", "عين", "رأس", "تل", "دير", "بيت",
                                           "كفر", "بئر", "خان", "جبل", "أبو", "بني", "عبد", "مار")}
GPE_HEAD = {name_key(w) for w in ("مدينة", "بلدة", "قرية", "محافظة", "العاصمة", "ولاية", "إمارة", "مدينتي",
                                     "ريف")}
# fmt: on
DIRECTION = {name_key(w) for w in ("شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط")}
# institution heads named with a nationality adjective → ORG (gender of the head for agreement)
# (the adjective agrees with the head's last word: 'القيادة العامة للجيش السوري')
# fmt: off
_INSTITUTION = (
    ("الجيش",), ("الجيش", "العربي"), ("سلاح", "الجو"), ("الحرس", "الثوري"), ("البرلمان",), ("الكرملين",),
    ("الأمن", "العام"), ("الجيش", "الوطني"), ("الخارجية",), ("الرئاسة",), ("القوات", "الجوية"),
    ("القوات", "الجوية", "والفضائية"), ("القوات", "المسلحة"), ("القوات", "البحرية"), ("البحرية",),
    ("الاستخبارات",), ("المخابرات",), ("الداخلية",), ("الشرطة",), ("وزارة", "الخارجية"), ("وزارة", "الدفاع"),
    ("وزارة", "الداخلية"), ("القيادة", "العامة", "للجيش"), ("قيادة", "الجيش"), ("القيادة", "العامة", "للقوات", "المسلحة"),
    ("هيئة", "الأركان"), ("رئاسة", "الأركان"), ("الحكومة", "المؤقتة"),
    ("القوات",), ("مجلس", "النواب"), ("مجلس", "الشعب"), ("مجلس", "الشورى"), ("وكالة", "الأنباء"),
    ("الهيئة",), ("المنظمة",), ("الجمعية",), ("المؤسسة",), ("اللجنة",), ("الوكالة",), ("المجلس",),
    ("الهلال", "الأحمر"), ("الصليب", "الأحمر"), ("التلفزيون",), ("الإذاعة",),
)
# institutions named without an adjective ('وزارة الخارجية', 'رئاسة الجمهورية', 'مجلس الوزراء'): ORG
BARE_INSTITUTION = tuple(tuple(name_key(w) for w in h.split()) for h in (
    "وزارة الخارجية", "وزارة الدفاع", "وزارة الداخلية", "وزارة العدل", "وزارة المالية", "وزارة الصحة",
    "وزارة الخارجية والمغتربين", "رئاسة الجمهورية", "رئاسة الوزراء", "رئاسة الحكومة", "مجلس الوزراء",
    "مجلس النواب", "مجلس الشعب", "مجلس الشيوخ", "مجلس الأمة", "البرلمان"))
# fmt: on
BARE_INSTITUTION_SET = frozenset(BARE_INSTITUTION)
# heads whose quoted complement is an organisation's name: 'حزب «القوات اللبنانية»', 'قناة «الجديد»'
# fmt: off
ORG_HEAD = {name_key(w) for w in (
    "حزب", "حركة", "تيار", "تجمع", "ائتلاف", "جبهة", "لواء", "كتائب", "كتيبة", "سرايا", "فيلق", "فصيل",
    "جماعة", "تنظيم", "ميليشيا", "مليشيا", "صندوق", "جمعية", "منظمة", "مؤسسة", "هيئة", "مركز", "مجموعة",
    "شركة", "اتحاد", "نقابة", "منصة", "صحيفة", "وكالة", "قناة", "موقع", "شبكة", "إذاعة", "مجلة",
    "تلفزيون", "مرصد", "مجلس")}
# first words that make a quoted phrase an organisation's name by themselves: '«لواء أحرار حوران»'
ORG_NAME_START = {name_key(w) for w in (
    "لواء", "ألوية", "كتائب", "كتيبة", "سرايا", "فيلق", "جيش", "حركة", "حزب", "تجمع", "جبهة", "تيار",
    "ائتلاف", "اتحاد", "هيئة", "جمعية", "منظمة", "مؤسسة", "مرصد", "مجلس")}
# group adjectives that are not nationalities (NORP all the same, guidelines: "group adjectives in any
# form"); the ambiguous ones ('السنة': also 'the year') only next to a human noun or another NORP
GROUP_NORP = {name_key(w): c for c, forms in (
    ("Kurds", "كردي كردية أكراد الأكراد كرد الكرد الكردي الكردية أكرادا الأكرادي كرديين الكرديين كرديون"),
    ("Sunni Muslims", "سني سنية السني السنية سنيين السنيين السنة"),
    ("Shia Muslims", "شيعي شيعية الشيعي الشيعية شيعيين الشيعيين الشيعة شيعة"),
    ("Alawites", "العلوي العلوية العلويين العلويون"),
    ("Druze", "درزي درزية الدرزي الدرزية الدروز دروز"),
    ("Yazidis", "إيزيدي إيزيدية الإيزيدي الإيزيدية الإيزيديين الإيزيديون"),
    ("Turkmen", "تركماني تركمانية التركماني التركمانية التركمان"),
) for w in forms.split()}
# fmt: on
GROUP_NORP_AMBIGUOUS = {name_key(w) for w in ("السنة", "سنية", "السنية", "العلوية")}
# human nouns before a group adjective: 'النواب الكرد'
# fmt: off
HUMAN_PLURAL = {name_key(w) for w in (
    "النواب", "نواب", "المسلمين", "مسلمين", "العرب", "المواطنين", "السكان", "المقاتلين", "مقاتلين",
    "القادة", "الزعماء", "السياسيين", "الأحزاب", "أحزاب", "القوى", "الأطراف", "العشائر", "المكون", "المكونات",
    "الطائفة", "الأقلية", "الشخصيات", "رجال", "علماء", "المحتجين", "المتظاهرين")}
# fmt: on
# epithets of a state ('الاحتلال' → Israel): not when an adjective names another occupier
EPITHET = {name_key(w) for w in ("الاحتلال", "الكيان")}
# words after which a longer ORG name stops: 'التحالف الدولي بقيادة واشنطن'
# fmt: off
NAME_BREAK = {name_key(w) for w in ("بقيادة", "بزعامة", "برئاسة", "بدعم", "المدعوم", "المدعومة", "التابع",
                                       "التابعة", "الموالي", "الموالية", "المقرب", "المقربة")}
# fmt: on
# second names in a kunya ('أبو علي العسكري'): not role nouns that follow a name
KUNYA = {name_key(w) for w in ("أبو", "ابو", "أم", "ام")}


def feminine(word: str) -> bool:
    f = fold(word)
    return f.endswith("ه") or f.endswith("ات")


INSTITUTION_BY_FIRST: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
for _h in _INSTITUTION:
    _k = tuple(name_key(w) for w in _h)
    # an idafa head ('وكالة الأنباء', 'رئاسة الأركان') takes an adjective agreeing with either noun
    _g = "f" if feminine(_h[-1]) else "m"
    if len(_h) > 1 and not _h[0].startswith("ال") and feminine(_h[0]) != feminine(_h[-1]):
        _g = "fm"
    INSTITUTION_BY_FIRST.setdefault(_k[0], []).append((_g, _k))
PORTFOLIO = {name_key(w) for w in ("الخارجية", "الدفاع", "الداخلية", "العدل", "المالية", "الاقتصاد")}
# groups of people/things modified by a nationality adjective: 'شخصيات سورية' is NORP, not Syria
# fmt: off
GROUP_NOUNS = {name_key(w) for w in (
    "شخصيات", "مصادر", "قوات", "فصائل", "جهات", "أوساط", "مسؤولين", "مسؤولون", "دبلوماسيين", "دبلوماسيون",
    "مباحثات", "محادثات", "اتصالات", "طائرات", "شركات", "وفود", "وفد", "أطراف", "عناصر", "مقاتلين",
    "ميليشيات", "جهود", "مبادرة", "قوة", "سفن", "بوارج", "مستشارين", "خبراء", "ضباط", "جنود", "مواطنين",
    "لقاءات", "اجتماعات", "مشاورات", "مفاوضات", "مشاركة", "وساطة", "رعاية", "ضمانات", "دوريات", "صواريخ")}
# fmt: on


def raw_cut(text: str, n: int) -> int:
    """Offset in ``text`` after its first ``n`` letters (diacritics/tatweel that follow go too)."""
    if n <= 0:
        return 0
    seen = 0
    for i, ch in enumerate(text):
        if fold(ch):
            seen += 1
            if seen == n:
                j = i + 1
                while j < len(text) and not fold(text[j]):
                    j += 1
                return j
    return len(text)


@lru_cache(maxsize=caching.WORD)
def first_token_variants(word: str) -> tuple[tuple[str, int], ...]:
    """Keys of a first token with proclitics peeled: (key, letters cut from the span).  A fused
    لل is read as ال but stays in the span (cut 0 or 1 for a leading و/ف)."""
    k = name_key(word)
    out = [(k, 0)]
    if len(k) < 4:
        return tuple(out)
    lead = 0
    if k[0] in "وف":
        out.append((k[1:], 1))
        lead = 1
    rest = k[lead:]
    if rest.startswith("لل") and len(rest) > 4:
        out.append(("ال" + rest[2:], lead))
    elif rest[0] in "بكل" and len(rest) > 3:
        out.append((rest[1:], lead + 1))
    return tuple(out)


# adverbs in -an ('فوراً', 'أيضاً') end no name
ADVERB = re.compile(r"(?:اً|ًا|ً)$")
# fmt: off
FUNCTION_WORDS = {name_key(w) for w in (
    "على", "في", "من", "إلى", "عن", "مع", "بين", "حول", "ضد", "لدى", "عند", "منذ", "خلال", "بعد", "قبل",
    "أن", "إن", "لكن", "كما", "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "قد", "لم", "لن", "ما", "لا")}
# generic nouns the tagger sometimes takes for names
GENERIC = {name_key(w) for w in (
    "الريف", "المنطقة", "المدينة", "البلاد", "الحدود", "الشمال", "الجنوب", "الشرق", "الغرب", "الأنباء",
    "للأنباء", "الفيتو", "الحكومة", "المعارضة", "الجيش", "الدولة", "العاصمة", "المحافظة", "البلدة",
    "الدولتان", "الدولتين", "الدول", "المملكة", "الجمهورية", "الإمارة", "الولاية", "البلدين", "البلدان",
    "شبه", "جزيرة", "الجزيرة", "القارة", "الإقليم", "الحي", "القرية", "المخيم")}
# fmt: on
MEDIA_HEAD = {name_key(w) for w in ("صحيفة", "وكالة", "قناة", "موقع", "شبكة", "إذاعة", "مجلة", "تلفزيون")}
QUOTE_MARKS = set('«»“”"')

# heads dropped only before a KB name ('حركة حماس' → 'حماس'; 'حركة أمل' keeps its head)
TRIM_HEAD_KB = {name_key(w) for w in ("دولة", "حركة")}

# heads whose bare (article-less) one-word complement is a name: 'قصر بعبدا', not 'ساحة حرب'
BARE_PLACE_HEAD = {name_key(w) for w in ("قصر", "مطار", "معبر", "مخيم")}

# quote marks and their closers; words of a source phrase ('قال مصدر لـ«الوطن»')
OPEN_QUOTE = {"«": "»", "“": "”", "»": "«", '"': '"'}
# fmt: off
SPEECH = {name_key(w) for w in ("قال", "وقال", "قالت", "وقالت", "صرح", "وصرح", "أكد", "وأكد", "أوضح", "أفاد",
                                   "كشف", "وكشف", "تحدث", "مصدر", "مصادر", "المصدر", "أضاف", "وأضاف")}
# fmt: on

# last words of a name that are no surname; words after a verb ('حافظ على')
SURNAME_STOP = {name_key(w) for w in ("الله", "الدين", "الرحمن", "الرحيم", "الكريم", "العزيز", "الحميد")}
AFTER_VERB = {name_key(w) for w in ("على", "عن", "من", "إلى", "في")}


class Gazetteer:
    """The KB's names compiled for longest match over token keys (built once per KB)."""

    def __init__(self, kb):
        self.index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        seen = set()
        for form, actor_id, kind in kb.names():
            if kind not in ("PER", "ORG", "GPE", "LOC"):
                continue
            keys = tuple(name_key(w) for w in form.split())
            keys = tuple(k for k in keys if k)
            if not keys or (len(keys) == 1 and len(keys[0]) < 3) or (keys, kind) in seen:
                continue
            seen.add((keys, kind))
            self.index.setdefault(keys[0], []).append((keys, actor_id, kind))
        for v in self.index.values():
            v.sort(key=lambda e: -len(e[0]))
        self.kinds: dict[tuple[str, ...], str] = {}
        self._heads: dict[str, tuple] = {}
        for v in self.index.values():
            for keys, _, kind in v:
                self.kinds.setdefault(keys, kind)

    def kind_of(self, keys: tuple[str, ...]) -> Optional[str]:
        return self.kinds.get(keys)

    def heads(self, word: str) -> tuple:
        """(letters cut, entries) for each proclitic variant of ``word`` that starts a name
        (memoized per word)."""
        try:
            return self._heads[word]
        except KeyError:
            pass
        out = tuple((cut, self.index[key]) for key, cut in first_token_variants(word) if key in self.index)
        caching.put(self._heads, word, out)
        return out

    def heads_of(self, words: list[str]) -> list[tuple]:
        """:meth:`heads` of each of ``words``: the memoized ones in one pass of dict look-ups."""
        out = list(map(self._heads.get, words))
        if None in out:
            for i in [i for i, h in enumerate(out) if h is None]:
                out[i] = self.heads(words[i])
        return out

    def match(self, words: list[Token], start: int) -> Optional[tuple[int, int, str, str]]:
        """Longest name starting at ``words[start]``: (last index, letters cut, kind, actor id)."""
        best = None
        second = None  # the next word's key, folded once for all the entries that need it
        for cut, entries in self.heads(words[start].text):
            for keys, actor_id, kind in entries:
                n = len(keys)
                if start + n > len(words) or (best and n <= best[0] - start + 1):
                    continue
                if n > 1:
                    if second is None:
                        second = name_key(words[start + 1].text)
                    if keys[1] != second or not all(name_key(words[start + t].text) == keys[t] for t in range(2, n)):
                        continue
                best = (start + n - 1, cut, kind, actor_id)
                break
        return best

    def actor_of(self, keys: tuple[str, ...]) -> Optional[str]:
        for k, actor_id, _ in self.index.get(keys[0], ()) if keys else ():
            if k == keys:
                return actor_id
        return None


def gazetteer_of(kb) -> "Gazetteer":
    """The :class:`Gazetteer` of ``kb``, compiled on first use and kept with the KB's memos."""
    memos = memos_of(kb)
    if memos.gazetteer is None:
        memos.gazetteer = Gazetteer(kb)
    return memos.gazetteer
