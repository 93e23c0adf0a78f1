"""The learned event layer: a CRF trigger tagger over the words of a body sentence (BIO labels with
the PLOVER type: ``B-ASSAULT``, ``I-ASSAULT``, ``O``) and a CRF role labeller over the candidate
actors of a trigger's sentence (``S`` source, ``T`` target, ``O``), both python-crfsuite models
trained by ``marsad train events`` (:mod:`marsad.lab.train_events`) on the annotated corpus.

The features are lexical and structural (no encoder): the folded word, its light stem and affixes,
the trigger lexicon's hits over it, the words around it, the NER mentions and quotes of the
pipeline, negation and future particles; for roles the mention's type, side and distance, the
preposition before it and what the hand-written role reader (:mod:`.roles`) says of it.
:func:`load` reads a model directory once; :class:`EventModel` is handed to the step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ...model import Sentence
from ..encoder.trigger_labels import trigger_runs, word_readings
from .context import EventContext
from .gsr import stem
from .lexicon import Entry, Trigger, find_triggers
from .words import Tok, tokens

MODEL_DIR = Path(__file__).resolve().parents[2] / "resources" / "events" / "learned"
NER_DIR = Path(__file__).resolve().parents[2] / "resources" / "ner"  # its word vectors give the classes
_NEG = {"لم", "لن", "لا", "عدم", "ليس", "دون", "بدون", "نفي", "نفت", "ينفي"}
_FUT = {"سوف", "سيتم", "المقرر", "يعتزم", "تعتزم", "ستعقد", "قد"}
_SUB = {"الذي", "التي", "الذين", "بعد", "اثر", "عقب", "منذ", "قبل", "خلال"}


def lexicon_hits(ctx: EventContext) -> list[Trigger]:
    """The lexicon's triggers of the article (read once per article, shared by tagger and roles)."""
    return find_triggers(ctx.text, ctx.norm, ctx.lexicon)


def token_features(
    ctx: EventContext, toks: list[Tok], hits: list[Trigger], ruled: tuple = (), clusters: Optional[dict] = None
) -> list[list[str]]:
    """Binary features of each word of a sentence; ``ruled``: the rule reading's events (their
    trigger spans and types say what the hand-written conditions accept)."""
    n = len(toks)
    lo, hi = (toks[0].start, toks[-1].end) if toks else (0, 0)
    ruled = [e for e in ruled if e.trigger_start < hi and e.trigger_end > lo]  # the sentence's own
    hits = [h for h in hits if h.start < hi and h.match_end > lo]
    rule: list[str] = [""] * n
    for e in ruled:
        for i, t in enumerate(toks):
            if t.start < e.trigger_end and t.end > e.trigger_start:
                rule[i] = rule[i] or e.type
    stems = [stem(t.w) for t in toks]
    cl = [(clusters or {}).get(t.w) or (clusters or {}).get(s) for t, s in zip(toks, stems)]
    lex: list[list[str]] = [[] for _ in toks]
    for h in hits:
        e = h.entry
        for i, t in enumerate(toks):
            if t.start < h.match_end and t.end > h.start:
                if t.start <= h.start < t.end:
                    lex[i] += [f"L={e.type}", f"L={e.type}:{e.kind}", f"Lm={e.mode}"] + [
                        f"Lc={c}" for c in sorted(e.cond)
                    ]
                else:
                    lex[i].append(f"LI={e.type}")
    ment: list[str] = [""] * n
    for m in ctx.mentions_in(toks[0].start if toks else 0, toks[-1].end if toks else 0):
        for i, t in enumerate(toks):
            if t.start < m.end and t.end > m.start:
                ment[i] = ("B" if t.start <= m.start else "I") + m.type
    feats = []
    for i, t in enumerate(toks):
        w, s = t.w, stems[i]
        f = ["b", f"w={w}", f"s={s}", f"p2={w[:2]}", f"p3={w[:3]}", f"x2={w[-2:]}", f"x3={w[-3:]}"] + lex[i]
        if not w[0].isalnum():
            f.append("punct")
        elif w.isdigit():
            f.append("num")
        for d in (-2, -1, 1, 2):
            k = i + d
            f.append(f"s{d:+d}={stems[k] if 0 <= k < n else ('^' if k < 0 else '$')}")
            if 0 <= k < n:
                f += [f"{x}{d:+d}" for x in lex[k][:1]]
                if ment[k]:
                    f.append(f"m{d:+d}={ment[k]}")
        f.append(f"bi={stems[i - 1] if i else '^'}_{s}")
        if cl[i]:
            f += [f"c{k}={c}" for k, c in enumerate(cl[i])]
        for d in (-1, 1):
            if 0 <= i + d < n and cl[i + d]:
                f.append(f"c0{d:+d}={cl[i + d][0]}")
        if ment[i]:
            f.append(f"m={ment[i]}")
        if rule[i]:
            f += ["R", f"R={rule[i]}"]
        elif lex[i] and lex[i][0].startswith("L="):
            f.append("L_not_R")
        if i < 3:
            f.append(f"pos{i}")
        before = {toks[k].w for k in range(max(0, i - 3), i)}
        if before & _NEG:
            f.append("neg<3")
        if before & _FUT or w.startswith("س") and len(w) > 4 and w[1] in "يتن":
            f.append("fut")
        if before & _SUB:
            f.append("sub<3")
        if ctx.quotes_at.at(t.start):
            f.append("inq")
        feats.append(f)
    return feats


