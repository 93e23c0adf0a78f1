"""The ``accurate`` NER profile: the BiLSTM-CRF and the fine-tuned e5 encoder read together.

The two taggers fail differently: the BiLSTM-CRF (word vectors, character CNN, gazetteer bits)
is better on names it saw in training, the encoder much better on names it never saw
(``docs/encoder.md``).  :class:`CombinedTagger` adds ``weight`` × the encoder's per-word label
log-probabilities, and ``bias`` to every label but ``O``, to the BiLSTM's emission scores and
decodes the sum with the BiLSTM's CRF (transitions and BIO constraints): a product of the two
models' opinions, one Viterbi pass, the CRF marginals as the confidences.  Both are chosen on the
ANERcorp dev split (the one both taggers were trained without) by :func:`choose_weight` and kept
in the encoder folder's ``encoder.json`` (``combine``) with the fingerprint of the BiLSTM they
were chosen with.
Run time: numpy + onnxruntime only."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from marsad.errors import ModelError

WEIGHTS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
BIASES = (0.0, 0.5, 1.0, 2.0, 3.0)


def _extra(em: list[np.ndarray], weight: float, bias: np.ndarray) -> list[np.ndarray]:
    w = np.float32(weight)
    return [w * e + bias for e in em]


def fast_fingerprint(fast_dir: str | Path) -> str:
    """sha256 of the BiLSTM files the loader reads (the split graphs ``char_encoder.onnx`` +
    ``tagger_body.onnx`` where both are there, else ``tagger.onnx``; ``vectors.npz``, which holds
    the CRF): what a weight was chosen against."""
    d = Path(fast_dir)
    split = all((d / n).is_file() for n in ("char_encoder.onnx", "tagger_body.onnx"))
    names = ("char_encoder.onnx", "tagger_body.onnx") if split else ("tagger.onnx",)
    h = hashlib.sha256()
    for name in names + ("vectors.npz",):
        p = d / name
        if p.is_file():
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


class CombinedTagger:
    """``tag(sentences)`` like :class:`~.model.NerTagger`, over both models (see the module)."""

    def __init__(self, fast, encoder, weight: float, bias: float = 0.0):
        if tuple(fast.labels) != tuple(encoder.labels):
            raise ModelError(f"the two NER models' labels differ: {fast.labels} / {encoder.labels}")
        self.fast, self.encoder, self.weight = fast, encoder, float(weight)
        self.labels = fast.labels
        self.bias = name_bias(self.labels, bias)

    def tag(self, sentences: list[list[str]]) -> list[list[tuple[str, float]]]:
        sents = [[str(t) for t in s] for s in sentences]
        return self.fast.tag(sents, extra=_extra(self.encoder.emissions(sents), self.weight, self.bias))


def name_bias(labels, bias: float) -> np.ndarray:
    """``bias`` on every label but ``O`` (float32 [K])."""
    return np.array([0.0 if lab == "O" else bias for lab in labels], np.float32)


def combine_settings(encoder_dir: str | Path) -> dict | None:
    """The ``combine`` entry of an encoder folder's ``encoder.json`` (None: the encoder alone)."""
    meta = json.loads((Path(encoder_dir) / "encoder.json").read_text(encoding="utf-8"))
    return meta.get("combine")


def load_combined(
    encoder_dir: str | Path, fast_dir: str | Path | None = None, threads: int = 1, settings: dict | None = None
) -> CombinedTagger:
    """The encoder of ``encoder_dir`` with the BiLSTM of ``fast_dir`` (default: the shipped one)
    at the folder's chosen weight, or at ``settings`` (a ``combine`` entry) when given."""
    from ..encoder.tagger import E5Tagger
    from .model import NerTagger

    c = settings or combine_settings(encoder_dir)
    if not c:
        raise ModelError(f"{encoder_dir}: encoder.json has no 'combine' weight (run `marsad train combine`)")
    fast = NerTagger.load(fast_dir, threads=threads)
    return CombinedTagger(fast, E5Tagger.load(encoder_dir, threads=threads), c["weight"], c.get("bias", 0.0))


def choose_weight(
    encoder_dir: str | Path,
    dev: list[tuple[list[str], list[str]]],
    fast_dir: str | Path | None = None,
    weights: tuple[float, ...] = WEIGHTS,
    biases: tuple[float, ...] = BIASES,
    threads: int = 1,
    write: bool = True,
) -> dict:
    """Scores the combination on ``dev`` (CoNLL sentences neither model trained on) at each pair
    of ``weights`` × ``biases`` and picks the best micro F1 (the first pair on a tie); with
    ``write`` the choice goes into ``encoder_dir/encoder.json`` as ``combine``.  Returns that
    entry."""
    from ..encoder.tagger import E5Tagger
    from .evaluate import score
    from .model import NerTagger, default_model_dir

    fast_dir = Path(fast_dir) if fast_dir is not None else default_model_dir()
    fast = NerTagger.load(fast_dir, threads=threads)
    enc = E5Tagger.load(encoder_dir, threads=threads)
    sents = [t for t, _ in dev]
    gold = [g for _, g in dev]
    em = enc.emissions(sents)
    lab = lambda tagged: [[x for x, _ in s] for s in tagged]  # noqa: E731
    tried = {"0": score(gold, lab(fast.tag(sents)))["micro"]["f1"]}
    tried["encoder"] = score(gold, lab(enc.tag(sents)))["micro"]["f1"]
    best = None
    for b in biases:
        for w in weights:
            f1 = score(gold, lab(fast.tag(sents, extra=_extra(em, w, name_bias(fast.labels, b)))))["micro"]["f1"]
            tried[f"{w}/{b}"] = f1
            if best is None or f1 > best[2]:
                best = (w, b, f1)
    entry = {
        "weight": best[0],
        "bias": best[1],
        "dev_f1": best[2],
        "dev_f1_by_weight_bias": tried,
        "fast_sha256": fast_fingerprint(fast_dir),
        "dev_sentences": len(dev),
    }
    if write:
        p = Path(encoder_dir) / "encoder.json"
        meta = json.loads(p.read_text(encoding="utf-8"))
        meta["combine"] = entry
        p.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return entry
