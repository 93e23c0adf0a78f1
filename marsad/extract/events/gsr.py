"""Sentence detector for ASSAULT and PROTEST: a small logistic regression (numpy only) over
event-lexicon hits, light-stemmed words and stem bigrams, shipped as JSON weights in
``resources/events`` (docs/events.md lists the routes that were measured and not kept).

    det = load_detector()                 # None when no weights are shipped (a run's Resources
                                          # raise a ModelError then, marsad.resources)
    det.score(sentence, "ASSAULT")        # probability that the sentence reports an assault
    det.detect(sentence, "PROTEST")       # score >= the type's threshold (chosen by cross-validation)

Training data: ../shared/events/arabic_event_gsr (label 'yes' = 1, 'easy no'/'difficult no' = 0,
'ambiguous' left out).  :func:`cross_validate` reports k-fold figures (the threshold is chosen inside
each training fold); :func:`train` fits on all rows and :func:`save` writes the weights.
"""
from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

from ...text.normalize import fold, normalize
from .lexicon import Lexicon, find_triggers, read_lexicon

WEIGHTS = Path(__file__).resolve().parents[2] / "resources" / "events" / "gsr_weights.json"
TYPES = ("ASSAULT", "PROTEST")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PRE = re.compile(r"^(?:وال|فال|بال|كال|لل|ال|و|ف|ب|ل)(?=\w{3,})")
_SUF = re.compile(r"(?:هما|هم|ها|ات|ون|ين|ان|يه|ه|ي)$")
_NUM = re.compile(r"\d+")


def stem(w: str) -> str:
    """A light stem: proclitics and the commonest suffixes stripped (on the folded word)."""
    w = _PRE.sub("", w)
    if len(w) > 4:
        w = _SUF.sub("", w)
    return w


_TIME = re.compile(r"(?<!\w)[وف]?(?:امس|اليوم|الليله|صباح|مساء|فجر|ظهر|السبت|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه)(?!\w)")
_CASUALTY = re.compile(r"(?<!\w)(?:قتلي|قتيلا|جرحي|جريحا|مصرع|مقتل|اصابه|بجروح|قتل)(?!\w)")


_NOMINATIVE = re.compile(r"(?<!\w)[وف]?(?:ال)?(?:متظاهرون|محتجون|معتصمون|مضربون|المحتشدون)(?!\w)")
_OBLIQUE = re.compile(r"(?:تفريق|علي|امام|ضد|صفوف|بين|مع|قمع|من)\s+(?:ال)?(?:متظاهرين|محتجين|معتصمين)")
_BACKGROUND = re.compile(r"(?<!\w)(?:يذكر|وكان|كانت|عام\s+\d{4}|منذ|تاريخ|ذكري|سابق)(?!\w)")


def features(sentence: str, lexicon: Optional[Lexicon] = None) -> dict[str, float]:
    """Sparse binary features of one sentence: lexicon triggers with their kind, status cues and
    neighbouring words (who is the agent: 'المتظاهرون' احتشدوا vs تفريق 'المتظاهرين'), light-stemmed
    words and stem bigrams, time and casualty cues."""
    norm = normalize(sentence)
    nt = norm.text
    f: dict[str, float] = {"BIAS": 1.0}
    for t in find_triggers(sentence, norm, lexicon):
        e = t.entry
        f[f"T:{e.type}"] = 1.0
        f[f"T:{e.type}:{e.mode}"] = 1.0
        f[f"K:{e.type}:{e.kind}"] = 1.0
        w0 = fold(sentence[t.start:t.end])
        f[f"TW:{e.type}:{w0}"] = 1.0
        left = fold(sentence[max(0, t.start - 30):t.start]).split()
        right = fold(sentence[t.match_end:t.match_end + 30]).split()
        if left:
            f[f"TL:{e.type}:{stem(left[-1])}"] = 1.0
        else:
            f[f"TL:{e.type}:^"] = 1.0
        if right:
            f[f"TR:{e.type}:{stem(right[0])}"] = 1.0
        if t.future:
            f[f"F:{e.type}"] = 1.0
        if t.conj:
            f[f"C:{e.type}"] = 1.0
    words = [stem(w) for w in _WORD.findall(nt)]
    for w in words:
        if len(w) >= 2:
            f["W:" + w] = 1.0
    # stem bigrams (with sentence edges): 'تفريق_متظاهر' vs 'متظاهر_احتشد', 'كان_قد', '^_قتل'
    for a, b in zip(["^"] + words, words + ["$"]):
        f[f"B:{a}_{b}"] = 1.0
    if _NUM.search(nt):
        f["NUM"] = 1.0
    if _TIME.search(nt):
        f["TIME"] = 1.0
    if _CASUALTY.search(nt):
        f["CAS"] = 1.0
    if _NOMINATIVE.search(nt):
        f["NOM_PROTESTERS"] = 1.0
    if _OBLIQUE.search(nt):
        f["OBJ_PROTESTERS"] = 1.0
    if _BACKGROUND.search(nt):
        f["BACKGROUND"] = 1.0
    if "?" in nt or "؟" in nt:
        f["QUESTION"] = 1.0
    f["LEN"] = min(len(words), 80) / 80.0
    return f


