"""Time expressions on the seed articles, scored like ../shared/gold/score.py.

    python bench/seeds_times.py [--json] [--verbose]

Runs ``find_times`` on each whole seed file (chrome lines included) with the gold ``published``
date, keeps one prediction per distinct (surface, value) pair as the gold does, and matches gold and
predictions with score.py's own rule (its ``norm()``; surface containment either way; greedy
one-to-one; value must be equal for ``time_values``).  score.py is imported from ../shared in place.
"""

from __future__ import annotations

import sys
from datetime import date

from marsad.extract.time import find_times
from seeds_common import SHARED, load_gold, load_score, parse_args, print_scores


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
    gold = load_gold()
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
    a = parse_args(__doc__, "list gold and predicted pairs (stderr)", "no seeds gold")
    print_scores(run(a.verbose), a.json, 12)


if __name__ == "__main__":
    main()
