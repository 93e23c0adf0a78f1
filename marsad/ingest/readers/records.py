"""JSON records: ``.jsonl``/``.ndjson`` (one record a line, read line by line) and ``.json`` (one
object, an array, or JSON lines), each record turned into a :class:`RawDoc` or a :class:`Reject`."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import IO, Iterator

from marsad.errors import InputError
from marsad.ingest.decode import decode_bytes
from marsad.ingest.records import MAX_ARTICLE_BYTES, RawDoc, Reject

from .common import (
    READ_ERRORS,
    Item,
    date_fields,
    extra_meta,
    first_value,
    open_bytes,
    opt_str,
    peek,
    read_capped,
    read_failed,
    read_opened,
    reason,
    too_large,
)

_MAX_JSON_FILE = 64 * 1024 * 1024  # a .json array is parsed whole; bigger ones should be JSONL
MAX_RECORDS_PER_FILE = 2_000_000  # records read from one JSON lines file or JSON array
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


_LONE = re.compile("[\ud800-\udfff]")


class UnparsableJSON(ValueError):
    """Valid-looking JSON that Python's parser refuses (nesting too deep, an integer too long)."""

    def __init__(self, reason: str, msg: str):
        super().__init__(msg)
        self.reason = reason


def loads(s: str) -> object:
    """``json.loads`` whose every failure is a JSONDecodeError or an :class:`UnparsableJSON`, and
    whose strings hold no lone surrogates (an escaped ``\\ud800`` that is no character becomes
    U+FFFD, so the record can still be stored as UTF-8)."""
    try:
        obj = json.loads(s)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise UnparsableJSON(
            "too-deep",
            "the JSON is nested deeper than the parser allows (about 1,000 levels); an article record is a flat object",
        ) from None
    except ValueError as exc:  # e.g. an integer literal of more than 4,300 digits
        raise UnparsableJSON("bad-json", f"the JSON cannot be parsed ({exc}); fix the record") from None
    if _SURROGATE_ESCAPE.search(s):
        obj = _no_surrogates(obj)
    return obj


def _no_surrogates(v: object) -> object:
    if isinstance(v, str):
        return _LONE.sub("\ufffd", v)
    if isinstance(v, list):
        return [_no_surrogates(x) for x in v]
    if isinstance(v, dict):
        return {_no_surrogates(k): _no_surrogates(x) for k, x in v.items()}
    return v


def record(rec: dict, *, fallback_id: str, src: str, basis: str, default: datetime.date | None) -> Item:
    text, htm = rec.get("text"), rec.get("html")
    if text is None and htm is None:
        return Reject(
            src,
            "missing-field",
            "the record has neither a 'text' nor an 'html' field; "
            "give the article text under 'text' (or the page under 'html')",
        )
    for name, v in (("text", text), ("html", htm)):
        if v is not None and not isinstance(v, str):
            return Reject(
                src,
                "bad-field",
                f"the '{name}' field is a {type(v).__name__}, not a string; give the article as one string",
            )
    if isinstance(text, str) and text.strip():
        htm = None
    elif isinstance(htm, str) and htm.strip():
        text = None
    else:
        return Reject(src, "empty", "the record's text is empty; remove the record or fill its 'text' field")
    if len(text or htm or "") > MAX_ARTICLE_BYTES:
        return too_large(src, len((text or htm or "").encode("utf-8")))
    meta: list[tuple[str, str]] = []
    pub = first_value(rec, ("published", "published_raw", "date", "published_at"))
    published, pbasis = date_fields(pub, basis, default, meta)
    extra_meta(rec, meta)
    rid = opt_str(rec.get("id")) or fallback_id
    return RawDoc(
        id=rid,
        source=src,
        text=text,
        html=htm,
        title=opt_str(rec.get("title") or rec.get("headline")),
        published=published,
        published_basis=pbasis,
        outlet=opt_str(rec.get("outlet") or rec.get("source")),
        url=opt_str(rec.get("url") or rec.get("link")),
        meta=tuple(meta),
    )


