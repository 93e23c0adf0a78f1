"""A token-level trigger tagger (linear-chain CRF, python-crfsuite) as an ASSAULT / PROTEST sentence
detector, measured with the protocol of bench/gsr.py.

    python bench/gsr_crf.py [--seeds 13,7,42] [--k 5] [--types ASSAULT,PROTEST] [--json]
                            [--c1 0.05] [--c2 0.05] [--iters 150] [--nospan lexicon|drop] [--sent]

Measured (docs/events.md): the tagger alone ranks and decides worse than the shipped logistic model,
and the blend is within the split noise of it; it is not shipped.

Token labels come from ../shared/events/arabic_event_gsr/*_spans.json: each annotator's ``verb`` span
is a bag of words of the sentence; a token is a trigger (``T``) when at least one annotator put it in
a verb span (function words such as في/على/الى are never triggers).  The spans cover 155 of the 155
ASSAULT 'yes' rows and, matched by id and then by identical text, 46 of the 57 PROTEST 'yes' rows;
a 'yes' row without spans is labelled with the lexicon's triggers of the type (``--nospan lexicon``)
or left out of the tagger's training (``--nospan drop``).  Every negative row is all ``O`` (its
spans, if any, are ignored): the tagger must learn that a background killing is not a trigger.

Sentence score = the largest marginal P(T) over the tokens.  Per outer fold (train_gsr.folds, the same
splits as bench/gsr.py) and only from the training folds: an inner 3-fold CV gives out-of-fold scores
of the shipped logistic model (LR) and of the tagger; on those the decision threshold is chosen for
``lr`` (LR alone, it reproduces bench/gsr.py), ``crf`` (tagger alone) and ``blend``
(a*LR + (1-a)*CRF, a and the threshold chosen together).  Test-fold rows' spans and labels are never
used for training or for any choice.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
import pycrfsuite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
DATA = SHARED / "events" / "arabic_event_gsr"

from marsad.extract.events import gsr  # noqa: E402
from marsad.lab import train_gsr  # noqa: E402
from marsad.extract.events import find_triggers, read_lexicon  # noqa: E402
from marsad.text.normalize import fold, normalize  # noqa: E402

LEX = read_lexicon()  # the shipped trigger lexicon, read once
_TOK = re.compile(r"\S+")
_EDGE = re.compile(r"^[^\w]+|[^\w]+$", re.UNICODE)
STOP = {
    fold(w)
    for w in "في على الى إلى من عن مع التي الذي الذين ان أن إن و ثم قد لقد كان كانت تم بين ضد امام أمام "
    "خلال بعد قبل حيث كما هذا هذه ذلك تلك عند منذ او أو".split()
}
_SUB = {fold(w) for w in "الذي التي الذين اللذين اللتين بعد اثر إثر عقب منذ حين عندما".split()}


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word without edge punctuation) of the white-space tokens that hold a word."""
    out = []
    for m in _TOK.finditer(text):
        w = fold(_EDGE.sub("", m.group()))
        if w:
            out.append((m.start(), m.end(), w))
    return out


_CUES = ("NUM", "TIME", "CAS", "NOM_PROTESTERS", "OBJ_PROTESTERS", "BACKGROUND", "QUESTION")


def token_features(text: str, typ: str, sent: bool = False) -> list[list[str]]:
    """Binary features of each token: the word, its light stem and affixes, lexicon triggers over it
    (of the type or another), the stems around it, a subordinator before it, the position; with
    ``sent`` also the sentence cues of gsr.features (time, casualties, protester case, background)."""
    toks = tokens(text)
    cues = []
    if sent:
        sf = gsr.features(text, LEX)
        cues = [f"S:{c}" for c in _CUES if c in sf]
    stems = [gsr.stem(w) for _, _, w in toks]
    lex: list[list[str]] = [[] for _ in toks]
    for t in find_triggers(text, normalize(text), LEX):
        e = t.entry
        for i, (s, end, _) in enumerate(toks):
            if s < t.match_end and end > t.start:
                head = s <= t.start < end
                tag = e.type if e.type == typ else "other"
                lex[i] += [f"L:{tag}", f"L:{tag}:{e.kind}", f"L:{tag}:{e.mode}"] if head else [f"LI:{tag}"]
    n = len(toks)
    feats = []
    for i, (_, _, w) in enumerate(toks):
        s = stems[i]
        f = [f"w={w}", f"s={s}", f"p3={w[:3]}", f"x2={w[-2:]}", f"x3={w[-3:]}"] + lex[i]
        f += [
            f"s-1={stems[i - 1] if i else '^'}",
            f"s+1={stems[i + 1] if i + 1 < n else '$'}",
            f"s-2={stems[i - 2] if i > 1 else '^'}",
            f"s+2={stems[i + 2] if i + 2 < n else '$'}",
            f"b={stems[i - 1] if i else '^'}_{s}",
        ]
        if i < 3:
            f.append(f"pos{i}")
        if any(toks[j][2] in _SUB for j in range(max(0, i - 4), i)):
            f.append("sub<4")
        if w.isdigit():
            f.append("num")
        feats.append(f + cues)
    return feats


