"""Do the newer train articles pay?  A paired cross-validation of the learned event layer.

The older train articles (batches before ``--new-from``) are dealt into K folds as
``marsad train events --cv K`` deals them; each fold is read twice, by a model trained on the other
older folds alone and by one trained on them plus every newer article, and both readings are scored
together with ``../shared/gold/score.py`` over all the older articles.  The same articles, the same
folds, the same reading: the difference is the newer articles alone (thousands of gold events,
where the dev split's 229 cannot tell a gain from noise).

    python bench/events_data_gain.py --new-from tr120 [--k 5] [--seed 13] [--json]

Takes about two trainings per fold (~15 minutes on two cores for 673 articles).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def batch_number(batch: str) -> int:
    m = re.search(r"(\d+)$", batch or "")
    return int(m.group(1)) if m else -1


def main(argv=None) -> int:
    from marsad.evaluate import find_shared
    from marsad.lab.corpus.corpus import materialize
    from marsad.lab.train_events import _base_resources, _read_fold, _scorer, folds_of, pipeline_pairs, train

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--new-from", required=True, help="the first batch of the newer articles (e.g. tr120)")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--shared", default=None)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    shared = find_shared(a.shared)
    first = batch_number(a.new_from)
    sel = [json.loads(x) for x in open(ROOT / "data" / "corpus" / "selection.jsonl", encoding="utf-8") if x.strip()]
    newer = {r["id"] for r in sel if r["split"] == "train" and batch_number(r.get("batch", "")) >= first}
    pairs = sorted(pipeline_pairs("train", shared), key=lambda p: p[0]["id"])
    older = [p for p in pairs if p[0]["id"] not in newer]
    added = [p for p in pairs if p[0]["id"] in newer]
    fold = folds_of([r["id"] for r, _ in older], a.k, a.seed)
    scorer = _scorer(shared)
    base = _base_resources()
    preds: dict[str, dict] = {"older only": {}, "older + newer": {}}
    with tempfile.TemporaryDirectory(prefix="marsad-gain-") as tmp:
        done = materialize(Path(tmp) / "corpus", shared, ["train"])
        gold = {g["id"]: g for g in (json.loads(x) for x in open(done["train"]["gold"], encoding="utf-8") if x.strip())}
        for f in range(a.k):
            rest = [p for p in older if fold[p[0]["id"]] != f]
            held = [p for p in older if fold[p[0]["id"]] == f]
            for name, extra in (("older only", []), ("older + newer", added)):
                d = Path(tmp) / f"{name.replace(' ', '').replace('+', '_')}{f}"
                train(d, shared, seed=a.seed, pairs=rest + extra)
                preds[name].update(_read_fold(d, held, {}, base))
            print(f"fold {f} done", file=sys.stderr, flush=True)
        golds = [gold[r["id"]] for r, _ in older]
        scores = {name: scorer.score(golds, p, done["train"]["articles"]) for name, p in preds.items()}
    keys = ("events", "events_full", "event_targets")
    out = {
        "older_articles": len(older),
        "newer_articles": len(added),
        "gold_events_scored": scores["older only"]["events"]["tp"] + scores["older only"]["events"]["fn"],
        **{name: {k: s[k] for k in keys} for name, s in scores.items()},
    }
    if a.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(
        f"{out['older_articles']} older articles scored ({out['gold_events_scored']} gold events), "
        f"{out['newer_articles']} newer articles"
    )
    for name in preds:
        print(f"{name:14s} " + "  ".join(f"{k} {out[name][k]['f1']:.3f}" for k in keys))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
