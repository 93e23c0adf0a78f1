"""HTML → main text and metadata, through trafilatura (no network: the page is parsed as given)."""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass

from marsad.errors import InputError

log = logging.getLogger(__name__)

__all__ = ["HtmlExtract", "extract_html"]


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None
    published: datetime.date | None
    sitename: str | None
    url: str | None
    author: str | None


_TITLE_SEP = re.compile(r"\s+[-–—|:»]\s+")


def _strip_site(title: str | None, sitename: str | None) -> str | None:
    """'Headline - Site name' → 'Headline' when the tail is the site name."""
    if not title:
        return title
    title = " ".join(title.split())
    if sitename:
        parts = _TITLE_SEP.split(title)
        if len(parts) > 1:
            tail = parts[-1].strip().lower()
            site = sitename.strip().lower()
            if tail and (tail in site or site in tail):
                head = title[: title.rfind(parts[-1])].rstrip(" -–—|:»")
                if head:
                    return head
    return title


def _error(reason: str, msg: str) -> InputError:
    e = InputError(msg)
    e.reason = reason  # type: ignore[attr-defined]
    return e


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """The article's main text (plain, one paragraph a line) and its metadata.

    Raises :class:`InputError` with reason ``no-text`` when the page holds no article text
    (e.g. it is all script, or a navigation page)."""
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            favor_precision=False,
            include_tables=True,
            with_metadata=True,
            output_format="python",  # extensive date search guesses (year-only → 1 Jan): off
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        raise _error(
            "bad-html",
            f"the HTML could not be parsed ({type(exc).__name__}: {exc}); check that the file is a complete HTML page",
        ) from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise _error(
            "no-text",
            "no article text found in the HTML (the page is empty, all script, or only "
            "navigation); save the article page itself, or give its text as .txt",
        )
    published = None
    raw_date = getattr(doc, "date", None)
    if raw_date:
        try:
            published = datetime.date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            log.debug("unparsable HTML date %r", raw_date)
    sitename = getattr(doc, "sitename", None) or None
    title = _strip_site(getattr(doc, "title", None), sitename)
    return HtmlExtract(
        text=text,
        title=title or None,
        published=published,
        sitename=sitename,
        url=getattr(doc, "url", None) or url,
        author=getattr(doc, "author", None) or None,
    )
