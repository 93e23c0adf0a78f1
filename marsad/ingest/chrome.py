"""Patterns of web chrome in Arabic news pages, line by line.

Every pattern is written in ordinary spelling and folded at import with
:func:`marsad.text.normalize.fold`, then matched against :func:`norm_key` of a line (diacritics,
tatweel and bidi marks removed, alef/hamza, alef maqsura and ta marbuta folded, spaces collapsed),
so ``إقرأ أيضاً`` and ``اقرا ايضا`` are the same line to these rules.

Two kinds of rules:
* ``chrome_kind(key)``: lines that are chrome wherever they stand (skip links, back-to-top,
  comment prompts, share bars, "read also" inserts, copyright, tag lists, rules, menus…);
* ``edge_kind(key)``: lines that are chrome only in the head (before the first paragraph) or the
  tail (after the last paragraph) of an article: bylines, datelines, date-only lines, footer
  site names, "المصدر:" lines.
"""

from __future__ import annotations

import re

from marsad.text.calendar import MONTHS, WEEKDAYS
from marsad.text.normalize import fold, norm_key, normalize

__all__ = [
    "copyright_outlet",
    "line_key",
    "chrome_kind",
    "edge_kind",
    "read_also_header",
    "byline_outlet",
    "is_paragraph",
    "is_short_label",
    "inline_outlet",
    "AGENCIES",
    "DATELINE_CITIES",
    "norm_key",
]


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(fold(pattern), flags | re.IGNORECASE)


def _words(*groups: str) -> frozenset[str]:
    return frozenset(norm_key(w) for g in groups for w in g.split())


_WORD = re.compile(r"[\w\u0600-\u06ff]+")
_SENT_END = re.compile(r"[.!?؟…:»\"”)]\s*$")

