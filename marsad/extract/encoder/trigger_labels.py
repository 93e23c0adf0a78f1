"""Labels of the encoder trigger tagger (``marsad train encoder --task triggers``) and the way its
word probabilities are read into trigger spans: numpy only (the trainer's dev reading; the event
layer reads them the same way in :meth:`marsad.extract.events.learned.EventModel.triggers`)."""

from __future__ import annotations

import numpy as np

PLOVER_TYPES = (
    "AGREE", "AID", "ACCUSE", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
    "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN",
)  # fmt: skip
TRIGGER_LABELS = ("O",) + tuple(f"{b}-{t}" for t in PLOVER_TYPES for b in "BI")
TRIGGER_THRESHOLDS = (0.1, 0.2, 0.3, 0.5)


def word_readings(lp: np.ndarray, labels: tuple) -> list[tuple[float, float, dict]]:
    """(P(trigger) = 1 - P(O), P(begins a trigger) = the B- labels' sum, P(type) summed over B/I)
    of each word, from its label log-probabilities."""
    out = []
    for row in np.exp(lp).tolist():
        types: dict[str, float] = {}
        begin, po = 0.0, 0.0
        for lab, v in zip(labels, row):
            if lab == "O":
                po = v
                continue
            types[lab[2:]] = types.get(lab[2:], 0.0) + v
            if lab[0] == "B":
                begin += v
        out.append((1.0 - po, begin, types))
    return out


def trigger_runs(words: list[tuple[float, float, dict]], thr: float, ok=None) -> list[tuple[int, int, str, float]]:
    """The triggers of a sentence as ``(first word, end word, type, confidence)``: a word is part
    of a trigger when its P(trigger) reaches ``thr`` (and ``ok[i]``, when given); a run of such words
    is one trigger unless a word is more likely a beginning (P(begin) > half its P(trigger)); the
    type is the likeliest summed over the run, the confidence the run's largest P(trigger)."""
    out: list[tuple[int, int, str, float]] = []
    cur: list | None = None  # [first, end, [P(trigger)...], {type: summed P}]

    def close():
        if cur is not None:
            out.append((cur[0], cur[1], max(cur[3], key=lambda k: (cur[3][k], k)), max(cur[2])))

    for i, (pt, begin, types) in enumerate(words):
        if pt >= thr and (ok is None or ok[i]):
            if cur is None or begin > 0.5 * pt:
                close()
                cur = [i, i + 1, [], {}]
            cur[1] = i + 1
            cur[2].append(pt)
            for k, v in types.items():
                cur[3][k] = cur[3].get(k, 0.0) + v
        else:
            close()
            cur = None
    close()
    return out


def threshold_decode(lp: np.ndarray, labels: tuple, thr: float) -> list[str]:
    """Trigger labels of one sentence from per-word log-probabilities, read as the event layer
    reads them (:func:`trigger_runs`, as :meth:`marsad.extract.events.learned.EventModel.triggers`)."""
    out = ["O"] * len(lp)
    for a, b, t, _ in trigger_runs(word_readings(lp, labels), thr):
        out[a:b] = ["B-" + t] + ["I-" + t] * (b - a - 1)
    return out
