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
occurrence (:func:`marsad.extract.actors.find_title`).

The passes live in sibling modules: :mod:`.ner_cands` (1), :mod:`.gazetteer_cands` (2),
:mod:`.norp` (3), :mod:`.patterns` (4), :mod:`.document` (5), with the overlap resolution in
:mod:`.resolve` and the tagger and gazetteer in :mod:`.state`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from ... import caching
from ...model import Article, Mention, Token
from ..gazetteer import first_token_variants, gazetteer_of
from .base import Cand
from .document import add_titles, doc_consistency, reconcile_clitics, surname_pass, to_mention
from .gazetteer_cands import gazetteer_cands
from .ner_cands import ner_cands
from .norp import group_word, norp_pass
from .patterns import bare_institution_cands, doc_quoted_cands, institution_cands, loc_pattern_cands, word_heads
from .resolve import apply_rules, resolve_overlaps


class NerStep:
    name = "ner"
    requires = ("sentences", "tokens")
    assigns = ("mentions",)

    def __init__(self, kb, tagger=None):
        """``kb``: the actor KB (:class:`~marsad.extract.kb.KnowledgeBase`); ``tagger``: the NER
        tagger (None: the gazetteer, pattern and nationality passes only).  The pipeline hands
        both from its :class:`marsad.resources.Resources`."""
        self.kb = kb
        self.tagger = tagger

    def __call__(self, a: Article) -> Article:
        return replace(a, mentions=tuple(extract_mentions(a, self.kb, self.tagger)))

    def batch(self, arts: list[Article]) -> list[Article]:
        """Several articles: the tagger runs once over all their sentences (fuller batches of
        similar lengths, less padding); the tags, and so the mentions, are the same."""
        tagger, kb = self.tagger, self.kb
        if tagger is None:
            return [self(a) for a in arts]
        sents = [_sentences(a) for a in arts]
        tags = tagger.tag([[t.text for t in s] for ss in sents for s in ss])
        out, k = [], 0
        for a, ss in zip(arts, sents):
            tg = tags[k : k + len(ss)]
            k += len(ss)
            out.append(replace(a, mentions=tuple(extract_mentions(a, kb, tagger, (ss, tg)))))
        return out


def _sentences(a: Article) -> list[list[Token]]:
    out: dict[int, list[Token]] = {}
    for t in a.tokens:
        out.setdefault(t.sentence, []).append(t)
    return [out[k] for k in sorted(out)]


@lru_cache(maxsize=caching.WORD)
def _word_facts(word: str) -> tuple:
    """What the passes ask about one word, all pure functions of it: its proclitic variants
    (:func:`~marsad.extract.gazetteer.first_token_variants`), its group-adjective reading
    (:func:`.norp.group_word`) and the pattern heads it can start (:func:`.patterns.word_heads`).  One memo hit per word of an article
    instead of one per pass: the passes read the lists of :func:`_sentence_facts`."""
    return first_token_variants(word), group_word(word), word_heads(word)


def _sentence_facts(s: list[Token]) -> tuple[tuple, tuple, tuple]:
    """(variants, group readings, pattern heads) of the words of a sentence, word by word."""
    facts = list(map(_word_facts, [t.text for t in s]))
    return tuple(zip(*facts)) if facts else ((), (), ())


def extract_mentions(a: Article, kb, tagger=None, tagged=None) -> list[Mention]:
    """``tagged``: the article's sentences and their tags when the caller already ran the
    tagger (:meth:`NerStep.batch`)."""
    gaz = gazetteer_of(kb)
    sents, tags = tagged if tagged is not None else (_sentences(a), None)
    cands: list[tuple[list[Token], Cand]] = []
    if tagger is not None and sents:
        if tags is None:
            tags = tagger.tag([[t.text for t in s] for s in sents])
        for s, tg in zip(sents, tags):
            cands += [(s, c) for c in ner_cands(s, tg, gaz, kb)]
    facts = [_sentence_facts(s) for s in sents]
    for s, (_, _, heads) in zip(sents, facts):
        cands += [(s, c) for c in institution_cands(s, kb, heads)]
        cands += [(s, c) for c in gazetteer_cands(s, gaz, kb)]
        cands += [(s, c) for c in loc_pattern_cands(s, heads)]
        cands += [(s, c) for c in bare_institution_cands(s, kb, heads)]
    cands += doc_quoted_cands(sents, a.outlet)
    chosen = resolve_overlaps(a, sents, cands)
    chosen = apply_rules(chosen)
    chosen += norp_pass(a, sents, chosen, kb, gaz, [f[1] for f in facts])
    variants = [f[0] for f in facts]
    chosen += doc_consistency(a, sents, chosen, variants)
    chosen += surname_pass(sents, chosen, kb, gaz, variants)
    mentions = [to_mention(a, s, c) for s, c in chosen]
    mentions = reconcile_clitics(a, [m for m in mentions if m is not None])
    mentions.sort(key=lambda m: (m.start, m.end))
    return add_titles(a, mentions, kb)
