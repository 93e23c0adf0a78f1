"""Run-time NER: onnxruntime emissions + numpy CRF decoding.  No torch.

A model directory holds ``tagger.onnx`` (char-CNN + BiLSTM → emissions), ``vectors.npz``
(float16 word vectors, CRF transitions) and ``vocab.json`` (words, characters, labels, config).
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np

from marsad.errors import ModelError

from .features import Featurizer

LABELS = ("O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
_NEG = -1e4


def default_model_dir() -> Path:
    return Path(str(resources.files("marsad.resources").joinpath("ner")))


def bio_constraints(labels) -> tuple[np.ndarray, np.ndarray]:
    """Additive masks forbidding invalid BIO: (start [K], trans [K,K])."""
    K = len(labels)
    start = np.zeros(K, np.float32)
    trans = np.zeros((K, K), np.float32)
    for j, lj in enumerate(labels):
        if lj.startswith("I-"):
            start[j] = _NEG
            for i, li in enumerate(labels):
                if li == "O" or li[2:] != lj[2:]:
                    trans[i, j] = _NEG
    return start, trans


def _lse(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def crf_decode(em: np.ndarray, lens: np.ndarray, trans: np.ndarray, start: np.ndarray,
               end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched Viterbi path [B,T] and the CRF marginal probability of each chosen label [B,T]."""
    B, T, K = em.shape
    em = em.astype(np.float64)
    trans = trans.astype(np.float64)
    tmask = np.arange(T)[None, :] < lens[:, None]                       # [B,T]
    # Viterbi
    delta = start[None, :] + em[:, 0]
    bps = np.zeros((B, T, K), np.int64)
    ident = np.broadcast_to(np.arange(K), (B, K))
    for t in range(1, T):
        sc = delta[:, :, None] + trans[None]
        bp = sc.argmax(1)
        nd = sc.max(1) + em[:, t]
        m = tmask[:, t][:, None]
        delta = np.where(m, nd, delta)
        bps[:, t] = np.where(m, bp, ident)
    best = (delta + end[None, :]).argmax(1)
    path = np.zeros((B, T), np.int64)
    path[:, T - 1] = best
    for t in range(T - 1, 0, -1):
        best = bps[np.arange(B), t, best]
        path[:, t - 1] = best
    # forward–backward marginals
    alpha = np.zeros((B, T, K))
    alpha[:, 0] = start[None, :] + em[:, 0]
    for t in range(1, T):
        alpha[:, t] = _lse(alpha[:, t - 1][:, :, None] + trans[None], 1) + em[:, t]
    beta = np.zeros((B, T, K))
    last = (lens - 1)[:, None]
    beta[:, T - 1] = end[None, :]
    for t in range(T - 2, -1, -1):
        nb = _lse(trans[None] + (em[:, t + 1] + beta[:, t + 1])[:, None, :], 2)
        beta[:, t] = np.where(t >= last, end[None, :], nb)
    logz = _lse(alpha[np.arange(B), lens - 1] + end[None, :], 1)
    chosen = np.take_along_axis(alpha + beta, path[:, :, None], 2)[:, :, 0]
    prob = np.exp(np.minimum(chosen - logz[:, None], 0.0))
    return path, prob


class NerTagger:
    """BIO tagger in ANERcorp types.  Load once (:meth:`load`, ~0.2 s), then call :meth:`tag`
    from any thread: onnxruntime sessions are thread-safe and the feature cache is a plain dict
    (atomic updates under the GIL).  For several processes, load one tagger per process (after
    the fork, e.g. in a Dask worker's setup), not before it."""

    def __init__(self, model_dir: Path, threads: int = 1, max_batch_tokens: int = 4000):
        import onnxruntime as ort

        model_dir = Path(model_dir)
        need = [model_dir / n for n in ("tagger.onnx", "vectors.npz", "vocab.json")]
        missing = [str(p) for p in need if not p.is_file()]
        if missing:
            raise ModelError(f"NER model files missing: {', '.join(missing)} "
                             "(rebuild with `marsad train ner --out DIR`)")
        meta = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
        z = np.load(model_dir / "vectors.npz", allow_pickle=False)
        self.vectors = z["vectors"]                       # float16 [V, D]
        self.labels = tuple(meta["labels"])
        cs, ct = bio_constraints(self.labels)
        self.trans = z["trans"].astype(np.float64) + ct
        self.start = z["start"].astype(np.float64) + cs
        self.end = z["end"].astype(np.float64)
        self.gaz = z["gaz"].astype(np.float32) if "gaz" in z.files else None
        vocab = {w: i for i, w in enumerate(meta["words"])}
        chars = {c: i for i, c in enumerate(meta["chars"])}
        tw = meta.get("twords") or []
        self.featurizer = Featurizer(vocab, chars, {w: i for i, w in enumerate(tw)} or None)
        self.meta = meta
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(model_dir / "tagger.onnx"), so,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.mimick = None
        if (model_dir / "mimick.onnx").is_file():
            ms = ort.InferenceSession(str(model_dir / "mimick.onnx"), so,
                                      providers=["CPUExecutionProvider"])
            self.mimick = lambda rows: ms.run(["vec"], {"cid": rows})[0]
        self.max_batch_tokens = max_batch_tokens

    @classmethod
    def load(cls, path: str | Path | None = None, threads: int = 1) -> "NerTagger":
        """The shipped model (``marsad/resources/ner``) or the model directory ``path``."""
        return cls(Path(path) if path is not None else default_model_dir(), threads=threads)

    def emissions(self, sents: list[list[str]]) -> np.ndarray:
        wid, sid, pid, shp, cid, lens, tid = self.featurizer.batch(sents)
        wv, sv = self.featurizer.word_vectors(self.vectors, wid, sid, cid, self.mimick)
        feeds = {
            "wv": wv, "sv": sv,
            "pid": pid, "shp": shp, "cid": cid, "lens": lens, "tid": tid,
        }
        if "gz" in self.inputs:
            feeds["gz"] = np.concatenate([self.gaz[wid], self.gaz[sid]], axis=2)
        feeds = {k: v for k, v in feeds.items() if k in self.inputs}
        return self.session.run(["em"], feeds)[0], lens

    def tag(self, sentences: list[list[str]]) -> list[list[tuple[str, float]]]:
        """One ``(BIO label, confidence)`` per token of each sentence.  Tokens are words and
        punctuation as in ANERcorp (clitics attached); diacritics/tatweel are folded internally.
        The confidence is the CRF marginal probability of the chosen label."""
        out: list[list[tuple[str, float]] | None] = [None] * len(sentences)
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        batch: list[int] = []
        ntok = 0
        for i in order:
            n = len(sentences[i])
            if n == 0:
                out[i] = []
                continue
            if batch and (ntok + n > self.max_batch_tokens or len(batch) >= 256):
                self._run(sentences, batch, out)
                batch, ntok = [], 0
            batch.append(i)
            ntok += n
        if batch:
            self._run(sentences, batch, out)
        return out  # type: ignore[return-value]

    def _run(self, sentences, idx, out) -> None:
        sents = [[str(t) for t in sentences[i]] for i in idx]
        em, lens = self.emissions(sents)
        path, prob = crf_decode(em, lens, self.trans, self.start, self.end)
        labels = self.labels
        for b, i in enumerate(idx):
            n = int(lens[b])
            out[i] = [(labels[path[b, t]], round(float(prob[b, t]), 4)) for t in range(n)]
