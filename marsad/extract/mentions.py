"""The NER step: typed entity mentions with exact offsets.

Passes, in order, over the segmented and tokenized article (all spans index ``Article.text``):

1. **ner** — the BIO tagger (``marsad.extract.ner``), one call per article over its sentences;
   ANERcorp types are mapped: PERS→PER, ORG→ORG, LOC→GPE or LOC (the KB's kind, else the head
   noun: camps, roads, districts… are LOC, towns GPE), MISC→NORP only for a nationality adjective.
   When the model is missing the step runs on the other passes (logged once).
2. **gazetteer** — longest match of the KB's names on folded tokens, allowing one proclitic
   (و ف ب ك ل, or و/ف + ب/ك/ل) and لل→ال on the first token.  A bare proclitic is left out of the
   span (``وواشنطن`` → ``واشنطن``); a fused لل stays in it (``للأسد``), as the gold's string rule says.
   Institution + nationality adjective (``الجيش السوري``, ``الخارجية الروسية``) is one ORG; a named
   place after a place-kind head (``مخيم الركبان``) is one LOC; town/city heads are trimmed.
3. **norp** — nationality adjectives in every inflection (``KB.nationality``); ``الأممي`` is not one,
   and directional adjectives (غربي…) count only as the human plural (``الغربيين``).
4. **doc-consistency** — a name found once is found everywhere in the article.

Guideline rules applied on the way: generic heads and evaluative words are trimmed
(``تنظيم القاعدة`` → ``القاعدة``); in ``وزير الخارجية + adjective`` only the NORP is tagged;
descriptions (``الحكومة السورية``, ``الوفد الروسي``) are not entities; place names inside an ORG are
not tagged (mentions never overlap).  PER mentions get the role phrase of their first titled
occurrence (:func:`marsad.extract.coref.find_title`).
"""
from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_right
from functools import lru_cache
from dataclasses import dataclass, replace
from typing import Optional

from ..model import Article, Mention, Token
from ..text.normalize import fold
from .actors import get_kb, nationality_of
from .coref import find_title
from .similarity import name_key

log = logging.getLogger(__name__)

_PROCLITIC = "وفبكل"
# generic heads and evaluative words trimmed from ORG spans
_TRIM_HEAD = {name_key(w) for w in ("تنظيم", "تنظيمي", "ميليشيا", "ميليشيات", "مليشيا", "مليشيات", "عصابة",
                                      "عصابات", "فصيل", "جماعة", "وكالة", "صحيفة", "قناة", "موقع", "شبكة")}
_TRIM_TAIL = {name_key(w) for w in ("الإرهابي", "الإرهابية", "الارهابي", "المتطرف", "المتطرفة", "المزعوم",
                                      "المزعومة", "الإرهابيين", "للأنباء", "الإخبارية", "الإخباري")}
# descriptive heads: the phrase is not an entity (a PER/NORP inside it still is)
_DESCRIPTIVE = {name_key(w) for w in ("الحكومة", "حكومة", "نظام", "النظام", "الجانب", "الوفد", "وفد", "الوفدين",
                                        "السلطات", "الدولة", "الحكومات", "الطرف", "الأطراف", "المعارضة",
                                        "الشعب", "القيادة", "البلاد", "الأزمة", "الثورة", "العاصمة")}
# place-kind heads kept in a LOC name / trimmed before a GPE name
_LOC_HEAD = {name_key(w) for w in ("مخيم", "منطقة", "حي", "طريق", "منتجع", "كراجات", "معبر", "مطار", "شارع",
                                     "ساحة", "دوار", "جسر", "سد", "قاعدة", "ميناء", "بحيرة", "نهر", "جبل", "سهل",
                                     "وادي", "ضاحية", "بادية")}
_LOC_HEAD_NAMED = {name_key(w) for w in ("مخيم", "حي", "منتجع", "كراجات", "معبر", "مطار", "شارع", "ساحة",
                                           "دوار", "ضاحية")}
