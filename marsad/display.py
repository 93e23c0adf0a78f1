"""Terminal rendering of Arabic: most terminals lay text out left-to-right and do not shape Arabic
letters.  ``rtl(s)`` shapes and reorders a line for such terminals (visual order); terminals known to
do bidi themselves (VTE/GNOME, Konsole, mintty) get the logical text unchanged."""
from __future__ import annotations

import os
import sys

_MODE = {"value": "auto"}


def set_mode(mode: str) -> None:
    _MODE["value"] = mode


def _terminal_does_bidi() -> bool:
    return any(os.environ.get(v) for v in ("VTE_VERSION", "KONSOLE_VERSION", "MINTTY_SHORTCUT")) \
        or os.environ.get("TERM_PROGRAM") in ("mintty",)


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
