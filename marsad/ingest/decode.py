"""Bytes → text: UTF-8 (with or without BOM), UTF-16 (BOM or detected), Windows-1256, with checks.

``decode_bytes`` never guesses silently on bytes that are not text: binary files (by magic number
or by their share of control bytes), NUL bytes, and UTF-8 cut in the middle of a character raise
:class:`marsad.errors.InputError` whose ``reason`` attribute is a short machine code.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from marsad.errors import InputError

__all__ = ["decode_bytes", "looks_binary"]

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip data (name the file .gz)"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old MS Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"PAR1", "a Parquet file"),
)
# C0 controls other than \t \n \v \f \r and ESC; a handful is tolerated, many means binary
_CTRL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CTRL_STR = re.compile(r"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# code points no text holds: C1 controls, U+FFFD (bytes that did not decode), surrogates,
# private use, non-characters
_NOT_TEXT = re.compile("[\x80-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff\U000f0000-\U0010ffff]")
# characters outside the blocks most articles stay in (Latin, Hebrew, Arabic, general punctuation,
# Arabic presentation forms): only these are asked whether they are assigned, one by one
_RARE = re.compile("[^\x00-\u036f\u0590-\u06ff\u2000-\u206f\ufb50-\ufeff]")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _err(reason: str, msg: str) -> InputError:
    e = InputError(msg)
    e.reason = reason  # type: ignore[attr-defined]
    return e


def looks_binary(head: bytes) -> str | None:
    """Name the kind of binary file ``head`` (the first bytes) starts, or None."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def _texty(s: str) -> bool:
    """True when a decoded string is plausibly text: few control characters and few code points
    that no text holds (C1 controls, unassigned code points, surrogates, private use, the U+FFFD
    of undecodable bytes).  Which scripts the letters belong to does not matter: an Arabic article
    quoting Hebrew, English or Chinese is text, and so is one with emoji."""
    if not s:
        return False
    sample = s[:20000]
    if len(_CTRL_STR.findall(sample)) > max(2, len(sample) // 1000):
        return False
    odd = len(_NOT_TEXT.findall(sample))
    odd += sum(1 for ch in _RARE.findall(sample) if unicodedata.category(ch) == "Cn")  # unassigned
    return odd <= len(sample) * 0.02


def _utf16_guess(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when BOM-less bytes look like UTF-16 (NULs or 0x06 high bytes
    on one parity), else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = sample[0::2], sample[1::2]
    hi = (0, 6)
    odd_hi = sum(1 for b in odd if b in hi) / len(odd)
    even_hi = sum(1 for b in even if b in hi) / len(even)
    if odd_hi > 0.9 and even_hi < 0.5:
        return "utf-16-le"
    if even_hi > 0.9 and odd_hi < 0.5:
        return "utf-16-be"
    return None


def _cp1256_plausible(text: str) -> bool:
    """Arabic decoded from Windows-1256: most non-ASCII characters are Arabic letters, and ط/ظ
    are not over-represented (UTF-8 bytes misread as cp1256 turn every lead byte into ط or ظ)."""
    non_ascii = _NON_ASCII.findall(text)
    if not non_ascii:
        return False
    letters = _ARABIC_LETTER.findall(text)
    if len(letters) < 0.7 * len(non_ascii):
        return False
    tz = sum(1 for ch in letters if ch in "طظ")
    return tz < 0.15 * len(letters)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode one article's bytes; return ``(text, encoding)``.

    Raises :class:`InputError` (attribute ``reason``: ``empty``, ``binary``, ``nul-bytes``,
    ``truncated-utf8`` or ``bad-encoding``) when the bytes are not text we can read."""
    if not data:
        raise _err("empty", "the input is empty (0 bytes); remove it or re-export the article")
    # byte-order marks first: they are unambiguous
    if data.startswith(codecs.BOM_UTF8):
        enc, body = "utf-8-sig", data[3:]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and len(data) % 4 == 0:
        enc, body = "utf-32", data
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc, body = "utf-16", data
    else:
        enc, body = "", data
    if enc in ("utf-16", "utf-32"):
        try:
            text = body.decode(enc)
        except UnicodeDecodeError as e:
            raise _err(
                "bad-encoding",
                f"the file starts with a {enc.upper()} byte-order mark but is not valid "
                f"{enc.upper()} ({e.reason} at byte {e.start}); re-save it as UTF-8",
            ) from None
        return _check_text(text, enc)
    what = looks_binary(body[:32])
    if what:
        raise _err("binary", f"this is {what}, not text; pass .txt, .html, .jsonl or TREC files")
    if b"\x00" in body:
        guess = _utf16_guess(body)
        if guess:
            try:
                text = body.decode(guess)
            except UnicodeDecodeError:
                text = ""
            if _texty(text):
                return _check_text(text, guess)
        n = body.count(b"\x00")
        if n > len(body) // 10 or len(_CTRL.findall(body[:8192])) > 32:
            raise _err(
                "binary",
                f"the file holds {n} NUL bytes among {len(body)} and is not UTF-16 text: "
                "it looks binary; pass plain-text, HTML or JSONL articles",
            )
        first = body.index(b"\x00")
        raise _err(
            "nul-bytes",
            f"the text contains {n} NUL byte(s) (first at byte {first}); "
            "the file is corrupt or was written by a broken exporter: strip the NUL bytes and retry",
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.start >= len(body) - 3:
            raise _err(
                "truncated-utf8",
                f"the UTF-8 text is cut off in the middle of a character at byte {e.start} "
                f"of {len(body)}: the file was truncated (partial download or copy); fetch it again",
            ) from None
        if len(_CTRL.findall(body[:8192])) > 32:
            raise _err(
                "binary",
                "the bytes are neither UTF-8 nor Windows-1256 text and hold many control "
                "bytes: this looks like a binary file; pass plain-text, HTML or JSONL articles",
            ) from None
        alt = body.decode("cp1256", errors="replace")
        if "\ufffd" not in alt and _cp1256_plausible(alt):
            return _check_text(alt, "cp1256")
        alt = _charset_normalizer(body)
        if alt is not None:
            return _check_text(*alt)
        raise _err(
            "bad-encoding",
            f"the bytes are not valid UTF-8 ({e.reason} at byte {e.start}) and do not read as "
            "Windows-1256 or UTF-16 Arabic either; re-save the file as UTF-8",
        ) from None
    return _check_text(text, enc or "utf-8")


def _charset_normalizer(body: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(body[:200_000]).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    try:
        text = body.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if not _texty(text) or len(_ARABIC_LETTER.findall(text)) < 0.3 * len(_NON_ASCII.findall(text) or "x"):
        return None
    return text, best.encoding


def _check_text(text: str, enc: str) -> tuple[str, str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise _err(
            "nul-bytes", f"the decoded text ({enc}) contains NUL characters; the file is corrupt: strip them and retry"
        )
    if not _texty(text):
        raise _err(
            "binary",
            f"the bytes decode as {enc} but are mostly control or unusual characters: "
            "this is not an article; pass plain-text, HTML or JSONL articles",
        )
    return text, enc