_GPE_HEAD = {name_key(w) for w in ("مدينة", "بلدة", "قرية", "محافظة", "العاصمة", "ولاية", "إمارة", "مدينتي")}
_DIRECTION = {name_key(w) for w in ("شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط")}
# institution heads named with a nationality adjective → ORG (gender of the head for agreement)
# (the adjective agrees with the head's last word: 'القيادة العامة للجيش السوري')
_INSTITUTION = (
    ("الجيش",), ("الجيش", "العربي"), ("سلاح", "الجو"), ("الحرس", "الثوري"), ("البرلمان",), ("الكرملين",),
    ("الأمن", "العام"), ("الجيش", "الوطني"), ("الخارجية",), ("الرئاسة",), ("القوات", "الجوية"),
    ("القوات", "الجوية", "والفضائية"), ("القوات", "المسلحة"), ("القوات", "البحرية"), ("البحرية",),
    ("الاستخبارات",), ("المخابرات",), ("الداخلية",), ("الشرطة",), ("وزارة", "الخارجية"), ("وزارة", "الدفاع"),
    ("وزارة", "الداخلية"), ("القيادة", "العامة", "للجيش"), ("قيادة", "الجيش"), ("القيادة", "العامة", "للقوات", "المسلحة"),
    ("هيئة", "الأركان"), ("رئاسة", "الأركان"), ("الحكومة", "المؤقتة"),
)


def _feminine(word: str) -> bool:
    f = fold(word)
    return f.endswith("ه") or f.endswith("ات")


_INSTITUTION_BY_FIRST: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
for _h in _INSTITUTION:
    _k = tuple(name_key(w) for w in _h)
    _INSTITUTION_BY_FIRST.setdefault(_k[0], []).append(("f" if _feminine(_h[-1]) else "m", _k))
_PORTFOLIO = {name_key(w) for w in ("الخارجية", "الدفاع", "الداخلية", "العدل", "المالية", "الاقتصاد")}
# groups of people/things modified by a nationality adjective: 'شخصيات سورية' is NORP, not Syria
_GROUP_NOUNS = {name_key(w) for w in (
    "شخصيات", "مصادر", "قوات", "فصائل", "جهات", "أوساط", "مسؤولين", "مسؤولون", "دبلوماسيين", "دبلوماسيون",
    "مباحثات", "محادثات", "اتصالات", "طائرات", "شركات", "وفود", "وفد", "أطراف", "عناصر", "مقاتلين",
    "ميليشيات", "جهود", "مبادرة", "قوة", "سفن", "بوارج", "مستشارين", "خبراء", "ضباط", "جنود", "مواطنين",
    "لقاءات", "اجتماعات", "مشاورات", "مفاوضات", "مشاركة", "وساطة", "رعاية", "ضمانات", "دوريات", "صواريخ")}


def _raw_cut(text: str, n: int) -> int:
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


@lru_cache(maxsize=131072)
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


@dataclass
class _Cand:
    i: int                # first token index
    j: int                # last token index (inclusive)
    cut: int              # letters cut from the first token
    type: str
    step: str
    score: float
    prio: int             # higher wins ties


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
        if len(self._heads) >= 200_000:  # bounded: memory stays flat on any corpus
            self._heads.clear()
        out = tuple((cut, self.index[key]) for key, cut in first_token_variants(word) if key in self.index)
        self._heads[word] = out
        return out

    def match(self, words: list[Token], start: int) -> Optional[tuple[int, int, str, str]]:
        """Longest name starting at ``words[start]``: (last index, letters cut, kind, actor id)."""
        best = None
        for cut, entries in self.heads(words[start].text):
            for keys, actor_id, kind in entries:
                n = len(keys)
                if start + n > len(words) or (best and n <= best[0] - start + 1):
                    continue
                if all(name_key(words[start + t].text) == keys[t] for t in range(1, n)):
                    best = (start + n - 1, cut, kind, actor_id)
                    break
        return best

    def actor_of(self, keys: tuple[str, ...]) -> Optional[str]:
        for k, actor_id, _ in self.index.get(keys[0], ()) if keys else ():
            if k == keys:
                return actor_id
        return None


_STATE: dict = {"tagger": None, "tried": False, "gaz": None, "gaz_kb": None}
_LOCK = threading.Lock()


