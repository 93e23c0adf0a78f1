"""Tagger spans → candidate mentions (pass 1 of :mod:`marsad.extract.mentions`).

BIO spans are trimmed (punctuation, title and generic heads, evaluative tails), split at
coordinated names, extended over a kunya's name and ANERcorp types are mapped to ours; a
low-confidence span needs the KB's support."""

from __future__ import annotations

from typing import Optional

from ...model import Token
from ..actors import nationality_of
from ..gazetteer import (
    ADVERB,
    DESCRIPTIVE,
    DIRECTION,
    FUNCTION_WORDS,
    GENERIC,
    GPE_HEAD,
    KUNYA,
    LOC_HEAD,
    MEDIA_HEAD,
    NAME_BREAK,
    TRIM_HEAD,
    TRIM_TAIL,
    Gazetteer,
    raw_cut,
    first_token_variants,
)
from .base import Cand, name_word
from ..similarity import name_key


#: tagger spans below this confidence need the KB's support
MIN_NER_SCORE = 0.7


def ner_cands(words: list[Token], tags, gaz: Gazetteer, kb) -> list[Cand]:
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
        if keys[0] in DESCRIPTIVE and typ != "PERS":
            continue
        if all(k in GENERIC for k in keys):
            continue
        cut = _clitic_cut(words[i].text, gaz)
        if cut == 0 and split and keys[0][:1] == "و":
            cut = 1  # the second of two coordinated names
        stem = tuple([first_token_variants(words[i].text)[-1][0] if cut else keys[0]] + keys[1:])
        kind = gaz.kind_of(stem) or gaz.kind_of(tuple(keys))
        if kind is None and score < MIN_NER_SCORE:
            continue
        if i == j and kind is None and nationality_of(kb, words[i].text[raw_cut(words[i].text, cut) :]):
            out.append(Cand(i, j, cut, "NORP", "ner", score, 2))  # an adjective tagged LOC/MISC
            continue
        if typ == "PERS":
            out.append(Cand(i, j, cut, "PER", "ner", score, 2))
        elif typ == "ORG":
            out.append(Cand(i, j, cut, "ORG", "ner", score, 2))
        elif typ == "LOC":
            if kind not in ("GPE", "LOC"):
                kind = "LOC" if keys[0] in LOC_HEAD or keys[0] in DIRECTION else "GPE"
            if kind == "GPE" and keys[0] in GPE_HEAD and i < j:
                i, cut = i + 1, 0
            out.append(Cand(i, j, cut, kind, "ner", score, 2))
    return out


def _bio_spans(tags) -> list[list]:
    spans, cur = [], None
    for k, (lab, p) in enumerate(tags):
        if lab == "O":  # most words, outside any span: the general case below, made short
            if cur:
                spans.append(cur)
                cur = None
            continue
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


def _split_coordinated(words: list[Token], spans: list[list], gaz: Gazetteer) -> list[list]:
    """'بوتين وترامب' tagged as one person: two people, when the word after و is a known name
    (names may start with و themselves: 'لندي وليامز')."""
    out = []
    for i, j, typ, ps in spans:
        if typ == "PERS":
            start = i
            for t in range(i + 1, j + 1):
                k = name_key(words[t].text)
                if (
                    k[:1] == "و"
                    and len(k) > 3
                    and t > start
                    and gaz.kind_of((k[1:],)) is not None
                    and gaz.kind_of((k,)) is None
                ):
                    out.append([start, t - 1, typ, ps, start != i])
                    start = t
            out.append([start, j, typ, ps, start != i])
        else:
            out.append([i, j, typ, ps, False])
    return out


def _shape(words: list[Token], i: int, j: int, typ: str, gaz: Gazetteer, kb) -> Optional[tuple[int, int]]:
    """Trim a tagger span: punctuation at the ends, title and generic heads in front
    ('الدكتور الجعفري' → 'الجعفري', 'ميليشيات قسد' → 'قسد'), evaluative words at the end, and
    cut it before a coordinated entity ('بوغدانوف والإيراني' → 'بوغدانوف')."""
    while i <= j and words[i].is_punct:
        i += 1
    while j >= i and words[j].is_punct:
        j -= 1
    while i <= j and (
        _is_head(words[i].text) or words[i].is_punct or (typ != "ORG" and _bare_adjective(words[i].text, gaz, kb))
    ):
        i += 1
    while j >= i and (
        words[j].is_punct
        or name_key(words[j].text) in TRIM_TAIL
        or ADVERB.search(words[j].text) is not None
        or (typ != "ORG" and _bare_adjective(words[j].text, gaz, kb))
    ):
        j -= 1
    if i <= j and name_key(words[i].text) in FUNCTION_WORDS:
        return None
    for t in range(i + 1, j + 1):
        if name_key(words[t].text) in NAME_BREAK:  # 'التحالف الدولي بقيادة واشنطن'
            j = t - 1
            break
    for t in range(i + 1, j + 1):
        k = name_key(words[t].text)
        if (
            k[:1] in "وف"
            and len(k) > 3
            and (k[1:3] == "ال" or nationality_of(kb, words[t].text[1:]) or gaz.kind_of((k[1:],)))
        ):
            j = t - 1
            break
    while j >= i and words[j].is_punct:
        j -= 1
    return (i, j) if i <= j else None


def _is_head(word: str) -> bool:
    from ..actors import HEADS

    return any(k in HEADS or k in TRIM_HEAD or k in MEDIA_HEAD for k, _ in first_token_variants(word))


def _bare_adjective(word: str, gaz: Gazetteer, kb) -> bool:
    """A nationality adjective that is not itself a name ('الإيراني', not 'سورية')."""
    k = name_key(word)
    return nationality_of(kb, word) is not None and gaz.kind_of((k,)) is None


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


def _kunya_end(words, i: int, j: int, kb) -> int:
    """'أبو علي العسكري': a kunya takes its name and one definite nisba/laqab after it."""
    if name_key(words[i].text) not in KUNYA:
        return j
    if j == i and i + 1 < len(words) and not words[i + 1].is_punct and not name_key(words[i + 1].text).startswith("ال"):
        j = i + 1  # ('علي' folds like the preposition 'على': no function-word test here)
    if j == i + 1 and name_word(words, i + 2):
        k = name_key(words[i + 2].text)
        if (
            k.startswith("ال")
            and len(k) > 4
            and k not in GENERIC
            and k not in TRIM_TAIL
            and nationality_of(kb, words[i + 2].text) is None
        ):
            j = i + 2
    return j
