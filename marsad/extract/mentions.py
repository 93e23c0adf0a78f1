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
4. **rules** (word lists in :mod:`marsad.extract.gazetteer`) — quoted organisation names after an
   organisation/media head or starting with a group noun (``حزب «القوات اللبنانية»``, ``قناة «الجديد»``,
   ``«لواء …»``), the article's own outlet; bare named institutions (``وزارة الخارجية``, ``البرلمان``);
   institutions with an intermediate/trailing adjective (``الهيئة الخيرية الأردنية الهاشمية``); named
   places after a place head (``حي الشيخ جراح``, ``مطار معيتيقة الدولي``, ``قصر بعبدا``); kunyas
   (``أبو علي العسكري``); group adjectives (``الأكراد``, ``السنة`` after a human noun); a country
   name with tanween is an adjective (``ليبياً`` NORP); an epithet (``الاحتلال``) is not followed by
   another nationality.
5. **doc-consistency** — a name found once is found everywhere in the article; a person's surname and
   transliteration variants of it (same consonant skeleton: ``بلينكن``/``بلينكين``) are that person.

Guideline rules applied on the way: generic heads and evaluative words are trimmed
(``تنظيم القاعدة`` → ``القاعدة``, ``ريف درعا`` → ``درعا``, ``حركة حماس`` → ``حماس`` before a KB name; a name
stops at ``بقيادة``…); in ``وزير الخارجية + adjective`` only the NORP is tagged;
descriptions (``الحكومة السورية``, ``الوفد الروسي``) are not entities; place names inside an ORG are
not tagged (mentions never overlap).  PER mentions get the role phrase of their first titled
occurrence (:func:`marsad.extract.coref.find_title`).
"""
from __future__ import annotations

import logging
import threading
from bisect import bisect_right
from functools import lru_cache
from dataclasses import dataclass, replace
from typing import Optional

from .. import caching
from ..model import Article, Mention, Token
from ..text.normalize import fold
from .actors import get_kb, nationality_of
from .coref import find_title
from .gazetteer import (  # noqa: F401  (re-exported: tests and benches use them from here)
    Gazetteer,
    _ADVERB,
    _AFTER_VERB,
    _BARE_PLACE_HEAD,
    _OPEN_QUOTE,
    _SPEECH,
    _SURNAME_STOP,
    _TRIM_HEAD_KB,
    _BARE_INSTITUTION,
    _COMPOUND_START,
    _EPITHET,
    _GROUP_NORP,
    _GROUP_NORP_AMBIGUOUS,
    _HUMAN_PLURAL,
    _KUNYA,
    _NAME_BREAK,
    _ORG_HEAD,
    _ORG_NAME_START,
    _DESCRIPTIVE,
    _DIRECTION,
    _FUNCTION_WORDS,
    _GENERIC,
    _GPE_HEAD,
    _GROUP_NOUNS,
    _INSTITUTION_BY_FIRST,
    _LOC_HEAD,
    _LOC_HEAD_NAMED,
    _MEDIA_HEAD,
    _PORTFOLIO,
    _PROCLITIC,
    _QUOTE_MARKS,
    _TRIM_HEAD,
    _TRIM_TAIL,
    _feminine,
    _raw_cut,
    first_token_variants,
)
from .similarity import consonant_key, name_key

log = logging.getLogger(__name__)

@dataclass
class _Cand:
    i: int                # first token index
    j: int                # last token index (inclusive)
    cut: int              # letters cut from the first token
    type: str
    step: str
    score: float
    prio: int             # higher wins ties


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
                if c is not None and not _common_noun_use(words, c, actor_id, kb) \
                        and not _foreign_epithet(words, c, kb):
                    if c.i == i and (c.i == c.j or _named_loc_head(words, c.i)):
                        c = _loc_extend(words, c.i, c.j, c.cut, c.type, kb)
                    if c.type == "GPE" and c.i == c.j and _TANWEEN.search(words[c.i].text):
                        c = replace(c, type="NORP")   # 'ليبياً-ليبياً': an adverbial adjective
                    cands.append((s, c))
            i += 1
        cands += [(s, c) for c in _loc_pattern_cands(words)]
        cands += [(s, c) for c in _bare_institution_cands(words, kb)]
    cands += _doc_quoted_cands(sents, a.outlet)
    chosen = _resolve_overlaps(a, sents, cands)
    chosen = _apply_rules(chosen)
    chosen += _norp_pass(a, sents, chosen, kb, gaz)
    chosen += _doc_consistency(a, sents, chosen)
    chosen += _surname_pass(sents, chosen, kb, gaz)
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
        if name_key(words[t].text) in _NAME_BREAK:   # 'التحالف الدولي بقيادة واشنطن'
            j = t - 1
            break
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
        if typ == "PERS":
            j = _kunya_end(words, i, j, kb)
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
            if head in _TRIM_HEAD or head in _GPE_HEAD or head in HEADS or head in _TRIM_HEAD_KB:
                return _Cand(i + 1, j, 0, gaz.kind_of(rest) or kind, "gazetteer", 1.0, 3)
            if head in _LOC_HEAD:
                act = _by_id(kb).get(actor_id)
                own = name_key(getattr(act, "name_ar", "") or "")
                if not own.startswith(head):
                    return _Cand(i + 1, j, 0, gaz.kind_of(rest) or kind, "gazetteer", 1.0, 3)
    return _Cand(i, j, cut, kind, "gazetteer", 1.0, 3)


_TANWEEN = _ADVERB


def _name_word(words, t: int) -> bool:
    """A word that can be part of a name: not punctuation, a function word, an adverb or a digit."""
    if t >= len(words) or words[t].is_punct:
        return False
    k = name_key(words[t].text)
    return len(k) >= 3 and k not in _FUNCTION_WORDS and not _ADVERB.search(words[t].text) \
        and not any(ch.isdigit() for ch in words[t].text)


def _kunya_end(words, i: int, j: int, kb) -> int:
    """'أبو علي العسكري': a kunya takes its name and one definite nisba/laqab after it."""
    if name_key(words[i].text) not in _KUNYA:
        return j
    if j == i and i + 1 < len(words) and not words[i + 1].is_punct and \
            not name_key(words[i + 1].text).startswith("ال"):
        j = i + 1   # ('علي' folds like the preposition 'على': no function-word test here)
    if j == i + 1 and _name_word(words, i + 2):
        k = name_key(words[i + 2].text)
        if k.startswith("ال") and len(k) > 4 and k not in _GENERIC and k not in _TRIM_TAIL \
                and nationality_of(kb, words[i + 2].text) is None:
            j = i + 2
    return j


@lru_cache(maxsize=caching.WORD)
def _head_variants(word: str) -> tuple[tuple[str, int], ...]:
    """:func:`first_token_variants` plus a proclitic on a three-letter head ('وحي' → 'حي')."""
    out = first_token_variants(word)
    k = name_key(word)
    if len(k) == 3 and k[0] in _PROCLITIC and k[1:] in _LOC_HEAD_NAMED:
        out = out + ((k[1:], 1),)
    return out


def _named_loc_head(words, i: int) -> bool:
    return i > 0 and not words[i - 1].is_punct and \
        any(k in _LOC_HEAD_NAMED for k, _ in _head_variants(words[i - 1].text))


def _foreign_epithet(words, c, kb) -> bool:
    """'الاحتلال الأمريكي' is not the epithet of Israel."""
    k = first_token_variants(words[c.i].text)[-1][0] if c.cut else name_key(words[c.i].text)
    if c.type != "GPE" or c.i != c.j or k not in _EPITHET:
        return False
    nxt = c.j + 1
    return nxt < len(words) and not words[nxt].is_punct and nationality_of(kb, words[nxt].text) is not None


def _by_id(kb) -> dict:
    return getattr(kb, "by_id", None) or {}


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
        for key, c in _head_variants(words[i - 1].text):
            if key in _LOC_HEAD:
                jj = j
                if jj + 1 < len(words) and _place_adjective(words[jj + 1]) and \
                        (kb is None or nationality_of(kb, words[jj + 1].text) is None):
                    jj += 1
                return _Cand(i - 1, jj, c, "LOC", "gazetteer", 1.0, 3)
    return _Cand(i, j, cut, kind, "gazetteer", 1.0, 3)


def _place_adjective(t: Token) -> bool:
    """A definite nisba after a place name, short ones too ('البري', 'الدولي', 'الصناعية')."""
    k = name_key(t.text)
    return not t.is_punct and k.startswith("ال") and k.endswith(("يه", "يا", "ي")) and len(k) >= 5


def _is_adjective(t: Token) -> bool:
    k = name_key(t.text)
    return k.startswith("ال") and (k.endswith("يه") or k.endswith("يا") or k.endswith("ي")) and len(k) > 5


def _loc_pattern_cands(words: list[Token]) -> list[_Cand]:
    """Named places after a head that only names places: 'حي الراشدين', 'كراجات الليرمون', compound
    names ('حي الشيخ جراح', 'ساحة رياض الصلح'), a bare name with an adjective ('مطار معيتيقة الدولي')
    or before a boundary ('قصر بعبدا،')."""
    out = []
    n = len(words)
    for i in range(n - 1):
        w, nx = words[i], words[i + 1]
        if w.is_punct or nx.is_punct:
            continue
        for key, cut in _head_variants(w.text):
            if key in _LOC_HEAD_NAMED:
                k2 = name_key(nx.text)
                j = None
                if k2.startswith("ال") and len(k2) > 4 and not _is_adjective(nx):
                    j = i + 1
                    if k2 in _COMPOUND_START and _name_word(words, i + 2):
                        j = i + 2
                elif k2 in _COMPOUND_START and _name_word(words, i + 2):
                    j = i + 2               # 'ساحة باب توما', 'حي بني زيد'
                elif not k2.startswith("ال") and _name_word(words, i + 1) and not _indefinite_adjective(k2):
                    if i + 2 < n and not words[i + 2].is_punct and name_key(words[i + 2].text).startswith("ال") \
                            and _name_word(words, i + 2):
                        j = i + 2           # 'مطار معيتيقة الدولي', 'ساحة رياض الصلح'
                    elif key in _BARE_PLACE_HEAD and len(k2) >= 4 and (i + 2 >= n or words[i + 2].is_punct):
                        j = i + 1           # 'قصر بعبدا،'
                if j is not None:
                    out.append(_Cand(i, j, cut, "LOC", "gazetteer", 0.6, 1))
                break
    return out


def _indefinite_adjective(k: str) -> bool:
    """'فرعي', 'جديدة': an indefinite adjective, not a name after a place head."""
    return k.endswith(("ي", "يه", "يا")) or k.startswith("ل") or k.startswith("م") and len(k) <= 5


def _quoted_spans(words: list[Token]) -> list[tuple[int, int]]:
    """(first, last) word of each quoted phrase of one to five words (straight quotes pair up)."""
    out = []
    q, n = 0, len(words)
    while q < n:
        close = _OPEN_QUOTE.get(words[q].text)
        if close is None:
            q += 1
            continue
        e = q + 1
        while e < n and words[e].text != close:
            e += 1
        if e >= n:
            q += 1
            continue
        if 1 <= e - q - 1 <= 5 and not any(words[t].is_punct for t in range(q + 1, e)):
            out.append((q + 1, e - 1))
        q = e + 1
    return out


def _quoted_cands(words: list[Token], outlet: Optional[str] = None) -> list[_Cand]:
    """Quoted organisation names: after an organisation or media head ('حزب «القوات اللبنانية»',
    'قناة «الجديد»', 'صندوق "تحيا مصر"'), starting with a group noun ('«لواء أحرار حوران»'),
    after لـ in a source phrase ('قال مصدر لـ«الوطن»'), or the article's own outlet."""
    out = []
    okeys = tuple(name_key(w) for w in (outlet or "").split()) if outlet else ()
    for i, j in _quoted_spans(words):
        keys = tuple(name_key(words[t].text) for t in range(i, j + 1))
        if any(k in _FUNCTION_WORDS for k in keys):
            continue
        if len(keys) == 1 and not keys[0].startswith("ال") and keys[0].endswith(("ي", "يه", "يا")):
            continue    # 'منظمة «إرهابية»', 'حزب "وسطي"': a description
        prev = words[i - 2] if i >= 2 else None
        pkeys = [k for k, _ in first_token_variants(prev.text)] if prev is not None and not prev.is_punct else []
        org = any(k in _ORG_HEAD for k in pkeys)
        org = org or (2 <= len(keys) <= 3 and keys[0] in _ORG_NAME_START)
        org = org or (bool(okeys) and keys == okeys)
        if not org and pkeys and pkeys[0] in (name_key("لـ"), name_key("ل")):
            org = any(name_key(words[t].text) in _SPEECH for t in range(max(0, i - 8), i - 2))
        if org:
            out.append(_Cand(i, j, 0, "ORG", "quoted", 0.95, 3))
    return out


