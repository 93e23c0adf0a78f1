"""Lexicon of Arabic reporting cues, source prepositions, speaker heads and media words.

Everything is stored in the folded spelling of :func:`marsad.text.normalize.fold` (no diacritics,
أ/إ/آ → ا, ة → ه, ى → ي, ؤ → و, ئ → ي), so lookups are made on ``Token.norm``.

A *cue* is a speech verb (past or present), its active participle used as a circumstantial
('مؤكداً', 'مشيراً إلى أن'), or a source preposition ('وفقاً لـ', 'بحسب').  Each entry says whether the
cue may take its content as a plain object ('أكد ضرورة…', 'أعرب عن أمله…') or needs an explicit
opener (a complementizer أن/إن, a colon or a quotation mark).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

from ... import caching

# (past 3ms, extra past forms, present stem (after ي/ت) or "", participle stem or "", takes object,
#  prepositions that may introduce the content)
# fmt: off
_VERBS: list[tuple[str, tuple[str, ...], str, str, bool, tuple[str, ...]]] = [
    ("قال", (), "قول", "قايل", False, ()),
    ("اكد", (), "وكد", "موكد", True, ("علي",)),
    ("اضاف", (), "ضيف", "مضيف", False, ()),
    ("تابع", (), "تابع", "متابع", False, ()),
    ("اوضح", (), "وضح", "موضح", False, ()),
    ("بين", (), "", "مبين", False, ()),          # present 'تبين' is mostly 'it became clear'
    ("اشار", (), "شير", "مشير", True, ("الي",)),
    ("لفت", (), "لفت", "لافت", True, ("الي",)),
    ("شدد", (), "شدد", "مشدد", True, ("علي",)),
    ("اعلن", (), "علن", "معلن", True, ()),    # 'أعلن تعليق العمليات': a verbal-noun object
    ("نفي", ("نفت", "نفوا", "نفيا"), "نفي", "نافي", True, ()),
    ("ذكر", (), "ذكر", "", False, ()),
    ("اعتبر", (), "عتبر", "معتبر", False, ()),
    ("راي", ("رات", "راوا"), "", "", False, ()),
    ("اعرب", (), "عرب", "معرب", True, ("عن",)),
    ("حذر", (), "حذر", "محذر", True, ("من",)),
    ("دعا", ("دعت", "دعوا", "دعيا"), "دعو", "داعي", True, ("الي", "ل")),
    ("طالب", (), "طالب", "مطالب", True, ("ب",)),
    ("افاد", (), "فيد", "مفيد", False, ()),
    ("صرح", (), "صرح", "مصرح", False, ()),
    ("كشف", (), "كشف", "كاشف", True, ("عن",)),
    ("زعم", (), "زعم", "زاعم", False, ()),
    ("ادعي", ("ادعت", "ادعوا"), "دعي", "مدعي", True, ()),
    ("استطرد", (), "ستطرد", "مستطرد", False, ()),
    ("اردف", (), "ردف", "مردف", False, ()),
    ("نوه", (), "نوه", "منوه", True, ("الي", "ب")),
    ("ابدي", ("ابدت", "ابدوا"), "بدي", "مبدي", True, ()),
    ("جدد", (), "جدد", "", True, ()),            # 'مجدداً' is the adverb 'again'
    ("حث", (), "حث", "حاث", True, ("علي",)),
    ("ناشد", (), "ناشد", "مناشد", True, ()),
    ("توقع", (), "توقع", "متوقع", False, ()),
    ("رجح", (), "رجح", "مرجح", False, ()),
    ("اقر", (), "قر", "مقر", False, ()),
    ("اعترف", (), "عترف", "معترف", False, ()),
    ("تساءل", ("تساءلت",), "تساءل", "متسائل", False, ()),
    ("اتهم", (), "تهم", "متهم", True, ("ب",)),   # 'اتهمت X روسيا بخرق…': the accused and the charge
    # evaluative and performative speech acts, reported like statements in news prose
    ("اشاد", (), "شيد", "مشيد", True, ("ب",)),
    ("رحب", (), "رحب", "مرحب", True, ("ب",)),
    ("ندد", (), "ندد", "مندد", True, ("ب",)),
    ("ادان", ("ادانت", "ادانوا"), "دين", "", True, ()),
    ("انتقد", (), "نتقد", "منتقد", True, ()),
    ("استنكر", (), "ستنكر", "مستنكر", True, ()),
    ("هدد", (), "هدد", "مهدد", True, ("ب",)),
    ("ابلغ", (), "", "", False, ()),          # (present 'يبلغ' is mostly 'amounts to')        # 'أبلغ الجانب الأمريكي بأن…': needs its complementizer
    ("رد", (), "", "", False, ()),
    ("نقل", (), "", "", False, ()),           # 'نقلت قناة X عن مصادر… أن…' (needs an explicit subject)            # 'وردّت X بأن «…»' ('رداً على' is excluded below)
]
# fmt: on
# extra participles that belong to another verb of the same root: 'مذكّراً بأن' (ذكّر, reminded)
# generated forms that are mostly other words: 'رداً' (in response), 'ردتا'
_NOT_FORMS = {"ردا", "ردتا"}
_EXTRA_PARTICIPLES = {"مذكر": ("ذكر", False, ())}

# source prepositions: 'وفقاً لـ…', 'بحسب…', 'نقلاً عن…'
# fmt: off
SOURCE_PREPS = {"وفقا": "وفقا", "وفق": "وفق", "بحسب": "بحسب", "حسب": "حسب", "طبقا": "طبقا",
                "نقلا": "نقلا"}
# verbs whose subject (or object pronoun) makes a media attribution: 'ذكرت وكالة…', 'نقله الموقع…'
MEDIA_VERBS = {"ذكر", "قال", "افاد", "نقل", "اورد", "بث", "نشر", "اعلن", "كشف", "اضاف", "تابع", "اوضح",
               "اكد", "اشار", "لفت"}
# fmt: on

COMPLEMENTIZERS = {"ان", "بان", "وان", "فان", "لان"}  # أن/إن/بأن with or without shadda
PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "نا", "ني", "كم")
ADDRESSEE_PRONOUNS = {"له", "لها", "لهم", "لهما", "لنا", "لي", "لكم"}

# words that head a speaker noun phrase when no named mention is there
# fmt: off
SPEAKER_HEADS = {
    "مصادر", "مصدر", "المصادر", "المصدر", "مسوول", "المسوول", "مسوولون", "مسوولين", "المسوولون",
    "المسوولين", "بيان", "البيان", "الوزير", "وزير", "الوزيره", "وزيره", "وزراء", "نواب", "نايب",
    "المبعوث", "مبعوث", "المتحدث", "المتحدثه", "متحدث", "الناطق", "ناطق", "الرييس", "رييس",
    "السفير", "سفير", "المندوب", "مندوب", "ممثل", "الممثل", "ممثلو", "ممثلي", "مساعد", "امين",
    "الامين", "قايد", "القايد", "مدير", "المدير", "مستشار", "المستشار", "الدبلوماسي", "دبلوماسي",
    "الدبلوماسيه", "دبلوماسيون", "الجانب", "الوفد", "وفد", "الحكومه", "حكومه", "القياده", "قياده",
    "الخارجيه", "وزاره", "الوزاره", "الاول", "الثاني", "الاخير", "الاخيره", "الطرفان", "الطرفين",
    "الجيش", "الكرملين", "البيت", "المرصد", "الهييه", "هييه", "المجلس", "مجلس", "اللجنه", "لجنه",
    "الرياسه", "رياسه", "المنظمه", "منظمه", "الحركه", "حركه", "الامم", "المكتب", "مكتب", "الاتحاد",
    "نظيره", "نظيرته", "زعيم", "الزعيم", "قيادي", "القيادي", "عضو", "العضو", "الخبير", "خبير",
    "محلل", "المحلل", "مراقبون", "المراقبون", "ناشطون", "الناشطون", "شهود", "سكان", "مقرب",
    # honorifics and ranks that stand before a name
    "الشيخ", "السيد", "السيده", "الدكتور", "الدكتوره", "الامير", "الاميره", "الملك", "الملكه", "ولي",
    "الجنرال", "اللواء", "العميد", "العقيد", "المشير", "الفريق", "النايب", "نايبه", "المرشد", "الامام",
    "البابا", "الرييسه", "رييسه", "الجانبان", "الجانبين", "المستشاره", "السفيره", "الناطقه", "القاضي",
}
# fmt: on
ANAPHORS_ORDINAL = {"الاول": 0, "الثاني": 1}

# fmt: off
MEDIA_HEADS = {"وكاله", "قناه", "صحيفه", "جريده", "موقع", "تلفزيون", "اذاعه", "شبكه", "مجله",
               "الوكاله", "القناه", "الصحيفه", "الجريده", "الموقع", "التلفزيون", "الاذاعه",
               "الشبكه", "المجله", "وكالات", "الوكالات", "صحف", "الصحف", "وسايل", "تقرير"}
MEDIA_TAILS = {"للانباء", "الرسميه", "الرسمي", "الالكتروني", "الالكترونيه", "الاخباريه", "الاخباري",
               "الحكوميه", "الحكومي", "الفضاييه", "اليوميه", "الصادره", "المقربه"}

# time and manner adjuncts that may sit between a cue and its content
ADJUNCT_WORDS = {"امس", "اليوم", "الليله", "صباح", "مساء", "الجمعه", "السبت", "الاحد", "الاثنين",
                 "الثلاثاء", "الاربعاء", "الخميس", "ايضا", "كذلك", "بدوره", "بدورها", "من", "جهته",
                 "جهتها", "في", "خلال", "امام", "عقب", "اثر", "بعد", "قبل", "لدي", "اثناء", "مجددا",
                 "قوله", "قولها", "قولهم", "تصريح", "تصريحات", "بيان", "مؤتمر", "موتمر", "حديث",
                 "مقابله", "كلمه", "رساله", "اتصال", "لقاء", "لقايه", "اجتماع", "صحفي", "صحفيه",
                 "له", "لها", "لهم", "هاتفي", "تلفزيوني", "متلفز", "يوم", "الماضي", "قد", "وقد",
                 "حينها", "ضمنا", "رسميا", "علنا", "مرارا", "سابقا", "لاحقا", "فيها", "فيه", "منذ",
                 "يومين", "ايام", "ساعات", "اسبوع", "الاسبوع", "الشهر", "عندما", "حين", "اليوم"}
# words that open a new clause before a cue (the cue then starts a new statement)
CLAUSE_OPENERS = {"حيث", "بينما", "حين", "فيما", "كما", "لكن", "لكنه", "لكنها", "ثم", "فقد",
                  "وقد", "كذلك", "اذ"}
# fmt: on
RELATIVES = {"الذي", "التي", "الذين", "والذي", "والتي", "والذين"}
# fmt: off
SVO_PARTICLES = {"قد", "ما", "زال", "لا", "يزال", "لم", "لن", "وقد", "فقد", "كان", "كانت", "بدوره",
                 "بدورها", "فكان", "فكانت"}          # 'أما X فكان قد دعا'
# time adverbs: a prepositional adjunct ends with them ('دعا في كلمته الخميس ممثلين…')
TIME_WORDS = {"امس", "اليوم", "الليله", "صباح", "مساء", "الجمعه", "السبت", "الاحد", "الاثنين", "الثلاثاء",
              "الاربعاء", "الخميس", "الماضي", "الماضيه", "المقبل", "المقبله", "الجاري", "الحالي", "سابق"}
# fmt: on
# an apposition naming the speaker: 'أكد أحد المنظمين، ويدعى خالد…، أن'
NAMING_WORDS = {"يدعي", "ويدعي", "اسمه", "واسمه", "يسمي", "ويسمي"}
NEGATIONS = {"لم", "لا", "لن", "ما"}

# the words of speaker noun phrases (:mod:`.phrases`)
OBJ_PREPS = {"مع", "عن", "علي", "الي", "من", "بين", "حول", "ضد"}
DEMONSTRATIVES = {"اللذين", "اللتين", "اللاتي", "اللواتي", "الان"}
DOC_HEADS = {"بيان", "تصريح", "رساله", "كلمه", "مقابله", "حديث"}
# adjectives of an anonymous source ('مصدر مصري مطلع', 'مسؤول رفيع المستوى', 'مصادر موثوقة')
# fmt: off
SOURCE_ADJ = {"مطلع", "مطلعه", "مطلعون", "مطلعين", "رفيع", "رفيعه", "بارز", "بارزه", "موثوق", "موثوقه",
               "مسوول", "مسووله", "كبير", "كبار", "رسمي", "رسميه", "خاص", "خاصه", "مجهول"}
# 'مصادر مقرّبة من X', 'مصدر قريب من X': a description of the source, not X speaking
CLOSE_ADJ = {"مقرب", "مقربه", "مقربون", "مقربين", "قريب", "قريبه", "قريبون", "قريبين", "المقرب",
              "المقربه", "المقربون", "المقربين", "القريب", "القريبه", "القريبون", "القريبين"}
# anonymous sources: 'لـ«X»' after them is the outlet they spoke to
ANON_HEADS = {"مصدر", "مصادر", "المصدر", "المصادر", "مسوول", "مسوولون", "مسوولين", "دبلوماسي", "دبلوماسيون",
               "شهود", "سكان", "ناشطون", "مراقبون", "مقرب"}
# fmt: on
# heads naming an office or a campaign of a person: 'المكتب الإعلامي للحريري' is not Hariri speaking
OFFICE_HEADS = {"مكتب", "المكتب"}
# 'المتحدث باسم ما يسمى «الجيش الوطني»': the hedge before a disputed name
SO_CALLED = {"يسمي", "تسمي", "يعرف", "تعرف", "يطلق"}
# the first word of a compound given name ('عبد المجيد', 'أبو بكر' is left to the NER)
NAME_OPENERS = {"عبد"}
# kunya and filiation words that a truncated PER mention may stop at ('أبو' of 'أبو علي العسكري')
KUNYA = {"ابو", "ابي", "ام", "ابن", "بن", "بنت"}


@dataclass(frozen=True, slots=True)
class CueInfo:
    lemma: str
    pos: str  # past | present | participle | source
    gender: str  # m | f
    number: str  # sg | pl
    obj: bool  # may take its content as a plain object
    preps: tuple[str, ...] = ()


def _build() -> dict[str, CueInfo]:
    out: dict[str, CueInfo] = {}

    def add(form: str, info: CueInfo) -> None:
        out.setdefault(form, info)

    for past, extra, pres, part, obj, preps in _VERBS:

        def info(pos, g, n):
            return CueInfo(past, pos, g, n, obj, preps)

        add(past, info("past", "m", "sg"))
        if past.endswith(("ي", "ا")) and extra:
            fem, pl = extra[0], extra[1]
            add(fem, info("past", "f", "sg"))
            add(pl, info("past", "m", "pl"))
            for e in extra[2:]:
                add(e, info("past", "m", "pl"))
        else:
            add(past + "ت", info("past", "f", "sg"))
            add(past + "وا", info("past", "m", "pl"))
            add(past + "ا", info("past", "m", "pl"))
            add(past + "تا", info("past", "f", "pl"))
            for e in extra:
                add(e, info("past", "f", "sg"))
        if pres:
            for pre, g in (("ي", "m"), ("ت", "f")):
                add(pre + pres, info("present", g, "sg"))
                add(pre + pres + "ون", info("present", "m", "pl"))
                add(pre + pres + "ان", info("present", g, "pl"))
            if pres.endswith(("و", "ي")):
                add("ي" + pres[:-1] + "ون", info("present", "m", "pl"))
        if part:
            add(part + "ا", info("participle", "m", "sg"))
            add(part + "ه", info("participle", "f", "sg"))
            add(part + "ين", info("participle", "m", "pl"))
            add(part + "ون", info("participle", "m", "pl"))
            add(part + "تين", info("participle", "f", "pl"))
            add(part + "ات", info("participle", "f", "pl"))
            if part.endswith("ي"):
                add(part[:-1] + "ين", info("participle", "m", "pl"))
    for part, (lemma, obj, preps) in _EXTRA_PARTICIPLES.items():
        for suf, g, n in (("ا", "m", "sg"), ("ه", "f", "sg"), ("ين", "m", "pl"), ("ات", "f", "pl")):
            add(part + suf, CueInfo(lemma, "participle", g, n, obj, preps))
    for form in _NOT_FORMS:
        out.pop(form, None)
    for form in SOURCE_PREPS:
        out[form] = CueInfo(SOURCE_PREPS[form], "source", "m", "sg", True, ())
    return out


CUES: dict[str, CueInfo] = _build()


@functools.lru_cache(maxsize=caching.WORD)
def lookup(norm: str) -> Optional[tuple[int, CueInfo]]:
    """(length of the proclitic stripped, cue info) for a folded word, or None.  A leading و/ف is
    allowed; a present verb may carry an object pronoun ('تدعوهم')."""
    for k in (0, 1):
        if k and (len(norm) < 4 or norm[0] not in "وف"):
            break
        w = norm[k:]
        info = CUES.get(w)
        if info is not None:
            return k, info
        for suf in PRONOUN_SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                info = CUES.get(w[: -len(suf)])
                if info is not None and info.pos == "present":
                    return k, info
    return None
