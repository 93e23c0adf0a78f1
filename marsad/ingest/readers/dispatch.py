"""Format detection and walking: each path → the reader of its format (by extension, or by content
for TREC); folders are walked recursively in sorted order, hidden entries (``.name``) skipped."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Iterable, Iterator

from marsad.ingest.published import parse_date
from marsad.ingest.decode import looks_binary
from marsad.ingest.records import Reject

from ..ids import assign_ids
from .common import HTML_EXT, JSON_EXT, JSONL_EXT, SIDECAR, SIDECAR_FOR, TEXT_EXT, Item, peek, split_name, unreadable
from .records import read_json, read_jsonl
from .single import read_single
from .trec import is_trec_bytes


def _read_file(path: Path, default: datetime.date | None, in_walk: bool) -> Iterator[Item]:
    """What one file holds; an unexpected error while reading it ends that file with an
    ``internal-error`` reject (naming the exception), and the run goes on with the next file."""
    n = 0
    try:
        for n, item in enumerate(_read_file_items(path, default, in_walk), 1):
            yield item
    except Exception as exc:  # a reader bug or an input no reader foresaw: account for it, go on
        where = str(path) if n == 0 else f"{path} (after {n} unit(s))"
        yield Reject(
            where,
            "internal-error",
            f"{type(exc).__name__}: {exc}"[:500]
            + " — reading this file failed; the units before it were kept. Please report this input.",
        )


def _read_file_items(path: Path, default: datetime.date | None, in_walk: bool) -> Iterator[Item]:
    src = str(path)
    stem, ext, gz = split_name(path.name)
    if ext == SIDECAR and not gz:
        if any(path.with_name(stem + e + z).exists() for e in SIDECAR_FOR for z in ("", ".gz")):
            return  # read with its article
        yield Reject(
            src,
            "orphan-sidecar",
            f"no article NAME.txt or NAME.html next to this sidecar (NAME = {stem!r}); "
            "rename it to match its article or remove it",
        )
        return
    try:
        if not os.access(path, os.R_OK):
            yield unreadable(src, PermissionError(13, "Permission denied"))
            return
    except OSError as exc:
        yield unreadable(src, exc)
        return
    if ext in JSONL_EXT + JSON_EXT and is_trec_bytes(peek(path, gz)):
        yield from read_single(path, gz, stem, ext, src, default)  # TREC documents under another name
    elif ext in JSONL_EXT:
        yield from read_jsonl(path, gz, stem, src, default)
    elif ext in JSON_EXT:
        yield from read_json(path, gz, stem, src, default)
    elif ext in TEXT_EXT or ext in HTML_EXT:
        yield from read_single(path, gz, stem, ext, src, default)
    else:
        head = peek(path, gz)
        if is_trec_bytes(head):
            yield from read_single(path, gz, stem, ext, src, default)
        elif not head and not gz:
            yield Reject(src, "empty", "the file is empty (0 bytes)")
        else:
            what = looks_binary(head[:32])
            yield Reject(
                src,
                "unsupported",
                f"cannot read files of type {ext or '(no extension)'!r}"
                + (f" (this is {what})" if what else "")
                + "; marsad reads .txt, .html/.htm, .jsonl, .json, TREC files and their .gz",
            )


def _walk(root: Path, default: datetime.date | None, seen: set[tuple[int, int]]) -> Iterator[Item]:
    try:
        st = root.stat()
    except OSError as exc:
        yield unreadable(str(root), exc)
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield Reject(
            str(root),
            "unreadable",
            f"{root} leads back into a folder already read (a symlink loop); remove the looping link",
        )
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield unreadable(str(root), exc)
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        p = Path(e.path)
        try:
            is_dir = e.is_dir()  # follows symlinks; loops are caught by `seen`
            exists = is_dir or e.is_file()
        except OSError as exc:
            yield unreadable(str(p), exc)
            continue
        if is_dir:
            yield from _walk(p, default, seen)
        elif exists:
            yield from _read_file(p, default, True)
        elif e.is_symlink():
            yield Reject(str(p), "unreadable", f"{p} is a broken symbolic link; fix or remove it")
        else:
            yield Reject(str(p), "unsupported", f"{p} is not a regular file (device, socket or pipe)")


def read_inputs(
    paths: Iterable[str | os.PathLike] | str | os.PathLike, published: datetime.date | None = None
) -> Iterator[Item]:
    """Stream :class:`RawDoc` and :class:`Reject` items from files and folders (see
    :mod:`marsad.ingest.readers`).

    ``published`` is the publication date used for documents whose record or sidecar gives none
    (``published_basis == 'option'``)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if published is not None and not isinstance(published, datetime.date):
        published = parse_date(published)
    # the same input read from another working directory is the same unit: sources are absolute
    return assign_ids(_read_paths([Path(os.path.abspath(p)) for p in paths], published))


def _read_paths(paths: list[Path], published: datetime.date | None) -> Iterator[Item]:
    seen: set[tuple[int, int]] = set()
    for p in paths:
        try:
            if p.is_dir():
                yield from _walk(p, published, seen)
                continue
            if not p.exists():
                yield unreadable(str(p), FileNotFoundError(2, "No such file or directory"))
                continue
            if not (p.is_file() or p.is_symlink()):
                yield Reject(str(p), "unsupported", f"{p} is not a regular file (device, socket or pipe)")
                continue
        except OSError as exc:
            yield unreadable(str(p), exc)
            continue
        yield from _read_file(p, published, False)
