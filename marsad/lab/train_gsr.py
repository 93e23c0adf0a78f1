"""Training of the ASSAULT / PROTEST sentence detector (:mod:`marsad.extract.events.gsr`, which only
scores) on the arabic_event_gsr development half: ``marsad train gsr`` runs :func:`build`.

Data: ../shared/events/arabic_event_gsr/{assault,protest}_gsr.csv, one sentence per row; label 'yes' = 1,
'easy no' / 'difficult no' = 0, 'ambiguous' left out.  The model is a logistic regression over the
detector's sparse features, fitted by full-batch gradient descent with Adam (numpy; scipy's sparse
matrices are used when scipy is installed).  :func:`cross_validate`
gives k-fold figures (the decision threshold is chosen inside each training fold); :func:`train` fits
on every row; :func:`save` writes the weights file the detector loads.  ``bench/gsr.py`` reports the
cross-validated figures with these functions.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Optional

import numpy as np

from ..extract.events.gsr import FORMAT, TYPES, WEIGHTS, Model, features
from ..extract.events.lexicon import Lexicon, find_triggers, read_lexicon

L2, MIN_DF, EPOCHS = 8.0, 3, 250  # picked by 5-fold CV (seeds 13, 7, 42): docs/events.md


# --- data ------------------------------------------------------------------------------------------
def read_gsr(path: Path) -> list[tuple[str, int]]:
    """(text, label) rows of a *_gsr.csv file: 'yes' -> 1, 'easy no'/'difficult no' -> 0,
    'ambiguous' dropped."""
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            lab = (r.get("label") or "").strip()
            if lab == "yes":
                out.append((r["text"], 1))
            elif lab in ("easy no", "difficult no"):
                out.append((r["text"], 0))
    return out


def gsr_rows(shared: Path, typ: str) -> list[tuple[str, int]]:
    """The rows of one type's csv under the shared data folder."""
    return read_gsr(Path(shared) / "events" / "arabic_event_gsr" / f"{typ.lower()}_gsr.csv")


# --- learning --------------------------------------------------------------------------------------
def matrix(feats: list[dict], vocab: dict[str, int]):
    """The feature dicts as a (rows x vocab) matrix: scipy CSR when scipy is there, else dense."""
    rows, cols, vals = [], [], []
    for i, f in enumerate(feats):
        for k, v in f.items():
            j = vocab.get(k)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(v)
    try:  # scipy makes it fast when present; numpy alone is fine for the sizes at hand
        from scipy.sparse import csr_matrix

        return csr_matrix((vals, (rows, cols)), shape=(len(feats), len(vocab)), dtype=np.float64)
    except ImportError:
        X = np.zeros((len(feats), len(vocab)))
        X[rows, cols] = vals
        return X


