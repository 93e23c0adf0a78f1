"""ASSAULT / PROTEST sentence detection on the arabic_event_gsr development half.

    python bench/gsr.py [--json] [--k 5] [--seeds 13,7,42] [--speed]
    python bench/gsr.py --ceiling [--json]

Each sentence of ../shared/events/arabic_event_gsr/{assault,protest}_gsr.csv is one article-sized
input.  Positives are label 'yes'; 'easy no' and 'difficult no' are negatives; 'ambiguous' is left out.

Reported, per type:
  lexicon   detection by the trigger lexicon alone (any trigger of the type in the sentence);
  learned   the logistic-regression detector (marsad/extract/events/gsr.py, trained by
            marsad/lab/train_gsr.py), k-fold cross-validated: each fold
            is scored by a model, and a decision threshold, learned on the other folds only.  The
            regularization (l2 = 8, min_df = 3) and the feature set were picked with this same CV
            (seeds 13, 7, 42), so the figure is slightly optimistic.  With 155 / 57 positives the
            F1 moves by ±0.03 (ASSAULT) and ±0.05 (PROTEST) from one fold split to another: the
            figure of the first seed is reported, and the mean over ``--seeds`` when several are given.
            Training-set figures are never reported.
The shipped model (marsad/resources/events/gsr_weights.json) is rebuilt by
``marsad train gsr --out marsad/resources/events``.
``--speed`` times the shipped detector (``Detector.score``) on the GSR sentences that contain a
candidate trigger of the type (the only sentences EventStep asks it about).
``--ceiling`` prints what the vote columns (accept / reject / total) say about human agreement instead
(see :func:`ceiling`); no model is involved.
The other half of the GSR is kept for evaluation elsewhere.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from marsad.extract.events import gsr  # noqa: E402
from marsad.lab import train_gsr  # noqa: E402

BARS = {"ASSAULT": 0.75, "PROTEST": 0.70}


def run(k: int = 5, seeds: tuple = (13,)) -> dict:
    from marsad.extract.events import read_lexicon

    lex = read_lexicon()  # read once: features without a lexicon would read it per sentence
    out = {}
    for typ in gsr.TYPES:
        rows = train_gsr.gsr_rows(SHARED, typ)
        cvs = [train_gsr.cross_validate(rows, k=k, seed=s, lexicon=lex) for s in seeds]
        out[typ] = {
            "sentences": len(rows),
            "positives": sum(l for _, l in rows),
            "lexicon": train_gsr.lexicon_baseline(rows, typ, lex),
            f"learned_cv{k}": cvs[0],
            "bar_f1": BARS[typ],
        }
        if len(seeds) > 1:
            out[typ]["cv_seeds"] = {str(s): c["f1"] for s, c in zip(seeds, cvs)}
            out[typ]["cv_mean_f1"] = round(statistics.mean(c["f1"] for c in cvs), 4)
    return out


# --- annotator ceiling -----------------------------------------------------------------------------
def gold_of(accept: int, reject: int) -> str:
    """The GSR label as a function of the votes (it reproduces every row of both files): no reject and at
    least two votes = 'yes'; exactly one reject = 'ambiguous' (left out); two or more rejects = a negative
    ('easy no' when nobody accepted, else 'difficult no') -- so (4 accept, 2 reject) is a negative."""
    if accept + reject < 2:
        return "ambiguous"
    if reject == 0:
        return "yes"
    if reject == 1:
        return "ambiguous"
    return "easy no" if accept == 0 else "difficult no"


def vote_rows(typ: str) -> list[tuple[int, int, str]]:
    """(accept, reject, label) of every row of the type's csv, ambiguous rows included."""
    with open(SHARED / "events" / "arabic_event_gsr" / f"{typ.lower()}_gsr.csv", encoding="utf-8", newline="") as f:
        return [(int(r["accept"]), int(r["reject"]), r["label"].strip()) for r in csv.DictReader(f)]


def _exp_prf(tp: float, fp: float, fn: float, n: float) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "rows": round(n, 1),
        "pos": round(tp + fn, 1),
        "p": round(p, 3),
        "r": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
    }


def _self_included(rows: list) -> dict:
    """One annotator drawn at random on each sentence (yes with probability accept/total), scored against
    the gold that includes that same vote: on 'yes' rows the vote is yes, so recall is 1 by construction
    and the figure is an upper bound.  P/R/F1 are ratios of expected counts."""
    tp = fp = fn = n = 0.0
    for a, r, lab in rows:
        if lab == "ambiguous":
            continue
        n += 1
        if lab == "yes":
            tp += a / (a + r)
            fn += r / (a + r)
        else:
            fp += a / (a + r)
    return _exp_prf(tp, fp, fn, n)


def _leave_one_out(rows: list) -> dict:
    """One annotator's vote held out (each vote with probability 1/total) and scored against the gold
    rebuilt by the same rule (:func:`gold_of`) from the *other* votes; rows whose remaining votes give
    'ambiguous' (or fewer than two votes) drop out, as ambiguous rows do in the benchmark.  Only rows with
    total >= 3 can take part.  The vote is no longer part of its own gold, but the gold now comes from one
    annotator fewer (unanimity among 2 is easier than among 3)."""
    tp = fp = fn = n = 0.0
    for a, r, _ in rows:
        tot = a + r
        if tot < 3:
            continue
        for vote, w in ((1, a / tot), (0, r / tot)):
            if w == 0:
                continue
            g = gold_of(a - vote, r - (1 - vote))
            if g == "ambiguous":
                continue
            n += w
            if g == "yes":
                tp += w * vote
                fn += w * (1 - vote)
            else:
                fp += w * vote
    return _exp_prf(tp, fp, fn, n)


