"""Whole-article passes of :mod:`marsad.extract.mentions` (pass 5): a name found once is found
everywhere, a person's surname and its transliteration variants are that person, a proclitic
is left out of a name found without it, and PER mentions get their title."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import Optional

from ...model import Article, Mention, Token
from ..actors import nationality_of
from ..actors import find_title
from ..gazetteer import (
    AFTER_VERB,
    FUNCTION_WORDS,
    GENERIC,
    KUNYA,
    ORG_HEAD,
    PROCLITIC,
    QUOTE_MARKS,
    SURNAME_STOP,
    raw_cut,
    first_token_variants,
)
from .base import Cand, covered
from ..similarity import consonant_key, name_key
from ...text.segment import INVISIBLE as _INVISIBLE


def doc_consistency(a, sents, chosen, variants=None) -> list:
    """Every other occurrence (with proclitics) of a name the tagger or a pattern found once.
    ``variants``: :func:`first_token_variants` of each word of each sentence, when the caller has
    them."""
    found: dict[tuple[str, ...], str] = {}
    restricted: set[tuple[str, ...]] = set()
    for s, c in chosen:
        # KB names are already found everywhere (with their context checks); spread the others
        if c.type == "NORP" or c.step == "gazetteer" and c.prio >= 3:
            continue
        keys = _cand_keys(s, c)
        if sum(len(k) for k in keys) >= 3:
            found.setdefault(keys, c.type)
            if c.step == "quoted" and c.i == c.j and keys[0].startswith("ال"):
                restricted.add(keys)  # «العراقية», «الجديد»: a name only quoted or after a head
    if not found:
        return []
    # the lengths of the names that start with each word, longest first: the longest name found
    # that the words at a position spell (and no covered word breaks) is the one taken there.  Of
    # the names of one length only one can be spelled at a position, so it is looked up, not
    # searched for among all the names that start with that word (a list that grows with the text)
    lengths: dict[str, list[int]] = {}
    for keys in found:
        lengths.setdefault(keys[0], []).append(len(keys))
    for v in lengths.values():
        v[:] = sorted(set(v), reverse=True)
    cov = covered(chosen)
    out = []
    for s, i, t, tv in _uncovered(sents, cov, variants):
        for key, cut in tv:
            sizes = lengths.get(key)
            if sizes is None:
                continue  # no name starts with this word
            hit = None
            for n in sizes:
                if i + n > len(s):
                    continue
                keys = (key,) + tuple(name_key(s[i + q].text) for q in range(1, n))
                typ = found.get(keys)
                if typ is not None and not any(s[i + q].start in cov for q in range(n)):
                    hit = (keys, typ)
                    break
            if (
                hit
                and hit[0] in restricted
                and not (
                    i > 0
                    and (
                        s[i - 1].text in QUOTE_MARKS
                        or any(k in ORG_HEAD for k, _ in first_token_variants(s[i - 1].text))
                    )
                )
            ):
                if not (cut and any(k in ORG_HEAD for k, _ in first_token_variants(t.text))):
                    hit = None
            if hit:
                n = len(hit[0])
                out.append((s, Cand(i, i + n - 1, cut, hit[1], "doc-consistency", 0.8, 0)))
                for q in range(n):
                    cov.add(s[i + q].start)
                break
    return out


def surname_pass(sents, chosen, kb, gaz, variants=None) -> list:
    """People named in full once are named by surname elsewhere: 'سمير جعجع' … 'وجعجع يطالب'; and a
    transliteration variant of a surname found in the article is the same person ('نويرت' … 'ناورت',
    'بلينكن' … 'بلينكين': same consonant skeleton)."""
    full: dict[str, int] = {}  # surname key → letters
    skel: dict[str, str] = {}  # consonant key of a surname → surname key
    for s, c in chosen:
        if c.type != "PER":
            continue
        keys = _cand_keys(s, c)
        last = keys[-1]
        if len(last) < 4 or last in SURNAME_STOP or last in GENERIC or last in FUNCTION_WORDS:
            continue
        if len(keys) >= 2 and keys[0] not in KUNYA:
            full[last] = len(last)
        if len(last) >= 5 and not last.startswith("ال"):
            skel.setdefault(consonant_key(last), last)
    if not full and not skel:
        return []
    cov = covered(chosen)
    out = []
    for s, i, t, tv in _uncovered(sents, cov, variants):
        for key, cut in tv:
            if key in full:
                hit = True
            elif (
                skel and len(key) >= 5 and not key.startswith("ال") and skel.get(consonant_key(key)) not in (None, key)
            ):
                hit = True
            else:
                continue
            if gaz.kind_of((key,)) not in (None, "PER") or nationality_of(kb, t.text) is not None:
                break
            nxt = s[i + 1] if i + 1 < len(s) else None
            if nxt is not None and not key.startswith("ال") and name_key(nxt.text) in AFTER_VERB:
                break  # 'حافظ على': a verb, not the surname 'حافظ'
            if hit:
                out.append((s, Cand(i, i, cut, "PER", "doc-consistency", 0.75, 0)))
                cov.add(t.start)
            break
    return out


def _cand_keys(s: list[Token], c: Cand) -> tuple[str, ...]:
    """The name keys of a candidate's words (the first one without the proclitic it leaves out)."""
    keys = [first_token_variants(s[c.i].text)[-1][0] if c.cut else name_key(s[c.i].text)]
    keys += [name_key(s[t].text) for t in range(c.i + 1, c.j + 1)]
    return tuple(keys)


