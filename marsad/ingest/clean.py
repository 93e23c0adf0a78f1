"""Separate an article's headline, byline, outlet and web chrome from its body.

The body keeps the article's own lines verbatim: a line is either kept exactly as it stands in
the input or removed whole (and then listed in ``Cleaned.boilerplate``).  Blank lines are dropped.

Algorithm (one pass over the lines, no look-up beyond the article):
1. lines that are chrome wherever they stand (:func:`chrome.chrome_kind`: skip links, back-to-top,
   comment prompts and policies, share bars, "read also" inserts and the link titles under a bare
   "اقرأ أيضاً:", copyright, tag lists, menus, rules) are removed;
2. the headline is the first remaining line that is not a short label (a section label such as
   'سورية' above it is chrome); when the record gives a title, the title is the headline and a
   first line repeating it is dropped; a first line that is plainly a paragraph (long, ending in a
   full stop) means there is no headline, and so does a lone line of running text (an agency
   flash, a single sentence: at least twelve words, or three and a final full stop) when no other
   line is text;
3. in the head (before the first paragraph) and the tail (after the last paragraph), bylines,
   datelines, date-only lines, "المصدر:" lines and footer site names are chrome
   (:func:`chrome.edge_kind`); short lines there (≤ 4 words, no sentence punctuation) too;
4. crossheads between paragraphs are body;
5. other stories' teasers among the body lines are chrome (:func:`teasers.teaser_lines`): a run of
   two or more headline-like lines between paragraphs (a box of related headlines), and a block of
   four or more lead sentences ending the article (other stories' opening sentences).

Publication date: the record's (or sidecar's) date; else a date in the page itself (HTML metadata,
basis ``html-meta``, or a date-only line in the article's head, basis ``dateline``), which also
beats the run-wide ``--published`` default (basis ``option``).

Outlet: the record's (or sidecar's) own outlet field always wins: it says who published the record,
while a name in the text may be another outlet's (a byline of a partner site, a copied footer, a
site name written differently).  Without one, the outlet as the text spells it: byline
('| الوطن – وكالات'), footer site name ('صحيفة الوطن'), a copyright line ('© 2025 الرائد'), the
HTML site name, then a speaker addressing it ('لـ«الوطن»') and an 'المصدر:' line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from marsad.errors import InputError
from marsad.ingest import chrome, teasers
from marsad.ingest.published import choose_published, line_date
from marsad.ingest.records import RawDoc

__all__ = ["Cleaned", "clean_document", "clean_text"]

_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_PARA_END = re.compile(r"[.!؟?]\s*$")


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    headline: str
    body_start: int
    byline: str | None
    outlet: str | None
    boilerplate: tuple[str, ...]
    published: datetime.date | None
    published_basis: str
    url: str | None

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


@dataclass(slots=True)
class _Parts:
    headline: str
    body: list[str]
    boilerplate: list[str]
    byline: str | None
    outlet: str | None
    kinds: list[str]  # the chrome kind of each boilerplate line (for inspection)
    dateline: datetime.date | None = None  # a date-only line in the article's head


def _no_text(msg: str) -> InputError:
    e = InputError(msg)
    e.reason = "no-text"  # type: ignore[attr-defined]
    return e


def _lone_article(key: str) -> bool:
    """A line that is an article on its own when nothing else is: a sentence (at least three
    words and a final . ! ؟) or a paragraph (at least twelve words).  A shorter line without
    final punctuation is a title or a label, and a title alone is no article."""
    n = len(key.split())
    return n >= 12 or (n >= 3 and bool(_PARA_END.search(key)))


# long: one pass over the lines deciding headline, byline, chrome and body together: each decision
# reads what the earlier lines were found to be
def clean_text(
    text: str, title: str | None = None, meta_outlet: str | None = None, own_outlet: str | None = None
) -> _Parts:
    """Split plain text into headline, body lines and chrome (see the module doc)."""
    lines = [ln for ln in _NEWLINES.split(text) if ln.strip()]
    keys = [chrome.line_key(ln) for ln in lines]
    n = len(lines)
    kind: list[str | None] = [None] * n
    # 1. chrome anywhere
    i = 0
    while i < n:
        k = chrome.chrome_kind(keys[i])
        kind[i] = k
        if k == "read-also" and chrome.read_also_header(keys[i]):
            j = i + 1  # the link titles listed under a bare 'اقرأ أيضاً:'
            while (
                j < n
                and j <= i + 5
                and not chrome.is_paragraph(keys[j])
                and not _PARA_END.search(keys[j])
                and len(keys[j].split()) <= 15
            ):
                kind[j] = "read-also"
                j += 1
            i = j
            continue
        i += 1
    outlet_byline = outlet_site = outlet_source = None
    byline = None

    def edge(idx: int, short_kind: str | None) -> bool:
        nonlocal byline, outlet_byline, outlet_site, outlet_source
        e = chrome.edge_kind(keys[idx], lines[idx])
        if e is None:
            if short_kind and chrome.is_short_label(keys[idx]):
                kind[idx] = short_kind
                return True
            return False
        kind[idx], outlet = e
        if e[0] == "byline":
            if byline is None:
                byline = lines[idx]
            if outlet and not outlet_byline:
                outlet_byline = outlet
        elif e[0] == "site-name" and outlet and not outlet_site:
            outlet_site = outlet
        elif e[0] == "source" and outlet and not outlet_source:
            outlet_source = outlet
        return True

    # 2. headline
    live = [i for i in range(n) if kind[i] is None]
    head_idx = -1
    headline = ""
    if title and title.strip():
        headline = title
        tkey = chrome.norm_key(title)
        for i in live[:3]:
            if keys[i] == tkey or (len(tkey) > 20 and keys[i].startswith(tkey)):
                kind[i] = "headline"
                head_idx = i
                break
            if not edge(i, "label"):
                break
    else:
        for pos, i in enumerate(live):
            last = pos >= len(live) - 2  # a label needs a headline and a body line after it
            if not last and edge(i, "label"):
                continue
            if chrome.is_paragraph(keys[i]) and _PARA_END.search(keys[i]) and len(keys[i]) > 150:
                break  # the text starts with a paragraph: no headline
            if len(keys[i]) > 400:
                break
            head_idx = i
            headline = lines[i]
            kind[i] = "headline"
            break
    # 3. head and tail regions
    rest = [i for i in range(head_idx + 1, n) if kind[i] is None]
    paras = [i for i in rest if chrome.is_paragraph(keys[i])]
    first_para = paras[0] if paras else n
    last_para = paras[-1] if paras else -1
    for i in rest:
        if i < first_para:
            edge(i, "byline-short")
    tail = [i for i in rest if i > last_para]
    for pos, i in enumerate(reversed(tail)):
        if kind[i] is None:
            edge(i, "footer" if pos < 2 and len(tail) <= 2 else None)
    for i in range(n):  # short head lines count as the byline when no better one was found
        if kind[i] == "byline-short":
            kind[i] = "byline"
            if byline is None:
                byline = lines[i]
    outlet_copy = None
    for i in range(n):
        if kind[i] == "copyright":
            outlet_copy = chrome.copyright_outlet(lines[i])
            if outlet_copy:
                break
    if (
        head_idx >= 0
        and not (title and title.strip())
        and all(k is not None for k in kind)
        and _lone_article(keys[head_idx])
    ):
        # nothing but the first line is text, and it reads as running text (an agency flash, a
        # single sentence): it is the article, not the headline of an empty one
        kind[head_idx], head_idx, headline = None, -1, ""
    body_idx = [i for i in range(n) if kind[i] is None]
    for j in teasers.teaser_lines([keys[i] for i in body_idx]):
        kind[body_idx[j]] = "teaser"
    body = [lines[i] for i in range(n) if kind[i] is None]
    boiler = [lines[i] for i in range(n) if kind[i] not in (None, "headline")]
    kinds = [k for k in kind if k not in (None, "headline")]
    dateline = None
    for i in range(min(n, first_para)):
        if kind[i] == "date":
            dateline = line_date(keys[i])
            if dateline:
                break
    if not body and not headline:
        raise _no_text(
            "nothing is left of the article once web chrome is removed; check that the input holds the article text"
        )
    # the outlet as the text names it; a speaker addressing an outlet ('قال … لـ«الوطن»') is weaker
    # evidence than the record's own outlet field (interviews given to other outlets look the same)
    # the record's own outlet field beats every name found in the text
    outlet = own_outlet or outlet_byline or outlet_site or outlet_copy or meta_outlet
    if not outlet and body:
        outlet = chrome.inline_outlet("\n".join(body))
    outlet = outlet or outlet_source
    return _Parts(
        headline=headline, body=body, boilerplate=boiler, byline=byline, outlet=outlet, kinds=kinds, dateline=dateline
    )


def clean_document(doc: RawDoc) -> Cleaned:
    """Clean one raw document (plain text or HTML).  Raises ``InputError`` (reason ``no-text``)
    when no article text remains."""
    page, url = None, doc.url
    title, meta_outlet, author = doc.title, None, doc.meta_get("author")
    if doc.html is not None:
        from marsad.ingest.html import extract_html

        x = extract_html(doc.html, url=doc.url)
        text = x.text
        title = title or x.title
        meta_outlet = x.sitename
        url = url or x.url
        author = author or x.author
        page = x.published
    else:
        text = doc.text or ""
    if not text.strip() and not (title and title.strip()):
        raise _no_text("the article text is empty; give the text (or html) of the article")
    parts = clean_text(text, title, meta_outlet, own_outlet=doc.outlet)
    if not parts.body and not text.strip():
        pass
    elif not parts.body:
        raise _no_text(
            "nothing is left of the article once web chrome is removed; "
            "check that the input holds the article text and not only a page frame"
        )
    # a date found in the page itself beats a run-wide --published default
    published, basis = choose_published(doc.published, doc.published_basis, page, parts.dateline)
    headline = parts.headline
    body = "\n".join(parts.body)
    if headline:
        full, start = headline + "\n" + body, len(headline) + 1
    else:
        full, start = body, 0
    return Cleaned(
        text=full,
        headline=headline,
        body_start=start,
        byline=parts.byline or author,
        outlet=parts.outlet,
        boilerplate=tuple(parts.boilerplate),
        published=published,
        published_basis=basis,
        url=url,
    )
