"""What a story shows beyond its articles: a title (the headline that shares most words with the
story's other headlines: the most typical report of it) and its events merged across articles,
one per occasion, each carrying the evidence of every article that reports it."""

from __future__ import annotations

from typing import Sequence

from .tokens import story_words


def story_title(headlines: Sequence[tuple[str, str]]) -> str:
    """``headlines``: (article id, headline) in publication order; the headline whose words recur
    most in the others' (ties: the earliest)."""
    words = [set(story_words(h)) for _, h in headlines]
    best, best_score = 0, -1.0
    for i, w in enumerate(words):
        score = sum(len(w & o) / (len(w | o) or 1) for j, o in enumerate(words) if j != i)
        if score > best_score:
            best, best_score = i, score
    return headlines[best][1] if headlines else ""


def _ids(e: dict, side: str) -> set[str]:
    return set(e.get(side + "_ids") or ()) or {s for s in (e.get(side) or ()) if s}


def merge_events(events: Sequence[dict]) -> list[dict]:
    """Events of a story's articles (dicts with type, source/target(_ids), date, evidence,
    article_id, start, end) → occasions: same type, a common source (or both without one) and
    targets that do not contradict (a common one, or one side without).  Each occasion keeps every
    report as ``reports`` (article, evidence, offsets) and the union of its actors."""
    occasions: list[dict] = []
    for e in events:
        src, tgt = _ids(e, "source"), _ids(e, "target")
        for o in occasions:
            if o["type"] != e["type"]:
                continue
            same_src = (src & o["_src"]) or (not src and not o["_src"])
            same_tgt = (tgt & o["_tgt"]) or not tgt or not o["_tgt"]
            if same_src and same_tgt:
                break
        else:
            o = {
                "type": e["type"],
                "_src": set(),
                "_tgt": set(),
                "source": [],
                "target": [],
                "dates": [],
                "reports": [],
            }
            occasions.append(o)
        o["_src"] |= src
        o["_tgt"] |= tgt
        for side in ("source", "target"):
            for name in e.get(side) or ():
                if name not in o[side]:
                    o[side].append(name)
        if e.get("date") and e["date"] not in o["dates"]:
            o["dates"].append(e["date"])
        o["reports"].append({k: e.get(k) for k in ("article_id", "outlet", "evidence", "start", "end", "idx")})
    for o in occasions:
        del o["_src"], o["_tgt"]
        o["articles"] = len({r["article_id"] for r in o["reports"]})
    return sorted(occasions, key=lambda o: (-o["articles"], -len(o["reports"]), o["type"]))
