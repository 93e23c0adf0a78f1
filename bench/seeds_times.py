"""Time expressions on the seed articles, scored like ../shared/gold/score.py.

    python bench/seeds_times.py [--json] [--verbose]

Runs ``find_times`` on each whole seed file (chrome lines included) with the gold ``published``
date, keeps one prediction per distinct (surface, value) pair as the gold does, and matches gold and
predictions with score.py's own rule (its ``norm()``; surface containment either way; greedy
one-to-one; value must be equal for ``time_values``).  score.py is imported from ../shared in place.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

from marsad.extract.time import find_times

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def load_score():
    spec = importlib.util.spec_from_file_location("marsad_shared_score", SHARED / "gold" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def predict(text: str, published: date) -> list[dict]:
    seen, out = set(), []
    for t in find_times(text, published):
        key = (" ".join(t.text.split()), t.value)
        if key not in seen:
            seen.add(key)
            out.append({"surface": t.text, "value": t.value, "precision": t.precision, "rule": t.rule})
    return out


def run(verbose: bool = False) -> dict:
    sc = load_score()
    gold = [json.loads(l) for l in open(SHARED / "gold" / "seeds.jsonl", encoding="utf-8") if l.strip()]
    preds = {}
    for g in gold:
        text = (SHARED / "seeds" / g["file"]).read_text(encoding="utf-8")
        preds[g["id"]] = {"id": g["id"], "times": predict(text, date.fromisoformat(g["published"]))}
        if verbose:
            gs = [(t["surface"], t["value"]) for t in g["times"]]
            ps = [(t["surface"], t["value"], t["rule"]) for t in preds[g["id"]]["times"]]
            print(g["id"], "gold:", gs, "\n    pred:", ps, file=sys.stderr)
    res = sc.score(gold, preds)
    return {"times": res["times"], "time_values": res["time_values"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="list gold and predicted pairs (stderr)")
    a = ap.parse_args()
    if not (SHARED / "gold" / "seeds.jsonl").exists():
        sys.exit(f"no seeds gold at {SHARED}")
    res = run(a.verbose)
    if a.json:
        print(json.dumps(res))
        return
    for k, v in res.items():
        print(f"{k:12s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")


if __name__ == "__main__":
    main()
