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


def threshold_decode(lp: np.ndarray, labels: tuple, thr: float) -> list[str]:
    """Trigger labels of one sentence from per-word log-probabilities, read as the event layer
    reads them (:meth:`marsad.extract.events.learned.EventModel.triggers`): a word is part of a
    trigger when 1 - P(O) reaches ``thr``, a run of such words is one trigger unless a word is more
    likely a beginning (P(B-*) > half its P(trigger)), and its type is the likeliest summed over the run."""
    p = np.exp(lp)
    o = labels.index("O")
    types = sorted({lab[2:] for lab in labels if lab != "O"})
    col = {t: [i for i, lab in enumerate(labels) if lab[2:] == t] for t in types}
    bcol = [i for i, lab in enumerate(labels) if lab.startswith("B-")]
    out, run = ["O"] * len(p), []

    def close():
        if run:
            t = max(types, key=lambda t: sum(p[k, col[t]].sum() for k in run))
            for j, k in enumerate(run):
                out[k] = ("B-" if j == 0 else "I-") + t
            run.clear()

    for k in range(len(p)):
        pt = 1.0 - p[k, o]
        if pt >= thr:
            if run and p[k, bcol].sum() > 0.5 * pt:
                close()
            run.append(k)
        else:
            close()
    close()
    return out
