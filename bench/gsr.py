"""ASSAULT / PROTEST sentence detection on the arabic_event_gsr development half.

    python bench/gsr.py [--json] [--k 5] [--train]

Each sentence of ../shared/events/arabic_event_gsr/{assault,protest}_gsr.csv is one article-sized
input.  Positives are label 'yes'; 'easy no' and 'difficult no' are negatives; 'ambiguous' is left out.

Reported, per type:
  lexicon   detection by the trigger lexicon alone (any trigger of the type in the sentence);
  learned   the logistic-regression detector (marsad/extract/gsr.py), k-fold cross-validated: each fold
            is scored by a model, and a decision threshold, learned on the other folds only.  The
            regularization (l2 = 8, min_df = 3) was picked from a small grid with this same CV, so
            the figure is slightly optimistic.  Training-set figures are never reported.
``--train`` fits on every row and writes marsad/resources/events/gsr_weights.json (the shipped model).
The other half of the GSR is kept for evaluation elsewhere.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from marsad.extract import gsr  # noqa: E402

BARS = {"ASSAULT": 0.75, "PROTEST": 0.70}


def run(k: int = 5, do_train: bool = False) -> dict:
    out, models = {}, {}
    for typ in gsr.TYPES:
        rows = gsr.gsr_rows(SHARED, typ)
        out[typ] = {"sentences": len(rows), "positives": sum(l for _, l in rows),
                    "lexicon": gsr.lexicon_baseline(rows, typ),
                    f"learned_cv{k}": gsr.cross_validate(rows, k=k), "bar_f1": BARS[typ]}
        if do_train:
            models[typ] = gsr.train(rows)
    if do_train:
        path = gsr.save(models, meta={"data": "arabic_event_gsr development half", "l2": 8.0, "min_df": 3,
                                      "cv": {t: out[t][f"learned_cv{k}"] for t in out}})
        out["_weights"] = str(path)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--k", type=int, default=5, help="folds (default 5)")
    ap.add_argument("--train", action="store_true", help="also fit on all rows and write the shipped weights")
    a = ap.parse_args()
    if not (SHARED / "events" / "arabic_event_gsr").exists():
        sys.exit(f"no GSR data under {SHARED}")
    r = run(a.k, a.train)
    if a.json:
        print(json.dumps(r))
        return
    for typ in gsr.TYPES:
        v = r[typ]
        print(f"{typ} ({v['sentences']} sentences, {v['positives']} positive; bar F1 {v['bar_f1']})")
        for name in ("lexicon", f"learned_cv{a.k}"):
            m = v[name]
            print(f"  {name:12s} P {m['p']:.3f}  R {m['r']:.3f}  F1 {m['f1']:.3f}   (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
    if "_weights" in r:
        print(f"weights written to {r['_weights']}")


if __name__ == "__main__":
    main()