@dataclass(frozen=True, slots=True)
class Span:
    """A predicted trigger: its type, its words' source span, the tagger's confidence."""

    type: str
    start: int
    end: int
    conf: float


def decode(toks: list[Tok], labels: list[str], probs: list[float]) -> list[Span]:
    out: list[Span] = []
    cur: Optional[list] = None
    for t, lab, p in zip(toks, labels, probs):
        if lab.startswith("B-") or (lab.startswith("I-") and (cur is None or cur[0] != lab[2:])):
            if cur:
                out.append(Span(cur[0], cur[1], cur[2], min(cur[3])))
            cur = [lab[2:], t.start, t.end, [p]]
        elif lab.startswith("I-") and cur is not None:
            cur[2], cur[3] = t.end, cur[3] + [p]
        else:
            if cur:
                out.append(Span(cur[0], cur[1], cur[2], min(cur[3])))
            cur = None
    if cur:
        out.append(Span(cur[0], cur[1], cur[2], min(cur[3])))
    return out


def as_trigger(sp: Span, hits: list[Trigger], modes: dict, cameos: Optional[dict] = None) -> Trigger:
    """The lexicon's trigger when one of the same type starts in the span (its mode, kind and
    conditions), else a trigger of the learned type with the commonest mode of the word."""
    for h in hits:
        if h.entry.type == sp.type and sp.start <= h.start < sp.end:
            return h
    for h in hits:
        if h.entry.type == sp.type and h.start <= sp.start < h.match_end:
            return h
    return synthetic(sp, modes, cameos)


def synthetic(sp: Span, modes: dict, cameos: Optional[dict] = None) -> Trigger:
    """A trigger the lexicon does not know: the type's commonest mode and CAMEO code (kind ``L``)."""
    cameo = (cameos or {}).get(sp.type, "")
    return Trigger(
        entry=Entry(
            type=sp.type, mode=modes.get(sp.type, ""), cameo=cameo, kind="L", forms="", cond=frozenset(), line=0
        ),
        start=sp.start,
        end=sp.end,
        match_end=sp.end,
        conj=False,
        future=False,
        prep="",
        suffix=False,
        article=False,
    )


def type_cameos() -> dict:
    """The commonest CAMEO code of each type in the trigger lexicon."""
    from collections import Counter
    from .lexicon import load_lexicon

    c: dict[str, Counter] = {}
    for e, _, _ in load_lexicon():
        if e.cameo:
            c.setdefault(e.type, Counter())[e.cameo] += 1
    return {k: v.most_common(1)[0][0] for k, v in c.items()}


