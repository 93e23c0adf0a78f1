"""Time of the events step alone, the learned reading vs. the rules (issue 18): the corpus dev
articles run once through the pipeline up to the quotes, then each reading codes them all `--rounds`
times (the first round also loads the KB and lexicon caches, so the best round is reported).

    python bench/events_speed.py [--rounds 3]
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
    from marsad.extract.events import EventStep
    from marsad.lab.train_events import pipeline_pairs
    from marsad.resources import Resources

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    arts = [art for _, art in pipeline_pairs("dev", Path(a.shared))]
    out = {"articles": len(arts)}
    res = Resources(events="learned")
    parts = dict(kb=res.kb, lexicon=res.lexicon)
    for name, step in (
        ("learned", EventStep(res.detector, model=res.event_model, **parts)),
        ("rules", EventStep(res.detector, model=None, **parts)),
    ):
        best = float("inf")
        for _ in range(a.rounds):
            t0 = time.perf_counter()
            for art in arts:
                step(replace(art, events=()))
            best = min(best, time.perf_counter() - t0)
        out[f"{name}_ms_per_article"] = round(1000 * best / len(arts), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
