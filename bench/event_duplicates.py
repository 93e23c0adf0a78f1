"""Duplicate rate of coded events (issue 18): the share of an article's events that share type,
source, target and date with another of its events, over a gold-schema prediction file.

    marsad eval corpus --split dev --json --workdir /tmp/ev-dev   # writes /tmp/ev-dev/pred.jsonl
    python bench/event_duplicates.py /tmp/ev-dev/pred.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import Counter


def duplicate_rate(docs: list[dict]) -> dict:
    n = dup = 0
    for d in docs:
        keys = [
            (e["type"], tuple(sorted(e.get("source") or [])), tuple(sorted(e.get("target") or [])), e.get("date"))
            for e in d.get("events", [])
        ]
        c = Counter(keys)
        n += len(keys)
        dup += sum(c[k] > 1 for k in keys)
    return {"events": n, "duplicated": dup, "rate": round(dup / n, 4) if n else 0.0}


if __name__ == "__main__":
    docs = [json.loads(x) for x in open(sys.argv[1], encoding="utf-8") if x.strip()]
    print(json.dumps(duplicate_rate(docs)))
