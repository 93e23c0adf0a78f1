"""Descriptive actors: the unnamed groups news text makes agents and targets («السلطات المصرية»,
«المتظاهرون الفلسطينيون», «قوات النظام السوري»). The guidelines code them with descriptive canonicals
("Egyptian authorities"); the NER has no such entities, so without them the role labeller can only
choose the nearest name. :func:`find` gives them as pseudo-mentions of type ``DESC`` (canonical
"<demonym> <head>", the class in ``evidence``) that the learned reading adds to its role candidates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ...model import Mention, Sentence
from .context import EventContext
from .words import tokens

LEXICONS = Path(__file__).resolve().parents[2] / "resources" / "lexicons"
HEADS = LEXICONS / "descriptive_actors.tsv"
DEMONYMS = LEXICONS / "demonyms.tsv"
PROCLITICS = ("و", "ف", "ب", "ل")


@dataclass(frozen=True)
class Descriptive:
    heads: dict  # folded word tuple -> (English head, class)
    demonyms: dict  # actor canonical -> English demonym
    longest: int


def _rows(path: Path) -> list[list[str]]:
    return [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def read(heads: Optional[Path] = None, demonyms: Optional[Path] = None) -> Descriptive:
    """The head and demonym tables (default: the shipped ones)."""
    table = {}
    for forms, head, cls in _rows(heads or HEADS):
        for form in forms.split("|"):
            table[tuple(form.split())] = (head, cls)
    dem = {canon: adj for canon, adj in _rows(demonyms or DEMONYMS)}
    return Descriptive(table, dem, max(len(k) for k in table))


def _head_at(words: list[str], i: int, lex: Descriptive) -> tuple[int, Optional[tuple]]:
    """(number of words, (head, class)) of the longest head form starting at word ``i``."""
    first = [words[i]] + [words[i][1:] for p in PROCLITICS if words[i].startswith(p) and len(words[i]) > 3]
    for n in range(min(lex.longest, len(words) - i), 0, -1):
        rest = tuple(words[i + 1 : i + n])
        for w in first:
            hit = lex.heads.get((w,) + rest)
            if hit:
                return n, hit
    return 0, None


def find(ctx: EventContext, s: Sentence, lex: Descriptive, mentions: list) -> list[Mention]:
    """The descriptive actors of a sentence, each a ``DESC`` mention; a NORP or GPE mention that starts
    at the next word gives the demonym and ends the span («السلطات المصرية» -> Egyptian authorities)."""
    toks = tokens(ctx, s)
    words = [t.w for t in toks]
    named = {m.start: m for m in mentions if m.type in ("NORP", "GPE") and m.canonical in lex.demonyms}
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        n, hit = _head_at(words, i, lex)
        if hit is None:
            i += 1
            continue
        j = i + n
        nat = named.get(toks[j].start) if j < len(toks) else None
        end = nat.end if nat is not None else toks[j - 1].end
        name = f"{lex.demonyms[nat.canonical]} {hit[0]}" if nat is not None else hit[0]
        start = toks[i].start
        out.append(
            Mention(start, end, ctx.text[start:end], "DESC", step="descriptive", canonical=name, evidence=hit[1])
        )
        while i < len(toks) and toks[i].start < end:
            i += 1
    return out


def candidates(ctx: EventContext, s: Sentence, lex: Optional[Descriptive]) -> list:
    """The role candidates of a sentence: its mentions but places, and with ``lex`` its descriptive
    actors, which replace the mentions inside them (the NORP of «السلطات المصرية»), in text order."""
    cands = [m for m in ctx.mentions_in(s.start, s.end) if m.type != "LOC"]
    if lex is None:
        return cands
    desc = find(ctx, s, lex, cands)
    kept = [m for m in cands if not any(d.start <= m.start and m.end <= d.end for d in desc)]
    return sorted(kept + desc, key=lambda m: (m.start, m.end))