def _doc_quoted_cands(sents, outlet: Optional[str]) -> list:
    """:func:`_quoted_cands` over the article, plus the same quoted words anywhere else in it
    (the headline's 'قوافل "تحيا مصر"' after the body's 'صندوق "تحيا مصر"')."""
    out, names = [], set()
    for s in sents:
        for c in _quoted_cands(s, outlet):
            out.append((s, c))
            names.add(tuple(name_key(s[t].text) for t in range(c.i, c.j + 1)))
    if names:
        for s in sents:
            done = {c.i for s2, c in out if s2 is s}
            for i, j in _quoted_spans(s):
                if i not in done and tuple(name_key(s[t].text) for t in range(i, j + 1)) in names:
                    out.append((s, _Cand(i, j, 0, "ORG", "quoted", 0.9, 3)))
    return out


@lru_cache(maxsize=caching.WORD)
def _bare_heads(word: str) -> tuple:
    return tuple((cut, h) for key, cut in first_token_variants(word) for h in _BARE_BY_FIRST.get(key, ()))


_BARE_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _b in _BARE_INSTITUTION:
    _BARE_BY_FIRST.setdefault(_b[0], []).append(_b)
for _v in _BARE_BY_FIRST.values():
    _v.sort(key=lambda h: -len(h))


