"""A search query: its words and phrases, the forms each word takes with Arabic proclitics, the FTS5
query that finds them, and the places they occur in an article's text.

Words are folded as the index folds them (:func:`marsad.text.normalize.search_key`).  An Arabic word
of three letters or more also matches its forms with the proclitics written joined to it: a
conjunction (و ف), then a preposition (ب ك ل), then the article (ال; ل + ال is written لل):
«مصر» matches «ومصر», «لمصر», «بمصر», «فمصر», «والمصر», «بالمصر», «للمصر»…, never «مصرع» (a
different word) and «عمان» never «النعمان».  The query asks for those forms, so words that really
begin with these letters («وزير», «لبنان») match as written, and «لبنان» matches «ولبنان» and
«للبنان».  A word that itself starts with ال keeps it («الأسد» matches «والأسد», «للأسد», not
«أسد»).  Shorter words («دي») match only as written, except as the first word of a phrase.

``"…"`` (or «…», “…”) marks a phrase: its words adjacent and in order, the first one with its
proclitics.  Words outside quotes must all occur, anywhere; the articles where they are adjacent
and in order rank first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ...text.normalize import normalize, search_key
from ..search_index import ARABIC_LETTERS, index_text

CONJUNCTIONS = ("", "و", "ف")
PREPOSITIONS = ("", "ب", "ك", "ل")
MIN_STEM = 3  # a word takes proclitics when it has at least this many letters
_ARABIC = re.compile(r"[\u0621-\u064a]")
# where a word of the index begins or ends: not between two letters or digits (FTS5 cuts words at
# "_" too: «#قطاع_غزة»), or where Arabic letters meet Latin letters or digits (:func:`index_text`)
_EDGE = (
    rf"(?:(?<![^\W_])|(?![^\W_])|(?<=[{ARABIC_LETTERS}])(?=[^\W{ARABIC_LETTERS}_])"
    rf"|(?<=[^\W{ARABIC_LETTERS}_])(?=[{ARABIC_LETTERS}]))"
)
_QUOTED = re.compile(r'"([^"]*)"|«([^»]*)»|“([^”]*)”')


def forms(word: str, always: bool = False) -> list[str]:
    """``word`` and its forms with proclitics (itself first); only ``word`` when it is not Arabic or
    shorter than :data:`MIN_STEM` (unless ``always``)."""
    if not _ARABIC.match(word) or (len(word) < MIN_STEM and not always):
        return [word]
    out = [word]
    has_article = word.startswith("ال") and len(word) >= 4
    for c in CONJUNCTIONS:
        for p in PREPOSITIONS:
            if has_article:
                out.append(c + ("لل" + word[2:] if p == "ل" else p + word))
            else:
                out.append(c + p + word)
                out.append(c + ("لل" if p == "ل" else p + "ال") + word)
    return list(dict.fromkeys(out))


@dataclass
class SearchQuery:
    """A parsed query: ``words`` (anywhere) and ``phrases`` (adjacent, in order), folded."""

    text: str
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    variants: dict = field(default_factory=dict)  # word -> other spellings of it (names in mentions)
    _matcher: Optional[re.Pattern] = field(default=None, repr=False, compare=False)

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    def word_forms(self, w: str) -> list[str]:
        out = forms(w)
        for v in self.variants.get(w, ()):
            out += [f for f in forms(v) if f not in out]
        return out

    def fts(self) -> str:
        """The FTS5 query of every article that matches (all words, all phrases)."""
        groups = [_any(_term(f) for f in self.word_forms(w)) for w in self.words]
        groups += [_any(_phrase(p)) for p in self.phrases]
        return " AND ".join(groups)

    def adjacent_fts(self) -> str:
        """The FTS5 query of the articles where the words (two or more) are adjacent, in order
        ('' for fewer words)."""
        if len(self.words) < 2:
            return ""
        return " AND ".join([_any(_phrase(self.words))] + [_any(_phrase(p)) for p in self.phrases])


def parse(text: str) -> SearchQuery:
    """The words and phrases of a query as typed."""
    q = SearchQuery(text)
    rest = []
    pos = 0
    for m in _QUOTED.finditer(text):
        rest.append(text[pos : m.start()])
        pos = m.end()
        words = index_text(search_key(next(g for g in m.groups() if g is not None))).split()
        if len(words) > 1:
            q.phrases.append(words)
        elif words:
            q.words.append(words[0])
    rest.append(text[pos:])
    for w in index_text(search_key(" ".join(rest))).split():
        if w not in q.words:
            q.words.append(w)
    return q


def _term(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _phrase(words: list[str]) -> list[str]:
    rest = " ".join(words[1:])
    return [_term((f + " " + rest).strip()) for f in forms(words[0], always=True)]


def _any(terms) -> str:
    return "(" + " OR ".join(terms) + ")"


def _alternatives(words) -> str:
    out = set()
    for w in words:
        out.add(w)
        if w.endswith("يا"):  # the index folds a word-final «يه» to «يا» (search_key)
            out.add(w[:-2] + "يه")
    return "(?:" + "|".join(re.escape(w) for w in sorted(out, key=len, reverse=True)) + ")"


def _matcher(query: SearchQuery) -> re.Pattern:
    """One regular expression for every word and phrase of the query over the folded text (words
    of a phrase may be separated by anything that is not a word character, as in the index)."""
    alts = []  # phrases first: at a place where a phrase and one of its words start, the phrase wins
    for p in query.phrases:
        alts.append(r"[^\w]+".join([_alternatives(forms(p[0], always=True))] + [_alternatives([w]) for w in p[1:]]))
    alts += [_alternatives(query.word_forms(w)) for w in query.words]
    return re.compile(_EDGE + "(?:" + "|".join(alts) + ")" + _EDGE, re.IGNORECASE)


def occurrences(query: SearchQuery, text: str) -> list[tuple[int, int]]:
    """Source spans of ``text`` where a word or phrase of the query occurs, in order."""
    if query._matcher is None:
        query._matcher = _matcher(query)
    n = normalize(text)
    return [n.to_source(m.start(), m.end()) for m in query._matcher.finditer(n.text)]


def snippet(text: str, spans: list[tuple[int, int]], body_start: int = 0, width: int = 90) -> tuple[str, list]:
    """A piece of ``text`` around the first occurrence in the body (else in the headline) and the
    occurrences inside it as ``[start, end]`` offsets into the piece."""
    if not spans:
        return text[: 2 * width].replace("\n", " "), []
    first = next((s for s in spans if s[0] >= body_start), spans[0])
    a = max(0, first[0] - width)
    b = min(len(text), first[1] + width)
    lead = "…" if a else ""
    piece = lead + text[a:b].replace("\n", " ") + ("…" if b < len(text) else "")
    marks = [[s - a + len(lead), e - a + len(lead)] for s, e in spans if s >= a and e <= b]
    return piece, marks
