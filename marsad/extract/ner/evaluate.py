"""conlleval-style evaluation: exact span, exact type, micro and per-type P/R/F1.

Spans follow conlleval's chunking of BIO (an ``I-X`` after ``O`` or after a different type
starts a new chunk, as conlleval and seqeval's default mode do).  All figures are
**percentages (0–100)**, like conlleval's output.
"""

from __future__ import annotations

from pathlib import Path

from .conll import read_conll


def spans(labels: list[str]) -> set[tuple[int, int, str]]:
    """Chunks ``(start, end_exclusive, type)`` of a BIO label sequence (conlleval semantics)."""
    out = set()
    start, typ = -1, None
    for i, lab in enumerate(list(labels) + ["O"]):
        if lab == "O" or lab[:2] not in ("B-", "I-"):
            tag, t = "O", None
        else:
            tag, t = lab[0], lab[2:]
        begins = tag == "B" or (tag == "I" and t != typ)
        if typ is not None and (tag == "O" or begins):
            out.add((start, i, typ))
            typ = None
        if begins:
            start, typ = i, t
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict:
    p = 100.0 * tp / npred if npred else 0.0
    r = 100.0 * tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 2), "r": round(r, 2), "f1": round(f, 2)}


def score(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """Scores predicted against gold label sequences (same shapes).
    Returns ``{"micro": {p, r, f1}, "per_type": {TYPE: {p, r, f1, support}}, "tokens": n}``,
    percentages rounded to 2 decimals; ``support`` is the number of gold spans."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    tp_t: dict[str, int] = {}
    np_t: dict[str, int] = {}
    ng_t: dict[str, int] = {}
    ntok = 0
    for g, p in zip(gold, pred):
        if len(g) != len(p):
            raise ValueError("a predicted sentence differs in length from its gold sentence")
        ntok += len(g)
        gs, ps = spans(g), spans(p)
        for s in gs:
            ng_t[s[2]] = ng_t.get(s[2], 0) + 1
        for s in ps:
            np_t[s[2]] = np_t.get(s[2], 0) + 1
        for s in gs & ps:
            tp_t[s[2]] = tp_t.get(s[2], 0) + 1
    types = sorted(set(ng_t) | set(np_t))
    per = {}
    for t in types:
        d = _prf(tp_t.get(t, 0), np_t.get(t, 0), ng_t.get(t, 0))
        d["support"] = ng_t.get(t, 0)
        per[t] = d
    micro = _prf(sum(tp_t.values()), sum(np_t.values()), sum(ng_t.values()))
    return {"micro": micro, "per_type": per, "tokens": ntok}


def names_of(data) -> set[str]:
    """The entity surfaces (words joined by a space) of labelled CoNLL sentences, any type."""
    out = set()
    for toks, labs in data:
        for s, e, _ in spans(labs):
            out.add(" ".join(toks[s:e]))
    return out


def recall_by_seen(data, pred: list[list[str]], train_names: set[str]) -> dict:
    """Recall (exact span and type, percent) on the gold names seen as an entity in training and
    on the unseen ones, with their counts: how well a tagger meets names it never learned."""
    hit = {True: 0, False: 0}
    n = {True: 0, False: 0}
    for (toks, labs), p in zip(data, pred):
        found = spans(p)
        for s in spans(labs):
            seen = " ".join(toks[s[0] : s[1]]) in train_names
            n[seen] += 1
            hit[seen] += s in found
    r = lambda k: round(100.0 * hit[k] / n[k], 2) if n[k] else 0.0  # noqa: E731
    return {"seen": {"r": r(True), "support": n[True]}, "unseen": {"r": r(False), "support": n[False]}}


def evaluate_file(test_path: str | Path, tagger=None, train_path: str | Path | None = None) -> dict:
    """Tags the tokens of a CoNLL file with ``tagger`` (default: the shipped model) and scores
    it against the file's labels with :func:`score` (percentages, conlleval semantics).  With
    ``train_path`` (the training CoNLL file) the result also holds ``recall_by_seen``."""
    data = read_conll(test_path)
    if tagger is None:
        from .model import NerTagger

        tagger = NerTagger.load()
    tagged = tagger.tag([toks for toks, _ in data])
    pred = [[lab for lab, _ in s] for s in tagged]
    out = score([labs for _, labs in data], pred)
    if train_path is not None:
        out["recall_by_seen"] = recall_by_seen(data, pred, names_of(read_conll(train_path)))
    return out


def cli_eval(test: str, as_json: bool = False) -> dict:
    """Helper for ``marsad eval ner``: returns the metrics dict (the CLI prints it)."""
    return evaluate_file(test)