def fit(
    feats: list[dict], y: np.ndarray, l2: float = L2, min_df: int = MIN_DF, epochs: int = EPOCHS
) -> dict[str, float]:
    """Weights (rounded to 5 decimals, |w| > 1e-4 kept) of a class-balanced, L2-regularized logistic
    regression over the features seen in ``min_df`` rows or more (lexicon features always)."""
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            df[k] = df.get(k, 0) + 1
    vocab = {k: i for i, k in enumerate(sorted(k for k, c in df.items() if c >= min_df or k.startswith(("T:", "K:"))))}
    X = matrix(feats, vocab)
    XT = X.T.tocsr() if hasattr(X, "tocsr") else X.T
    n, d = X.shape
    pos = max(1.0, float(y.sum()))
    sw = np.where(y == 1, n / (2 * pos), n / (2 * max(1.0, n - pos)))  # balanced classes
    w = np.zeros(d, dtype=np.float64)
    reg = np.full(d, l2 / n)
    reg[vocab["BIAS"]] = 0.0
    # full-batch gradient descent with Adam: small data, deterministic
    m1, m2, lr = np.zeros(d), np.zeros(d), 0.05
    for it in range(1, epochs + 1):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        g = XT @ ((p - y) * sw) / n + reg * w
        m1 = 0.9 * m1 + 0.1 * g
        m2 = 0.999 * m2 + 0.001 * g * g
        w -= lr * (m1 / (1 - 0.9**it)) / (np.sqrt(m2 / (1 - 0.999**it)) + 1e-8)
    inv = {i: k for k, i in vocab.items()}
    return {inv[i]: round(float(v), 5) for i, v in enumerate(w) if abs(v) > 1e-4}


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "p": round(p, 4),
        "r": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def folds(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """k stratified folds (row indexes) drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    idx = [rng.permutation(np.where(y == c)[0]) for c in (0, 1)]
    return [np.concatenate([ix[i::k] for ix in idx]) for i in range(k)]


def best_threshold(scores: np.ndarray, y: np.ndarray) -> float:
    """The F1-best decision threshold on a 0.2 .. 0.9 grid (step 0.025)."""
    best, bt = -1.0, 0.5
    for t in np.arange(0.2, 0.91, 0.025):
        pr = scores >= t
        tp, fp, fn = int((pr & (y == 1)).sum()), int((pr & (y == 0)).sum()), int((~pr & (y == 1)).sum())
        f = prf(tp, fp, fn)["f1"]
        if f > best:
            best, bt = f, float(t)
    return round(bt, 3)


def oof_scores(feats: list[dict], y: np.ndarray, k: int, seed: int, **kw) -> np.ndarray:
    """Out-of-fold scores: each row scored by a model fitted on the other folds."""
    out = np.zeros(len(y))
    for test in folds(y, k, seed):
        train_ix = np.setdiff1d(np.arange(len(y)), test)
        m = Model(fit([feats[i] for i in train_ix], y[train_ix], **kw))
        out[test] = [m.score_features(feats[i]) for i in test]
    return out


def train(
    rows: list[tuple[str, int]], k_inner: int = 3, seed: int = 13, lexicon: Optional[Lexicon] = None, **kw
) -> Model:
    """Fit on every row; the threshold is the F1-best one on inner out-of-fold scores."""
    lexicon = lexicon if lexicon is not None else read_lexicon()
    feats = [features(t, lexicon) for t, _ in rows]
    y = np.array([lab for _, lab in rows], dtype=np.float64)
    thr = best_threshold(oof_scores(feats, y, k_inner, seed, **kw), y)
    return Model(fit(feats, y, **kw), thr)


def cross_validate(
    rows: list[tuple[str, int]], k: int = 5, seed: int = 13, lexicon: Optional[Lexicon] = None, **kw
) -> dict:
    """k-fold figures: each fold is scored by a model (and threshold) learned on the other folds."""
    lexicon = lexicon if lexicon is not None else read_lexicon()
    feats = [features(t, lexicon) for t, _ in rows]
    y = np.array([lab for _, lab in rows], dtype=np.float64)
    tp = fp = fn = 0
    for test in folds(y, k, seed):
        train_ix = np.setdiff1d(np.arange(len(y)), test)
        ftr, ytr = [feats[i] for i in train_ix], y[train_ix]
        thr = best_threshold(oof_scores(ftr, ytr, 3, seed, **kw), ytr)
        m = Model(fit(ftr, ytr, **kw), thr)
        pr = np.array([m.score_features(feats[i]) >= thr for i in test])
        yt = y[test] == 1
        tp += int((pr & yt).sum())
        fp += int((pr & ~yt).sum())
        fn += int((~pr & yt).sum())
    return prf(tp, fp, fn)


def lexicon_baseline(rows: list[tuple[str, int]], typ: str, lexicon: Optional[Lexicon] = None) -> dict:
    """Detection by the trigger lexicon alone: any trigger of ``typ`` in the sentence."""
    lexicon = lexicon if lexicon is not None else read_lexicon()
    tp = fp = fn = 0
    for text, lab in rows:
        hit = any(t.entry.type == typ for t in find_triggers(text, None, lexicon))
        tp += hit and lab == 1
        fp += hit and lab == 0
        fn += (not hit) and lab == 1
    return prf(tp, fp, fn)


def save(models: dict[str, Model], path: Optional[Path] = None, meta: Optional[dict] = None) -> Path:
    """Write the weights file (JSON, keys sorted inside each model) the detector loads."""
    path = Path(path or WEIGHTS)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "format": FORMAT,
        "meta": meta or {},
        "models": {
            t: {"threshold": m.threshold, "weights": dict(sorted(m.weights.items()))} for t, m in models.items()
        },
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
    return path


# --- the recipe of the shipped file ----------------------------------------------------------------
def build(shared: Path, out: Path, seed: int = 13, k: int = 5) -> dict:
    """Per type: k-fold figures (kept in the file's meta), then a model fitted on every row (its
    threshold from an inner 3-fold CV), both with ``seed``; writes ``out``/gsr_weights.json.  The
    defaults are the recipe of the shipped file (``marsad/resources/events/gsr_weights.json``), which
    they rebuild byte for byte with numpy alone (scipy is not a dependency; with it the products are
    summed in another order, and a rounded weight could differ in its last digit)."""
    models, cv = {}, {}
    lexicon = read_lexicon()
    for typ in TYPES:
        rows = gsr_rows(shared, typ)
        cv[typ] = cross_validate(rows, k=k, seed=seed, lexicon=lexicon)
        models[typ] = train(rows, seed=seed, lexicon=lexicon)
    meta = {
        "data": "arabic_event_gsr development half",
        "l2": L2,
        "min_df": MIN_DF,
        "features": "lexicon+context, stems, stem bigrams, cues",
        "cv": cv,
    }
    path = save(models, Path(out) / WEIGHTS.name, meta=meta)
    return {
        "weights": str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "shipped_sha256": hashlib.sha256(WEIGHTS.read_bytes()).hexdigest() if WEIGHTS.exists() else None,
        f"cv{k}": cv,
        "thresholds": {t: m.threshold for t, m in models.items()},
        "weights_kept": {t: len(m.weights) for t, m in models.items()},
    }
