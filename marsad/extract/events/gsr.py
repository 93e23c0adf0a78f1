"""Sentence detector for ASSAULT and PROTEST: a small logistic regression (scored in plain Python) over
event-lexicon hits, light-stemmed words and stem bigrams, shipped as JSON weights in
``resources/events`` (docs/events.md lists the routes that were measured and not kept).

    det = load_detector()                 # None when no weights are shipped (a run's Resources
                                          # raise a ModelError then, marsad.resources)
    det.score(sentence, "ASSAULT")        # probability that the sentence reports an assault
    det.detect(sentence, "PROTEST")       # score >= the type's threshold (chosen by cross-validation)

Training (data: ../shared/events/arabic_event_gsr) is :mod:`marsad.lab.train_gsr`: ``marsad train gsr
--out DIR`` rebuilds the weights file; ``bench/gsr.py`` reports the cross-validated figures.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ...text.normalize import fold, normalize
from .lexicon import Lexicon, find_triggers, read_lexicon

WEIGHTS = Path(__file__).resolve().parents[2] / "resources" / "events" / "gsr_weights.json"
FORMAT = "marsad-gsr-lr/1"
REBUILD = "marsad train gsr --out marsad/resources/events"
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


_TIME = re.compile(
    r"(?<!\w)[وف]?(?:امس|اليوم|الليله|صباح|مساء|فجر|ظهر|السبت|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه)(?!\w)"
)
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
        w0 = fold(sentence[t.start : t.end])
        f[f"TW:{e.type}:{w0}"] = 1.0
        left = fold(sentence[max(0, t.start - 30) : t.start]).split()
        right = fold(sentence[t.match_end : t.match_end + 30]).split()
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


def load_detector(path: Optional[str] = None, lexicon: Optional[Lexicon] = None) -> Optional[Detector]:
    """The detector of a weights file (default: the shipped one), its features over ``lexicon``
    (default: the shipped lexicon, read now); None when the file does not exist."""
    p = Path(path) if path else WEIGHTS
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(
            f"{p}: not a marsad GSR weights file (format {data.get('format')!r}); rebuild it with `{REBUILD}`"
        )
    return Detector(
        {t: Model(m["weights"], m["threshold"]) for t, m in data["models"].items()},
        lexicon if lexicon is not None else read_lexicon(),
    )


def detect_all(sentences: Iterable[str], typ: str, detector: Optional[Detector] = None) -> list[bool]:
    det = detector or load_detector()
    if det is None:
        raise FileNotFoundError(f"no detector weights at {WEIGHTS}: run `{REBUILD}`")
    return [det.detect(s, typ) for s in sentences]