def _bare_institution_cands(words: list[Token], kb) -> list[_Cand]:
    """Named institutions without an adjective: 'وزارة الخارجية', 'رئاسة الجمهورية', 'البرلمان'
    (with an adjective they are :func:`_institution_cands` or KB names)."""
    out = []
    n = len(words)
    for i in range(n):
        if words[i].is_punct:
            continue
        for cut, head in _bare_heads(words[i].text):
            L = len(head)
            if i + L > n or any(name_key(words[i + t].text) != head[t] for t in range(1, L)):
                continue
            nxt = words[i + L] if i + L < n else None
            if nxt is not None and not nxt.is_punct and nationality_of(kb, nxt.text) is not None:
                break
            out.append(_Cand(i, i + L - 1, cut, "ORG", "rule", 0.85, 2))
            break
    return out


@lru_cache(maxsize=caching.WORD)
def _institution_heads(word: str) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """(letters cut, gender, head keys) of every institution head that can start at ``word``, in
    the order of its proclitic variants (a pure function of the word)."""
    return tuple((cut, gender, head) for key, cut in first_token_variants(word)
                 for gender, head in _INSTITUTION_BY_FIRST.get(key, ()))


def _agrees(gender: str, word: str) -> bool:
    return ("f" if _feminine(word) else "m") in gender


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
            p, mid = i + L, False
            if p + 1 < n and not words[p].is_punct and _is_adjective(words[p]) and \
                    nationality_of(kb, words[p].text) is None and _agrees(gender, words[p].text):
                p, mid = p + 1, True        # 'الهيئة الخيرية الأردنية'
            adj = words[p]
            if adj.is_punct or nationality_of(kb, adj.text) is None:
                continue
            if not _agrees(gender, adj.text):
                continue
            if mid and p + 1 < n and not words[p + 1].is_punct and _is_adjective(words[p + 1]) and \
                    nationality_of(kb, words[p + 1].text) is None and _feminine(words[p + 1].text) == _feminine(adj.text):
                p += 1                      # '… الأردنية الهاشمية'
            out.append(_Cand(i, p, cut, "ORG", "gazetteer", 0.9, 4))
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
    caching.put(memo, word, hit)
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
                if t.start not in cov:
                    hit = _group_norp_cut(s, i)
                if hit is None:
                    continue
            if t.start in gpe_at:  # 'سورية': the country (noun) or an adjective?
                if not _adjectival(s, i, kb):
                    continue
                chosen.remove(gpe_at[t.start])
            out.append((s, _Cand(i, i, hit, "NORP", "norp", 1.0, 1)))
    return out


