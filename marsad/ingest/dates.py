"""Publication dates as they come in records: ISO, RFC 2822, compact and day-first forms."""
from __future__ import annotations

import datetime
import email.utils
import re

__all__ = ["parse_date"]

_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_]|[+-]\d|Z)")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|[T\s])")
_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:$|\s)")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _mk(y: str | int, m: str | int, d: str | int) -> datetime.date | None:
    try:
        y, m, d = int(y), int(m), int(d)
        if not 1800 <= y <= 2200:
            return None
        return datetime.date(y, m, d)
    except (ValueError, TypeError):
        return None


def parse_date(value: object) -> datetime.date | None:
    """A calendar date from a record value, or None when it cannot be read.

    Accepts ``date``/``datetime`` objects, ISO dates and timestamps ('2018-05-05', '2018-05-05T10:01:50Z'),
    RFC 2822 ('Sat, 05 May 2018 10:01:50 GMT' — the date as written, not shifted to UTC),
    'YYYY/MM/DD', 'YYYYMMDD' and day-first 'DD/MM/YYYY'.  Arabic-Indic digits are read."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    s = value.translate(_DIGITS).strip()
    if not s:
        return None
    for rx in (_ISO, _COMPACT):
        m = rx.match(s)
        if m:
            return _mk(*m.groups())
    m = _DMY.match(s)
    if m:
        return _mk(m.group(3), m.group(2), m.group(1))
    t = email.utils.parsedate(s)
    if t:
        return _mk(t[0], t[1], t[2])
    return None
