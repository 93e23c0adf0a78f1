"""Reader for CoNLL-style NER files: one ``token label`` per line (space or tab separated;
the label is the last field), a blank line between sentences.  A UTF-8 BOM, CRLF line ends and
left-to-right marks (as in NewsFANE) are tolerated."""

from __future__ import annotations

from pathlib import Path

from marsad.errors import MarsadError


class ConllError(MarsadError):
    """A CoNLL file that cannot be read."""


def read_conll(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """Sentences as ``(tokens, labels)``.  Raises :class:`ConllError` for a missing file or a
    line without a label."""
    p = Path(path)
    if not p.is_file():
        raise ConllError(f"CoNLL file not found: {p} (pass an existing token-per-line BIO file)")
    sents: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    labs: list[str] = []
    with open(p, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\r\n").replace("\u200e", "")
            if not line.strip():
                if toks:
                    sents.append((toks, labs))
                    toks, labs = [], []
                continue
            parts = line.split()
            if len(parts) < 2:
                raise ConllError(f"{p}:{n}: expected 'token label', got {line!r}")
            toks.append(parts[0])
            labs.append(parts[-1])
    if toks:
        sents.append((toks, labs))
    return sents
