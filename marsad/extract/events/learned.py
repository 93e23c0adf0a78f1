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
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ...model import Mention, Sentence
from ...text.normalize import fold
from .context import EventContext
from .gsr import stem
from .lexicon import Entry, Trigger, find_triggers

MODEL_DIR = Path(__file__).resolve().parents[2] / "resources" / "events" / "learned"
NER_DIR = Path(__file__).resolve().parents[2] / "resources" / "ner"  # its word vectors give the classes
TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_NEG = {"لم", "لن", "لا", "عدم", "ليس", "دون", "بدون", "نفي", "نفت", "ينفي"}
_FUT = {"سوف", "سيتم", "المقرر", "يعتزم", "تعتزم", "ستعقد", "قد"}
_SUB = {"الذي", "التي", "الذين", "بعد", "اثر", "عقب", "منذ", "قبل", "خلال"}
PREPS = ("علي", "ضد", "مع", "الي", "بين", "من", "عن", "في", "ل", "ب", "لدي", "تجاه", "بحق", "امام")


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int
    w: str  # folded surface


def tokens(ctx: EventContext, s: Sentence) -> list[Tok]:
    out = []
    for m in TOKEN.finditer(ctx.text[s.start : s.end]):
        w = fold(m.group())
        if w:  # a lone diacritic or tatweel folds to nothing
            out.append(Tok(s.start + m.start(), s.start + m.end(), w))
    return out


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


def _span(cur: list) -> Span:
    return Span(max(cur[3], key=lambda k: (cur[3][k], k)), cur[0], cur[1], max(cur[2]))


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


# --- roles -----------------------------------------------------------------------------------------
def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-6" if n < 7 else ("7-12" if n < 13 else "13+"))


def role_features(
    ctx: EventContext, t: Trigger, cands: list[Mention], rule_src: set, rule_tgt: set, speaker: Optional[str]
) -> list[list[str]]:
    """Features of each candidate mention of a trigger's sentence (in text order)."""
    e = t.entry
    ty = e.type
    tw = fold(ctx.text[t.start : t.end])
    ts = stem(tw)
    out = []
    n_after = n_before = 0
    after_ix = [i for i, m in enumerate(cands) if m.start >= t.end]
    before_ix = [i for i, m in enumerate(cands) if m.end <= t.start]
    for i, m in enumerate(cands):
        side = "A" if m.start >= t.end else ("B" if m.end <= t.start else "I")
        lo, hi = (t.end, m.start) if side == "A" else (m.end, t.start)
        gap = ctx.f(lo, hi) if hi > lo else ""
        words = gap.split()
        rank = after_ix.index(i) if side == "A" else (len(before_ix) - 1 - before_ix.index(i) if side == "B" else 0)
        pre_words = ctx.f(max(0, m.start - 12), m.start).split()
        prev = pre_words[-1] if pre_words else "^"
        mw = fold(m.text)
        prep = prev if prev in PREPS else (mw[0] if mw[:1] in ("ل", "ب") and not mw.startswith("لل") else "-")
        if mw.startswith("لل"):
            prep = "ل"
        f = [
            "b",
            f"ty={m.type}",
            f"side={side}",
            f"rk={_bucket(rank)}",
            f"d={_bucket(len(words))}",
            f"side_rk={side}{min(rank, 3)}",
            f"T={ty}",
            f"T_side={ty}_{side}",
            f"T_side_rk={ty}_{side}{min(rank, 2)}",
            f"prep={prep}",
            f"T_prep={ty}_{prep}",
            f"side_prep={side}_{prep}",
            f"tty={ty}_{m.type}",
            f"k={e.kind}",
            f"k_side={e.kind}_{side}",
            f"ts_side={ts}_{side}",
            f"ts_prep={ts}_{prep}",
            f"prev={prev}",
        ]
        if any(c in gap for c in "،,"):
            f.append("comma")
        if re.search(r"(?:^|\s)(?:ان|بان|انه|انها)(?:\s|$)", gap):
            f.append("an_between")
        if any(c in gap for c in '«»"“”:'):
            f.append("quote_between")
        if m.title:
            f.append("title")
        if (m.start, m.end) in rule_src:
            f += ["R=S", f"T_R=S_{ty}"]
        if (m.start, m.end) in rule_tgt:
            f += ["R=T", f"T_R=T_{ty}"]
        if speaker and m.actor_id and m.actor_id == speaker:
            f.append("speaker")
        if side == "A" and rank == 0 and len(words) <= 1:
            f.append("adjacent_after")
        if side == "B" and rank == 0 and len(words) <= 1:
            f.append("adjacent_before")
        if tw.startswith(("ت", "يت", "وت", "تم")) or "تم" in words[:2]:
            f.append("passive?")
        out.append(f)
        n_after += side == "A"
        n_before += side == "B"
    return out


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
        self.actorless: tuple = tuple(meta.get("actorless", ()))

    def triggers(self, ctx: EventContext, s: Sentence, hits: list[Trigger], ruled: tuple = ()) -> list[Span]:
        """The trigger spans of a sentence: runs of words whose marginal probability of being part
        of a trigger (1 - P(O)) reaches ``min_trigger``; the type is the likeliest over the run."""
        toks = tokens(ctx, s)
        if not toks:
            return []
        feats = token_features(ctx, toks, hits, ruled, self.clusters)
        self.trig.set(feats)
        self.trig.tag()
        if self.spans is not None:
            self.spans.set(feats)
            self.spans.tag()
        out: list[Span] = []
        cur: Optional[list] = None
        for i, t in enumerate(toks):
            p: Optional[dict] = None
            if self.spans is not None:  # the untyped tagger finds the words, the typed one names them
                pt = 1.0 - self.spans.marginal("O", i)
                begin = self.spans.marginal("B", i)
            else:
                p = {lab: self.trig.marginal(lab, i) for lab in self.labels}
                pt = 1.0 - p.get("O", 0.0)
                begin = max((v for k, v in p.items() if k.startswith("B-")), default=0.0)
            if pt >= self.min_trigger and t.w[0].isalnum():
                if p is None:
                    p = {lab: self.trig.marginal(lab, i) for lab in self.labels}
                if cur is None or begin > 0.5 * pt:
                    if cur is not None:
                        out.append(_span(cur))
                    cur = [t.start, t.end, [], {}]
                cur[1] = t.end
                cur[2].append(pt)
                for k, v in p.items():
                    if k != "O":
                        cur[3][k[2:]] = cur[3].get(k[2:], 0.0) + v
            elif cur is not None:
                out.append(_span(cur))
                cur = None
        if cur is not None:
            out.append(_span(cur))
        return out

    def roles(self, feats: list[list[str]]) -> list[tuple[float, float]]:
        """P(source), P(target) of each candidate."""
        if not feats:
            return []
        self.role.set(feats)
        self.role.tag()
        return [(self.role.marginal("S", i), self.role.marginal("T", i)) for i in range(len(feats))]


def load(path: Optional[Path | str] = None) -> Optional[EventModel]:
    """The learned event model of a directory (default: the shipped one), None when absent."""
    d = Path(path) if path else MODEL_DIR
    meta_p = d / "meta.json"
    if not meta_p.exists():
        return None
    meta = json.loads(meta_p.read_text(encoding="utf-8"))
    return EventModel(d / "triggers.crfsuite", d / "roles.crfsuite", meta)
