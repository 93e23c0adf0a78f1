"""arabic_event_gsr through the whole pipeline (issue 18): each sentence of the GSR development files
becomes an article (a one-word headline line, then the sentence as its body) and is positive for a
type when the pipeline codes an event of that type in it (any status); positives = `yes`,
`ambiguous` rows excluded, as `bench/gsr.py` reads them. Nothing here is trained on GSR, so there are
no folds.

    python bench/gsr_pipeline.py [--rules] [--limit N]      # the learned reading, or the rules
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from marsad.extract.events.gsr import TYPES
    from marsad.ingest import RawDoc, to_article
    from marsad.lab.train_gsr import gsr_rows
    from marsad.pipeline import build_pipeline
    from marsad.resources import Resources

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--rules", action="store_true", help="the rule reading (the default) instead of the learned one")
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    pipe = build_pipeline(None, Resources(events="rules" if a.rules else "learned"))
    out = {}
    for typ in TYPES:
        rows = gsr_rows(Path(a.shared), typ)
        rows = rows[: a.limit] if a.limit else rows
        tp = fp = fn = 0
        t0 = time.time()
        for i, (text, y) in enumerate(rows):
            raw = RawDoc(id=f"gsr{i}", source="gsr", text="خبر\n" + text, html=None)
            art = pipe(replace(to_article(raw)))
            hit = any(e.type == typ for e in art.events)
            tp += hit and y
            fp += hit and not y
            fn += (not hit) and y
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[typ] = {
            "sentences": len(rows),
            "positives": tp + fn,
            "p": round(p, 3),
            "r": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "seconds": round(time.time() - t0, 1),
        }
    print(json.dumps({"reading": "rules" if a.rules else "learned", **out}))


if __name__ == "__main__":
    main()
