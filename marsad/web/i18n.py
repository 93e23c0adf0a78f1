"""The pages' Arabic interface: labels, numerals and direction.

The language is ``en`` (the default) or ``ar``.  ``?lang=ar`` (or ``?lang=en``) chooses it and the
page's answer keeps the choice in a ``lang`` cookie, so every link of the site keeps it without
carrying the parameter; the header's switch (EN | عربي) links to the same page with ``?lang=``.

Templates wrap each label in ``{{ _("Events") }}``: the English label is the key of
:data:`labels.AR` (:mod:`.labels`); in Arabic the page shows its translation (an English label the
table lacks stays English, and ``tests/test_web_i18n.py`` fails on it).  ``{{ n|num }}`` writes a
count (or a date in a label) with Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩) when Arabic is on; data a user
copies (ids, ISO dates in inputs, URLs) is never passed through it.  ``{{ n|n("article") }}``
counts a noun in either language (Arabic: one, two, 3–10, 11–99 forms).
"""

from __future__ import annotations

import contextvars
from typing import Optional
from urllib.parse import urlencode, urlsplit

import jinja2

from .labels import AR, COUNTED

__all__ = ["LANGS", "COOKIE", "lang_of", "install", "translate", "digits", "counted", "switch_links", "safe_url"]

LANGS = ("en", "ar")
COOKIE = "lang"
_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# the language of the page being rendered, for the macros imported without the template's context
# (set by :func:`rendering` around one render, in the thread that renders)
_RENDERING = contextvars.ContextVar("marsad_page_lang", default="en")


def lang_of(request) -> str:
    """The request's language: ``?lang=`` when valid, else the ``lang`` cookie, else English."""
    q = request.query_params.get("lang")
    if q in LANGS:
        return q
    c = request.cookies.get(COOKIE)
    return c if c in LANGS else "en"


def translate(lang: str, text: str) -> str:
    return AR.get(text, text) if lang == "ar" else text


def digits(lang: str, value) -> str:
    """``value`` as text, with Arabic-Indic digits in Arabic."""
    s = "" if value is None else str(value)
    return s.translate(_DIGITS) if lang == "ar" else s


def counted(lang: str, n: int, word: str) -> str:
    """'3 articles' / '٣ مقالات' ('1 article', 'مقال واحد'; 'مقالان'; '١١ مقالًا')."""
    if lang != "ar" or word not in COUNTED:
        return f"{n} {word}{'' if n == 1 else 's'}"
    one, two, few, many, gender = COUNTED[word]
    k = abs(int(n)) % 100
    if n == 1:
        return f"{one} {'واحدة' if gender == 'f' else 'واحد'}"
    if n == 2:
        return two
    if 3 <= k <= 10:
        return f"{digits(lang, n)} {few}"
    if 11 <= k <= 99:
        return f"{digits(lang, n)} {many}"
    return f"{digits(lang, n)} {one}"


def switch_links(request) -> dict[str, str]:
    """The current page's address in each language (its query kept, ``lang`` replaced)."""
    base = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {lang: "?" + urlencode(base + [("lang", lang)]) for lang in LANGS}


def _lang(ctx) -> str:
    return ctx.get("lang") or _RENDERING.get()


class rendering:
    """``with rendering(lang):`` the templates rendered inside speak ``lang``."""

    def __init__(self, lang: str):
        self.lang = lang

    def __enter__(self):
        self.token = _RENDERING.set(self.lang)
        return self

    def __exit__(self, *exc):
        _RENDERING.reset(self.token)
        return False


def safe_url(url) -> str:
    """``url`` when it is an absolute http(s) address, else '' (never ``javascript:``, ``data:``,
    a relative or a filesystem path)."""
    if not isinstance(url, str):
        return ""
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in u for c in "\x00\n\r\t "):
        return ""
    return u


@jinja2.pass_context
def _outlet(ctx, name) -> str:
    """An outlet's name to show: the outlet table's canonical name (its Arabic name in Arabic)."""
    from ..outlets import outlet_table

    if not name:
        return ""
    o = outlet_table().resolve(name)
    if o is None:
        return name
    return (o.name_ar or o.name_en) if _lang(ctx) == "ar" else o.name_en


@jinja2.pass_context
def _gettext(ctx, text: str, **kw) -> str:
    out = translate(_lang(ctx), text)
    return out.format(**kw) if kw else out


@jinja2.pass_context
def _num(ctx, value) -> str:
    return digits(_lang(ctx), value)


@jinja2.pass_context
def _n(ctx, n, word: str) -> str:
    return counted(_lang(ctx), n, word)


def install(env: jinja2.Environment) -> None:
    """Give the templates ``_()``, ``|num`` and a language-aware ``|n``."""
    env.globals["_"] = _gettext
    env.filters["num"] = _num
    env.filters["n"] = _n
    env.filters["outlet"] = _outlet
    env.filters["safe_url"] = safe_url


def cookie_to_set(request) -> Optional[str]:
    """The language to keep in the cookie when the request chose one with ``?lang=``."""
    q = request.query_params.get("lang")
    return q if q in LANGS and request.cookies.get(COOKIE) != q else None