# ---------------------------------------------------------------- anywhere
_SKIP = _rx(
    r"^(?:زر\s+)?(?:تخط[ىي]?|تخطي|انتقل|الانتقال|اذهب|الذهاب|اقفز|القفز)\s+(?:إلى|الى|ل|لل)\s*"
    r"(?:ال)?(?:محتوى|المحتوى|مقال|المقال|نص)|^skip\s+to\s+(?:main\s+)?content"
)
_TOP = _rx(
    r"^(?:زر\s+)?(?:ال)?(?:ذهاب|عودة|عوده|رجوع|انتقال|صعود|انتقل|عد|ارجع|اذهب)\s*(?:إلى|الى|لل|ل)\s*(?:ال)?(?:أعلى|اعلى|بداية)"
    r"(?:\s+(?:الصفحة|الصفحه))?$|^(?:إلى|الى|لل)\s*(?:ال)?أعلى(?:\s+الصفحة)?$|^back\s+to\s+top$|^[↑⬆▲]$"
)
_COMMENT = _rx(
    r"^(?:اترك|أترك|أضف|اضف|إضافة|اضافة|اكتب|أكتب|ترك)\s+(?:تعليق|تعليقا|تعليقاً|تعليقك|ردا|رداً|رد|رأيك|ارسال تعليق)"
    r"|^(?:التعليقات|تعليقات|تعليق|لا توجد تعليقات|التعليقات مغلقة|أضف تعليق|الردود|\d+\s+تعليق(?:ات)?)$"
    r"|^(?:leave\s+a\s+(?:comment|reply)|comments?)$|^(?:إلغاء الرد|الغاء الرد)$"
)
_POLICY = _rx(r"لا\s+تعبر\s+(?:بالضرورة\s+)?عن\s+(?:رأي|راي|وجهة\s+نظر|موقف)")
_POLICY_CTX = _rx(r"الموقع|موقع|الصحيفة|الشبكة|القناة|أصحابها|كاتبها|كتابها|التعليقات|الآراء الواردة")
_COMMENT_RULES = _rx(r"التعليقات|تعليقاتكم|مشاركاتك")
_COMMENT_RULES_CTX = _rx(r"شروط\s+(?:ال)?استخدام|سياسة\s+(?:ال)?خصوصية|إرشادات|قبل\s+نشرها")
_READ_ALSO = _rx(
    r"^(?:اقرأ|إقرأ|اقرا|إقرا|طالع|تابع|شاهد|إقرئي|اقرئي)\s*(?:أيضا|أيضاً|ايضا|ايضاً|أيضًا|المزيد|كذلك)"
    r"|^(?:مواضيع|أخبار|اخبار|مقالات|قصص|موضوعات)\s+(?:ذات\s+صلة|متعلقة|مشابهة|أخرى)"
    r"|^(?:الأكثر|الاكثر)\s+(?:قراءة|مشاهدة|تداولا|تداولاً|شعبية)|^للمزيد\s*[-–—:]|^(?:read\s+(?:also|more)|related(?:\s+articles?)?)\b"
    # a teaser of another story introduced inline: 'اقرأ.. …', 'أيضاً.. …', 'شاهد.. …', 'قد يهمك/ …'
    r"|^(?:اقرأ|إقرأ|اقرا|إقرا|شاهد|أيضا|أيضاً|ايضا|ايضاً|أيضًا)\s*(?:\.{2,}|…|/)|^قد\s+يهمك\s*(?:/|\.{2,}|…|:)"
)
# an outlet's app promotion ('يمكنكم تسلم إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق …')
_APP = _rx(r"^(?:يمكنكم|يمكنك)\s+(?:تسلم|تسلّم|استلام|تلقي)\s+(?:ال)?إشعارات")
_COPYRIGHT = _rx(
    r"©|\(c\)\s*\d{4}|(?:جميع|كافة|كل)\s+(?:ال)?حقوق\s+(?:\S+\s+){0,3}محفوظة|حقوق\s+(?:الطبع|النشر|الطبع\s+والنشر)\s+محفوظة"
    r"|all\s+rights\s+reserved|copyright|powered\s+by|(?:تصميم|برمجة)\s+و\s*(?:تطوير|برمجة)"
)
_TAGS = _rx(
    r"^(?:الوسوم|وسوم|الكلمات\s+المفتاحية|كلمات\s+مفتاحية|الكلمات\s+الدلالية|كلمات\s+دلالية|العلامات|علامات|"
    r"tags?|التصنيفات|التصنيف|تصنيفات|الأقسام|القسم|مواضيع\s+متعلقة|هاشتاغ|هاشتاج)\s*(?::|$)"
)
_FOLLOW = _rx(
    r"^(?:تابعونا|تابعنا|تابعوا|تابع|لمتابعة|انضم|انضموا|اشترك|اشتركوا|حمل|حمّل|نزل)\s+(?:على|عبر|في|إلى|الى|الان|الآن|"
    r"تطبيق|قناتنا|قناة|النشرة|نشرتنا|بالنشرة|آخر|اخر)"
)
_AD = _rx(r"^(?:إعلان|اعلان|إعلانات|advertisement|ads?|مساحة\s+إعلانية|محتوى\s+مدعوم|sponsored)$")
_BREADCRUMB = _rx(r"^(?:الرئيسية|الرئيسيه|home)\s*(?:[»>/|›«<]|$)")
_MENU_SPLIT = re.compile(r"\s*[|•·»›/]\s*|\s+[-–—]\s+")
_RULE = re.compile(r"^[\W_]+$")

_SHARE_CORE = _words(
    "شارك شاركها شاركوا مشاركة المشاركة طباعة اطبع طبع تويتر فيسبوك فيس واتساب واتس تيليجرام تلغرام "
    "تليغرام تيلغرام لينكدإن لينكد انستغرام انستجرام ماسنجر البريد بريد نسخ أرسل ارسل إرسال facebook "
    "twitter whatsapp telegram linkedin email e-mail print share copy pinterest reddit messenger tweet"
)
_SHARE_ALL = _SHARE_CORE | _words(
    "على عبر هذا هذه المقال الخبر المقالة الصفحة الرابط رابط لصديق الإلكتروني الالكتروني "
    "حفظ المفضلة تكبير تصغير الخط حجم إن إب اب بوك on via link x a the article this مع"
)


_LONE_TATWEEL = re.compile(r"(?:(?<=\s)|^)\u0640+(?=\s|$)")


def line_key(line: str) -> str:
    """The matching key of a line: :func:`norm_key`, with a free-standing tatweel ('دمشق ـ الوطن')
    read as the dash it stands for."""
    if "\u0640" in line:
        line = _LONE_TATWEEL.sub("-", line)
    return norm_key(line)