def get_tagger():
    """The NER tagger, loaded once per process; None (logged once) when the model is missing."""
    if not _STATE["tried"]:
        with _LOCK:
            if not _STATE["tried"]:
                try:
                    from .ner.model import NerTagger
                    _STATE["tagger"] = NerTagger.load()
                except Exception as e:  # missing model files or runtime: gazetteer + NORP only
                    log.warning("NER model unavailable (%s); mentions come from the gazetteer and "
                                "nationality passes only", e)
                    _STATE["tagger"] = None
                _STATE["tried"] = True
    return _STATE["tagger"]


def set_tagger(tagger) -> None:
    """Use this tagger (or None: no model) in this process (tests, benchmarks)."""
    _STATE["tagger"], _STATE["tried"] = tagger, True


def get_gazetteer(kb) -> Gazetteer:
    if _STATE["gaz_kb"] is not kb:
        with _LOCK:
            if _STATE["gaz_kb"] is not kb:
                _STATE["gaz"] = Gazetteer(kb)
                _STATE["gaz_kb"] = kb
    return _STATE["gaz"]


class NerStep:
    name = "ner"
    requires = ("sentences", "tokens")
    assigns = ("mentions",)

    def __init__(self, kb=None, tagger=None, use_tagger: bool = True):
        self._kb = kb
        self._tagger = tagger
        self._use_tagger = use_tagger

    @property
    def kb(self):
        return self._kb if self._kb is not None else get_kb()

    @property
    def tagger(self):
        if not self._use_tagger:
            return None
        return self._tagger if self._tagger is not None else get_tagger()

    def __call__(self, a: Article) -> Article:
        return replace(a, mentions=tuple(extract_mentions(a, self.kb, self.tagger)))


# --- the passes ------------------------------------------------------------------------------

def _sentences(a: Article) -> list[list[Token]]:
    out: dict[int, list[Token]] = {}
    for t in a.tokens:
        out.setdefault(t.sentence, []).append(t)
    return [out[k] for k in sorted(out)]


def extract_mentions(a: Article, kb, tagger=None) -> list[Mention]:
    gaz = get_gazetteer(kb)
    sents = _sentences(a)
    cands: list[tuple[list[Token], _Cand]] = []
    if tagger is not None and sents:
        tags = tagger.tag([[t.text for t in s] for s in sents])
        for s, tg in zip(sents, tags):
            cands += [(s, c) for c in _ner_cands(s, tg, gaz, kb)]
    for s in sents:
        words = s
        for c in _institution_cands(words, kb):
            cands.append((s, c))
        i = 0
        while i < len(words):
            if words[i].is_punct:
                i += 1
                continue
            m = gaz.match(words, i)
            if m:
                j, cut, kind, actor_id = m
                if j == i and kind in ("PER", "ORG") and \
                        nationality_of(kb, words[i].text[_raw_cut(words[i].text, cut):]) is not None:
                    i += 1   # 'السوداني': the adjective, not the man of that name (the NORP pass)
                    continue
                c = _trim_gazetteer(words, i, j, cut, kind, actor_id, gaz, kb)
                if c is not None and not _common_noun_use(words, c, actor_id, kb):
                    if c.i == i and c.i == c.j:
                        c = _loc_extend(words, c.i, c.j, c.cut, c.type, kb)
                    cands.append((s, c))
            i += 1
        cands += [(s, c) for c in _loc_pattern_cands(words)]
    chosen = _resolve_overlaps(a, sents, cands)
    chosen = _apply_rules(chosen)
    chosen += _norp_pass(a, sents, chosen, kb, gaz)
    chosen += _doc_consistency(a, sents, chosen)
    mentions = [_to_mention(a, s, c) for s, c in chosen]
    mentions = _reconcile_clitics(a, [m for m in mentions if m is not None])
    mentions.sort(key=lambda m: (m.start, m.end))
    return _add_titles(a, mentions)


