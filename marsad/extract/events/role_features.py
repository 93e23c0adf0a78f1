"""Features of the learned role labeller (:mod:`.learned`): for each candidate mention of a
trigger's sentence, its type, side and distance, the preposition before it, the trigger's type and
stem crossed with them, and what the hand-written role reader (:mod:`.roles`) says of it."""

from __future__ import annotations

import re
from typing import Optional

from ...model import Mention
from ...text.normalize import fold
from .context import EventContext
from .gsr import stem
from .lexicon import Trigger

PREPS = ("علي", "ضد", "مع", "الي", "بين", "من", "عن", "في", "ل", "ب", "لدي", "تجاه", "بحق", "امام")


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-6" if n < 7 else ("7-12" if n < 13 else "13+"))


def role_features(
    ctx: EventContext, t: Trigger, cands: list[Mention], rule_src: set, rule_tgt: set, speaker: Optional[str]
) -> list[list[str]]:
    """Features of each candidate mention of a trigger's sentence (in text order)."""
    e = t.entry
    ty = e.type
    tw = fold(ctx.text[t.start : t.end])
    ts = stem(tw)
    out = []
    n_after = n_before = 0
    after_ix = [i for i, m in enumerate(cands) if m.start >= t.end]
    before_ix = [i for i, m in enumerate(cands) if m.end <= t.start]
    for i, m in enumerate(cands):
        side = "A" if m.start >= t.end else ("B" if m.end <= t.start else "I")
        lo, hi = (t.end, m.start) if side == "A" else (m.end, t.start)
        gap = ctx.f(lo, hi) if hi > lo else ""
        words = gap.split()
        rank = after_ix.index(i) if side == "A" else (len(before_ix) - 1 - before_ix.index(i) if side == "B" else 0)
        pre_words = ctx.f(max(0, m.start - 12), m.start).split()
        prev = pre_words[-1] if pre_words else "^"
        mw = fold(m.text)
        prep = prev if prev in PREPS else (mw[0] if mw[:1] in ("ل", "ب") and not mw.startswith("لل") else "-")
        if mw.startswith("لل"):
            prep = "ل"
        f = [
            "b",
            f"ty={m.type}",
            f"side={side}",
            f"rk={_bucket(rank)}",
            f"d={_bucket(len(words))}",
            f"side_rk={side}{min(rank, 3)}",
            f"T={ty}",
            f"T_side={ty}_{side}",
            f"T_side_rk={ty}_{side}{min(rank, 2)}",
            f"prep={prep}",
            f"T_prep={ty}_{prep}",
            f"side_prep={side}_{prep}",
            f"tty={ty}_{m.type}",
            f"k={e.kind}",
            f"k_side={e.kind}_{side}",
            f"ts_side={ts}_{side}",
            f"ts_prep={ts}_{prep}",
            f"prev={prev}",
        ]
        if any(c in gap for c in "،,"):
            f.append("comma")
        if re.search(r"(?:^|\s)(?:ان|بان|انه|انها)(?:\s|$)", gap):
            f.append("an_between")
        if any(c in gap for c in '«»"“”:'):
            f.append("quote_between")
        if m.title:
            f.append("title")
        if (m.start, m.end) in rule_src:
            f += ["R=S", f"T_R=S_{ty}"]
        if (m.start, m.end) in rule_tgt:
            f += ["R=T", f"T_R=T_{ty}"]
        if speaker and m.actor_id and m.actor_id == speaker:
            f.append("speaker")
        if side == "A" and rank == 0 and len(words) <= 1:
            f.append("adjacent_after")
        if side == "B" and rank == 0 and len(words) <= 1:
            f.append("adjacent_before")
        if tw.startswith(("ت", "يت", "وت", "تم")) or "تم" in words[:2]:
            f.append("passive?")
        out.append(f)
        n_after += side == "A"
        n_before += side == "B"
    return out
