"""Dump what ``marsad.process`` finds in real articles, and compare two dumps: the check that a
change to text handling moves no offset and no finding it did not mean to.

For each of the first N articles of ../shared/corpus/ant_bench.jsonl (headline + "\\n" + text,
published on the date in the article's id) one JSON line holds the sentences, mentions, times,
quotes, attributions and events, every field with its offsets.  Run from the repository root:

    python bench/output_diff.py dump before.jsonl --limit 1000     # on the old code
    python bench/output_diff.py dump after.jsonl --limit 1000      # on the new code
    python bench/output_diff.py diff before.jsonl after.jsonl      # which articles differ, and how

``diff`` also says, for each article that differs, whether its text holds a character the new
normalization folds (zero-width and bidi controls, BOM, soft hyphen), the only expected cause.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
BENCH = SHARED / "corpus" / "ant_bench.jsonl"
LAYERS = ("sentences", "mentions", "times", "quotes", "attributions", "events")
# the invisible format characters folded out of the normalized view
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _published(rec_id: str) -> datetime.date | None:
    m = re.search(r"(\d{8})$", rec_id)
    if not m:
        return None
    try:
        return datetime.datetime.strptime(m.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def articles(limit: int):
    with open(BENCH, encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k >= limit:
                break
            r = json.loads(line)
            yield r["id"], (r.get("title") or "") + "\n" + (r.get("text") or ""), _published(r["id"])


def dump(out: str, limit: int) -> None:
    import marsad
    from marsad.errors import MarsadError

    with open(out, "w", encoding="utf-8") as f:
        for rid, text, pub in articles(limit):
            try:
                a = marsad.process(text, published=pub, id=rid)
            except MarsadError as e:
                row = {"id": rid, "error": f"{type(e).__name__}: {e}"}
            else:
                row = {"id": rid, "text": a.text, **{k: [dataclasses.asdict(x) for x in getattr(a, k)] for k in LAYERS}}
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def diff(before: str, after: str) -> int:
    with open(before, encoding="utf-8") as f:
        old = [json.loads(x) for x in f]
    with open(after, encoding="utf-8") as f:
        new = [json.loads(x) for x in f]
    if [r["id"] for r in old] != [r["id"] for r in new]:
        print("the dumps hold different articles")
        return 2
    differ = explained = 0
    for a, b in zip(old, new):
        if a == b:
            continue
        differ += 1
        layers = [k for k in ("error", "text") + LAYERS if a.get(k) != b.get(k)]
        chars = sorted({f"U+{ord(c):04X}" for c in _INVISIBLE.findall(a.get("text", ""))})
        explained += bool(chars)
        print(f"{a['id']}: {', '.join(layers)} differ; folded characters in the text: {', '.join(chars) or 'none'}")
    print(
        f"{len(old)} articles, {len(old) - differ} identical, {differ} differ "
        f"({explained} of them hold newly folded characters)"
    )
    return 0 if differ == explained else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    d.add_argument("--limit", type=int, default=1000)
    c = sub.add_parser("diff")
    c.add_argument("before")
    c.add_argument("after")
    args = ap.parse_args(argv)
    if not BENCH.exists():
        print(f"{BENCH} is absent: nothing to compare")
        return 0
    if args.cmd == "dump":
        dump(args.out, args.limit)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