def _reconcile_clitics(a: Article, mentions: list[Mention]) -> list[Mention]:
    """'بكيري' next to 'كيري' in the same article: the ب is a proclitic, not part of the name."""
    known = {(name_key(m.text), m.type) for m in mentions}
    out = []
    for m in mentions:
        k = name_key(m.text)
        if len(k) > 3 and k[0] in _PROCLITIC and (k[1:], m.type) in known:
            cut = _raw_cut(m.text, 1)
            m = replace(m, start=m.start + cut, text=a.text[m.start + cut:m.end])
        out.append(m)
    return out


def _bio_spans(tags) -> list[list]:
    spans, cur = [], None
    for k, (lab, p) in enumerate(tags):
        if lab.startswith("B-") or (lab.startswith("I-") and (cur is None or cur[2] != lab[2:])):
            if cur:
                spans.append(cur)
            cur = [k, k, lab[2:], [p]]
        elif lab.startswith("I-") and cur:
            cur[1] = k
            cur[3].append(p)
        else:
            if cur:
                spans.append(cur)
            cur = None
    if cur:
        spans.append(cur)
    return spans


def _is_head(word: str) -> bool:
    from .coref import HEADS
    return any(k in HEADS or k in _TRIM_HEAD or k in _MEDIA_HEAD for k, _ in first_token_variants(word))


def _shape(words: list[Token], i: int, j: int, typ: str, gaz: Gazetteer, kb) -> Optional[tuple[int, int]]:
    """Trim a tagger span: punctuation at the ends, title and generic heads in front
    ('الدكتور الجعفري' → 'الجعفري', 'ميليشيات قسد' → 'قسد'), evaluative words at the end, and
    cut it before a coordinated entity ('بوغدانوف والإيراني' → 'بوغدانوف')."""
    while i <= j and words[i].is_punct:
        i += 1
    while j >= i and words[j].is_punct:
        j -= 1
    while i <= j and (_is_head(words[i].text) or words[i].is_punct
                      or (typ != "ORG" and _bare_adjective(words[i].text, gaz, kb))):
        i += 1
    while j >= i and (words[j].is_punct or name_key(words[j].text) in _TRIM_TAIL
                      or _ADVERB.search(words[j].text) is not None
                      or (typ != "ORG" and _bare_adjective(words[j].text, gaz, kb))):
        j -= 1
    if i <= j and name_key(words[i].text) in _FUNCTION_WORDS:
        return None
    for t in range(i + 1, j + 1):
        k = name_key(words[t].text)
        if k[:1] in "وف" and len(k) > 3 and (k[1:3] == "ال" or nationality_of(kb, words[t].text[1:])
                                            or gaz.kind_of((k[1:],))):
            j = t - 1
            break
    while j >= i and words[j].is_punct:
        j -= 1
    return (i, j) if i <= j else None


def _bare_adjective(word: str, gaz: Gazetteer, kb) -> bool:
    """A nationality adjective that is not itself a name ('الإيراني', not 'سورية')."""
    k = name_key(word)
    return nationality_of(kb, word) is not None and gaz.kind_of((k,)) is None


