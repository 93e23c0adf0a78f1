"""The ANT/TREC format (``<DOC><DOCNO>…<TEXT>…</TEXT></DOC>``), recognised by its content whatever
the extension: a whole decoded file, or — when it is larger than one article may be — a stream read
one ``<DOC>`` at a time."""

from __future__ import annotations

import datetime
import html as htmllib
import re
from pathlib import Path
from typing import IO, Iterator

from marsad.errors import InputError
from marsad.ingest.decode import decode_bytes
from marsad.ingest.records import MAX_ARTICLE_BYTES, RawDoc, Reject

from .common import MAX_LINE, READ_ERRORS, Item, date_fields, read_failed, read_opened, reason, too_large

_TREC_HEAD = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<DOC>", re.IGNORECASE)


def is_trec_bytes(head: bytes) -> bool:
    return bool(_TREC_HEAD.match(head))


_DOC_FIELD = re.compile(
    r"<(DOCNO|DOCID|URL|SRC|SOURCE|CAT|CATEGORY|TITLE|HEADLINE|HEADER|TIME|DATE|DATE_TIME|AUTHOR|BYLINE|"
    r"ABSTRACT|TEXT|BODY)>(.*?)</\1\s*>",
    re.DOTALL | re.IGNORECASE,
)
_INNER_TAG = re.compile(r"</?(?:P|p)\s*>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


def _trec_doc(block: str, n: int, stem: str, src: str, default: datetime.date | None) -> Item:
    fields: dict[str, str] = {}
    for m in _DOC_FIELD.finditer(block):
        fields.setdefault(m.group(1).upper(), m.group(2))
    docno = (fields.get("DOCNO") or fields.get("DOCID") or "").strip() or f"{stem}-{n}"
    where = f"{src}#{docno}"
    text = fields.get("TEXT") or fields.get("BODY")
    if text is None:
        return Reject(
            where,
            "missing-field",
            f"TREC document {n} has no <TEXT> element; every <DOC> needs its text in <TEXT>…</TEXT>",
        )
    text = _INNER_TAG.sub("\n", text).strip("\r\n")
    if _ENTITY.search(text):
        text = htmllib.unescape(text)
    if not text.strip():
        return Reject(where, "empty", f"TREC document {docno} has an empty <TEXT>; remove it or fill it")
    if len(text) > MAX_ARTICLE_BYTES:
        return too_large(where, len(text.encode("utf-8")))

    def f(*names: str) -> str | None:
        for nm in names:
            v = fields.get(nm)
            if v is not None and v.strip():
                v = " ".join(v.split())
                return htmllib.unescape(v) if _ENTITY.search(v) else v
        return None

    meta: list[tuple[str, str]] = []
    published, basis = date_fields(f("TIME", "DATE", "DATE_TIME"), "record", default, meta)
    for key, names in (("category", ("CAT", "CATEGORY")), ("author", ("AUTHOR", "BYLINE"))):
        v = f(*names)
        if v:
            meta.append((key, v))
    return RawDoc(
        id=docno,
        source=where,
        text=text,
        title=f("TITLE", "HEADLINE", "HEADER"),
        published=published,
        published_basis=basis,
        outlet=f("SRC", "SOURCE"),
        url=f("URL"),
        meta=tuple(meta),
    )


_DOC_BLOCK = re.compile(r"<DOC>(.*?)</DOC>", re.DOTALL | re.IGNORECASE)
_DOC_OPEN = re.compile(r"<DOC>", re.IGNORECASE)
_DOCNO = re.compile(r"\s*<DOCNO>([^<]{1,200})</DOCNO>", re.IGNORECASE)


def trec_text(text: str, stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    n, end = 0, 0
    for n, m in enumerate(_DOC_BLOCK.finditer(text), 1):
        yield _trec_doc(m.group(1), n, stem, src, default)
        end = m.end()
    tail = _DOC_OPEN.search(text, end)
    if tail is not None:
        docno = _DOCNO.match(text, tail.end())
        which = docno.group(1).strip() if docno else str(n + 1)
        yield Reject(
            f"{src}#{which}",
            "bad-trec",
            f"TREC document {n + 1} ({which}) is not closed by </DOC>: "
            "the file is truncated; this document was not read",
        )
    elif n == 0:
        yield Reject(
            src, "bad-trec", "the file starts like TREC (<DOC>) but holds no complete <DOC>…</DOC>; it may be truncated"
        )


def trec_stream(path: Path, gz: bool, stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    """A TREC file too big to read whole: one <DOC> at a time (each decoded on its own)."""
    yield from read_opened(path, gz, src, lambda f: _trec_docs(f, stem, src, default))


def _trec_docs(f: IO[bytes], stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    n, buf, size, inside = 0, [], 0, False
    at_start = True  # whether `line` begins a line (long lines arrive in pieces of MAX_LINE bytes)
    try:
        while line := f.readline(MAX_LINE):
            starts, at_start = at_start, line.endswith(b"\n")
            if not inside:
                if starts and line.lstrip(b"\xef\xbb\xbf \t").upper().startswith(b"<DOC>"):
                    inside, buf, size = True, [line], len(line)
                continue
            size += len(line)
            if size <= MAX_ARTICLE_BYTES:
                buf.append(line)
            if starts and line.strip().upper().startswith(b"</DOC>"):
                n += 1
                inside = False
                if size > MAX_ARTICLE_BYTES:
                    yield too_large(f"{src}#{n}", size)
                    continue
                try:
                    block, _ = decode_bytes(b"".join(buf))
                except InputError as exc:
                    yield Reject(f"{src}#{n}", reason(exc), f"TREC document {n}: {exc}")
                    continue
                m = _DOC_BLOCK.search(block)
                if m:
                    yield _trec_doc(m.group(1), n, stem, src, default)
    except READ_ERRORS as exc:
        # the document being read (if any) and the rest of the file are this one ledger row
        yield read_failed(src, exc, f"the gzip data is corrupt or truncated after document {n} ({exc})")
        return
    if inside:
        yield Reject(f"{src}#{n + 1}", "bad-trec", "the last <DOC> is not closed by </DOC>: the file is truncated")
    elif n == 0:
        yield Reject(src, "bad-trec", "no complete <DOC>…</DOC> found")
