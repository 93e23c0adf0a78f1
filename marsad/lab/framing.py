"""The precision of the actor label lexicon (``marsad eval labels``): a sample of its matches in the
unlabeled ANT articles (less the reserved ids and the held-out story week), each judged by hand and
kept as id + offsets + judgement in ``data/framing/label_check.jsonl`` (no article text)."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Optional

from ..stories.labels import LabelMatcher
from ..stories.lexicons import matcher
from .stories.train import ROOT, texts as corpus_texts

CHECK = ROOT / "data" / "framing" / "label_check.jsonl"


def sample(shared: Path, n: int = 120, seed: int = 19, m: Optional[LabelMatcher] = None) -> list[dict]:
    """``n`` matches of the lexicon in the articles' text: the same number from each term (as far as
    its matches go), drawn with ``seed``; the rest drawn from all matches."""
    m = m or matcher()
    by_term: dict[str, list[dict]] = defaultdict(list)
    for aid, text in sorted(corpus_texts(shared).items()):
        for h in m.find(text):
            by_term[h.term].append(
                {"id": aid, "start": h.start, "end": h.end, "term": h.term, "class": h.cls, "stance": h.stance}
            )
    rnd = random.Random(seed)
    per = max(1, n // max(1, len(by_term)))
    picked = []
    for term in sorted(by_term):
        picked += rnd.sample(by_term[term], min(per, len(by_term[term])))
    rest = [h for t in sorted(by_term) for h in by_term[t] if h not in picked]
    picked += rnd.sample(rest, max(0, min(len(rest), n - len(picked))))
    return sorted(picked, key=lambda h: (h["term"], h["id"], h["start"]))


def contexts(shared: Path, items: list[dict], width: int = 80) -> list[str]:
    """The match in its context, for judging (printed, never stored)."""
    texts = corpus_texts(shared)
    out = []
    for h in items:
        t = texts[h["id"]]
        out.append(
            f"{t[max(0, h['start'] - width) : h['start']]}[[{t[h['start'] : h['end']]}]]"
            f"{t[h['end'] : h['end'] + width // 2]}".replace("\n", " ")
        )
    return out


def read_check(path: Path = CHECK) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def precision(items: list[dict], shared: Optional[Path] = None) -> dict:
    """Share of judged matches that refer to the lexicon's class with its stance, overall and per
    class; with ``shared``, also checks that every (id, start, end) still holds its term."""
    stale = 0
    if shared is not None:
        texts = corpus_texts(shared)
        m = matcher()
        stale = sum(not _holds(m, texts.get(h["id"], ""), h) for h in items)
    by: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for h in items:
        for k in ("all", h["class"]):
            by[k][0] += bool(h["ok"])
            by[k][1] += 1
    return {
        "n": len(items),
        "stale": stale,
        **{k: {"ok": a, "n": b, "precision": round(a / b, 3)} for k, (a, b) in sorted(by.items())},
    }


def _holds(m: LabelMatcher, text: str, h: dict) -> bool:
    return any(x.start == h["start"] and x.end == h["end"] and x.term == h["term"] for x in m.find(text))
