"""``marsad train stories``: the word document frequencies stories are compared with, counted
over the unlabeled ANT articles (``../shared/corpus/ant_unlabeled.jsonl``) less the reserved
ids and less every article of the held-out story week (``data/stories/window-2018-05-20.jsonl``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ...stories.docfreq import DocFreq

ROOT = Path(__file__).resolve().parents[3]
HELD_OUT_WINDOWS = (ROOT / "data" / "stories" / "window-2018-05-20.jsonl",)


def kept_out(shared: Path) -> set[str]:
    ids = set((shared / "corpus" / "reserved_ids.txt").read_text(encoding="utf-8").split())
    for w in HELD_OUT_WINDOWS:
        ids.update(json.loads(ln)["id"] for ln in w.read_text(encoding="utf-8").splitlines() if ln.strip())
    return ids


def records(shared: Path) -> Iterator[dict]:
    """The unlabeled ANT records outside the reserved ids and the held-out story week."""
    skip = kept_out(shared)
    with open(shared / "corpus" / "ant_unlabeled.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["id"] not in skip:
                yield r


def articles(shared: Path) -> Iterator[tuple[str, str]]:
    for r in records(shared):
        yield r.get("title") or "", r.get("text") or ""


def texts(shared: Path) -> dict[str, str]:
    """id -> body text of :func:`records`."""
    return {r["id"]: r.get("text") or "" for r in records(shared)}


def train_docfreq(shared: Path, out: Path, min_df: int = 2) -> DocFreq:
    df = DocFreq.count(articles(shared), min_df=min_df)
    df.save(out)
    return df