def _uncovered(sents, cov: set[int], variants=None):
    """(sentence, index, token, its :func:`first_token_variants`) of every word that is not
    punctuation and not covered yet; ``cov`` is read as the caller adds to it.  ``variants``: the
    variants of each word of each sentence, when the caller has them."""
    for k, s in enumerate(sents):
        vs = variants[k] if variants is not None else None
        for i, t in enumerate(s):
            if t.is_punct or t.start in cov:
                continue
            yield s, i, t, (vs[i] if vs is not None else first_token_variants(t.text))


def reconcile_clitics(a: Article, mentions: list[Mention]) -> list[Mention]:
    """'بكيري' next to 'كيري' in the same article: the ب is a proclitic, not part of the name."""
    known = {(name_key(m.text), m.type) for m in mentions}
    out = []
    for m in mentions:
        k = name_key(m.text)
        if len(k) > 3 and k[0] in PROCLITIC and (k[1:], m.type) in known:
            cut = raw_cut(m.text, 1)
            m = replace(m, start=m.start + cut, text=a.text[m.start + cut : m.end])
        out.append(m)
    return out


def to_mention(a: Article, s: list[Token], c: Cand) -> Optional[Mention]:
    st = s[c.i].start + raw_cut(s[c.i].text, c.cut)
    en = s[c.j].end
    # a word keeps the invisible marks next to it (segment.INVISIBLE); a name does not begin or
    # end with one
    text = a.text
    while st < en and text[st] in _INVISIBLE:
        st += 1
    while en > st and text[en - 1] in _INVISIBLE:
        en -= 1
    if st >= en:
        return None
    return Mention(st, en, text[st:en], c.type, c.score, c.step)


def add_titles(a: Article, mentions: list[Mention], kb) -> list[Mention]:
    """Each PER surface gets the role phrase of its first titled occurrence."""
    starts = [t.start for t in a.tokens]
    titled: dict[str, str] = {}
    local = _SentenceMentions(a, mentions)
    for m in mentions:
        if m.type != "PER" or m.text in titled:
            continue
        k = bisect_right(starts, m.start) - 1
        title = find_title(a, k, local.of(a.tokens[k].sentence), kb) if k >= 0 else None
        if title:
            titled[m.text] = title
    return [replace(m, title=titled[m.text]) if m.type == "PER" and m.text in titled else m for m in mentions]


class _SentenceMentions:
    """The mentions of one sentence, for :func:`find_title`: it only looks at mentions that overlap
    the tokens of the name's sentence (and a mention never crosses a sentence), so handing it
    those keeps its answer and spares it a scan of the whole article's for every name."""

    def __init__(self, a: Article, mentions: list[Mention]) -> None:
        self.a, self.mentions = a, mentions
        self.starts = [m.start for m in mentions]
        self.ordered = all(x <= y for x, y in zip(self.starts, self.starts[1:]))

    def of(self, sent: int) -> list[Mention]:
        ss = self.a.sentences
        if not self.ordered or not 0 <= sent < len(ss) or ss[sent].index != sent:
            return self.mentions
        s = ss[sent]
        lo, hi = bisect_left(self.starts, s.start), bisect_left(self.starts, s.end)
        return [m for m in self.mentions[lo:hi] if m.end <= s.end]
