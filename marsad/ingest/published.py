"""An article's publication date, wherever it is written: the package's one date finder.

* :func:`parse_date` reads a record's or sidecar's value (or ``--published``): ISO dates and
  timestamps, RFC 2822, 'YYYYMMDD', day-first 'DD/MM/YYYY'; strict (no date guessed in free text).
* :func:`line_date` reads a date-only line of an article's head ('الأحد 12 تشرين الأول 2025'),
  as the cleaner finds it (:mod:`marsad.ingest.clean`); :func:`choose_published` says which of
  the record's date, the page's metadata and that line wins (basis 'record', 'sidecar',
  'html-meta', 'dateline', 'option').
* :func:`find_published` dates an article that none of those did:
  ``find_published(text=None, html=None, meta=None, url=None) -> (date | None, basis)``; the basis
  names where the date came from ('meta:published_raw', 'html:json-ld datePublished',
  'html:meta article:published_time', 'html:time', 'url', 'htmldate', 'dateline', …).

:func:`find_published`'s order: explicit metadata, then the page's machine-readable publication
fields, then a date in the URL, then htmldate (if installed, offline, ``extensive_search=False``),
then a dateline in the first or last lines of the text (read by the time extractor,
:func:`marsad.extract.time.find_times`).  Timestamps keep the date *as written in the outlet's own
offset*: when one field gives UTC ('2020-12-24T23:59:50+00:00') and another gives the same instant
with a local offset ('2020-12-25T01:59:50+02:00'), the local date wins.  Dates labelled as updates
(آخر تحديث، modified) are never used.

Month names and digits are those of :mod:`marsad.text.calendar`.
"""

from __future__ import annotations

import html as htmllib
import json
import logging
import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate, parsedate_to_datetime
from types import MappingProxyType
from typing import Optional
from urllib.parse import unquote

from marsad.text.calendar import MONTHS, fold_digits, numbered
from marsad.text.normalize import norm_key

__all__ = ["parse_date", "line_date", "choose_published", "find_published"]

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- a record's value
_REC_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_]|[+-]\d|Z)")
_REC_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|[T\s])")
_REC_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:$|\s)")


def _mk(y: str | int, m: str | int, d: str | int) -> date | None:
    try:
        y, m, d = int(y), int(m), int(d)
        if not 1800 <= y <= 2200:
            return None
        return date(y, m, d)
    except (ValueError, TypeError):
        return None


def parse_date(value: object) -> date | None:
    """A calendar date from a record value, or None when it cannot be read.

    Accepts ``date``/``datetime`` objects, ISO dates and timestamps ('2018-05-05', '2018-05-05T10:01:50Z'),
    RFC 2822 ('Sat, 05 May 2018 10:01:50 GMT' — the date as written, not shifted to UTC),
    'YYYY/MM/DD', 'YYYYMMDD' and day-first 'DD/MM/YYYY'.  Arabic-Indic digits are read."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    s = fold_digits(value).strip()
    if not s:
        return None
    for rx in (_REC_ISO, _REC_COMPACT):
        m = rx.match(s)
        if m:
            return _mk(*m.groups())
    m = _REC_DMY.match(s)
    if m:
        return _mk(m.group(3), m.group(2), m.group(1))
    t = parsedate(s)
    if t:
        return _mk(t[0], t[1], t[2])
    return None


# ---------------------------------------------------------------- a date-only line in the head
# the months' names in wide use and their English names (not the regional variants: see
# marsad.text.calendar.MONTHS), as norm_key folds them
_LINE_MONTHS = MappingProxyType(
    {
        **numbered(((m.number, m.latin) for m in MONTHS), str),
        **numbered(((m.number, m.arabic) for m in MONTHS), norm_key),
    }
)
_MONTH_ALT = "|".join(sorted((re.escape(k) for k in _LINE_MONTHS), key=len, reverse=True))
_DMY_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s+(?:من\s+)?(" + _MONTH_ALT + r")\s*[,،]?\s+(\d{4})(?!\d)", re.IGNORECASE)
_NUMERIC = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}")


def line_date(key: str) -> date | None:
    """The calendar date of a date-only head line ('الأحد 12 تشرين الأول 2025', '2019-09-21 10:30',
    '21/09/2019'), or None.  ``key`` is the line's :func:`marsad.text.normalize.norm_key`."""
    k = fold_digits(key)
    m = _DMY_WORDS.search(k)
    if m:
        try:
            return date(int(m.group(3)), _LINE_MONTHS[m.group(2).lower()], int(m.group(1)))
        except (ValueError, KeyError):
            return None
    m = _NUMERIC.search(k)
    return parse_date(m.group(0)) if m else None


