"""What every reader shares: the extensions, the reject builders, capped and gzip-aware reading, and
the date and metadata fields of a record or sidecar."""

from __future__ import annotations

import datetime
import gzip
import json
import logging
import zlib
from pathlib import Path
from typing import IO, Callable, Iterator

from marsad.errors import InputError
from marsad.ingest.published import parse_date
from marsad.ingest.records import MAX_ARTICLE_BYTES, RawDoc, Reject

log = logging.getLogger(__package__)  # 'marsad.ingest.readers', as before the split

TEXT_EXT = (".txt", ".text")
HTML_EXT = (".html", ".htm", ".xhtml")
JSONL_EXT = (".jsonl", ".ndjson")
JSON_EXT = (".json",)
TREC_EXT = (".trec", ".sgml", ".xml")
SIDECAR = ".meta.json"
SUPPORTED = TEXT_EXT + HTML_EXT + JSONL_EXT + JSON_EXT + TREC_EXT
SIDECAR_FOR = TEXT_EXT + HTML_EXT

Item = RawDoc | Reject

# what reading a (possibly gzipped) file may raise; gzip.BadGzipFile is also an OSError
READ_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error, OSError)

# record and sidecar fields that are read into RawDoc's own fields (anything else goes to meta)
KNOWN = {
    "id",
    "text",
    "html",
    "title",
    "headline",
    "published",
    "published_raw",
    "date",
    "published_at",
    "outlet",
    "source",
    "url",
    "link",
}


def split_name(name: str) -> tuple[str, str, bool]:
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


def reason(exc: InputError) -> str:
    return getattr(exc, "reason", "bad-input")


def unreadable(src: str, exc: OSError) -> Reject:
    if isinstance(exc, PermissionError):
        return Reject(
            src, "unreadable", f"permission denied reading {src}; make it readable (chmod +r) or run as its owner"
        )
    if isinstance(exc, FileNotFoundError):
        return Reject(src, "unreadable", f"no such file or directory: {src}; check the path")
    if isinstance(exc, IsADirectoryError):
        return Reject(src, "unreadable", f"{src} is a directory where a file was expected")
    return Reject(src, "unreadable", f"cannot read {src} ({exc.strerror or exc}); check the path and the disk")


def read_failed(src: str, exc: BaseException, bad_gzip: str) -> Reject:
    """The Reject for an exception of :data:`READ_ERRORS`: ``bad-gzip`` (with the message
    ``bad_gzip``) for corrupt or truncated gzip data, else ``unreadable``."""
    if isinstance(exc, DecompressionBomb):
        return Reject(src, "decompression-bomb", f"{exc}; it was not read further")
    if isinstance(exc, (gzip.BadGzipFile, EOFError, zlib.error)):
        return Reject(src, "bad-gzip", bad_gzip)
    return unreadable(src, exc)


def too_large(src: str, size: int | None) -> Reject:
    got = f"{size / 1e6:.1f} MB" if size is not None else f"more than {MAX_ARTICLE_BYTES / 1e6:.0f} MB"
    return Reject(
        src,
        "too-large",
        f"{got} is more than one article may hold ({MAX_ARTICLE_BYTES // (1024 * 1024)} MB); "
        "split the file into articles (one per file or one JSONL record each)",
    )


#: decompression bounds: no file expands past MAX_DECOMPRESSED, and past RATIO_FLOOR bytes none may
#: expand more than MAX_RATIO times the compressed bytes read so far (news text compresses 3-10x)
MAX_DECOMPRESSED = 4 * 1024 * 1024 * 1024
RATIO_FLOOR = 32 * 1024 * 1024
MAX_RATIO = 100
#: longest line a reader takes in one piece (longer ones arrive in pieces of this size)
MAX_LINE = MAX_ARTICLE_BYTES + 1


class DecompressionBomb(OSError):
    """A compressed input that expands past the bounds above."""


class BoundedGzipFile(gzip.GzipFile):
    """A gzip file that counts what it decompresses and stops at the bounds above (raising
    :class:`DecompressionBomb`), and whose lines are at most :data:`MAX_LINE` bytes."""

    def __init__(self, path: Path):
        self._raw = open(path, "rb")
        try:
            super().__init__(fileobj=self._raw, mode="rb")
        except Exception:
            self._raw.close()
            raise
        self._out = 0

    def _count(self, data: bytes) -> bytes:
        self._out += len(data)
        if self._out > MAX_DECOMPRESSED or (
            self._out > RATIO_FLOOR and self._out > MAX_RATIO * max(1, self._raw.tell())
        ):
            raise DecompressionBomb(
                f"the gzip data expands more than {MAX_RATIO} times ({self._out / 1e6:.0f} MB from "
                f"{self._raw.tell() / 1e6:.1f} MB read) — a decompression bomb or not an article file"
            )
        return data

    def read(self, size=-1):
        return self._count(super().read(size))

    def read1(self, size=-1):
        return self._count(super().read1(size))

    def readline(self, size=-1):
        return self._count(super().readline(MAX_LINE if size is None or size < 0 else size))

    def close(self):
        try:
            super().close()
        finally:
            self._raw.close()


def open_bytes(path: Path, gz: bool) -> IO[bytes]:
    return BoundedGzipFile(path) if gz else open(path, "rb")


def read_opened(path: Path, gz: bool, src: str, read: Callable[[IO[bytes]], Iterator[Item]]) -> Iterator[Item]:
    """What ``read`` yields from the file opened for reading (decompressing when ``gz``), or the
    Reject saying why it cannot be opened."""
    try:
        f = open_bytes(path, gz)
    except OSError as exc:
        yield unreadable(src, exc)
        return
    with f:
        yield from read(f)


def read_capped(path: Path, gz: bool, src: str) -> bytes | Reject:
    """The whole file (decompressed), or a Reject when larger than one article may be."""
    try:
        if not gz:
            size = path.stat().st_size
            if size > MAX_ARTICLE_BYTES:
                return too_large(src, size)
        with open_bytes(path, gz) as f:
            data = f.read(MAX_ARTICLE_BYTES + 1)
    except READ_ERRORS as exc:
        return read_failed(src, exc, f"the gzip data is corrupt or truncated ({exc}); re-compress or re-download it")
    if len(data) > MAX_ARTICLE_BYTES:
        return too_large(src, None)
    return data


def peek(path: Path, gz: bool, n: int = 512) -> bytes:
    try:
        with open_bytes(path, gz) as f:
            return f.read(n)
    except (OSError, EOFError, zlib.error):
        return b""


def opt_str(v: object) -> str | None:
    if v is None:
        return None
    s = str(v).strip() if not isinstance(v, str) else v.strip()
    return s or None


def first_value(rec: dict, keys: tuple[str, ...]) -> object:
    """The value of the first of ``keys`` that ``rec`` fills (not None, not ''), else None."""
    return next((rec[k] for k in keys if rec.get(k) not in (None, "")), None)


def extra_meta(rec: dict, meta: list[tuple[str, str]]) -> None:
    """Append the fields of ``rec`` that RawDoc has no place for to ``meta`` (non-strings as JSON)."""
    for k, v in rec.items():
        if k not in KNOWN and v not in (None, "", [], {}):
            meta.append((str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)))


def date_fields(
    published: object, basis: str, default: datetime.date | None, meta: list[tuple[str, str]]
) -> tuple[datetime.date | None, str]:
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