def _agreement(rows: list) -> dict:
    """Vote agreement on every row with >= 2 votes (ambiguous rows included, no gold involved):
    positive-specific agreement = the expected F1 of one annotator against another on the same sentence,
    and Krippendorff's alpha (nominal, variable number of annotators per sentence)."""
    yy = dis = 0.0
    o11 = o00 = o01 = 0.0
    for a, r, _ in rows:
        m = a + r
        if m < 2:
            continue
        yy += a * (a - 1) / (m * (m - 1))
        dis += 2 * a * r / (m * (m - 1))
        o11 += a * (a - 1) / (m - 1)
        o00 += r * (r - 1) / (m - 1)
        o01 += a * r / (m - 1)
    n1, n0 = o11 + o01, o00 + o01
    n = n1 + n0
    alpha = 1 - (n - 1) * o01 / (n1 * n0) if n1 and n0 else 0.0
    return {
        "pairwise_f1": round(2 * yy / (2 * yy + dis), 3) if yy + dis else 0.0,
        "krippendorff_alpha": round(alpha, 3),
    }


def ceiling() -> dict:
    """Per type: the single-annotator figures overall and by number of annotators, leave-one-out, and
    the agreement of the raw votes."""
    out = {}
    for typ in gsr.TYPES:
        rows = vote_rows(typ)
        assert all(gold_of(a, r) == lab for a, r, lab in rows), "label rule does not reproduce the csv"
        by_n = {}
        for tot in sorted({a + r for a, r, _ in rows}):
            key = str(tot) if tot < 6 else "6+"
            by_n.setdefault(key, []).extend(x for x in rows if x[0] + x[1] == tot)
        out[typ] = {
            "self_included": _self_included(rows),
            "by_annotators": {k: m for k, v in by_n.items() if (m := _self_included(v))["rows"]},
            "leave_one_out": _leave_one_out(rows),
            **_agreement(rows),
        }
    return out


def print_ceiling(c: dict) -> None:
    print("Annotator ceiling (expected counts; P/R/F1 of one annotator against the gold):")
    print(f"{'type':8s} {'measure':34s} {'rows':>7s} {'pos':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for typ, v in c.items():
        lines = [("one annotator, own vote in gold", v["self_included"])]
        lines += [(f"  total = {k} annotators", m) for k, m in v["by_annotators"].items()]
        lines.append(("own vote left out (total >= 3)", v["leave_one_out"]))
        for name, m in lines:
            prf = (
                f"{m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f}"
                if m["pos"]
                else f"{'-':>6s} {'-':>6s} {'-':>6s}  (no positives)"
            )
            print(f"{typ:8s} {name:34s} {m['rows']:7.1f} {m['pos']:6.1f} {prf}")
        print(
            f"{typ:8s} annotator vs annotator F1 {v['pairwise_f1']:.3f}   Krippendorff alpha {v['krippendorff_alpha']:.3f}"
        )


def speed(repeat: int = 3) -> dict:
    """Mean milliseconds per ``Detector.score`` call on candidate sentences (one core)."""
    det = gsr.load_detector()
    if det is None:
        return {}
    out = {}
    for typ in gsr.TYPES:
        sents = [
            t
            for t, _ in train_gsr.gsr_rows(SHARED, typ)
            if any(tr.entry.type == typ for tr in gsr.find_triggers(t, None, det.lexicon))
        ]
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            for s in sents:
                det.score(s, typ)
            best = min(best, time.perf_counter() - t0)
        out[typ] = {"sentences": len(sents), "ms_per_sentence": round(1000 * best / max(1, len(sents)), 3)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--k", type=int, default=5, help="folds (default 5)")
    ap.add_argument("--seeds", default="13", help="comma-separated CV fold seeds (default 13; e.g. 13,7,42)")
    ap.add_argument("--speed", action="store_true", help="also time the shipped detector per candidate sentence")
    ap.add_argument("--ceiling", action="store_true", help="only the annotator ceiling of the vote columns")
    a = ap.parse_args()
    if not (SHARED / "events" / "arabic_event_gsr").exists():
        sys.exit(f"no GSR data under {SHARED}")
    if a.ceiling:
        c = ceiling()
        print(json.dumps(c)) if a.json else print_ceiling(c)
        return
    r = run(a.k, tuple(int(x) for x in a.seeds.split(",") if x.strip()))
    if a.speed:
        r["_speed"] = speed()
    if a.json:
        print(json.dumps(r))
        return
    for typ in gsr.TYPES:
        v = r[typ]
        print(f"{typ} ({v['sentences']} sentences, {v['positives']} positive; bar F1 {v['bar_f1']})")
        for name in ("lexicon", f"learned_cv{a.k}"):
            m = v[name]
            print(
                f"  {name:12s} P {m['p']:.3f}  R {m['r']:.3f}  F1 {m['f1']:.3f}   (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})"
            )
        if "cv_mean_f1" in v:
            print(f"  cv F1 per seed {v['cv_seeds']}  mean {v['cv_mean_f1']:.3f}")
        if typ in r.get("_speed", {}):
            sp = r["_speed"][typ]
            print(f"  speed        {sp['ms_per_sentence']:.3f} ms per candidate sentence ({sp['sentences']} sentences)")


if __name__ == "__main__":
    main()
