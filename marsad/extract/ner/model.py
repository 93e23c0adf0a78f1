"""Run-time NER: onnxruntime emissions + numpy CRF decoding.  No torch.

A model directory holds ``tagger.onnx`` (char-CNN + BiLSTM → emissions), ``vectors.npz``
(float16 word vectors, CRF transitions) and ``vocab.json`` (words, characters, labels, config).
When the directory also holds ``char_encoder.onnx`` + ``tagger_body.onnx`` (``tagger.onnx`` split
by ``onnx_graphs.split_tagger``), the character CNN runs once per distinct word and its vectors are
cached per token string; the result is the same as running ``tagger.onnx``.
"""

from __future__ import annotations

import itertools
import json
from importlib import resources
from pathlib import Path

import numpy as np

from marsad import caching
from marsad.errors import ModelError

from .features import Featurizer

LABELS = ("O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
_NEG = -1e4
_SPLIT = 1.5  # see NerTagger.tag
_CRF_CELLS = 200_000  # padded tokens per CRF pass (bounds its memory)
_CHAR_BATCH = 4096  # tokens per run of the character encoder (bounds its memory)
_FOUR = itertools.repeat(4)  # the ndigits of round(p, 4), for map()


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


# long: the batched Viterbi recursion, its backtrace and the marginals share the per-row arrays
# and the longest-first order; kept as one function so the algorithm reads in one place
def crf_decode(
    em: np.ndarray, lens: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Batched Viterbi path [B,T] and the CRF marginal probability of each chosen label [B,T].

    Rows are processed longest first so that at time ``t`` the live rows are a prefix; the
    forward–backward pass runs in scaled probability space (one small matmul per step)."""
    B, T, K = em.shape
    lens = np.asarray(lens, np.int64)
    order = np.argsort(-lens, kind="stable")
    srt = bool((order == np.arange(B)).all())
    if not srt:
        em, lens = em[order], lens[order]
    em = em.astype(np.float64)
    trans = np.asarray(trans, np.float64)
    start = np.asarray(start, np.float64)
    end = np.asarray(end, np.float64)
    # live rows at each step: nlive[t] = #rows with lens > t (rows sorted by length, descending)
    nlive = (lens[None, :] > np.arange(T)[:, None]).sum(1)
    # Viterbi (same arithmetic as the plain per-step version: delta + trans, max, + em).  The
    # scores are laid out [row, label, previous label] so that argmax runs along the last axis,
    # and the max is read at the argmax: both much cheaper than reductions over an axis of 9
    delta = start[None, :] + em[:, 0]
    bps = np.empty((B, T, K), np.int64)
    bps[:] = np.arange(K)
    trT = np.ascontiguousarray(trans.T)[None]  # trT[0, j, i] = trans[i, j]
    flat = np.arange(B * K) * K  # offset of each [row, label] in sc
    for t in range(1, T):
        n = int(nlive[t])
        if n == 0:
            break
        sc = delta[:n, None, :] + trT
        bp = sc.argmax(2)
        bps[:n, t] = bp
        delta[:n] = sc.take(bp.ravel() + flat[: n * K]).reshape(n, K) + em[:n, t]
    best = (delta + end[None, :]).argmax(1)
    path = np.empty((B, T), np.int64)
    path[:, T - 1] = best
    rows = np.arange(B)
    for t in range(T - 1, 0, -1):
        best = bps[rows, t, best]
        path[:, t - 1] = best
    # forward–backward marginals, scaled: alpha_t = A_t * exp(LA_t), beta_t = Bt_t * exp(LB_t)
    mx = em.max(2)  # [B,T]
    X = np.exp(em - mx[:, :, None])
    tm = float(trans.max())
    E = np.exp(trans - tm)
    ET = np.ascontiguousarray(E.T)
    A = np.empty((B, T, K))
    la = np.empty((B, T))
    s0 = float(start.max())
    a = np.exp(start - s0)[None, :] * X[:, 0]
    z = a.sum(1)
    A[:, 0] = a / z[:, None]
    la[:, 0] = s0 + mx[:, 0] + np.log(z)
    for t in range(1, T):
        a = (A[:, t - 1] @ E) * X[:, t]
        z = a.sum(1)
        A[:, t] = a / z[:, None]
        la[:, t] = la[:, t - 1] + tm + mx[:, t] + np.log(z)
    Bt = np.empty((B, T, K))
    lb = np.empty((B, T))
    e0 = float(end.max())
    bend = np.exp(end - e0)
    Bt[:] = bend
    lb[:] = e0
    for t in range(T - 2, -1, -1):
        n = int(nlive[t + 1])  # rows with t < lens - 1
        if n == 0:
            continue
        b = (X[:n, t + 1] * Bt[:n, t + 1]) @ ET
        z = b.sum(1)
        Bt[:n, t] = b / z[:, None]
        lb[:n, t] = lb[:n, t + 1] + tm + mx[:n, t + 1] + np.log(z)
    last = lens - 1
    logz = np.log((A[rows, last] * bend[None, :]).sum(1)) + la[rows, last] + e0
    with np.errstate(divide="ignore"):
        chosen = (
            np.log(np.take_along_axis(A, path[:, :, None], 2)[:, :, 0])
            + la
            + np.log(np.take_along_axis(Bt, path[:, :, None], 2)[:, :, 0])
            + lb
        )
    prob = np.exp(np.minimum(chosen - logz[:, None], 0.0))
    if not srt:
        inv = np.empty(B, np.int64)
        inv[order] = np.arange(B)
        path, prob = path[inv], prob[inv]
    return path, prob


def _char_rows(sents: list[list[str]], T: int, cvec: dict[str, np.ndarray]) -> np.ndarray:
    """The char-CNN vectors of a batch [B,T,F] float32 (zeros at padding): one bytes.join of the
    cached vectors (contiguous float32 rows), cheaper than assigning them row by row."""
    F = len(next(iter(cvec.values())))
    pad = bytes(4 * F)
    parts = []
    for s in sents:
        parts += map(cvec.__getitem__, s)
        if len(s) < T:
            parts.append(pad * (T - len(s)))
    return np.frombuffer(b"".join(parts), np.float32).reshape(len(sents), T, F)


class NerTagger:
    """BIO tagger in ANERcorp types.  Load once (:meth:`load`, ~0.2 s), then call :meth:`tag`
    from any thread: onnxruntime sessions are thread-safe and the feature cache is a plain dict
    (atomic updates under the GIL).  For several processes, load one tagger per process (after
    the fork, e.g. in a Dask worker's setup), not before it."""

    def __init__(self, model_dir: Path, threads: int = 1, max_batch_tokens: int = 4000):
        import onnxruntime as ort

        model_dir = Path(model_dir)
        split = all((model_dir / n).is_file() for n in ("char_encoder.onnx", "tagger_body.onnx"))
        graphs = () if split else ("tagger.onnx",)  # the shipped model holds only the split graphs
        need = [model_dir / n for n in graphs + ("vectors.npz", "vocab.json")]
        missing = [str(p) for p in need if not p.is_file()]
        if missing:
            raise ModelError(
                f"NER model files missing: {', '.join(missing)} (rebuild with `marsad train ner --out DIR`)"
            )
        meta = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
        z = np.load(model_dir / "vectors.npz", allow_pickle=False)
        self.vectors = z["vectors"]  # float16 [V, D]
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
        self.char_session = None
        if split:
            self.char_session = ort.InferenceSession(
                str(model_dir / "char_encoder.onnx"), so, providers=["CPUExecutionProvider"]
            )
            self.session = ort.InferenceSession(
                str(model_dir / "tagger_body.onnx"), so, providers=["CPUExecutionProvider"]
            )
        else:
            self.session = ort.InferenceSession(str(model_dir / "tagger.onnx"), so, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        # token string -> char-CNN vector (float32 [F], read-only); plain dict, bounded
        self._cv: dict[str, np.ndarray] = {}
        self.mimick = None
        if (model_dir / "mimick.onnx").is_file():
            ms = ort.InferenceSession(str(model_dir / "mimick.onnx"), so, providers=["CPUExecutionProvider"])
            self.mimick = lambda rows: ms.run(["vec"], {"cid": rows})[0]
        self.max_batch_tokens = max_batch_tokens

    @classmethod
    def load(cls, path: str | Path | None = None, threads: int = 1) -> "NerTagger":
        """The shipped model (``marsad/resources/ner``) or the model directory ``path``."""
        return cls(Path(path) if path is not None else default_model_dir(), threads=threads)

    def char_vectors(self, sents: list[list[str]]) -> dict[str, np.ndarray]:
        """Char-CNN vector of each distinct token of ``sents`` (one encoder run for the tokens
        not cached yet)."""
        cache = self._cv
        out: dict[str, np.ndarray] = {}
        todo: list[str] = []
        for s in sents:
            for t in s:
                if t not in out:
                    v = cache.get(t)
                    out[t] = v
                    if v is None:
                        todo.append(t)
        ftok = self.featurizer.token
        # in runs of at most _CHAR_BATCH tokens: a text of megabytes has tens of thousands of
        # distinct tokens, and one run over them all grew onnxruntime's arena by hundreds of MB
        # (a token's vector does not depend on the other tokens of its run)
        for lo in range(0, len(todo), _CHAR_BATCH):
            part = todo[lo : lo + _CHAR_BATCH]
            rows = [ftok(t)[4] for t in part]
            C = max(map(len, rows))
            cid = np.zeros((len(rows), 1, C), np.int64)
            for k, r in enumerate(rows):
                cid[k, 0, : len(r)] = r
            cv = self.char_session.run(["cv"], {"cid": cid})[0]
            for k, t in enumerate(part):
                v = cv[k]
                v.flags.writeable = False
                out[t] = v
                caching.put(cache, t, v, caching.NER_WORD)
        return out

    def emissions(self, sents: list[list[str]], cvec: dict[str, np.ndarray] | None = None):
        wid, sid, pid, shp, cid, lens, tid = self.featurizer.batch(sents)
        wv, sv = self.featurizer.word_vectors(self.vectors, wid, sid, cid, self.mimick)
        feeds = {"wv": wv, "sv": sv, "pid": pid, "shp": shp, "cid": cid, "lens": lens, "tid": tid}
        if self.char_session is not None:
            if cvec is None:
                cvec = self.char_vectors(sents)
            feeds["cv"] = _char_rows(sents, wid.shape[1], cvec)
        if "gz" in self.inputs:
            feeds["gz"] = np.concatenate([self.gaz[wid], self.gaz[sid]], axis=2)
        feeds = {k: v for k, v in feeds.items() if k in self.inputs}
        return self.session.run(["em"], feeds)[0], lens

    def tag(self, sentences: list[list[str]], extra: list[np.ndarray] | None = None) -> list[list[tuple[str, float]]]:
        """One ``(BIO label, confidence)`` per token of each sentence.  Tokens are words and
        punctuation as in ANERcorp (clitics attached); diacritics/tatweel are folded internally.
        The confidence is the CRF marginal probability of the chosen label.  ``extra``: scores
        ``[n_tokens, n_labels]`` per sentence added to the emissions before the CRF decodes them
        (another model's weighted log-probabilities, :class:`~.combined.CombinedTagger`)."""
        out: list[list[tuple[str, float]] | None] = [None] * len(sentences)
        sents = [s if type(s) is list and all(type(t) is str for t in s) else [str(t) for t in s] for s in sentences]
        order = sorted(range(len(sents)), key=lambda i: len(sents[i]), reverse=True)
        idx = []
        for i in order:
            if sents[i]:
                idx.append(i)
            else:
                out[i] = []
        if not idx:
            return out  # type: ignore[return-value]
        # Batches of similar lengths (longest first) to cut padding; a new batch starts when the
        # sentence is much shorter than the batch's longest.  Never a batch of one sentence next
        # to others (onnxruntime takes another GEMM path for B=1, not bit-identical).
        batches: list[list[int]] = []
        batch: list[int] = []
        ntok = 0
        for i in idx:
            n = len(sents[i])
            if batch and (
                ntok + n > self.max_batch_tokens
                or len(batch) >= 256
                or (len(batch) >= 2 and n * _SPLIT < len(sents[batch[0]]))
            ):
                batches.append(batch)
                batch, ntok = [], 0
            batch.append(i)
            ntok += n
        if len(batch) == 1 and batches:
            batches[-1].append(batch[0])
        else:
            batches.append(batch)
        # char-CNN vectors once per distinct token of the call (split model only)
        cvec = self.char_vectors([sents[i] for i in idx]) if self.char_session is not None else None
        # CRF decoding over several batches at once (fewer Python steps), in chunks of bounded size
        chunk: list[list[int]] = []
        rows = 0
        for b in batches:
            if chunk and (rows + len(b)) * len(sents[chunk[0][0]]) > _CRF_CELLS:
                self._decode(sents, chunk, out, cvec, extra)
                chunk, rows = [], 0
            chunk.append(b)
            rows += len(b)
        self._decode(sents, chunk, out, cvec, extra)
        return out  # type: ignore[return-value]

    def _decode(self, sents, batches, out, cvec=None, extra=None) -> None:
        """Emissions of each batch (sentences longest first), then one CRF pass over them all."""
        n_rows = sum(map(len, batches))
        T = len(sents[batches[0][0]])
        em = np.zeros((n_rows, T, len(self.labels)), np.float32)
        lens = np.zeros(n_rows, np.int64)
        k = 0
        for b in batches:
            e, ln = self.emissions([sents[i] for i in b], cvec)
            em[k : k + len(b), : e.shape[1]] = e
            lens[k : k + len(b)] = ln
            if extra is not None:
                for j, i in enumerate(b):
                    em[k + j, : len(sents[i])] += extra[i]
            k += len(b)
        path, prob = crf_decode(em, lens, self.trans, self.start, self.end)
        label = list(self.labels).__getitem__
        path = path.tolist()
        prob = prob.tolist()
        k = 0
        for b in batches:
            for i in b:
                n = int(lens[k])
                out[i] = list(zip(map(label, path[k][:n]), map(round, prob[k][:n], _FOUR)))
                k += 1