def _numbered(rec: object, n: int, stem: str, src: str, default: datetime.date | None, not_object: str) -> Item:
    """Record ``n`` of a JSONL file or a JSON array (source ``SRC:n``, id ``STEM-n`` unless it has
    one); ``not_object`` (formatted with ``n`` and ``kind``) is the reject detail when it is no object."""
    where = f"{src}:{n}"
    if not isinstance(rec, dict):
        return Reject(where, "bad-json", not_object.format(n=n, kind=type(rec).__name__))
    return record(rec, fallback_id=f"{stem}-{n}", src=where, basis="record", default=default)


def _jsonl(f: IO[bytes], stem: str, src: str, default: datetime.date | None, first: int = 1) -> Iterator[Item]:
    lineno = first - 1
    records = 0
    while True:
        try:
            line = f.readline(MAX_ARTICLE_BYTES + 1)
        except READ_ERRORS as exc:
            yield read_failed(
                src, exc, f"the gzip data is corrupt or truncated after line {lineno} ({exc}); re-compress it"
            )
            return
        if not line:
            return
        lineno += 1
        where = f"{src}:{lineno}"
        if len(line) > MAX_ARTICLE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the over-long line
                line = f.readline(1 << 20)
            yield too_large(where, None)
            continue
        if not line.strip():
            continue
        try:
            s = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError:
            try:
                s, _ = decode_bytes(line)
            except InputError as exc:
                yield Reject(where, reason(exc), f"line {lineno}: {exc}")
                continue
        try:
            rec = loads(s)
        except json.JSONDecodeError as exc:
            yield Reject(
                where,
                "bad-json",
                f"line {lineno} is not valid JSON ({exc.msg} at column {exc.colno}); "
                "each line must be one JSON object — fix or remove this line",
            )
            continue
        except UnparsableJSON as exc:
            yield Reject(where, exc.reason, f"line {lineno}: {exc}")
            continue
        if records >= MAX_RECORDS_PER_FILE:
            yield Reject(
                f"{src}:{lineno}-",
                "too-many-records",
                f"the file holds more than {MAX_RECORDS_PER_FILE:,} records; the rest from line {lineno} on "
                "was not read — split the file",
            )
            return
        records += 1
        yield _numbered(
            rec,
            lineno,
            stem,
            src,
            default,
            "line {n} holds a JSON {kind}, not an object; each line must be one object with an 'id' and a 'text'",
        )


def read_jsonl(path: Path, gz: bool, stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    yield from read_opened(path, gz, src, lambda f: _jsonl(f, stem, src, default))


def read_json(path: Path, gz: bool, stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    head = peek(path, gz, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        try:
            size = None if gz else path.stat().st_size
            with open_bytes(path, gz) as f:
                data = f.read(_MAX_JSON_FILE + 1)
        except READ_ERRORS as exc:
            yield read_failed(src, exc, f"the gzip data is corrupt ({exc}); re-compress it")
            return
        if len(data) > _MAX_JSON_FILE:
            yield Reject(
                src,
                "too-large",
                f"a JSON array of {size or len(data)} bytes is too large to parse whole; "
                "write it as JSON lines (.jsonl), one article per line",
            )
            return
        try:
            items = loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield Reject(src, "bad-json", f"the file is not valid UTF-8 JSON ({exc}); fix it or write it as JSON lines")
            return
        except UnparsableJSON as exc:
            yield Reject(src, exc.reason, str(exc))
            return
        if not isinstance(items, list):
            yield Reject(
                src, "bad-json", "the file starts like a JSON array but is not one; fix it or write it as JSON lines"
            )
            return
        if len(items) > MAX_RECORDS_PER_FILE:
            yield Reject(
                src,
                "too-many-records",
                f"the array holds {len(items):,} records, more than "
                f"{MAX_RECORDS_PER_FILE:,}; split it or write it as JSON lines",
            )
            return
        for i, rec in enumerate(items, 1):
            yield _numbered(rec, i, stem, src, default, "item {n} of the array is not an object")
        return
    # one pretty-printed object, or JSON lines
    data = read_capped(path, gz, src)
    if isinstance(data, bytes):
        try:
            obj = loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, UnparsableJSON):
            obj = None
        if isinstance(obj, dict):
            yield record(obj, fallback_id=stem, src=src, basis="record", default=default)
            return
    yield from read_jsonl(path, gz, stem, src, default)