def chrome_kind(key: str) -> str | None:
    """The kind of chrome a line is wherever it stands, or None. ``key`` is ``norm_key(line)``."""
    if not key:
        return None
    n = len(key)
    if _RULE.match(key):
        return "rule"
    if n <= 80:
        if _SKIP.search(key):
            return "skip-link"
        if _TOP.search(key):
            return "back-to-top"
        if _COMMENT.search(key):
            return "comment"
        if _AD.match(key):
            return "ad"
        if _BREADCRUMB.match(key):
            return "breadcrumb"
        if _FOLLOW.match(key):
            return "follow"
        words = [w.lower() for w in _WORD.findall(key)]
        if words and len(words) <= 12 and all(w in _SHARE_ALL for w in words) and any(w in _SHARE_CORE for w in words):
            return "share"
    if n <= 250 and _READ_ALSO.match(key):
        return "read-also"
    if n <= 250 and _APP.match(key):
        return "follow"
    if n <= 160 and _COPYRIGHT.search(key):
        return "copyright"
    if n <= 400 and _TAGS.match(key):
        return "tags"
    if n <= 600 and (
        (_POLICY.search(key) and _POLICY_CTX.search(key))
        or (_COMMENT_RULES.search(key) and _COMMENT_RULES_CTX.search(key))
    ):
        return "comment-policy"
    if n <= 200 and key.count("|") + key.count("•") + key.count("·") >= 2:
        parts = [p for p in _MENU_SPLIT.split(key) if p]
        if len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts):
            return "menu"
    return None


_COPY_NOISE = _rx(
    r"©|\(c\)|copyright|(?:جميع|كافة|كل)\s+(?:ال)?حقوق\s+(?:ال)?(?:\S+\s+){0,3}?محفوظة|حقوق\s+(?:الطبع|النشر|الطبع\s+والنشر)\s+محفوظة|"
    r"all\s+rights\s+reserved|\b(?:19|20)\d\d\b(?:\s*[-–]\s*(?:19|20)\d\d)?|(?<!\S)ل(?=\s)|[.,،\-–|:]"
)


def copyright_outlet(line: str) -> str | None:
    """The name left in a copyright line ('جميع الحقوق محفوظة © 2025 الرائد' → 'الرائد'), as spelled
    there, when it is short (≤ 4 words)."""
    from marsad.text.normalize import normalize

    nz = normalize(line)
    rest = _COPY_NOISE.sub(lambda m: " " * len(m.group(0)), nz.text)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", rest)]
    if not words or len(words) > 4:
        return None
    s, _ = nz.to_source(words[0][0], words[0][0] + 1)
    _, e = nz.to_source(words[-1][1] - 1, words[-1][1])
    name = line[s:e].strip(' .,،-–|:«»"')
    return name or None


def read_also_header(key: str) -> bool:
    """A bare 'اقرأ أيضاً:' line whose links follow on the next lines."""
    m = _READ_ALSO.match(key)
    return bool(m) and not _WORD.search(key[m.end() :])