# --- data ------------------------------------------------------------------------------------------
def load(typ: str) -> tuple[list[str], np.ndarray, list]:
    """Texts and labels in the order of train_gsr.gsr_rows (so the folds are the same) and, per row, the
    annotators' verb spans (a list of word lists) or None."""
    rows = []
    with open(DATA / f"{typ.lower()}_gsr.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            lab = (r.get("label") or "").strip()
            if lab in ("yes", "easy no", "difficult no"):
                rows.append((r["id"], r["text"], int(lab == "yes")))
    assert [(t, l) for _, t, l in rows] == train_gsr.gsr_rows(SHARED, typ)
    spans = json.loads((DATA / f"{typ.lower()}_spans.json").read_text(encoding="utf-8"))
    by_id = {s["source"]: s for s in spans}
    by_text = {s["text"]: s for s in spans}
    verbs = []
    for rid, text, _ in rows:
        s = by_id.get(rid)
        if s is None or s["text"] != text:
            s = by_text.get(text)
        verbs.append([a["verb"] for a in s["spans"]] if s else None)
    return [t for _, t, _ in rows], np.array([l for _, _, l in rows], dtype=np.float64), verbs


def token_labels(text: str, typ: str, label: int, verbs, nospan: str):
    """'T'/'O' per token; None when the row is left out of the tagger's training."""
    toks = tokens(text)
    if not label:
        return ["O"] * len(toks)
    marked = set()
    for words in verbs or []:
        for w in words:
            cw = fold(_EDGE.sub("", w))
            if len(cw) >= 2 and cw not in STOP:
                marked |= {i for i, (_, _, tw) in enumerate(toks) if tw == cw}
    if not marked:
        if nospan == "drop":
            return None
        for t in find_triggers(text, None, LEX):
            if t.entry.type == typ:
                marked |= {i for i, (s, e, _) in enumerate(toks) if s <= t.start < e}
    return ["T" if i in marked else "O" for i in range(len(toks))]


# --- tagger ----------------------------------------------------------------------------------------
def fit_crf(X: list, Y: list, path: str, c1: float, c2: float, iters: int) -> None:
    tr = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(X, Y):
        if y is not None and x:
            tr.append(x, y)
    tr.set_params({"c1": c1, "c2": c2, "max_iterations": iters, "feature.possible_transitions": True})
    tr.train(path)


def crf_scores(path: str, X: list) -> np.ndarray:
    tg = pycrfsuite.Tagger()
    tg.open(path)
    out = np.zeros(len(X))
    for i, x in enumerate(X):
        if x and "T" in tg.labels():
            tg.set(x)
            out[i] = max(tg.marginal("T", j) for j in range(len(x)))
    tg.close()
    return out


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = int((pred & (y == 1)).sum())
    fp, fn = int((pred & (y == 0)).sum()), int((~pred & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
ALPHAS = (0.25, 0.5, 0.75)


def _choose(lr: np.ndarray, crf: np.ndarray, y: np.ndarray, mode: str) -> tuple[float, float]:
    """(alpha, threshold) with the best F1 on out-of-fold training scores."""
    if mode == "lr":
        return 1.0, train_gsr.best_threshold(lr, y)
    best, ch = -1.0, (0.0, 0.5)
    for a in (0.0,) if mode == "crf" else ALPHAS:
        s = a * lr + (1 - a) * crf
        for t in GRID:
            f = _f1(s >= t, y)
            if f > best:
                best, ch = f, (a, float(t))
    return ch


def _scores(tr_ix, te_ix, F, X, Y, y, tmp, kw) -> tuple[np.ndarray, np.ndarray]:
    """LR and tagger fitted on rows tr_ix, scores of rows te_ix."""
    m = gsr.Model(train_gsr.fit([F[i] for i in tr_ix], y[tr_ix]))
    path = str(Path(tmp) / "m.crfsuite")
    fit_crf([X[i] for i in tr_ix], [Y[i] for i in tr_ix], path, **kw)
    return np.array([m.score_features(F[i]) for i in te_ix]), crf_scores(path, [X[i] for i in te_ix])


def cross_validate(typ: str, k: int, seed: int, nospan: str, sent: bool = False, **kw) -> dict:
    texts, y, verbs = load(typ)
    F = [gsr.features(t, LEX) for t in texts]
    X = [token_features(t, typ, sent) for t in texts]
    Y = [token_labels(t, typ, int(l), v, nospan) for t, l, v in zip(texts, y, verbs)]
    modes = ("lr", "crf", "blend")
    counts = {m: [0, 0, 0] for m in modes}
    pooled = {m: np.zeros(len(y)) for m in modes}
    chosen = {m: [] for m in modes}
    with tempfile.TemporaryDirectory() as tmp:
        for test in train_gsr.folds(y, k, seed):
            train = np.setdiff1d(np.arange(len(y)), test)
            ytr = y[train]
            o_lr, o_crf = np.zeros(len(train)), np.zeros(len(train))
            for itest in train_gsr.folds(ytr, 3, seed):
                itrain = np.setdiff1d(np.arange(len(train)), itest)
                o_lr[itest], o_crf[itest] = _scores(train[itrain], train[itest], F, X, Y, y, tmp, kw)
            t_lr, t_crf = _scores(train, test, F, X, Y, y, tmp, kw)
            yt = y[test] == 1
            for m in modes:
                a, thr = _choose(o_lr, o_crf, ytr, m)
                chosen[m].append((a, thr))
                pooled[m][test] = a * t_lr + (1 - a) * t_crf
                pred = pooled[m][test] >= thr
                c = counts[m]
                c[0] += int((pred & yt).sum())
                c[1] += int((pred & ~yt).sum())
                c[2] += int((~pred & yt).sum())
    return {m: {**train_gsr.prf(*counts[m]), "ap": avg_precision(pooled[m], y), "chosen": chosen[m]} for m in modes}


def avg_precision(scores: np.ndarray, y: np.ndarray) -> float:
    """Average precision of the test-fold scores pooled over the folds (a ranking measure: no threshold)."""
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(y[order] == 1)
    prec = hits / np.arange(1, len(y) + 1)
    return round(float(prec[y[order] == 1].sum() / max(1, hits[-1])), 4)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="13,7,42")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--types", default=",".join(gsr.TYPES))
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iters", type=int, default=150)
    ap.add_argument("--nospan", choices=("lexicon", "drop"), default="lexicon")
    ap.add_argument("--sent", action="store_true", help="add the sentence cues to every token")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",") if s.strip()]
    out = {}
    for typ in a.types.split(","):
        runs = {s: cross_validate(typ, a.k, s, a.nospan, a.sent, c1=a.c1, c2=a.c2, iters=a.iters) for s in seeds}
        out[typ] = {
            m: {
                "per_seed": {str(s): runs[s][m]["f1"] for s in seeds},
                "mean_f1": round(statistics.mean(runs[s][m]["f1"] for s in seeds), 4),
                "first_seed": runs[seeds[0]][m],
            }
            for m in ("lr", "crf", "blend")
        }
        if not a.json:
            for m, v in out[typ].items():
                fs = v["first_seed"]
                print(
                    f"{typ:8s} {m:6s} F1 per seed {v['per_seed']} mean {v['mean_f1']:.3f}   "
                    f"(seed {seeds[0]}: P {fs['p']:.3f} R {fs['r']:.3f} AP {fs['ap']:.3f}; alpha/threshold {fs['chosen']})",
                    flush=True,
                )
    if a.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