def choose_published(
    published: date | None, basis: str, page: date | None, dateline: date | None
) -> tuple[date | None, str]:
    """The record's (or sidecar's) date and its basis, unless the page's own date beats it: the
    page's metadata (``page``, basis 'html-meta'), else a date-only line in its head
    (``dateline``, basis 'dateline').  Either beats the run-wide ``--published`` default (basis
    'option'), neither a record's or sidecar's date.  The basis is '' when no date is known."""
    for d, b in ((page, "html-meta"), (dateline, "dateline")):
        if d and (published is None or basis == "option"):
            published, basis = d, b
    return published, basis if published else ""


# ---------------------------------------------------------------- an article no line dated
_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?:[T ](?P<H>\d\d):(?P<M>\d\d)(?::(?P<S>\d\d))?"
    r"(?:\.\d+)?\s*(?P<tz>Z|[+-]\d\d:?\d\d)?)?"
)
_META_KEYS = (
    "published",
    "published_raw",
    "publish_date",
    "published_date",
    "datePublished",
    "date_published",
    "pubdate",
    "date",
    "created",
)
_HTML_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published_time",
    "date",
)
_TAG_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r'([\w:.\-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')', re.S)
_JSONLD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
_JSON_PUB = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_TIME = re.compile(r"<time\b([^>]*)>", re.I)
_URL_PATTERNS = (
    re.compile(r"/((?:19|20)\d\d)[/\-_]?(0[1-9]|1[0-2])[/\-_]?(0[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"/((?:19|20)\d\d)/(?:[a-z_\-]+/)?(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/"),
    re.compile(r"[/\-_]((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?!\d)"),
)
_UPDATE = re.compile(r"تحديث|محدث|عدل|modif|updat", re.I)


class _Stamp:
    """A parsed timestamp: the date as written and its UTC offset (None if not given)."""

    def __init__(self, written: date, offset: Optional[timedelta], instant: Optional[datetime]):
        self.written, self.offset, self.instant = written, offset, instant


def parse_timestamp(s: str) -> Optional[_Stamp]:
    """ISO 8601 ('2020-06-03T03:01+0400', '2020-12-01 02:00:00'), RFC 2822 or an Arabic date."""
    if not s:
        return None
    s = s.strip()
    m = _ISO.search(s)
    if m:
        try:
            d = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            d = None
        if d:
            off = inst = None
            if m["tz"]:
                tz = m["tz"]
                if tz == "Z":
                    off = timedelta(0)
                else:
                    sign = -1 if tz[0] == "-" else 1
                    digits = tz[1:].replace(":", "")
                    off = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if m["H"]:
                inst = datetime(
                    d.year,
                    d.month,
                    d.day,
                    int(m["H"]),
                    int(m["M"]),
                    int(m["S"] or 0),
                    tzinfo=timezone(off) if off is not None else None,
                )
            return _Stamp(d, off, inst)
    try:
        dt = parsedate_to_datetime(s)
        return _Stamp(dt.date(), dt.utcoffset(), dt)
    except (TypeError, ValueError, IndexError):
        pass
    d = _absolute_day(s)
    return _Stamp(d, None, None) if d else None


def _absolute_day(s: str) -> Optional[date]:
    """The first full absolute date the time extractor reads in ``s``.  (Imported here: its
    patterns take ~0.1 s to compile, and most articles are dated before they are needed.)"""
    from marsad.extract.time import find_times

    for t in find_times(s, None):
        if t.precision == "day" and t.value and t.anchor is None:
            return date.fromisoformat(t.value)
    return None


def _prefer_local(stamps: list[tuple[str, _Stamp]]) -> tuple[str, _Stamp]:
    """The first stamp, unless it is UTC and another names the same instant in a local offset."""
    basis, best = stamps[0]
    if best.offset == timedelta(0) and best.instant is not None:
        for b, s in stamps[1:]:
            if (
                s.offset not in (None, timedelta(0))
                and s.instant is not None
                and abs((s.instant - best.instant).total_seconds()) <= 60
            ):
                return b, s
    return basis, best


def from_meta(meta: dict) -> Optional[tuple[date, str]]:
    for k in _META_KEYS:
        v = meta.get(k)
        if isinstance(v, (date, datetime)):
            return (v.date() if isinstance(v, datetime) else v), f"meta:{k}"
        if isinstance(v, str) and (st := parse_timestamp(v)):
            return st.written, f"meta:{k}"
    return None


def _attrs(tag: str) -> dict:
    return {k.lower(): htmllib.unescape(a if a else b) for k, a, b in _ATTR.findall(tag)}


def html_stamps(html: str) -> list[tuple[str, _Stamp]]:
    """Publication timestamps in the page, best first."""
    out: list[tuple[str, _Stamp]] = []
    for block in _JSONLD.findall(html):
        vals = []
        try:
            vals = _walk_jsonld(json.loads(block.strip()))
        except ValueError:
            vals = _JSON_PUB.findall(block)
        for v in vals:
            if st := parse_timestamp(v):
                out.append(("html:json-ld datePublished", st))
    metas = []
    for tag in _TAG_META.findall(html):
        a = _attrs(tag)
        name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        if name in _HTML_META and a.get("content"):
            metas.append((_HTML_META.index(name), name, a["content"]))
    for _, name, content in sorted(metas):
        if st := parse_timestamp(content):
            out.append((f"html:meta {name}", st))
    for m in _TIME.finditer(html):
        a = _attrs(m.group(1))
        label = " ".join([a.get("class", ""), a.get("itemprop", "")])
        if a.get("datetime") and not _UPDATE.search(label) and (st := parse_timestamp(a["datetime"])):
            key = (
                "html:time datePublished"
                if "datepublished" in label.lower() or "publish" in label.lower()
                else "html:time"
            )
            out.append((key, st))
    # ranked: JSON-LD and meta first, then <time> marked as published, then any <time>
    rank = {"html:json-ld datePublished": 0, "html:time datePublished": 2, "html:time": 3}
    out.sort(key=lambda x: rank.get(x[0], 1))
    return out


def _walk_jsonld(obj) -> list[str]:
    vals = []
    if isinstance(obj, dict):
        v = obj.get("datePublished")
        if isinstance(v, str):
            vals.append(v)
        for x in obj.values():
            if isinstance(x, (dict, list)):
                vals.extend(_walk_jsonld(x))
    elif isinstance(obj, list):
        for x in obj:
            vals.extend(_walk_jsonld(x))
    return vals


def _page_url(html: str) -> Optional[str]:
    for pat in (
        r'<link[^>]+rel="canonical"[^>]*href="([^"]+)"',
        r'<link[^>]+href="([^"]+)"[^>]*rel="canonical"',
        r'<meta[^>]+property="og:url"[^>]*content="([^"]+)"',
    ):
        m = re.search(pat, html, re.I)
        if m:
            return m.group(1)
    return None


def from_url(url: Optional[str]) -> Optional[date]:
    if not url:
        return None
    u = unquote(url)
    for rx in _URL_PATTERNS:
        for m in rx.finditer(u):
            try:
                d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            return d
    return None


def from_dateline(text: str) -> Optional[date]:
    """A full absolute date on one of the first five or last three short lines of the text
    ('دمشق - 3 آب 2017', '2017-08-03', 'الأربعاء، 28 آب 2013'), skipping update stamps."""
    lines = [l for l in text.splitlines() if l.strip()]
    for line in lines[:5] + lines[-3:]:
        if len(line) > 120 or _UPDATE.search(line):
            continue
        if d := _absolute_day(line):
            return d
        if m := _ISO.search(line):
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                pass
    return None


def _htmldate(html: str, url: Optional[str]) -> Optional[date]:
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        v = find_date(html, url=url, extensive_search=False, original_date=True)
    except Exception as e:  # htmldate raises assorted errors on odd pages
        log.debug("htmldate failed: %s", e)
        return None
    return date.fromisoformat(v) if v else None


def find_published(
    text: Optional[str] = None, html: Optional[str] = None, meta: Optional[dict] = None, url: Optional[str] = None
) -> tuple[Optional[date], str]:
    """The publication date and its basis; ``(None, '')`` when nothing dates the article."""
    meta = meta or {}
    if r := from_meta(meta):
        return r
    url = url or meta.get("url")
    if html:
        stamps = html_stamps(html)
        if stamps:
            basis, st = _prefer_local(stamps)
            return st.written, basis
        url = url or _page_url(html)
    if d := from_url(url):
        return d, "url"
    if html and (d := _htmldate(html, url)):
        return d, "htmldate"
    if text and (d := from_dateline(text)):
        return d, "dateline"
    return None, ""