# ---------------------------------------------------------------- head / tail only
AGENCIES = _words()  # filled below (multi-word names kept whole)
_AGENCY_NAMES = [
    "وكالات",
    "وكالة",
    "الوكالات",
    "وكالات الأنباء",
    "وكالة الأنباء",
    "متابعات",
    "مواقع",
    "مواقع إخبارية",
    "المحرر",
    "رويترز",
    "أ ف ب",
    "ا ف ب",
    "أ.ف.ب",
    "أ. ف. ب",
    "AFP",
    "فرانس برس",
    "فرانس بريس",
    "أسوشيتد برس",
    "اسوشيتد برس",
    "أ ب",
    "أ.ب",
    "AP",
    "Reuters",
    "د ب أ",
    "د.ب.أ",
    "الأناضول",
    "الاناضول",
    "سانا",
    "واس",
    "وام",
    "قنا",
    "كونا",
    "بترا",
    "واع",
    "إرنا",
    "ارنا",
    "تسنيم",
    "فارس",
    "تاس",
    "نوفوستي",
    "ريا نوفوستي",
    "سبوتنيك",
    "شينخوا",
    "يونهاب",
    "كيودو",
    "أ ش أ",
    "أ.ش.أ",
    "مكاتب",
    "خاص",
    "الأنباء",
    "المراسلون",
    "مراسلون",
]
AGENCIES = frozenset(norm_key(a).lower() for a in _AGENCY_NAMES)
# cities that open datelines ("دمشق - الوطن"): a fact list, used only to tell a place from an outlet
DATELINE_CITIES = frozenset(
    norm_key(c)
    for c in (
        "دمشق بيروت القاهرة عمان عمّان بغداد الرياض جدة الدوحة أبوظبي ابوظبي دبي الكويت المنامة مسقط صنعاء عدن الخرطوم "
        "طرابلس تونس الجزائر الرباط نواكشوط القدس رام الله غزة حلب حمص إدلب ادلب درعا اللاذقية الموصل البصرة أربيل اربيل "
        "طهران أنقرة انقرة إسطنبول اسطنبول موسكو واشنطن نيويورك لندن باريس برلين بروكسل جنيف فيينا روما بكين طوكيو "
        "أستانا استانا سوتشي نور سلطان الحسكة القامشلي دير الزور الرقة السويداء القنيطرة طرطوس حماة صيدا صور بنغازي مصراتة "
        "الإسكندرية الاسكندرية نابلس الخليل جنين كابول إسلام آباد نيودلهي الدار البيضاء"
    ).split()
    + ["نور سلطان", "دير الزور", "رام الله", "إسلام آباد", "الدار البيضاء", "نيو يورك", "تل أبيب", "بيت لحم"]
)

_BYLINE_PREFIX = _rx(
    r"^(?:كتب|كتبت|بقلم|إعداد|اعداد|تقرير|حوار|ترجمة|تحرير|متابعة|إشراف|"
    r"by|written\s+by)\s*(?:[:：\-–—ـ]|$)|^(?:كتب|كتبت|بقلم)\s"
)
_BYLINE_SEP = re.compile(r"\s*[-–—ـ/|،,]\s*|\s+و\s+")
_OUTLET_KIND = _rx(r"^(?:صحيفة|جريدة|موقع|مدونة|شبكة|قناة|مجلة|إذاعة|اذاعة|راديو|تلفزيون|بوابة|منصة)\s+\S")
_SOURCE = _rx(r"^(?:المصدر|المصادر|مصدر|source)\s*[:：]\s*(.+)$")
# the words of a date-only line: the months' names in wide use (not their regional variants) and
# English abbreviations, the weekdays (marsad.text.calendar), and the words around a date or time
_DATE_WORDS = _words(
    *(name for m in MONTHS for name in m.arabic),
    *(m.latin[0] for m in MONTHS),
    *(n for d in WEEKDAYS for n in d),
    "م هـ ه ص الساعة ساعة ساعات دقيقة دقائق يوم أيام ايام منذ مساء مساءً صباحا صباحاً ظهرا بتوقيت غرينتش جرينتش "
    "GMT UTC am pm آخر اخر تحديث تم التحديث نشر نشرت في بتاريخ تاريخ النشر الموافق عدد العدد قبل "
    "updated published",
)
_DIGIT = re.compile(r"\d")


def _segments(key: str) -> list[str]:
    return [s.strip(" «»\"“”'()[]") for s in _BYLINE_SEP.split(key.strip(" |")) if s.strip(" «»\"“”'()[]")]


def byline_outlet(line: str) -> str | None:
    """The outlet named in a byline line ('| الوطن – وكالات' → 'الوطن', 'دمشق - الوطن' → 'الوطن',
    'فرانس24/ أ ف ب' → 'فرانس24'): the first segment that is neither an agency nor a dateline city,
    returned as it is spelled in the line."""
    raw = [s.strip(" \t|«»\"“”'()[]") for s in _BYLINE_SEP.split(line.strip(" \t|")) if s.strip(" \t|«»\"“”'()[]")]
    for seg in raw:
        k = norm_key(seg)
        if not k or k.lower() in AGENCIES or k in DATELINE_CITIES or _BYLINE_PREFIX.match(k):
            continue
        if len(k.split()) > 4 or _is_date_line(k) or k.replace(" ", "").isdigit():
            return None
        return seg
    return None


