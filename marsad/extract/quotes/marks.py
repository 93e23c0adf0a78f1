"""Token-level readers of the quote token view (a :class:`~.doc.Doc`): quotation marks (« », “ ”,
" ", reversed '»…»') and where they close, short quoted names, and whether a token is a reporting
cue in its context."""

from __future__ import annotations

from .cues import ADDRESSEE_PRONOUNS, lookup
from .doc import Doc, is_comp

OPENERS = {"«": "»", "“": "”", '"': '"'}
MAX_QUOTE = 10_000  # characters: the longest quotation read (real ones are far shorter)
_NOT_CUES = {"اقرا", "بينا"}  # 'إقرأ أيضاً' (a 'read also' insert), 'بيننا'
_NEEDS_OPENER_NEXT = {"بين"}


def is_cue(d: Doc, k: int):
    """(proclitic length, CueInfo) when token k is a reporting cue in its context."""
    if d.toks[k].is_punct:
        return None
    hit = lookup(d.norms[k])
    if hit is None or d.norms[k] in _NOT_CUES:
        return None
    if hit[1].lemma == "ادعي" and hit[1].pos == "present" and d.toks[k].text.endswith("ى"):
        return None  # 'يُدعى' (is called), not 'يدّعي' (claims)
    if hit[1].lemma in _NEEDS_OPENER_NEXT:  # 'بين' is mostly 'between': only 'بيّن (له) أن/«/:'
        j = k + 1
        if j < len(d.toks) and d.norms[j] in ADDRESSEE_PRONOUNS:
            j += 1
        if j >= len(d.toks) or not (is_comp(d.norms[j]) or d.toks[j].text == ":" or is_open(d, j)):
            return None
    return hit


def tok_text(d: Doc, i: int, j: int) -> str:
    return d.text[d.toks[i].start : d.toks[j - 1].end]


def is_open(d: Doc, k: int) -> bool:
    t = d.toks[k]
    if t.text in OPENERS:
        return True
    if t.text in "»”":  # reversed mark opening a quote: 'و»داعش»', 'وقال»إننا', '،”ونعتبر'
        txt = d.text
        return t.end < len(txt) and txt[t.end].isalpha()
    return False


def close_char(d: Doc, k: int) -> int:
    """Char index of the mark closing the quotation opened at token k (paragraph end if none;
    a quotation runs MAX_QUOTE characters at most, so that an article of one long paragraph
    with many marks never closed is not read to its end again for each of them)."""
    txt = d.text
    p = d.toks[k].start
    o = txt[p]
    nl = txt.find("\n", p, p + MAX_QUOTE + 1)
    lim = min(len(txt), p + MAX_QUOTE) if nl < 0 else nl
    if o in '“"”':
        c = txt.find(OPENERS.get(o, "”"), p + 1, lim)
        return c if c >= 0 else lim
    depth = 1
    for q in range(p + 1, lim):
        ch = txt[q]
        if ch == "«":
            depth += 1
        elif ch == "»":
            nxt = txt[q + 1] if q + 1 < lim else " "
            if txt[q - 1].isspace() and nxt.isalpha() and o == "«":
                depth += 1  # a reversed opener inside
                continue
            depth -= 1
            if depth == 0:
                return q
    return lim


def tok_after_char(d: Doc, c: int, b: int) -> int:
    k = 0
    for k in range(0, b):
        if d.toks[k].start > c:
            return k
    return b


def short_name(d: Doc, k: int, b: int) -> int:
    """If the quotation at k is a short name (≤ 4 tokens, not followed by the sentence end),
    the token after its closing mark; else -1."""
    toks = d.toks
    for m in range(k + 1, min(b, k + 6)):
        if toks[m].text in '»”"' and m > k + 1:
            if m + 1 < b and not toks[m + 1].is_punct or (m + 1 < b and toks[m + 1].text in "،,"):
                return m + 1
            return -1
    return -1


def close_tok(d: Doc, k: int, b: int) -> int:
    c = close_char(d, k)
    for m in range(k + 1, b):
        if d.toks[m].start >= c:
            return m
    return b - 1


def close_is_long(d: Doc, k: int) -> bool:
    c = close_char(d, k)
    return len(d.text[d.toks[k].end : c].split()) > 4