# --- the model ---------------------------------------------------------------------------------------
class EventModel:
    """The two taggers (python-crfsuite) and the learned modes: built by :func:`load`."""

    def __init__(self, trigger_path: Path, role_path: Path, meta: dict):
        import pycrfsuite

        self.trig = pycrfsuite.Tagger()
        self.trig.open(str(trigger_path))
        self.role = pycrfsuite.Tagger()
        self.role.open(str(role_path))
        self.meta = meta
        cp = trigger_path.parent / "clusters.json"
        self.clusters: dict = json.loads(cp.read_text(encoding="utf-8")) if cp.exists() else {}
        self.labels = self.trig.labels()
        self.spans = None
        if (trigger_path.parent / "spans.crfsuite").exists():
            self.spans = pycrfsuite.Tagger()
            self.spans.open(str(trigger_path.parent / "spans.crfsuite"))
        self.modes: dict = meta.get("modes", {})
        self.cameos = type_cameos()
        self.min_trigger: float = meta.get("min_trigger", 0.0)
        self.min_role: float = meta.get("min_role", 0.5)
        self.union: bool = meta.get("union", True)
        self.rule_conf: float = meta.get("rule_conf", 0.5)
        self.need_source: bool = meta.get("need_source", True)
        self.fallback: float = meta.get("fallback", 0.05)
        self.detector_gate: bool = meta.get("detector_gate", False)
        # the GSR detector's gate for this reading (None: the step's, 0.2) and the P(trigger) from which
        # a tagged trigger passes it unasked (default: none does)
        self.min_detector: Optional[float] = meta.get("min_detector")
        self.gate_trust: float = meta.get("gate_trust", 2.0)
        # a chosen state or nationality gives way to the person named right after it (coding.person_of_phrase)
        self.person_of_phrase: bool = meta.get("person_of_phrase", False)
        # descriptive actors among the role candidates (a model trained with them: meta "descriptive")
        self.descriptive = None
        if meta.get("descriptive"):
            from .descriptive import read

            self.descriptive = read()
        self.actorless: tuple = tuple(meta.get("actorless", ()))
        # the encoder trigger tagger (``encoder/``: ``marsad train encoder --task triggers``), when present
        self.encoder = None
        self.encoder_mode: str = meta.get("encoder_mode", "max")  # enc | max | mean
        self.min_encoder: float = meta.get("min_encoder", self.min_trigger)
        enc_dir = trigger_path.parent / "encoder"
        if (enc_dir / "encoder.json").exists():
            from ..encoder.tagger import E5Tagger

            self.encoder = E5Tagger(enc_dir)

    @property
    def origin(self) -> str:
        """What finds this model's triggers (an event's ``origin``)."""
        if self.encoder is None:
            return "crf"
        return "encoder" if self.encoder_mode == "enc" else "encoder+crf"

    def triggers(self, ctx: EventContext, s: Sentence, hits: list[Trigger], ruled: tuple = ()) -> list[Span]:
        """The trigger spans of a sentence: runs of words whose probability of being part of a
        trigger (1 - P(O)) reaches the threshold; the type is the likeliest over the run.  The
        CRFs give marginals; the encoder tagger, when the model has one, its softmax per word,
        used alone (``encoder_mode`` enc), or the larger of the two (max) or their mean."""
        toks = tokens(ctx, s)
        if not toks:
            return []
        # the CRFs' types are read only for words that can be part of a trigger (33 marginals a word
        # cost 60 % of the step), unless the encoder's reading is combined with theirs
        lazy = self.min_trigger if self.encoder is None else None
        words = (
            self._crf_words(ctx, toks, hits, ruled, lazy)
            if self.encoder is None or self.encoder_mode != "enc"
            else None
        )
        if self.encoder is not None:
            ew = self._encoder_words(ctx, toks)
            if words is None:
                words = ew
            elif self.encoder_mode == "mean":
                words = [
                    (
                        (a[0] + b[0]) / 2,
                        (a[1] + b[1]) / 2,
                        {k: (a[2].get(k, 0) + b[2].get(k, 0)) / 2 for k in a[2] | b[2]},
                    )
                    for a, b in zip(words, ew)
                ]
            else:  # max: the more confident reading of each word
                words = [b if b[0] >= a[0] else a for a, b in zip(words, ew)]
        thr = self.min_encoder if self.encoder is not None else self.min_trigger
        ok = [t.w[0].isalnum() for t in toks]
        return [Span(ty, toks[i].start, toks[j - 1].end, conf) for i, j, ty, conf in trigger_runs(words, thr, ok)]

    def _crf_words(
        self, ctx: EventContext, toks: list[Tok], hits, ruled, lazy: Optional[float] = None
    ) -> list[tuple[float, float, dict]]:
        """(P(trigger), P(begins a trigger), P(type) summed over B/I) of each word, from the CRFs;
        with ``lazy``, the types only of the words whose P(trigger) reaches it (else ``{}``)."""
        feats = token_features(ctx, toks, hits, ruled, self.clusters)
        self.trig.set(feats)
        self.trig.tag()
        if self.spans is not None:
            self.spans.set(feats)
            self.spans.tag()
        out = []
        for i in range(len(toks)):
            if self.spans is not None:  # the untyped tagger finds the words, the typed one names them
                pt, begin = 1.0 - self.spans.marginal("O", i), self.spans.marginal("B", i)
                if lazy is not None and pt < lazy:
                    out.append((pt, begin, {}))
                    continue
                p = {lab: self.trig.marginal(lab, i) for lab in self.labels}
            else:
                p = {lab: self.trig.marginal(lab, i) for lab in self.labels}
                pt = 1.0 - p.get("O", 0.0)
                begin = max((v for k, v in p.items() if k.startswith("B-")), default=0.0)
            types: dict[str, float] = {}
            for k, v in p.items():
                if k != "O":
                    types[k[2:]] = types.get(k[2:], 0.0) + v
            out.append((pt, begin, types))
        return out

    def _encoder_words(self, ctx: EventContext, toks: list[Tok]) -> list[tuple[float, float, dict]]:
        """The same per-word triple from the encoder tagger's softmax (original surfaces)."""
        lp = self.encoder.emissions([[ctx.text[t.start : t.end] for t in toks]])[0]
        return word_readings(lp, self.encoder.labels)

    def roles(self, feats: list[list[str]]) -> list[tuple[float, float]]:
        """P(source), P(target) of each candidate."""
        if not feats:
            return []
        self.role.set(feats)
        self.role.tag()
        return [(self.role.marginal("S", i), self.role.marginal("T", i)) for i in range(len(feats))]


def load(path: Optional[Path | str] = None) -> Optional[EventModel]:
    """The learned event model of a directory (default: ``MARSAD_EVENT_MODEL``, else the shipped
    one), None when absent."""
    import os

    d = Path(path or os.environ.get("MARSAD_EVENT_MODEL") or MODEL_DIR)
    meta_p = d / "meta.json"
    if not meta_p.exists():
        return None
    meta = json.loads(meta_p.read_text(encoding="utf-8"))
    return EventModel(d / "triggers.crfsuite", d / "roles.crfsuite", meta)