def _is_byline(key: str, line: str) -> bool:
    if len(key) > 80 or len(key.split()) > 10:
        return False
    if line.lstrip().startswith("|"):
        return True
    if _BYLINE_PREFIX.match(key):
        return not _QUESTION_OR_STOP.search(key)  # 'مراسلة: ما هي …؟' is a transcript, not a byline
    segs = _segments(key)
    if not segs:
        return False
    if all(s.lower() in AGENCIES for s in segs):
        return True
    if 2 <= len(segs) <= 4 and all(len(s.split()) <= 4 for s in segs):
        return any(s.lower() in AGENCIES or s in DATELINE_CITIES for s in segs)
    return False


_QUESTION_OR_STOP = re.compile(r"[?؟!]|\.\s*$")


def _is_date_line(key: str) -> bool:
    if len(key) > 70 or not (_DIGIT.search(key) or key.startswith(norm_key("منذ"))):
        return False
    words = _WORD.findall(key)
    return all(w.isdigit() or w.lower() in _DATE_WORDS for w in words)


def edge_kind(key: str, line: str) -> tuple[str, str | None] | None:
    """(kind, outlet surface or None) for a head/tail line that is chrome there, else None."""
    if not key:
        return None
    if _is_date_line(key):
        return "date", None
    m = _SOURCE.match(key)
    if m and len(key) <= 80:
        src = line.split(":", 1)[-1].split("：", 1)[-1].strip()
        k = norm_key(src)
        outlet = None if (not k or k.lower() in AGENCIES or any(s.lower() in AGENCIES for s in _segments(k))) else src
        return "source", outlet
    if _is_byline(key, line):
        return "byline", byline_outlet(line)
    if _OUTLET_KIND.match(key) and len(key.split()) <= 5 and not _SENT_END.search(key):
        return "site-name", line.strip()
    return None


def is_paragraph(key: str) -> bool:
    """A line of running text (not a title, label or crosshead)."""
    n = len(key.split())
    return n >= 12 or (n >= 6 and bool(_SENT_END.search(key)))


def is_short_label(key: str) -> bool:
    """A short line without sentence punctuation: a section label or name (≤ 4 words, ≤ 40 chars)."""
    return 0 < len(key) <= 40 and len(key.split()) <= 4 and not _SENT_END.search(key)


# 'قال … لـ«الوطن»', 'في تصريح لـ "الوطن"', 'ماسا لـ«الصباح»:' – the outlet the speaker addressed
_SPEECH = (
    r"(?:قال|قالت|أكد|أكدت|أوضح|أوضحت|صرح|صرحت|كشف|كشفت|أفاد|أفادت|أضاف|أضافت|أشار|أشارت|تحدث|تحدثت|"
    r"تصريح|تصريحات|حديث|حوار|مقابلة|لقاء|مصادر|مصدر)"
)
# the speech word, then at most four words (the speaker, never the complementizer أن/إن that opens
# the content: 'قالت المصادر إن الفصائل التابعة لـ«داعش»' names no outlet), then لـ«X»
_W = r"[\w\u0600-\u06ff]"
_INLINE_SPEECH = re.compile(
    fold(
        r"(?<!" + _W + r")(?:و|ف)?" + _SPEECH + _W + r"*,?"
        r"(?:\s+(?!ان(?!" + _W + r"))" + _W + r"+[,،]?){0,4}"
        r"\s+ل\s?[«\"“]([^»\"”\n]{2,30})[»\"”]"
    )
)
_INLINE_COLON = re.compile(fold(r"\sل\s?[«\"“]([^»\"”\n]{2,30})[»\"”]\s*:"))


def inline_outlet(text: str) -> str | None:
    """The outlet a speaker addresses in the text ('قال … لـ«الوطن»', 'NAME لـ«الصباح»:'), as
    spelled in ``text``."""
    if "«" not in text and '"' not in text and "“" not in text:
        return None
    nz = normalize(text)
    best = None
    for rx in (_INLINE_SPEECH, _INLINE_COLON):
        m = rx.search(nz.text)
        if m and (best is None or m.start(1) < best[0]):
            best = m.span(1)
    if best is None:
        return None
    s, e = nz.to_source(*best)
    return text[s:e].strip() or None