@lru_cache(maxsize=caching.WORD)
def _group_word(word: str) -> Optional[tuple[str, int]]:
    """(key, letters of proclitic) when ``word`` is a group adjective ('والأكراد' → ('الاكراد', 1))."""
    for key, cut in reversed(first_token_variants(word)):
        if key in _GROUP_NORP:
            return key, cut
    return None


def _group_norp_cut(s: list[Token], i: int) -> Optional[int]:
    """Letters of proclitic to leave out when ``s[i]`` is a group adjective (Kurds, Sunnis…; None: it
    is not one).  'السنة' (also 'the year') only after a human noun or another group word."""
    hit = _group_word(s[i].text)
    if hit is not None:
        key, cut = hit
        if key in _GROUP_NORP_AMBIGUOUS:
            prev = s[i - 1] if i > 0 and not s[i - 1].is_punct else None
            pk = [k for k, _ in first_token_variants(prev.text)] if prev is not None else []
            if not any(k in _HUMAN_PLURAL or (k in _GROUP_NORP and k not in _GROUP_NORP_AMBIGUOUS) for k in pk):
                return None
        return cut
    return None


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
    restricted: set[tuple[str, ...]] = set()
    for s, c in chosen:
        # KB names are already found everywhere (with their context checks); spread the others
        if c.type == "NORP" or c.step == "gazetteer" and c.prio >= 3:
            continue
        keys = [first_token_variants(s[c.i].text)[-1][0] if c.cut else name_key(s[c.i].text)]
        keys += [name_key(s[t].text) for t in range(c.i + 1, c.j + 1)]
        keys = tuple(keys)
        if sum(len(k) for k in keys) >= 3:
            found.setdefault(keys, c.type)
            if c.step == "quoted" and c.i == c.j and keys[0].startswith("ال"):
                restricted.add(keys)   # «العراقية», «الجديد»: a name only quoted or after a head
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
                if hit and hit[0] in restricted and not (i > 0 and (s[i - 1].text in _QUOTE_MARKS or any(
                        k in _ORG_HEAD for k, _ in first_token_variants(s[i - 1].text)))):
                    if not (cut and any(k in _ORG_HEAD for k, _ in first_token_variants(t.text))):
                        hit = None
                if hit:
                    n = len(hit[0])
                    out.append((s, _Cand(i, i + n - 1, cut, hit[1], "doc-consistency", 0.8, 0)))
                    for q in range(n):
                        cov.add(s[i + q].start)
                    break
    return out