# adverbs in -an ('فوراً', 'أيضاً') end no name
_ADVERB = re.compile(r"(?:اً|ًا|ً)$")
_FUNCTION_WORDS = {name_key(w) for w in (
    "على", "في", "من", "إلى", "عن", "مع", "بين", "حول", "ضد", "لدى", "عند", "منذ", "خلال", "بعد", "قبل",
    "أن", "إن", "لكن", "كما", "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "قد", "لم", "لن", "ما", "لا")}
# generic nouns the tagger sometimes takes for names
_GENERIC = {name_key(w) for w in (
    "الريف", "المنطقة", "المدينة", "البلاد", "الحدود", "الشمال", "الجنوب", "الشرق", "الغرب", "الأنباء",
    "للأنباء", "الفيتو", "الحكومة", "المعارضة", "الجيش", "الدولة", "العاصمة", "المحافظة", "البلدة",
    "الدولتان", "الدولتين", "الدول", "المملكة", "الجمهورية", "الإمارة", "الولاية", "البلدين", "البلدان",
    "شبه", "جزيرة", "الجزيرة", "القارة", "الإقليم", "الحي", "القرية", "المخيم")}
#: tagger spans below this confidence need the KB's support
MIN_NER_SCORE = 0.7


def _split_coordinated(words: list[Token], spans: list[list], gaz: Gazetteer) -> list[list]:
    """'بوتين وترامب' tagged as one person: two people, when the word after و is a known name
    (names may start with و themselves: 'لندي وليامز')."""
    out = []
    for i, j, typ, ps in spans:
        if typ == "PERS":
            start = i
            for t in range(i + 1, j + 1):
                k = name_key(words[t].text)
                if k[:1] == "و" and len(k) > 3 and t > start and gaz.kind_of((k[1:],)) is not None \
                        and gaz.kind_of((k,)) is None:
                    out.append([start, t - 1, typ, ps, start != i])
                    start = t
            out.append([start, j, typ, ps, start != i])
        else:
            out.append([i, j, typ, ps, False])
    return out


def _ner_cands(words: list[Token], tags, gaz: Gazetteer, kb) -> list[_Cand]:
    out = []
    for i, j, typ, ps, split in _split_coordinated(words, _bio_spans(tags), gaz):
        score = round(min(ps), 4)
        shaped = _shape(words, i, j, typ, gaz, kb)
        if shaped is None:
            continue
        i, j = shaped
        keys = [name_key(words[t].text) for t in range(i, j + 1)]
        if keys[0] in _DESCRIPTIVE and typ != "PERS":
            continue
        if all(k in _GENERIC for k in keys):
            continue
        cut = _clitic_cut(words[i].text, gaz)
        if cut == 0 and split and keys[0][:1] == "و":
            cut = 1  # the second of two coordinated names
        stem = tuple([first_token_variants(words[i].text)[-1][0] if cut else keys[0]] + keys[1:])
        kind = gaz.kind_of(stem) or gaz.kind_of(tuple(keys))
        if kind is None and score < MIN_NER_SCORE:
            continue
        if i == j and kind is None and nationality_of(kb, words[i].text[_raw_cut(words[i].text, cut):]):
            out.append(_Cand(i, j, cut, "NORP", "ner", score, 2))   # an adjective tagged LOC/MISC
            continue
        if typ == "PERS":
            out.append(_Cand(i, j, cut, "PER", "ner", score, 2))
        elif typ == "ORG":
            out.append(_Cand(i, j, cut, "ORG", "ner", score, 2))
        elif typ == "LOC":
            if kind not in ("GPE", "LOC"):
                kind = "LOC" if keys[0] in _LOC_HEAD or keys[0] in _DIRECTION else "GPE"
            if kind == "GPE" and keys[0] in _GPE_HEAD and i < j:
                i, cut = i + 1, 0
            out.append(_Cand(i, j, cut, kind, "ner", score, 2))
    return out


def _clitic_cut(word: str, gaz: Gazetteer) -> int:
    """Letters of a bare proclitic to leave out of a span: only when the rest is a known name and
    the whole word is not (``وواشنطن`` → 1, ``وليد`` → 0); a fused لل stays."""
    variants = first_token_variants(word)
    if gaz.kind_of((variants[0][0],)):
        return 0
    for key, cut in variants[1:]:
        if cut and gaz.kind_of((key,)):
            return cut
    k = name_key(word)
    if len(k) > 4 and k[0] in "وف" and k[1:3] == "ال":
        return 1
    return 0


def _trim_gazetteer(words, i, j, cut, kind, actor_id, gaz: Gazetteer, kb) -> Optional[_Cand]:
    """Generic, town and title heads are not part of a name when the rest is one ('تنظيم القاعدة' →
    'القاعدة', 'محافظة إدلب' → 'إدلب', 'الرئيس الأسد' → 'الأسد'); place-kind heads stay when the KB's
    own name carries them ('منطقة التنف') and go otherwise ('منطقة الشرق الأوسط')."""
    from .coref import HEADS
    if j > i:
        head = first_token_variants(words[i].text)[-1][0] if cut else name_key(words[i].text)
        rest = tuple(name_key(words[t].text) for t in range(i + 1, j + 1))
        rest_id = gaz.actor_of(rest)
        if rest_id is not None:
            if head in _TRIM_HEAD or head in _GPE_HEAD or head in HEADS or head == name_key("دولة"):
                return _Cand(i + 1, j, 0, gaz.kind_of(rest) or kind, "gazetteer", 1.0, 3)
            if head in _LOC_HEAD:
                act = _by_id(kb).get(actor_id)
                own = name_key(getattr(act, "name_ar", "") or "")
                if not own.startswith(head):
                    return _Cand(i + 1, j, 0, gaz.kind_of(rest) or kind, "gazetteer", 1.0, 3)
    return _Cand(i, j, cut, kind, "gazetteer", 1.0, 3)


def _by_id(kb) -> dict:
    return getattr(kb, "by_id", None) or {}


_MEDIA_HEAD = {name_key(w) for w in ("صحيفة", "وكالة", "قناة", "موقع", "شبكة", "إذاعة", "مجلة", "تلفزيون")}
_QUOTE_MARKS = set("«»“”\"")


def _common_noun_use(words, c: _Cand, actor_id: str, kb) -> bool:
    """A one-word definite ORG name that is also a common noun ('الوطن', 'العالم', 'القاعدة'):
    an outlet must be quoted or follow a media noun; any such name followed by an agreeing
    definite adjective ('بالقاعدة المبدئية') is the common noun."""
    if c.type != "ORG" or c.i != c.j:
        return False
    k = first_token_variants(words[c.i].text)[-1][0] if c.cut else name_key(words[c.i].text)
    if not k.startswith("ال"):
        return False
    act = _by_id(kb).get(actor_id)
    nxt = words[c.j + 1] if c.j + 1 < len(words) else None
    prev = words[c.i - 1] if c.i > 0 else None
    if getattr(act, "actor_type", "") == "MED":
        quoted = prev is not None and prev.text in _QUOTE_MARKS and nxt is not None and nxt.text in _QUOTE_MARKS
        after_head = prev is not None and any(v in _MEDIA_HEAD for v, _ in first_token_variants(prev.text))
        return not (quoted or after_head)
    if nxt is not None and not nxt.is_punct and _is_adjective(nxt):
        nk = name_key(nxt.text)
        if nk not in _TRIM_TAIL and (fold(words[c.i].text).endswith("ه") == fold(nxt.text).endswith("ه")):
            return True
    return False


def _loc_extend(words, i, j, cut, kind, kb=None) -> _Cand:
    """A one-word KB place after a place-kind head: 'مخيم الركبان' is one LOC (with a following
    non-national adjective: 'منطقة الليرمون الصناعية')."""
    if i > 0 and not words[i - 1].is_punct and cut == 0 and kind in ("GPE", "LOC"):
        for key, c in first_token_variants(words[i - 1].text):
            if key in _LOC_HEAD:
                jj = j
                if jj + 1 < len(words) and _is_adjective(words[jj + 1]) and \
                        (kb is None or nationality_of(kb, words[jj + 1].text) is None):
                    jj += 1
                return _Cand(i - 1, jj, c, "LOC", "gazetteer", 1.0, 3)
    return _Cand(i, j, cut, kind, "gazetteer", 1.0, 3)


def _is_adjective(t: Token) -> bool:
    k = name_key(t.text)
    return k.startswith("ال") and (k.endswith("يه") or k.endswith("يا") or k.endswith("ي")) and len(k) > 5


def _loc_pattern_cands(words: list[Token]) -> list[_Cand]:
    """Named places after a head that only names places: 'حي الراشدين', 'كراجات الليرمون'."""
    out = []
    for i in range(len(words) - 1):
        w, nx = words[i], words[i + 1]
        if w.is_punct or nx.is_punct:
            continue
        for key, cut in first_token_variants(w.text):
            if key in _LOC_HEAD_NAMED:
                k2 = name_key(nx.text)
                if k2.startswith("ال") and len(k2) > 4 and not _is_adjective(nx):
                    out.append(_Cand(i, i + 1, cut, "LOC", "gazetteer", 0.6, 1))
                break
    return out


@lru_cache(maxsize=65536)
def _institution_heads(word: str) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """(letters cut, gender, head keys) of every institution head that can start at ``word``, in
    the order of its proclitic variants (a pure function of the word)."""
    return tuple((cut, gender, head) for key, cut in first_token_variants(word)
                 for gender, head in _INSTITUTION_BY_FIRST.get(key, ()))


def _institution_cands(words: list[Token], kb) -> list[_Cand]:
    """Institution + agreeing nationality adjective ('الجيش السوري', 'الخارجية الروسية') → ORG
    (a minister's portfolio is dropped later by :func:`_apply_rules`)."""
    out = []
    n = len(words)
    for i in range(n):
        if words[i].is_punct:
            continue
        for cut, gender, head in _institution_heads(words[i].text):
            L = len(head)
            if i + L >= n or any(name_key(words[i + t].text) != head[t] for t in range(1, L)):
                continue
            adj = words[i + L]
            if adj.is_punct or nationality_of(kb, adj.text) is None:
                continue
            if (gender == "f") != _feminine(adj.text):
                continue
            out.append(_Cand(i, i + L, cut, "ORG", "gazetteer", 0.9, 4))
    return out


def _resolve_overlaps(a, sents, cands):
    """Non-overlapping mentions: longer spans win, then higher priority, then earlier; but a tagger
    span that cuts across a KB name (instead of containing it) loses to the name."""
    def span(sc):
        s, c = sc
        st = s[c.i].start + _raw_cut(s[c.i].text, c.cut)
        return st, s[c.j].end
    spans = [span(sc) for sc in cands]
    kb_spans = [sp for sp, (_, c) in zip(spans, cands) if c.step != "ner" and c.prio >= 3]
    kb_people = [sp for sp, (_, c) in zip(spans, cands) if c.step != "ner" and c.type == "PER"]
    keep = []
    for sp, sc in zip(spans, cands):
        if sc[1].step == "ner" and any(s < sp[1] and sp[0] < e and not (sp[0] <= s and e <= sp[1])
                                       for s, e in kb_spans):
            continue
        # a known person followed by more words ('أردوغان فاز'): words after a surname are not
        # part of the name (extra words before it, 'حسين أمير عبد اللهيان', are)
        if sc[1].step == "ner" and sc[1].type == "PER" and any(s == sp[0] and e < sp[1] for s, e in kb_people):
            continue
        keep.append((sp, sc))
    keep.sort(key=lambda x: (-(x[0][1] - x[0][0]), -x[1][1].prio, x[0][0]))
    taken: list[tuple[int, int]] = []
    out = []
    for (st, en), sc in keep:
        if st >= en or any(st < e and s < en for s, e in taken):
            continue
        taken.append((st, en))
        out.append(sc)
    return out


def _apply_rules(chosen):
    """'وزير الخارجية الأميركي': the ministry after a minister's title is only a portfolio."""
    out = []
    for s, c in chosen:
        if c.type == "ORG":
            k0 = name_key(s[c.i].text)
            prev = [k for k, _ in first_token_variants(s[c.i - 1].text)] if c.i > 0 else []
            if k0 in _PORTFOLIO and any(k.startswith("وزير") or k.startswith("وزرا") for k in prev):
                continue
        out.append((s, c))
    return out


def _covered(chosen) -> set[int]:
    cov = set()
    for s, c in chosen:
        for t in range(c.i, c.j + 1):
            cov.add(s[t].start)
    return cov


_NORP_CUT: list = [(None, {})]   # [(owner, memo)], swapped as one tuple (thread-safe)


def _norp_cut(kb, word: str) -> Optional[int]:
    """Letters of proclitic to leave out when ``word`` is a nationality adjective (None: it is
    not one); memoized per word for the current KB."""
    owner, memo = _NORP_CUT[0]
    if owner is not kb:
        memo = {}
        _NORP_CUT[0] = (kb, memo)
    try:
        return memo[word]
    except KeyError:
        pass
    hit = None
    for key, cut in reversed(first_token_variants(word)):  # the proclitic stays out
        raw = word[_raw_cut(word, cut):]
        if nationality_of(kb, raw) is not None:
            hit = cut
            break
    if len(memo) >= 200_000:  # bounded: memory stays flat on any corpus
        memo.clear()
    memo[word] = hit
    return hit


def _norp_pass(a, sents, chosen, kb, gaz) -> list:
    cov = _covered(chosen)
    gpe_at = {s[c.i].start: (s, c) for s, c in chosen if c.type == "GPE" and c.i == c.j}
    out = []
    for s in sents:
        for i, t in enumerate(s):
            if t.is_punct:
                continue
            if t.start in cov and t.start not in gpe_at:
                continue
            hit = _norp_cut(kb, t.text)
            if hit is None:
                continue
            if t.start in gpe_at:  # 'سورية': the country (noun) or an adjective?
                if not _adjectival(s, i, kb):
                    continue
                chosen.remove(gpe_at[t.start])
            out.append((s, _Cand(i, i, hit, "NORP", "norp", 1.0, 1)))
    return out


def _adjectival(s: list[Token], i: int, kb) -> bool:
    """A word that is both a country and an adjective ('سورية') is NORP after a group noun
    ('شخصيات سورية') or next to another indefinite nationality adjective ('سورية روسية')."""
    if i > 0 and not s[i - 1].is_punct and any(k in _GROUP_NOUNS for k, _ in first_token_variants(s[i - 1].text)):
        return True
    for n in (i - 1, i + 1):
        if 0 <= n < len(s) and not s[n].is_punct:
            kn = name_key(s[n].text)
            if not kn.startswith("ال") and nationality_of(kb, s[n].text) is not None \
                    and get_gazetteer(kb).kind_of((kn,)) is None:
                return True
    return False


def _doc_consistency(a, sents, chosen) -> list:
    """Every other occurrence (with proclitics) of a name the tagger or a pattern found once."""
    found: dict[tuple[str, ...], str] = {}
    for s, c in chosen:
        # KB names are already found everywhere (with their context checks); spread the others
        if c.type == "NORP" or c.step == "gazetteer" and c.prio >= 3:
            continue
        keys = [first_token_variants(s[c.i].text)[-1][0] if c.cut else name_key(s[c.i].text)]
        keys += [name_key(s[t].text) for t in range(c.i + 1, c.j + 1)]
        keys = tuple(keys)
        if sum(len(k) for k in keys) >= 3:
            found.setdefault(keys, c.type)
    if not found:
        return []
    first = {}
    for keys, typ in found.items():
        first.setdefault(keys[0], []).append((keys, typ))
    cov = _covered(chosen)
    out = []
    for s in sents:
        for i, t in enumerate(s):
            if t.is_punct or t.start in cov:
                continue
            for key, cut in first_token_variants(t.text):
                hit = None
                for keys, typ in sorted(first.get(key, ()), key=lambda e: -len(e[0])):
                    n = len(keys)
                    if i + n <= len(s) and all(name_key(s[i + q].text) == keys[q] for q in range(1, n)) \
                            and not any(s[i + q].start in cov for q in range(n)):
                        hit = (keys, typ)
                        break
                if hit:
                    n = len(hit[0])
                    out.append((s, _Cand(i, i + n - 1, cut, hit[1], "doc-consistency", 0.8, 0)))
                    for q in range(n):
                        cov.add(s[i + q].start)
                    break
    return out


def _to_mention(a: Article, s: list[Token], c: _Cand) -> Optional[Mention]:
    st = s[c.i].start + _raw_cut(s[c.i].text, c.cut)
    en = s[c.j].end
    if st >= en:
        return None
    return Mention(st, en, a.text[st:en], c.type, c.score, c.step)


def _add_titles(a: Article, mentions: list[Mention]) -> list[Mention]:
    """Each PER surface gets the role phrase of its first titled occurrence."""
    starts = [t.start for t in a.tokens]
    titled: dict[str, str] = {}
    for m in mentions:
        if m.type != "PER" or m.text in titled:
            continue
        k = bisect_right(starts, m.start) - 1
        title = find_title(a, k, mentions) if k >= 0 else None
        if title:
            titled[m.text] = title
    return [replace(m, title=titled[m.text]) if m.type == "PER" and m.text in titled else m
            for m in mentions]
