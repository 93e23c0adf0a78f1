"""Readers: paths → a stream of :class:`RawDoc` and :class:`Reject`.

Formats: ``.txt`` (any encoding :func:`decode_bytes` reads), ``.html``/``.htm``, ``.jsonl``/``.ndjson``
(one record a line, read line by line), ``.json`` (one object, an array, or JSON lines), the
ANT/TREC format (``<DOC><DOCNO>…<TEXT>…</TEXT></DOC>``, recognised by its content whatever the
extension) and any of those gzipped (``NAME.txt.gz``).  Folders are walked recursively in sorted
order; hidden entries (``.name``) are skipped.  ``NAME.meta.json`` next to ``NAME.txt``/``NAME.html``
is that article's sidecar (``published``, ``outlet``, ``url``, ``title``, anything else → meta).

Every input yields documents or rejects; nothing raises.  One article (file, JSONL line or TREC
document) may be at most :data:`MAX_ARTICLE_BYTES`; larger ones are rejected ``too-large``
without being read whole.
"""
from __future__ import annotations

import datetime
import gzip
import html as htmllib
import json
import logging
import os
import re
import zlib
from pathlib import Path
from typing import IO, Iterable, Iterator

from marsad.errors import InputError
from marsad.ingest.dates import parse_date
from marsad.ingest.decode import decode_bytes, looks_binary
from marsad.ingest.records import MAX_ARTICLE_BYTES, RawDoc, Reject

log = logging.getLogger(__name__)

__all__ = ["read_inputs", "parse_date", "SUPPORTED"]

TEXT_EXT = (".txt", ".text")
HTML_EXT = (".html", ".htm", ".xhtml")
JSONL_EXT = (".jsonl", ".ndjson")
JSON_EXT = (".json",)
TREC_EXT = (".trec", ".sgml", ".xml")
SIDECAR = ".meta.json"
SUPPORTED = TEXT_EXT + HTML_EXT + JSONL_EXT + JSON_EXT + TREC_EXT
_SIDECAR_FOR = TEXT_EXT + HTML_EXT
_MAX_JSON_FILE = 64 * 1024 * 1024     # a .json array is parsed whole; bigger ones should be JSONL

Item = RawDoc | Reject


# ------------------------------------------------------------------ helpers
def _split_name(name: str) -> tuple[str, str, bool]:
    """'a.txt.gz' → ('a', '.txt', True); 'a.meta.json' → ('a', '.meta.json', False)."""
    low = name.lower()
    gz = low.endswith(".gz")
    if gz:
        name, low = name[:-3], low[:-3]
    if low.endswith(SIDECAR):
        return name[: -len(SIDECAR)], SIDECAR, gz
    dot = name.rfind(".")
    if dot <= 0:
        return name, "", gz
    return name[:dot], low[dot:], gz


def _reason(exc: InputError) -> str:
    return getattr(exc, "reason", "bad-input")


def _unreadable(src: str, exc: OSError) -> Reject:
    if isinstance(exc, PermissionError):
        return Reject(src, "unreadable", f"permission denied reading {src}; make it readable (chmod +r) or run as its owner")
    if isinstance(exc, FileNotFoundError):
        return Reject(src, "unreadable", f"no such file or directory: {src}; check the path")
    if isinstance(exc, IsADirectoryError):
        return Reject(src, "unreadable", f"{src} is a directory where a file was expected")
    return Reject(src, "unreadable", f"cannot read {src} ({exc.strerror or exc}); check the path and the disk")


def _too_large(src: str, size: int | None) -> Reject:
    got = f"{size / 1e6:.1f} MB" if size is not None else f"more than {MAX_ARTICLE_BYTES / 1e6:.0f} MB"
    return Reject(src, "too-large", f"{got} is more than one article may hold ({MAX_ARTICLE_BYTES // (1024 * 1024)} MB); "
                  "split the file into articles (one per file or one JSONL record each)")