def _surname_pass(sents, chosen, kb, gaz) -> list:
    """People named in full once are named by surname elsewhere: 'سمير جعجع' … 'وجعجع يطالب'; and a
    transliteration variant of a surname found in the article is the same person ('نويرت' … 'ناورت',
    'بلينكن' … 'بلينكين': same consonant skeleton)."""
    full: dict[str, int] = {}      # surname key → letters
    skel: dict[str, str] = {}      # consonant key of a surname → surname key
    for s, c in chosen:
        if c.type != "PER":
            continue
        keys = [first_token_variants(s[c.i].text)[-1][0] if c.cut else name_key(s[c.i].text)]
        keys += [name_key(s[t].text) for t in range(c.i + 1, c.j + 1)]
        last = keys[-1]
        if len(last) < 4 or last in _SURNAME_STOP or last in _GENERIC or last in _FUNCTION_WORDS:
            continue
        if len(keys) >= 2 and keys[0] not in _KUNYA:
            full[last] = len(last)
        if len(last) >= 5 and not last.startswith("ال"):
            skel.setdefault(consonant_key(last), last)
    if not full and not skel:
        return []
    cov = _covered(chosen)
    out = []
    for s in sents:
        for i, t in enumerate(s):
            if t.is_punct or t.start in cov:
                continue
            for key, cut in first_token_variants(t.text):
                if key in full:
                    hit = True
                elif len(key) >= 5 and not key.startswith("ال") and skel.get(consonant_key(key)) not in (None, key):
                    hit = True
                else:
                    continue
                if gaz.kind_of((key,)) not in (None, "PER") or nationality_of(kb, t.text) is not None:
                    break
                nxt = s[i + 1] if i + 1 < len(s) else None
                if nxt is not None and not key.startswith("ال") and name_key(nxt.text) in _AFTER_VERB:
                    break   # 'حافظ على': a verb, not the surname 'حافظ'
                if hit:
                    out.append((s, _Cand(i, i, cut, "PER", "doc-consistency", 0.75, 0)))
                    cov.add(t.start)
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
