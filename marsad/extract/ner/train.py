"""Rebuild the shipped NER model: ``train_ner(out_dir)``.  Training only (torch, gensim, onnx).

Data (read in place, :mod:`marsad.extract.ner.train_data`): ``ner/anercorp/ANERcorp_rebuilt_camel_train.txt``
for the labels and ``corpus/ant_unlabeled.jsonl`` for the word vectors.  A dev split (every 10th block of 50
sentences) is carved from the train file for model selection; no test file is ever read here.
Deterministic: fixed seeds, one worker for word2vec, fixed torch thread count.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np

from .conll import read_conll
from .evaluate import score
from .features import Featurizer, fold, vec_key
from .model import LABELS, bio_constraints, crf_decode
from .onnx_graphs import split_tagger
from .train_data import N_GAZ, TRAIN_FILE, build_vectors, char_vocab, gazetteer_bits, split_dev, tensors

log = logging.getLogger(__name__)

# fmt: off
DEFAULTS = dict(
    # word vectors (gensim skip-gram on the unlabeled corpus + train tokens)
    dim=100, vocab=80_000, w2v_epochs=5,
    # tagger: char-CNN (widths 2,3,4) + word/stem vectors + train-word embedding + gazetteer bits
    hidden=128, layers=1, cfilters=64, cdim=32, cwidths=[2, 3, 4], tdim=50, tmin=2, gaz=True,
    dropout=0.5, lr=2e-3, batch=32, epochs=40, patience=8, threads=1,
    # routes measured and left off by default (see docs/ner.md)
    full_refit=False, mimick=False, mimick_epochs=8, wdrop=0.0,
    self_train=0, st_pool=30_000, st_conf=0.95,
    # distillation: an encoder folder whose labels on unlabeled ANT sentences join the train data
    teacher=None, teacher_fast=None, st_keep_empty=False,
    cache=None,
)
# fmt: on


def _predict(net, crf_np, feat, V, G, sents, bs=128, probs=None):
    import torch

    net.eval()
    out = [None] * len(sents)
    order = sorted(range(len(sents)), key=lambda i: len(sents[i][0]))
    with torch.no_grad():
        for k in range(0, len(order), bs):
            idx = order[k : k + bs]
            *xs, _ = tensors(feat, V, [sents[i] for i in idx], G)
            em = net(*xs).numpy()
            lens = xs[5]
            path, prob = crf_decode(em, lens.numpy(), *crf_np)
            for b, i in enumerate(idx):
                out[i] = [LABELS[j] for j in path[b, : int(lens[b])]]
                if probs is not None:
                    probs[i] = float(prob[b, : int(lens[b])].min())
    return out


def _crf_np(crf):
    cs, ct = bio_constraints(LABELS)
    return (
        crf.trans.detach().numpy().astype(np.float64) + ct,
        crf.start.detach().numpy().astype(np.float64) + cs,
        crf.end.detach().numpy().astype(np.float64),
    )


def _fit(train, dev, feat, V, G, n_chars, n_tw, cfg, seed, max_epochs, log_prefix=""):
    import torch
    from .net import CRF, Tagger

    torch.manual_seed(seed)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    net = Tagger(
        n_chars,
        len(LABELS),
        wdim=V.shape[1],
        cdim=cfg["cdim"],
        cfilters=cfg["cfilters"],
        hidden=cfg["hidden"],
        dropout=cfg["dropout"],
        layers=cfg["layers"],
        cwidths=tuple(cfg["cwidths"]),
        n_twords=n_tw,
        tdim=cfg["tdim"],
        gdim=2 * N_GAZ if G is not None else 0,
    )
    crf = CRF(len(LABELS))
    params = [p for p in net.parameters() if p.requires_grad] + list(crf.parameters())
    opt = torch.optim.Adam(params, lr=cfg["lr"])
    best, best_state, best_ep, bad = -1.0, None, 0, 0
    history = []
    for ep in range(1, max_epochs + 1):
        t0 = time.time()
        net.train()
        order = list(range(len(train)))
        rng.shuffle(order)
        # bucket by length inside chunks of 50 batches: less padding, still shuffled
        chunk = cfg["batch"] * 50
        batches = []
        for c in range(0, len(order), chunk):
            part = sorted(order[c : c + chunk], key=lambda i: len(train[i][0]))
            batches += [part[k : k + cfg["batch"]] for k in range(0, len(part), cfg["batch"])]
        rng.shuffle(batches)
        tot = 0.0
        for bidx in batches:
            *xs, tags = tensors(feat, V, [train[i] for i in bidx], G, cfg["wdrop"], nrng)
            lens = xs[5]
            mask = torch.arange(tags.shape[1]).unsqueeze(0) < lens.unsqueeze(1)
            em = net(*xs)
            loss = crf.nll(em, tags, mask)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            tot += float(loss.detach())
        rec = {"epoch": ep, "loss": round(tot / len(batches), 4), "secs": round(time.time() - t0, 1)}
        if dev:
            pred = _predict(net, _crf_np(crf), feat, V, G, dev)
            m = score([l for _, l in dev], pred)["micro"]
            rec["dev_f1"] = m["f1"]
            if m["f1"] > best:
                best, best_ep, bad = m["f1"], ep, 0
                best_state = (
                    {k: v.clone() for k, v in net.state_dict().items()},
                    {k: v.clone() for k, v in crf.state_dict().items()},
                )
            else:
                bad += 1
        history.append(rec)
        log.info("%s%s", log_prefix, rec)
        if dev and bad >= cfg["patience"]:
            break
    if dev and best_state is not None:
        net.load_state_dict(best_state[0])
        crf.load_state_dict(best_state[1])
    return net, crf, {"best_dev_f1": best, "best_epoch": best_ep, "history": history}


def _export(net, crf, feat, V, G, words, chars, twords, out: Path, cfg) -> None:
    import torch

    out.mkdir(parents=True, exist_ok=True)
    net.eval()
    ex = tensors(feat, V, [(["محمد", "في", "القاهرة", "."], ["O"] * 4), (["قال", "الرئيس"], ["O"] * 2)], G)[:8]
    names = ["wv", "sv", "pid", "shp", "cid", "lens", "tid", "gz"]
    bt = {0: "B", 1: "T"}
    torch.onnx.export(
        net,
        ex,
        str(out / "tagger.onnx"),
        dynamo=False,
        opset_version=17,
        input_names=names,
        output_names=["em"],
        dynamic_axes={
            "wv": bt,
            "sv": bt,
            "pid": bt,
            "shp": bt,
            "tid": bt,
            "gz": bt,
            "cid": {0: "B", 1: "T", 2: "C"},
            "lens": {0: "B"},
            "em": bt,
        },
    )
    split_tagger(out)
    extra = {"gaz": G.astype(np.uint8)} if G is not None else {}
    np.savez(
        out / "vectors.npz",
        vectors=V.astype(np.float16),
        trans=crf.trans.detach().numpy(),
        start=crf.start.detach().numpy(),
        end=crf.end.detach().numpy(),
        **extra,
    )
    meta = {
        "labels": list(LABELS),
        "words": words,
        "chars": chars,
        "twords": twords,
        # folders by their name only: the shipped file does not depend on where they lay
        "config": {k: Path(v).name if k in ("teacher", "teacher_fast", "cache") and v else v for k, v in cfg.items()},
        "format": 1,
    }
    (out / "vocab.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def train_mimick(words, V, chars: list[str], cfg, seed: int):
    """Fits the character → word-vector model on the vocabulary (rows 2.. of ``V``)."""
    import torch
    from .net import Mimick
    from .features import MAX_CHARS, UNK_CHAR

    torch.manual_seed(seed)
    cmap = {c: i for i, c in enumerate(chars)}
    ids = []
    for w in words[2:]:
        cs = [cmap.get(c, UNK_CHAR) for c in w[:MAX_CHARS]] or [UNK_CHAR]
        ids.append(cs + [0] * (MAX_CHARS - len(cs)))
    X = torch.tensor(ids, dtype=torch.long)
    Y = torch.from_numpy(np.ascontiguousarray(V[2 : 2 + len(ids)], dtype=np.float32))
    keep = Y.abs().sum(1) > 0  # gazetteer-only rows have no vector
    X, Y = X[keep], Y[keep]
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(len(X), generator=g)
    nval = len(X) // 50
    val, tr = perm[:nval], perm[nval:]
    net = Mimick(len(chars), V.shape[1])
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    for ep in range(cfg["mimick_epochs"]):
        net.train()
        order = tr[torch.randperm(len(tr), generator=g)]
        for k in range(0, len(order), 256):
            b = order[k : k + 256]
            loss = ((net(X[b]) - Y[b]) ** 2).sum(1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            cos = torch.nn.functional.cosine_similarity(net(X[val]), Y[val]).mean()
        log.info("mimick epoch %d: held-out cosine %.3f", ep + 1, float(cos))
    net.eval()
    return net


def _mimick_fn(net):
    import torch

    def fn(rows: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return net(torch.from_numpy(rows)).numpy()

    return fn


def silver_sentences(net, crf, feat, V, G, data_dir: Path, cfg, seed):
    """Self-training data: sentences of the unlabeled corpus the teacher tags with every token's
    marginal ≥ ``st_conf`` and at least one name; ``self_train`` of them, in a seeded order."""
    from .embeddings import corpus_sentences

    sents = []
    for para in corpus_sentences(data_dir):
        cur = []
        for tok in para:
            cur.append(tok)
            if tok in (".", "؟", "!", "?"):
                if 6 <= len(cur) <= 50:
                    sents.append(cur)
                cur = []
    rng = np.random.default_rng(seed)
    pool = [sents[i] for i in rng.permutation(len(sents))[: cfg["st_pool"]]]
    data = [(s, ["O"] * len(s)) for s in pool]
    probs = [0.0] * len(data)
    labs = _predict(net, _crf_np(crf), feat, V, G, data, probs=probs)
    out = [(s, l) for (s, _), l, p in zip(data, labs, probs) if p >= cfg["st_conf"] and any(x != "O" for x in l)]
    log.info("silver: %d of %d pool sentences pass", len(out), len(pool))
    return out[: cfg["self_train"]]


def _export_mimick(mim, out: Path) -> None:
    """Write the MIMICK net of an out-of-vocabulary route (or remove a stale one)."""
    import torch

    if mim is not None:
        torch.onnx.export(
            mim,
            (torch.ones(2, 5, dtype=torch.long),),
            str(out / "mimick.onnx"),
            dynamo=False,
            opset_version=17,
            input_names=["cid"],
            output_names=["vec"],
            dynamic_axes={"cid": {0: "N", 1: "C"}, "vec": {0: "N"}},
        )
    elif (out / "mimick.onnx").exists():
        (out / "mimick.onnx").unlink()


def train_ner(out_dir: str | Path, data_dir: str | Path = "../shared", seed: int = 13, **overrides) -> dict:
    """Train the tagger and write ``tagger.onnx``, ``vectors.npz``, ``vocab.json`` to ``out_dir``.
    Returns the dev metrics (percentages) of the exported model and the training record.
    ``overrides`` change :data:`DEFAULTS` (e.g. ``epochs=20``)."""
    import torch

    cfg = {**DEFAULTS, **overrides}
    torch.set_num_threads(cfg["threads"])
    torch.use_deterministic_algorithms(True)
    np.random.seed(seed)
    random.seed(seed)
    data_dir, out = Path(data_dir), Path(out_dir)
    t0 = time.time()
    cache = Path(cfg.get("cache") or Path.home() / ".cache" / "marsad" / "ner")
    words, V = build_vectors(data_dir, cache, cfg)
    log.info("vectors %s in %.0fs", V.shape, time.time() - t0)
    sents = read_conll(data_dir / TRAIN_FILE)
    tr_idx, dev_idx = split_dev(len(sents))
    train, dev = [sents[i] for i in tr_idx], [sents[i] for i in dev_idx]
    G = None
    if cfg["gaz"]:
        words, V, G = gazetteer_bits(data_dir, words, V)

    chars = char_vocab(sents)

    def make(data):
        tc = Counter(vec_key(fold(t)) for toks, _ in data for t in toks)
        twords = ["<pad>", "<unk>"] + sorted(w for w, n in tc.items() if n >= cfg["tmin"])
        feat = Featurizer(
            {w: i for i, w in enumerate(words)},
            {c: i for i, c in enumerate(chars)},
            {w: i for i, w in enumerate(twords)} if cfg["tdim"] else None,
        )
        return chars, twords if cfg["tdim"] else [], feat

    chars, twords, feat = make(train)
    mim = None
    if cfg["mimick"]:
        mim = train_mimick(words, V, chars, cfg, seed)
        feat.mimick_fn = _mimick_fn(mim)
    teach = {}
    if cfg["teacher"]:  # the student learns from ANERcorp train + the teacher's sure sentences
        from .distill import teacher_sentences

        silver, teach = teacher_sentences(cfg["teacher"], data_dir, cfg, seed)
        train = train + silver
        chars, twords, feat = make(train)
    net, crf, rec = _fit(train, dev, feat, V, G, len(chars), max(2, len(twords)), cfg, seed, cfg["epochs"])
    rec.update(teach)
    if cfg["full_refit"]:
        # refit on train+dev for the selected number of epochs
        chars, twords, feat = make(sents)
        if mim is not None:
            feat.mimick_fn = _mimick_fn(mim)
        net, crf, rec2 = _fit(
            sents, [], feat, V, G, len(chars), max(2, len(twords)), cfg, seed, rec["best_epoch"], "refit "
        )
        rec["refit_history"] = rec2["history"]
    if cfg["self_train"]:
        silver = silver_sentences(net, crf, feat, V, G, data_dir, cfg, seed)
        rec["teacher_dev_f1"] = rec["best_dev_f1"]
        rec["silver"] = len(silver)
        net, crf, rec3 = _fit(
            train + silver, dev, feat, V, G, len(chars), max(2, len(twords)), cfg, seed, cfg["epochs"], "student "
        )
        rec["student_history"] = rec3["history"]
        rec["best_dev_f1"], rec["best_epoch"] = rec3["best_dev_f1"], rec3["best_epoch"]
    pred = _predict(net, _crf_np(crf), feat, V, G, dev)
    metrics = score([l for _, l in dev], pred)
    _export(net, crf, feat, V, G, words, chars, twords, out, cfg)
    _export_mimick(mim, out)
    metrics.update(rec)
    metrics["train_secs"] = round(time.time() - t0, 1)
    metrics["config"] = cfg
    (out / "train_record.json").write_text(json.dumps(metrics, indent=1, default=str))
    return metrics


def cli_train(out: str, data_dir: str = "../shared") -> dict:
    """Helper for ``marsad train ner --out PATH``."""
    return train_ner(out, data_dir)