@dataclass
class Model:
    weights: dict[str, float]
    threshold: float = 0.5

    def score_features(self, f: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in f.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class Detector:
    models: dict[str, Model] = field(default_factory=dict)
    # the trigger lexicon of the features (None: the shipped one, read per sentence)
    lexicon: Optional[Lexicon] = field(default=None, repr=False, compare=False)

    def score(self, sentence: str, typ: str) -> float:
        m = self.models.get(typ)
        if m is None:
            return 1.0
        return m.score_features(features(sentence, self.lexicon))

    def detect(self, sentence: str, typ: str) -> bool:
        m = self.models.get(typ)
        return m is not None and self.score(sentence, typ) >= m.threshold


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


# --- learning --------------------------------------------------------------------------------------
def _matrix(feats: list[dict], vocab: dict[str, int]):
    rows, cols, vals = [], [], []
    for i, f in enumerate(feats):
        for k, v in f.items():
            j = vocab.get(k)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(v)
    try:  # training only: scipy makes it fast when present; numpy alone is fine for the sizes at hand
        from scipy.sparse import csr_matrix
        return csr_matrix((vals, (rows, cols)), shape=(len(feats), len(vocab)), dtype=np.float64)
    except ImportError:
        X = np.zeros((len(feats), len(vocab)))
        X[rows, cols] = vals
        return X


def _fit(feats: list[dict], y: np.ndarray, l2: float = 8.0, min_df: int = 3, epochs: int = 250) -> dict[str, float]:
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            df[k] = df.get(k, 0) + 1
    vocab = {k: i for i, k in enumerate(sorted(k for k, c in df.items() if c >= min_df or k.startswith(("T:", "K:"))))}
    X = _matrix(feats, vocab)
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
        w -= lr * (m1 / (1 - 0.9 ** it)) / (np.sqrt(m2 / (1 - 0.999 ** it)) + 1e-8)
    inv = {i: k for k, i in vocab.items()}
    return {inv[i]: round(float(v), 5) for i, v in enumerate(w) if abs(v) > 1e-4}


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def _folds(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    idx = [rng.permutation(np.where(y == c)[0]) for c in (0, 1)]
    return [np.concatenate([ix[i::k] for ix in idx]) for i in range(k)]


def _best_threshold(scores: np.ndarray, y: np.ndarray) -> float:
    best, bt = -1.0, 0.5
    for t in np.arange(0.2, 0.91, 0.025):
        pr = scores >= t
        tp, fp, fn = int((pr & (y == 1)).sum()), int((pr & (y == 0)).sum()), int((~pr & (y == 1)).sum())
        f = _prf(tp, fp, fn)["f1"]
        if f > best:
            best, bt = f, float(t)
    return round(bt, 3)


def _oof_scores(feats: list[dict], y: np.ndarray, k: int, seed: int, **kw) -> np.ndarray:
    out = np.zeros(len(y))
    for test in _folds(y, k, seed):
        train = np.setdiff1d(np.arange(len(y)), test)
        m = Model(_fit([feats[i] for i in train], y[train], **kw))
        out[test] = [m.score_features(feats[i]) for i in test]
    return out


def train(rows: list[tuple[str, int]], k_inner: int = 3, seed: int = 13, lexicon: Optional[Lexicon] = None,
          **kw) -> Model:
    """Fit on every row; the threshold is the F1-best one on inner out-of-fold scores."""
    lexicon = lexicon if lexicon is not None else read_lexicon()
    feats = [features(t, lexicon) for t, _ in rows]
    y = np.array([l for _, l in rows], dtype=np.float64)
    thr = _best_threshold(_oof_scores(feats, y, k_inner, seed, **kw), y)
    return Model(_fit(feats, y, **kw), thr)


def cross_validate(rows: list[tuple[str, int]], k: int = 5, seed: int = 13, lexicon: Optional[Lexicon] = None,
                   **kw) -> dict:
    """k-fold figures: each fold is scored by a model (and threshold) learned on the other folds."""
    lexicon = lexicon if lexicon is not None else read_lexicon()
    feats = [features(t, lexicon) for t, _ in rows]
    y = np.array([l for _, l in rows], dtype=np.float64)
    tp = fp = fn = 0
    for test in _folds(y, k, seed):
        train_ix = np.setdiff1d(np.arange(len(y)), test)
        ftr, ytr = [feats[i] for i in train_ix], y[train_ix]
        thr = _best_threshold(_oof_scores(ftr, ytr, 3, seed, **kw), ytr)
        m = Model(_fit(ftr, ytr, **kw), thr)
        pr = np.array([m.score_features(feats[i]) >= thr for i in test])
        yt = y[test] == 1
        tp += int((pr & yt).sum())
        fp += int((pr & ~yt).sum())
        fn += int((~pr & yt).sum())
    return _prf(tp, fp, fn)


def lexicon_baseline(rows: list[tuple[str, int]], typ: str, lexicon: Optional[Lexicon] = None) -> dict:
    """Detection by the trigger lexicon alone: any trigger of ``typ`` in the sentence."""
    lexicon = lexicon if lexicon is not None else read_lexicon()
    tp = fp = fn = 0
    for text, lab in rows:
        hit = any(t.entry.type == typ for t in find_triggers(text, None, lexicon))
        tp += hit and lab == 1
        fp += hit and lab == 0
        fn += (not hit) and lab == 1
    return _prf(tp, fp, fn)


def save(models: dict[str, Model], path: Optional[Path] = None, meta: Optional[dict] = None) -> Path:
    path = Path(path or WEIGHTS)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": "marsad-gsr-lr/1", "meta": meta or {},
            "models": {t: {"threshold": m.threshold, "weights": dict(sorted(m.weights.items()))} for t, m in models.items()}}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
    return path


def load_detector(path: Optional[str] = None, lexicon: Optional[Lexicon] = None) -> Optional[Detector]:
    """The detector of a weights file (default: the shipped one), its features over ``lexicon``
    (default: the shipped lexicon, read now); None when the file does not exist."""
    p = Path(path) if path else WEIGHTS
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    if data.get("format") != "marsad-gsr-lr/1":
        raise ValueError(f"{p}: not a marsad GSR weights file (format {data.get('format')!r}); rebuild it with "
                         f"`python bench/gsr.py --train`")
    return Detector({t: Model(m["weights"], m["threshold"]) for t, m in data["models"].items()},
                    lexicon if lexicon is not None else read_lexicon())


def gsr_rows(shared: Path, typ: str) -> list[tuple[str, int]]:
    return read_gsr(Path(shared) / "events" / "arabic_event_gsr" / f"{typ.lower()}_gsr.csv")


def detect_all(sentences: Iterable[str], typ: str, detector: Optional[Detector] = None) -> list[bool]:
    det = detector or load_detector()
    if det is None:
        raise FileNotFoundError(f"no detector weights at {WEIGHTS}: run `python bench/gsr.py --train`")
    return [det.detect(s, typ) for s in sentences]
