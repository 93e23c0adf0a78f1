"""Single-article files: ``.txt`` (any encoding :func:`decode_bytes` reads) and ``.html``/``.htm``,
with the ``NAME.meta.json`` sidecar next to them (``published``, ``outlet``, ``url``, ``title``,
anything else → meta).  A file that turns out to hold TREC documents is handed to :mod:`.trec`."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Iterator

from marsad.errors import InputError
from marsad.ingest.decode import decode_bytes
from marsad.ingest.records import MAX_ARTICLE_BYTES, RawDoc, Reject

from .common import (
    HTML_EXT,
    SIDECAR,
    Item,
    date_fields,
    extra_meta,
    first_value,
    opt_str,
    peek,
    read_capped,
    reason,
    too_large,
    unreadable,
)
from .trec import is_trec_bytes, trec_stream, trec_text


# ------------------------------------------------------------------ sidecar
def _sidecar_path(path: Path, stem: str) -> Path:
    return path.with_name(stem + SIDECAR)


def _read_sidecar(sc: Path) -> dict | Reject | None:
    try:
        if not sc.is_file():
            return None
        if sc.stat().st_size > MAX_ARTICLE_BYTES:
            return too_large(str(sc), sc.stat().st_size)
        data = json.loads(sc.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        return unreadable(str(sc), exc)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Reject(
            str(sc),
            "bad-sidecar",
            f"the sidecar is not valid UTF-8 JSON ({exc}); fix it "
            '(an object such as {"published": "2019-09-21", "outlet": "…"}) — the article was read without it',
        )
    if not isinstance(data, dict):
        return Reject(
            str(sc),
            "bad-sidecar",
            "the sidecar must hold one JSON object with fields such as "
            "published, outlet, url; the article was read without it",
        )
    return data


# ------------------------------------------------------------------ single-article files
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _decode_html(data: bytes) -> tuple[str, str]:
    try:
        return decode_bytes(data)
    except InputError as exc:
        m = _META_CHARSET.search(data[:4096])
        if m and reason(exc) == "bad-encoding":
            try:
                return data.decode(m.group(1).decode("ascii")), m.group(1).decode("ascii")
            except (LookupError, UnicodeDecodeError):
                pass
        raise


def read_single(path: Path, gz: bool, stem: str, ext: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    if not gz:
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield unreadable(src, exc)
            return
        if size == 0:
            yield Reject(src, "empty", "the file is empty (0 bytes); remove it or re-export the article")
            return
        if size > MAX_ARTICLE_BYTES:
            if is_trec_bytes(peek(path, gz)):
                yield from trec_stream(path, gz, stem, src, default)
            else:
                yield too_large(src, size)
            return
    data = read_capped(path, gz, src)
    if isinstance(data, Reject):
        if data.reason == "too-large" and is_trec_bytes(peek(path, gz)):
            yield from trec_stream(path, gz, stem, src, default)
        else:
            yield data
        return
    if not data:
        yield Reject(src, "empty", "the file is empty (0 bytes); remove it or re-export the article")
        return
    try:
        text, enc = (_decode_html if ext in HTML_EXT else decode_bytes)(data)
    except InputError as exc:
        yield Reject(src, reason(exc), str(exc))
        return
    if text.lstrip()[:5].upper() == "<DOC>":
        yield from trec_text(text, stem, src, default)
        return
    if not text.strip():
        yield Reject(src, "empty", "the file holds only white space; remove it or re-export the article")
        return
    meta: list[tuple[str, str]] = [("encoding", enc)] if enc not in ("utf-8", "ascii") else []
    title = outlet = url = None
    published, basis = None, ""
    side = _read_sidecar(_sidecar_path(path, stem))
    if isinstance(side, Reject):
        yield side
        side = None
    if side:
        title, outlet, url = opt_str(side.get("title")), opt_str(side.get("outlet")), opt_str(side.get("url"))
        pub = first_value(side, ("published", "published_raw", "date"))
        published, basis = date_fields(pub, "sidecar", None, meta)
        extra_meta(side, meta)
    if published is None and default is not None:
        published, basis = default, "option"
    # an HTML page saved under another name is still read as HTML
    is_html = ext in HTML_EXT or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
    yield RawDoc(
        id=stem,
        source=src,
        text=None if is_html else text,
        html=text if is_html else None,
        title=title,
        published=published,
        published_basis=basis,
        outlet=outlet,
        url=url,
        meta=tuple(meta),
    )
