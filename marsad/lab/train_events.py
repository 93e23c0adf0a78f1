"""``marsad train events``: the learned event layer (:mod:`marsad.extract.events.learned`) rebuilt
from the annotated corpus's train split (``data/corpus/train.jsonl``; never dev, test or the
reserved articles).

Each train article runs through the pipeline up to the quotes (the features read its sentences,
NER mentions, actors and quotes); the gold trigger spans give the BIO labels of the trigger tagger,
the gold source/target spans the S/T labels of the pipeline mentions of the trigger's sentence.
Both are python-crfsuite models (L-BFGS, deterministic); ``--seed`` only orders the articles."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Optional

from ..extract.events import learned
from ..extract.events.coding import role_inputs, rule_events
from ..extract.events.context import EventContext
from ..extract.events.words import tokens
from ..extract.events.assemble import clause
from ..extract.events.descriptive import read as read_descriptive

PRE_STEPS_EXCLUDE = ("events", "quote_events")
# what a cross-validation variant may set: the model's reading thresholds (``meta.json`` names, the
# attributes of ``learned.EventModel``; ``min_detector`` overrides the event step's gate)
READING_SETTINGS = (
    "min_trigger",
    "min_role",
    "union",
    "rule_conf",
    "need_source",
    "fallback",
    "detector_gate",
    "gate_trust",
    "person_of_phrase",
    "actorless",
    "encoder_mode",
    "min_encoder",
    "min_detector",
)


def pipeline_pairs(split: str, shared: Path) -> list[tuple[dict, object]]:
    """(gold record, processed Article) of each article of a corpus split."""
    from ..ingest import RawDoc
    from ..lab.corpus import annot_io
    from ..lab.corpus.corpus import expanded
    from ..pipeline import build_pipeline
    from ..pipeline.build import DEFAULT_STEPS
    from ..ingest import to_article

    recs, arts = expanded(split, shared)
    pipe = build_pipeline([n for n in DEFAULT_STEPS if n not in PRE_STEPS_EXCLUDE])
    out = []
    for r in recs:
        text = annot_io.article_text(arts[r["id"]])
        pub = date.fromisoformat(r["published"]) if r.get("published") else None
        raw = RawDoc(id=r["id"], source=r["id"], text=text, html=None, published=pub, published_basis="option")
        a = pipe(to_article(raw))
        out.append((r if a.text == text else realign(r, text, a.text), a))
    return out


def realign(rec: dict, old: str, new: str) -> dict:
    """The record's event spans moved onto the cleaned text (cleaning drops blank or chrome lines);
    a span whose characters are not all kept becomes None."""
    from difflib import SequenceMatcher

    blocks = SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks()

    def move(sp):
        if not sp:
            return None
        for a, b, n in blocks:
            if a <= sp[0] and sp[1] <= a + n:
                return [sp[0] - a + b, sp[1] - a + b]
        return None

    evs = []
    for e in rec["events"]:
        e = dict(
            e,
            trigger=move(e.get("trigger")),
            source_spans=[move(x) for x in e.get("source_spans") or []],
            target_spans=[move(x) for x in e.get("target_spans") or []],
        )
        if e["trigger"]:
            evs.append(e)
    return dict(rec, events=evs)


def _overlaps(a: tuple, spans) -> bool:
    return any(sp and a[0] < sp[1] and a[1] > sp[0] for sp in spans or ())


def trigger_data(pairs, clusters: dict) -> tuple[list, list]:
    from ..resources import default_resources

    res = default_resources()  # the KB and lexicon the events step is given at run time
    X, Y = [], []
    for r, a in pairs:
        ctx = EventContext(a, None, 0.2, res.kb, res.lexicon)
        hits = learned.lexicon_hits(ctx)
        ruled = rule_events(ctx)
        gold = [(e["trigger"][0], e["trigger"][1], e["type"]) for e in r["events"] if e.get("trigger")]
        for s in a.sentences:
            if s.start < a.body_start:
                continue
            toks = tokens(ctx, s)
            if not toks:
                continue
            labels = []
            for t in toks:
                lab = "O"
                for g0, g1, ty in gold:
                    if t.start < g1 and t.end > g0 and t.w[0].isalnum():
                        lab = ("B-" if t.start <= g0 else "I-") + ty
                        break
                labels.append(lab)
            X.append(learned.token_features(ctx, toks, hits, ruled, clusters))
            Y.append(labels)
    return X, Y


def role_items(ctx: EventContext, t, s, desc=None):
    """The candidates of a trigger's sentence and their features, as the step reads them
    (:func:`marsad.extract.events.coding.role_inputs`; no previous act in training)."""
    lo, hi = clause(ctx, s, t)
    cands, feats, *_ = role_inputs(ctx, t, s, lo, hi, None, desc)
    return cands, feats


def role_data(pairs, desc=None) -> tuple[list, list]:
    from ..resources import default_resources

    res = default_resources()
    X, Y = [], []
    for r, a in pairs:
        ctx = EventContext(a, None, 0.2, res.kb, res.lexicon)
        hits = learned.lexicon_hits(ctx)
        for e in r["events"]:
            if not e.get("trigger"):
                continue
            t0, t1 = e["trigger"]
            t = learned.as_trigger(learned.Span(e["type"], t0, t1, 1.0), hits, {})
            s = ctx.sentence_of(t0)
            cands, feats = role_items(ctx, t, s, desc)
            if not cands:
                continue
            labs = [
                "S"
                if _overlaps((m.start, m.end), e.get("source_spans"))
                else "T"
                if _overlaps((m.start, m.end), e.get("target_spans"))
                else "O"
                for m in cands
            ]
            X.append(feats)
            Y.append(labs)
    return X, Y


def fit(X: list, Y: list, path: Path, c1: float = 0.05, c2: float = 0.05, iters: int = 150) -> None:
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(X, Y):
        tr.append(x, y)
    tr.set_params({"c1": c1, "c2": c2, "max_iterations": iters, "feature.possible_transitions": True})
    tr.train(str(path))


def modes(pairs) -> dict:
    """The commonest mode of each type (the mode of a trigger the lexicon does not know)."""
    c: dict[str, Counter] = {}
    for r, _ in pairs:
        for e in r["events"]:
            c.setdefault(e["type"], Counter())[e["mode"]] += 1
    return {k: v.most_common(1)[0][0] for k, v in sorted(c.items())}


def word_clusters(vectors_dir: Path, sizes: tuple = (128, 512), seed: int = 13, iters: int = 12) -> dict:
    """Spherical k-means classes of the NER word vectors (``resources/ner``): a word the trigger
    tagger has not seen shares its class with words it has (قصفت ~ استهدفت)."""
    import numpy as np

    words = json.loads((vectors_dir / "vocab.json").read_text(encoding="utf-8"))["words"]
    V = np.load(vectors_dir / "vectors.npz")["vectors"].astype(np.float32)
    keep = np.arange(2, min(len(words), 40000))  # the commonest words, <pad>/<unk> out
    X = V[keep]
    X /= np.linalg.norm(X, axis=1, keepdims=True) + 1e-6
    rng = np.random.default_rng(seed)
    out: dict[str, list[int]] = {words[i]: [] for i in keep if words[i]}
    for k in sizes:
        C = X[rng.choice(len(X), k, replace=False)]
        for _ in range(iters):
            a = np.argmax(X @ C.T, axis=1)
            for j in range(k):
                m = X[a == j]
                if len(m):
                    c = m.sum(0)
                    C[j] = c / (np.linalg.norm(c) + 1e-6)
        a = np.argmax(X @ C.T, axis=1)
        for i, j in zip(keep, a):
            if words[i]:
                out[words[i]].append(int(j))
    return out


def train(out: Path, shared: Path, seed: int = 13, pairs: Optional[list] = None, **kw) -> dict:
    """Train both taggers on the corpus train split and write ``out/`` (meta.json, two .crfsuite)."""
    pairs = list(pairs if pairs is not None else pipeline_pairs("train", shared))
    pairs.sort(key=lambda p: p[0]["id"])
    random.Random(seed).shuffle(pairs)
    out.mkdir(parents=True, exist_ok=True)
    clusters = word_clusters(Path(kw.get("vectors") or learned.NER_DIR), seed=seed)
    (out / "clusters.json").write_text(
        json.dumps(clusters, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8"
    )
    X, Y = trigger_data(pairs, clusters)
    c1, c2, iters = kw.get("c1", 0.5), kw.get("c2", 0.5), kw.get("iters", 100)
    fit(X, Y, out / "triggers.crfsuite", c1, c2, iters)
    if kw.get("untyped", True):
        fit(X, [[lab[:1] for lab in y] for y in Y], out / "spans.crfsuite", c1, c2, iters)
    desc = read_descriptive() if kw.get("descriptive", False) else None
    RX, RY = role_data(pairs, desc)
    fit(RX, RY, out / "roles.crfsuite", kw.get("rc1", 0.05), kw.get("rc2", 0.1), kw.get("riters", 150))
    meta = {
        "trained_on": "data/corpus/train.jsonl",
        "articles": len(pairs),
        "seed": seed,
        "sentences": len(X),
        "trigger_words": sum(lab != "O" for y in Y for lab in y),
        "role_sequences": len(RX),
        "modes": modes(pairs),
        "min_trigger": kw.get("min_trigger", 0.3),
        "min_role": kw.get("min_role", 0.25),
        "union": kw.get("union", True),
        "need_source": kw.get("need_source", True),
        "fallback": kw.get("fallback", 0.05),
        "detector_gate": kw.get("detector_gate", True),
        **({"descriptive": True} if desc else {}),
        # the GSR gate of ASSAULT/PROTEST (0.2 in the rule reading), and a tagged trigger of P >= 0.6
        # passes it unasked: chosen by 5-fold CV on train and the 5-fold GSR figures (docs/events.md)
        "min_detector": kw.get("min_detector", 0.4),
        "gate_trust": kw.get("gate_trust", 0.6),
        "actorless": kw.get("actorless", ["ASSAULT", "PROTEST"]),
        "params": {"c1": c1, "c2": c2, "iters": iters},
    }
    (out / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return meta


def folds_of(ids: list[str], k: int, seed: int) -> dict[str, int]:
    """Each article's fold (0 .. k-1): the ids ordered by a seeded hash, dealt round-robin, so a
    fold does not depend on the order the split file lists them in."""
    import hashlib

    order = sorted(ids, key=lambda i: hashlib.sha1(f"{seed}:{i}".encode()).hexdigest())
    return {i: n % k for n, i in enumerate(order)}


def cross_validate(
    shared: Path,
    k: int = 5,
    seed: int = 13,
    pairs: Optional[list] = None,
    variants: Optional[dict[str, dict]] = None,
    reuse: Optional[Path] = None,
    **kw,
) -> dict:
    """A k-fold estimate on the train split: the articles of each fold are read by a model trained
    (as :func:`train`, same options) on the other folds, through the events and quote-event steps,
    and all folds are scored together with the shared scorer (``gold/score.py``).  Ten times the
    events of corpus dev, so two settings can be told apart where dev alone cannot; nothing of
    dev or test is read.  Returns the events, events_full and event_targets figures, the per-fold
    events F1 and how many articles and gold events were scored.  ``variants`` (name -> settings)
    scores the same fold models read with other settings as well: the model's reading thresholds
    (``min_trigger``, ``min_role``, ``union``, ``need_source``, ``fallback``, ``detector_gate``,
    ``min_detector``, ``gate_trust``..., as ``meta.json`` names them); they come back under
    ``variants``.  ``reuse``: a folder that keeps the fold models (``fold0/`` ...); a fold model
    already there is read instead of trained again (for more variants of the same folds: it is not
    checked against the data or ``kw``)."""
    import tempfile

    from ..lab.corpus.corpus import materialize

    unknown = sorted({key for v in (variants or {}).values() for key in v} - set(READING_SETTINGS))
    if unknown:
        raise ValueError(f"unknown reading settings {unknown}: one of {', '.join(READING_SETTINGS)}")
    pairs = sorted(pairs if pairs is not None else pipeline_pairs("train", shared), key=lambda p: p[0]["id"])
    fold = folds_of([r["id"] for r, _ in pairs], k, seed)
    scorer = _scorer(shared)
    base = _base_resources()
    runs = {"": {}, **(variants or {})}
    preds: dict[str, dict[str, dict]] = {name: {} for name in runs}
    per_fold: dict[str, list] = {name: [] for name in runs}
    with tempfile.TemporaryDirectory(prefix="marsad-cv-") as tmp:
        done = materialize(Path(tmp) / "corpus", shared, ["train"])
        gold = {g["id"]: g for g in (json.loads(x) for x in open(done["train"]["gold"], encoding="utf-8") if x.strip())}
        arts_dir = done["train"]["articles"]
        for f in range(k):
            d = Path(reuse or tmp) / f"fold{f}"
            if reuse is None or not (d / "meta.json").exists():
                train(d, shared, seed=seed, pairs=[p for p in pairs if fold[p[0]["id"]] != f], **kw)
            held = [(r, a) for r, a in pairs if fold[r["id"]] == f]
            for name, settings in runs.items():
                preds[name].update(_read_fold(d, held, settings, base))
                m = scorer.score([gold[r["id"]] for r, _ in held], preds[name], arts_dir)
                per_fold[name].append(m["events"]["f1"])
        golds = [gold[r["id"]] for r, _ in pairs]
        scores = {name: scorer.score(golds, preds[name], arts_dir) for name in runs}
    keys = ("events", "events_full", "event_targets")
    m = scores[""]
    out = {
        "folds": k,
        "seed": seed,
        "articles": len(pairs),
        "gold_events": m["events"]["tp"] + m["events"]["fn"],
        **{key: m[key] for key in keys},
        "events_f1_per_fold": per_fold[""],
    }
    if variants:
        out["variants"] = {
            name: {
                "settings": runs[name],
                **{key: scores[name][key] for key in keys},
                "events_f1_per_fold": per_fold[name],
            }
            for name in variants
        }
    return out


def _scorer(shared: Path):
    """``gold/score.py`` of the shared folder, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("marsad_gold_score", shared / "gold" / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    return scorer


def _base_resources():
    """The parts every fold shares (KB, lexicon, GSR detector): each loaded once, when first read."""
    from ..resources import Resources

    return Resources(events="rules")


def _read_fold(model_dir: Path, held: list, settings: dict, base) -> dict[str, dict]:
    """The held-out articles read by the fold's model with ``settings`` applied: id -> gold record."""
    from ..pipeline.build import make_steps
    from ..resources import Resources
    from ..store.exports.gold import gold_record

    model = learned.load(model_dir)
    for key, value in settings.items():
        setattr(model, key, value)
    res = Resources(kb=base.kb, lexicon=base.lexicon, detector=base.detector, event_model=model, events="learned")
    steps = make_steps(PRE_STEPS_EXCLUDE, res)  # the steps the pairs were run without
    out = {}
    for r, a in held:
        for step in steps:
            a = step(a)
        out[r["id"]] = gold_record(a)
    return out