def _open(path: Path, gz: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if gz else open(path, "rb")


def _read_capped(path: Path, gz: bool, src: str) -> bytes | Reject:
    """The whole file (decompressed), or a Reject when larger than one article may be."""
    try:
        if not gz:
            size = path.stat().st_size
            if size > MAX_ARTICLE_BYTES:
                return _too_large(src, size)
        with _open(path, gz) as f:
            data = f.read(MAX_ARTICLE_BYTES + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        return Reject(src, "bad-gzip", f"the gzip data is corrupt or truncated ({exc}); re-compress or re-download it")
    except OSError as exc:
        return _unreadable(src, exc)
    if len(data) > MAX_ARTICLE_BYTES:
        return _too_large(src, None)
    return data


def _peek(path: Path, gz: bool, n: int = 512) -> bytes:
    try:
        with _open(path, gz) as f:
            return f.read(n)
    except (OSError, EOFError, zlib.error):
        return b""


_TREC_HEAD = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<DOC>", re.IGNORECASE)


def _is_trec_bytes(head: bytes) -> bool:
    return bool(_TREC_HEAD.match(head))


def _opt_str(v: object) -> str | None:
    if v is None:
        return None
    s = str(v).strip() if not isinstance(v, str) else v.strip()
    return s or None


def _date_fields(published: object, basis: str, default: datetime.date | None,
                 meta: list[tuple[str, str]]) -> tuple[datetime.date | None, str]:
    d = parse_date(published)
    if published not in (None, "") and not isinstance(published, (datetime.date,)):
        meta.append(("published_raw", str(published)))
        if d is None:
            log.info("unreadable publication date %r", published)
    if d is not None:
        return d, basis
    if default is not None:
        return default, "option"
    return None, ""


# ------------------------------------------------------------------ sidecar
def _sidecar_path(path: Path, stem: str) -> Path:
    return path.with_name(stem + SIDECAR)


def _read_sidecar(sc: Path) -> dict | Reject | None:
    try:
        if not sc.is_file():
            return None
        if sc.stat().st_size > MAX_ARTICLE_BYTES:
            return _too_large(str(sc), sc.stat().st_size)
        data = json.loads(sc.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        return _unreadable(str(sc), exc)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Reject(str(sc), "bad-sidecar", f"the sidecar is not valid UTF-8 JSON ({exc}); fix it "
                      "(an object such as {\"published\": \"2019-09-21\", \"outlet\": \"…\"}) — the article was read without it")
    if not isinstance(data, dict):
        return Reject(str(sc), "bad-sidecar", "the sidecar must hold one JSON object with fields such as "
                      "published, outlet, url; the article was read without it")
    return data


# ------------------------------------------------------------------ records (JSONL, JSON, sidecar)
_KNOWN = {"id", "text", "html", "title", "headline", "published", "published_raw", "date", "published_at",
          "outlet", "source", "url", "link"}


def _record(rec: dict, *, fallback_id: str, src: str, basis: str, default: datetime.date | None) -> Item:
    text, htm = rec.get("text"), rec.get("html")
    if text is None and htm is None:
        return Reject(src, "missing-field", "the record has neither a 'text' nor an 'html' field; "
                      "give the article text under 'text' (or the page under 'html')")
    for name, v in (("text", text), ("html", htm)):
        if v is not None and not isinstance(v, str):
            return Reject(src, "bad-field", f"the '{name}' field is a {type(v).__name__}, not a string; "
                          "give the article as one string")
    if isinstance(text, str) and text.strip():
        htm = None
    elif isinstance(htm, str) and htm.strip():
        text = None
    else:
        return Reject(src, "empty", "the record's text is empty; remove the record or fill its 'text' field")
    if len(text or htm or "") > MAX_ARTICLE_BYTES:
        return _too_large(src, len((text or htm or "").encode("utf-8")))
    meta: list[tuple[str, str]] = []
    pub = next((rec[k] for k in ("published", "published_raw", "date", "published_at") if rec.get(k) not in (None, "")), None)
    published, pbasis = _date_fields(pub, basis, default, meta)
    for k, v in rec.items():
        if k not in _KNOWN and v not in (None, "", [], {}):
            meta.append((str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)))
    rid = _opt_str(rec.get("id")) or fallback_id
    return RawDoc(id=rid, source=src, text=text, html=htm, title=_opt_str(rec.get("title") or rec.get("headline")),
                  published=published, published_basis=pbasis,
                  outlet=_opt_str(rec.get("outlet") or rec.get("source")), url=_opt_str(rec.get("url") or rec.get("link")),
                  meta=tuple(meta))


def _jsonl(f: IO[bytes], stem: str, src: str, default: datetime.date | None, first: int = 1) -> Iterator[Item]:
    lineno = first - 1
    while True:
        try:
            line = f.readline(MAX_ARTICLE_BYTES + 1)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            yield Reject(src, "bad-gzip", f"the gzip data is corrupt or truncated after line {lineno} ({exc}); re-compress it")
            return
        except OSError as exc:
            yield _unreadable(src, exc)
            return
        if not line:
            return
        lineno += 1
        where = f"{src}:{lineno}"
        if len(line) > MAX_ARTICLE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the over-long line
                line = f.readline(1 << 20)
            yield _too_large(where, None)
            continue
        if not line.strip():
            continue
        try:
            s = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError:
            try:
                s, _ = decode_bytes(line)
            except InputError as exc:
                yield Reject(where, _reason(exc), f"line {lineno}: {exc}")
                continue
        try:
            rec = json.loads(s)
        except json.JSONDecodeError as exc:
            yield Reject(where, "bad-json", f"line {lineno} is not valid JSON ({exc.msg} at column {exc.colno}); "
                         "each line must be one JSON object — fix or remove this line")
            continue
        if not isinstance(rec, dict):
            yield Reject(where, "bad-json", f"line {lineno} holds a JSON {type(rec).__name__}, not an object; "
                         "each line must be one object with an 'id' and a 'text'")
            continue
        yield _record(rec, fallback_id=f"{stem}-{lineno}", src=where, basis="record", default=default)


def _read_jsonl(path: Path, gz: bool, stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    try:
        f = _open(path, gz)
    except OSError as exc:
        yield _unreadable(src, exc)
        return
    with f:
        yield from _jsonl(f, stem, src, default)


def _read_json(path: Path, gz: bool, stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    head = _peek(path, gz, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        try:
            size = None if gz else path.stat().st_size
            with _open(path, gz) as f:
                data = f.read(_MAX_JSON_FILE + 1)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            yield Reject(src, "bad-gzip", f"the gzip data is corrupt ({exc}); re-compress it")
            return
        except OSError as exc:
            yield _unreadable(src, exc)
            return
        if len(data) > _MAX_JSON_FILE:
            yield Reject(src, "too-large", f"a JSON array of {size or len(data)} bytes is too large to parse whole; "
                         "write it as JSON lines (.jsonl), one article per line")
            return
        try:
            items = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield Reject(src, "bad-json", f"the file is not valid UTF-8 JSON ({exc}); fix it or write it as JSON lines")
            return
        for i, rec in enumerate(items, 1):
            where = f"{src}:{i}"
            if not isinstance(rec, dict):
                yield Reject(where, "bad-json", f"item {i} of the array is not an object")
                continue
            yield _record(rec, fallback_id=f"{stem}-{i}", src=where, basis="record", default=default)
        return
    # one pretty-printed object, or JSON lines
    data = _read_capped(path, gz, src)
    if isinstance(data, bytes):
        try:
            obj = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            obj = None
        if isinstance(obj, dict):
            yield _record(obj, fallback_id=stem, src=src, basis="record", default=default)
            return
    yield from _read_jsonl(path, gz, stem, src, default)


# ------------------------------------------------------------------ TREC
_DOC_FIELD = re.compile(r"<(DOCNO|DOCID|URL|SRC|SOURCE|CAT|CATEGORY|TITLE|HEADLINE|HEADER|TIME|DATE|DATE_TIME|AUTHOR|BYLINE|"
                        r"ABSTRACT|TEXT|BODY)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
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
        return Reject(where, "missing-field", f"TREC document {n} has no <TEXT> element; every <DOC> needs its text in <TEXT>…</TEXT>")
    text = _INNER_TAG.sub("\n", text).strip("\r\n")
    if _ENTITY.search(text):
        text = htmllib.unescape(text)
    if not text.strip():
        return Reject(where, "empty", f"TREC document {docno} has an empty <TEXT>; remove it or fill it")
    if len(text) > MAX_ARTICLE_BYTES:
        return _too_large(where, len(text.encode("utf-8")))

    def f(*names: str) -> str | None:
        for nm in names:
            v = fields.get(nm)
            if v is not None and v.strip():
                v = " ".join(v.split())
                return htmllib.unescape(v) if _ENTITY.search(v) else v
        return None
    meta: list[tuple[str, str]] = []
    published, basis = _date_fields(f("TIME", "DATE", "DATE_TIME"), "record", default, meta)
    for key, names in (("category", ("CAT", "CATEGORY")), ("author", ("AUTHOR", "BYLINE"))):
        v = f(*names)
        if v:
            meta.append((key, v))
    return RawDoc(id=docno, source=where, text=text, title=f("TITLE", "HEADLINE", "HEADER"), published=published,
                  published_basis=basis, outlet=f("SRC", "SOURCE"), url=f("URL"), meta=tuple(meta))


_DOC_BLOCK = re.compile(r"<DOC>(.*?)</DOC>", re.DOTALL | re.IGNORECASE)


def _trec_text(text: str, stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    n = 0
    for n, m in enumerate(_DOC_BLOCK.finditer(text), 1):
        yield _trec_doc(m.group(1), n, stem, src, default)
    if n == 0:
        yield Reject(src, "bad-trec", "the file starts like TREC (<DOC>) but holds no complete <DOC>…</DOC>; "
                     "it may be truncated")


def _trec_stream(path: Path, gz: bool, stem: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    """A TREC file too big to read whole: one <DOC> at a time (each decoded on its own)."""
    try:
        f = _open(path, gz)
    except OSError as exc:
        yield _unreadable(src, exc)
        return
    n, buf, size, inside = 0, [], 0, False
    with f:
        try:
            for line in f:
                if not inside:
                    if line.lstrip(b"\xef\xbb\xbf \t").upper().startswith(b"<DOC>"):
                        inside, buf, size = True, [line], len(line)
                    continue
                size += len(line)
                if size <= MAX_ARTICLE_BYTES:
                    buf.append(line)
                if line.strip().upper().startswith(b"</DOC>"):
                    n += 1
                    inside = False
                    if size > MAX_ARTICLE_BYTES:
                        yield _too_large(f"{src}#{n}", size)
                        continue
                    try:
                        block, _ = decode_bytes(b"".join(buf))
                    except InputError as exc:
                        yield Reject(f"{src}#{n}", _reason(exc), f"TREC document {n}: {exc}")
                        continue
                    m = _DOC_BLOCK.search(block)
                    if m:
                        yield _trec_doc(m.group(1), n, stem, src, default)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            yield Reject(src, "bad-gzip", f"the gzip data is corrupt or truncated after document {n} ({exc})")
        except OSError as exc:
            yield _unreadable(src, exc)
    if inside:
        yield Reject(f"{src}#{n + 1}", "bad-trec", "the last <DOC> is not closed by </DOC>: the file is truncated")
    elif n == 0:
        yield Reject(src, "bad-trec", "no complete <DOC>…</DOC> found")


# ------------------------------------------------------------------ single-article files
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _decode_html(data: bytes) -> tuple[str, str]:
    try:
        return decode_bytes(data)
    except InputError as exc:
        m = _META_CHARSET.search(data[:4096])
        if m and _reason(exc) == "bad-encoding":
            try:
                return data.decode(m.group(1).decode("ascii")), m.group(1).decode("ascii")
            except (LookupError, UnicodeDecodeError):
                pass
        raise


def _single(path: Path, gz: bool, stem: str, ext: str, src: str, default: datetime.date | None) -> Iterator[Item]:
    if not gz:
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield _unreadable(src, exc)
            return
        if size == 0:
            yield Reject(src, "empty", "the file is empty (0 bytes); remove it or re-export the article")
            return
        if size > MAX_ARTICLE_BYTES:
            if _is_trec_bytes(_peek(path, gz)):
                yield from _trec_stream(path, gz, stem, src, default)
            else:
                yield _too_large(src, size)
            return
    data = _read_capped(path, gz, src)
    if isinstance(data, Reject):
        if data.reason == "too-large" and _is_trec_bytes(_peek(path, gz)):
            yield from _trec_stream(path, gz, stem, src, default)
        else:
            yield data
        return
    if not data:
        yield Reject(src, "empty", "the file is empty (0 bytes); remove it or re-export the article")
        return
    try:
        text, enc = (_decode_html if ext in HTML_EXT else decode_bytes)(data)
    except InputError as exc:
        yield Reject(src, _reason(exc), str(exc))
        return
    if text.lstrip()[:5].upper() == "<DOC>":
        yield from _trec_text(text, stem, src, default)
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
        title, outlet, url = _opt_str(side.get("title")), _opt_str(side.get("outlet")), _opt_str(side.get("url"))
        pub = next((side[k] for k in ("published", "published_raw", "date") if side.get(k) not in (None, "")), None)
        published, basis = _date_fields(pub, "sidecar", None, meta)
        for k, v in side.items():
            if k not in _KNOWN and v not in (None, "", [], {}):
                meta.append((str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)))
    if published is None and default is not None:
        published, basis = default, "option"
    # an HTML page saved under another name is still read as HTML
    is_html = ext in HTML_EXT or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
    yield RawDoc(id=stem, source=src, text=None if is_html else text, html=text if is_html else None, title=title,
                 published=published, published_basis=basis, outlet=outlet, url=url, meta=tuple(meta))


# ------------------------------------------------------------------ dispatch and walking
def _read_file(path: Path, default: datetime.date | None, in_walk: bool) -> Iterator[Item]:
    src = str(path)
    stem, ext, gz = _split_name(path.name)
    if ext == SIDECAR and not gz:
        if any(path.with_name(stem + e + z).exists() for e in _SIDECAR_FOR for z in ("", ".gz")):
            return  # read with its article
        yield Reject(src, "orphan-sidecar", f"no article NAME.txt or NAME.html next to this sidecar (NAME = {stem!r}); "
                     "rename it to match its article or remove it")
        return
    try:
        if not os.access(path, os.R_OK):
            yield _unreadable(src, PermissionError(13, "Permission denied"))
            return
    except OSError as exc:
        yield _unreadable(src, exc)
        return
    if ext in JSONL_EXT:
        yield from _read_jsonl(path, gz, stem, src, default)
    elif ext in JSON_EXT:
        yield from _read_json(path, gz, stem, src, default)
    elif ext in TEXT_EXT or ext in HTML_EXT:
        yield from _single(path, gz, stem, ext, src, default)
    else:
        head = _peek(path, gz)
        if _is_trec_bytes(head):
            yield from _single(path, gz, stem, ext, src, default)
        elif not head and not gz:
            yield Reject(src, "empty", "the file is empty (0 bytes)")
        else:
            what = looks_binary(head[:32])
            yield Reject(src, "unsupported", f"cannot read files of type {ext or '(no extension)'!r}"
                         + (f" (this is {what})" if what else "")
                         + "; marsad reads .txt, .html/.htm, .jsonl, .json, TREC files and their .gz")


def _walk(root: Path, default: datetime.date | None, seen: set[tuple[int, int]]) -> Iterator[Item]:
    try:
        st = root.stat()
    except OSError as exc:
        yield _unreadable(str(root), exc)
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield Reject(str(root), "unreadable", f"{root} leads back into a folder already read (a symlink loop); "
                     "remove the looping link")
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield _unreadable(str(root), exc)
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        p = Path(e.path)
        try:
            is_dir = e.is_dir()  # follows symlinks; loops are caught by `seen`
            exists = is_dir or e.is_file()
        except OSError as exc:
            yield _unreadable(str(p), exc)
            continue
        if is_dir:
            yield from _walk(p, default, seen)
        elif exists:
            yield from _read_file(p, default, True)
        elif e.is_symlink():
            yield Reject(str(p), "unreadable", f"{p} is a broken symbolic link; fix or remove it")
        else:
            yield Reject(str(p), "unsupported", f"{p} is not a regular file (device, socket or pipe)")


def read_inputs(paths: Iterable[str | os.PathLike] | str | os.PathLike,
                published: datetime.date | None = None) -> Iterator[Item]:
    """Stream :class:`RawDoc` and :class:`Reject` items from files and folders (see the module doc).

    ``published`` is the publication date used for documents whose record or sidecar gives none
    (``published_basis == 'option'``)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if published is not None and not isinstance(published, datetime.date):
        published = parse_date(published)
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        p = Path(raw)
        try:
            if p.is_dir():
                yield from _walk(p, published, seen)
                continue
            if not p.exists():
                yield _unreadable(str(p), FileNotFoundError(2, "No such file or directory"))
                continue
            if not (p.is_file() or p.is_symlink()):
                yield Reject(str(p), "unsupported", f"{p} is not a regular file (device, socket or pipe)")
                continue
        except OSError as exc:
            yield _unreadable(str(p), exc)
            continue
        yield from _read_file(p, published, False)
