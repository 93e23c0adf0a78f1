"""Structure figures of the ingest layer on the seeds (headline, outlet, chrome removed, body kept).

Reads ../shared/seeds with marsad.ingest.read_inputs, cleans each article, writes predictions in the
gold schema to a temporary file and scores them with ../shared/gold/score.py:

    python bench/seeds_structure.py [--shared ../shared] [--keep PRED.jsonl]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from marsad.ingest import RawDoc, Reject, clean_document, read_inputs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    ap.add_argument("--keep", help="also write the predictions here")
    ap.add_argument("--all", action="store_true", help="print every layer, not only structure")
    a = ap.parse_args()
    shared = Path(a.shared)
    seeds, gold, scorer = shared / "seeds", shared / "gold" / "seeds.jsonl", shared / "gold" / "score.py"
    if not seeds.is_dir():
        print(f"no seeds at {seeds}", file=sys.stderr)
        return 2
    rows = []
    for item in read_inputs([seeds]):
        if isinstance(item, Reject):
            print(f"reject {item.source}: {item.reason}: {item.detail}", file=sys.stderr)
            continue
        assert isinstance(item, RawDoc)
        c = clean_document(item)
        rows.append(
            {
                "id": item.id,
                "headline": c.headline,
                "outlet": {"surface": c.outlet},
                "byline": c.byline,
                "boilerplate": list(c.boilerplate),
                "body": c.text[c.body_start :],
            }
        )
    out = Path(a.keep) if a.keep else Path(tempfile.mkstemp(suffix=".jsonl")[1])
    with out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    res = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(out), "--articles", str(seeds)],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in res.stdout.splitlines():
        if a.all or line.startswith("structure"):
            print(line)
    if not a.keep:
        out.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
