"""Terminal rendering of article text.

Most terminals lay text out left-to-right and do not shape Arabic letters.  ``rtl(s)`` shapes and
reorders a line for such terminals (visual order); terminals known to do bidi themselves
(VTE/GNOME, Konsole, mintty) get the logical text unchanged.

Article text is data, never terminal commands: :func:`shown` is what every CLI command prints of
text that came from the input (article text, layers, ids, outlets, paths, reject details).  It
removes terminal escape sequences and C0/C1 control characters (newlines and tabs stay), escapes
rich's console markup, then lays the text out with :func:`rtl`.  :func:`json_text` is the same for
JSON output (controls escaped, not removed: the data stays whole).
"""

from __future__ import annotations

import json
import os
import re
import sys

_MODE = {"value": "auto"}


def set_mode(mode: str) -> None:
    _MODE["value"] = mode


def _terminal_does_bidi() -> bool:
    return any(os.environ.get(v) for v in ("VTE_VERSION", "KONSOLE_VERSION", "MINTTY_SHORTCUT")) or os.environ.get(
        "TERM_PROGRAM"
    ) in ("mintty",)


def _active() -> bool:
    mode = _MODE["value"]
    if mode == "on":
        return True
    if mode == "off":
        return False
    return sys.stdout.isatty() and not _terminal_does_bidi()


def rtl(s: str) -> str:
    """The string as a left-to-right terminal should print it (one line at a time)."""
    if not s or not _active():
        return s
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:  # pragma: no cover - both are dependencies
        return s
    return "\n".join(get_display(arabic_reshaper.reshape(line), base_dir="R") for line in s.split("\n"))


# ESC-introduced sequences (CSI 'ESC [ … final', OSC 'ESC ] … BEL|ST', DCS/SOS/PM/APC strings, and
# two-character escapes) and their 8-bit C1 forms; whatever control character is left is removed
_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x9b[0-?]*[ -/]*[@-~]"  # CSI, 8-bit
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC/DCS/SOS/PM/APC
    r"|\x1b[ -/]*[0-~]"
)  # two-character (and nF) escapes
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_CONTROL = re.compile(r"[\x7f-\x9f]")  # json.dumps escapes C0 already


def plain(s) -> str:
    """``s`` without terminal escape sequences and control characters (newlines and tabs kept)."""
    s = "" if s is None else str(s)
    if not _CONTROL.search(s):
        return s
    return _CONTROL.sub("", _SEQUENCE.sub("", s))


def shown(s, arabic: bool = True) -> str:
    """Text from the input as the CLI prints it: :func:`plain`, laid out by :func:`rtl` (unless
    ``arabic`` is False: ids, paths, dates), with rich console markup escaped."""
    from rich.markup import escape

    s = plain(s)
    return escape(rtl(s) if arabic else s)


def json_text(obj, indent=None) -> str:
    """``obj`` as JSON for a terminal: Arabic kept as is, every control character escaped."""
    s = json.dumps(obj, ensure_ascii=False, default=str, indent=indent)
    return _JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", s)
