"""Scoring stories against a story gold file (``../shared/stories/GUIDELINES.md``): B-cubed
precision, recall and F1 over the gold file's articles, and over those whose gold story has two
or more articles.  ``evaluate`` runs the whole pipeline on the gold articles (taken from
``../shared/corpus/ant_unlabeled.jsonl``) into a store, places them in stories the way
``marsad run`` does, and scores the placements."""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional


def bcubed(gold: dict[str, str], pred: dict[str, str], multi_only: bool = False) -> dict:
    """B-cubed over the articles of ``gold`` (an article missing from ``pred`` is its own story)."""
    pred = {a: pred.get(a, "\0" + a) for a in gold}
    g_members, p_members = defaultdict(set), defaultdict(set)
    for a, s in gold.items():
        g_members[s].add(a)
    for a, s in pred.items():
        p_members[s].add(a)
    items = [a for a in gold if not multi_only or len(g_members[gold[a]]) > 1]
    if not items:
        return {"p": 0.0, "r": 0.0, "f1": 0.0, "n": 0}
    p = sum(len(g_members[gold[a]] & p_members[pred[a]]) / len(p_members[pred[a]]) for a in items) / len(items)
    r = sum(len(g_members[gold[a]] & p_members[pred[a]]) / len(g_members[gold[a]]) for a in items) / len(items)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "n": len(items)}


def read_gold(path: Path) -> dict[str, str]:
    return {
        r["id"]: r["story"]
        for r in (json.loads(ln) for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip())
    }


def scores(gold: dict[str, str], pred: dict[str, str]) -> dict:
    sizes = Counter(gold.values())
    return {
        "articles": len(gold),
        "stories": len(sizes),
        "multi_stories": sum(1 for n in sizes.values() if n > 1),
        "all": bcubed(gold, pred),
        "multi": bcubed(gold, pred, multi_only=True),
        "singletons_baseline": {
            "all": bcubed(gold, {a: a for a in gold}),
            "multi": bcubed(gold, {a: a for a in gold}, multi_only=True),
        },
    }


def evaluate(gold_path: Path, shared: Path, workdir: Optional[Path] = None, params=None) -> dict:
    from ...run import RunOptions, run
    from ...store.db import connect
    from ...stories import StoryParams

    gold = read_gold(gold_path)
    tmp = Path(workdir or tempfile.mkdtemp(prefix="marsad-eval-stories-"))
    tmp.mkdir(parents=True, exist_ok=True)
    src = tmp / "articles.jsonl"
    with (
        open(shared / "corpus" / "ant_unlabeled.jsonl", encoding="utf-8") as f,
        open(src, "w", encoding="utf-8") as out,
    ):
        for line in f:
            if json.loads(line)["id"] in gold:
                out.write(line)
    db = tmp / "stories.duckdb"
    if db.exists():
        db.unlink()
    run([str(src)], RunOptions(db=str(db), workers=1, story_params=params or StoryParams()))
    from ...store.exports import export

    con = connect(db, read_only=True)
    export(con, "stories", tmp / "stories.jsonl")
    con.close()
    pred = {
        r["id"]: r["story"]
        for r in (json.loads(ln) for ln in (tmp / "stories.jsonl").read_text(encoding="utf-8").splitlines())
        if r["story"]
    }
    return scores(gold, pred)
