"""arabic_event_gsr through the whole pipeline (issue 18): each sentence of the GSR development files
becomes an article (a one-word headline line, then the sentence as its body) and is positive for a
type when the pipeline codes an event of that type in it (any status); positives = `yes`,
`ambiguous` rows excluded, as `bench/gsr.py` reads them.

The event step's GSR sentence detector is trained on these same files, so the figures are 5-fold, as
`bench/gsr.py` measures the detector alone: the sentences of each fold are read by a pipeline whose
detector (both types) was fitted without them (`train_gsr.train`, its threshold chosen inside the
training rows); a sentence of the fold that also appears in the other type's file is left out of that
type's training rows too. `--in-sample` runs the shipped detector instead (fitted on every row: an
optimistic figure, kept only to compare with earlier reports).

    python bench/gsr_pipeline.py [--rules] [--limit N] [--seed 13] [--in-sample]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fold_detectors(shared: Path, typ: str, rows: list, k: int, seed: int, lexicon):
    """(test row indexes, a detector fitted without them) for each of ``k`` stratified folds."""
    from marsad.extract.events.gsr import TYPES, Detector
    from marsad.lab.train_gsr import folds, gsr_rows, train

    other = {t: gsr_rows(shared, t) for t in TYPES if t != typ}
    y = np.array([lab for _, lab in rows])
    for test in folds(y, k, seed):
        test_ix = set(test.tolist())
        held = {rows[i][0] for i in test_ix}
        keep = [r for i, r in enumerate(rows) if i not in test_ix]
        models = {typ: train(keep, seed=seed, lexicon=lexicon)}
        for t, rs in other.items():
            models[t] = train([r for r in rs if r[0] not in held], seed=seed, lexicon=lexicon)
        yield test, Detector(models, lexicon=lexicon)


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
    ap.add_argument("--seed", type=int, default=13, help="the fold split")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--in-sample", action="store_true", help="the shipped detector, fitted on every row")
    a = ap.parse_args()
    shared = Path(a.shared)
    reading = "rules" if a.rules else "learned"
    base = Resources(events=reading)
    shared_parts = dict(
        kb=base.kb,
        tagger=base.tagger,
        lexicon=base.lexicon,
        docfreq=base.docfreq,
        labels=base.labels,
        event_model=base.event_model,
    )
    out = {}
    for typ in TYPES:
        rows = gsr_rows(shared, typ)
        rows = rows[: a.limit] if a.limit else rows
        if a.in_sample:
            runs = [(np.arange(len(rows)), base.detector)]
        else:
            runs = fold_detectors(shared, typ, rows, a.folds, a.seed, base.lexicon)
        tp = fp = fn = 0
        t0 = time.time()
        for test, det in runs:
            pipe = build_pipeline(None, Resources(detector=det, events=reading, **shared_parts))
            for i in test.tolist():
                text, y = rows[i]
                art = pipe(to_article(RawDoc(id=f"gsr{i}", source="gsr", text="خبر\n" + text, html=None)))
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
    print(
        json.dumps(
            {"reading": reading, "detector": "in-sample" if a.in_sample else f"{a.folds}-fold seed {a.seed}", **out}
        )
    )


if __name__ == "__main__":
    main()
