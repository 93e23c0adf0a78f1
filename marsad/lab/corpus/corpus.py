"""The annotated corpus: ``data/corpus/{train,dev,test,double}.jsonl``.

The files hold ids, labels and character offsets only: every string that is the article's own words
(surfaces, quotes, cues, evidence, headline) is kept as a span into the article text
(``title + "\\n" + text`` of ``../shared/corpus/ant_unlabeled.jsonl``) and rebuilt from it by
:func:`expand`.  An expanded record is the gold schema of ``../shared/gold/seeds.jsonl`` plus offset
keys, so ``check_gold.py`` and ``score.py`` read it once the offset keys are set aside (what
:func:`materialize` writes).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

from ...errors import ConfigError
from . import annot, annot_io

CORPUS_DIR = Path(__file__).resolve().parents[3] / "data" / "corpus"
SPLITS = ("train", "dev", "test")
FILES = SPLITS + ("double", "double_train")
SECONDS = ("double", "double_train")  # second annotations: their ids also have a primary record


def _span(text: str, s: Optional[str], near: Optional[list] = None) -> Optional[list]:
    if s is None:
        return None
    hits = annot.all_matches(text, s)
    if not hits:
        raise ValueError(f"{s!r} is not in the article")
    return list(annot.nearest(hits, tuple(near)) if near else hits[0])


def compact(rec: dict, text: str) -> dict:
    """The record with the article's words replaced by spans (what the corpus files keep)."""
    out = {k: v for k, v in rec.items() if k not in ("headline", "boilerplate", "byline", "outlet")}
    out["headline_span"] = rec.get("headline_span") or _span(text, rec.get("headline"))
    out["boilerplate_spans"] = [_span(text, b) for b in rec.get("boilerplate") or []]
    out["byline_span"] = _span(text, rec.get("byline"))
    o = rec.get("outlet") or {}
    out["outlet"] = {"surface_span": _span(text, o.get("surface")), "name_en": o.get("name_en")}
    ents = []
    for e in rec.get("entities", []):
        e = dict(e)
        first = e["mention_spans"][0]
        assert text[first[0] : first[1]] == e["surface"], (rec["id"], e["surface"])
        e.pop("surface")
        title = e.pop("title", None)
        e["title_span"] = _span(text, title, first) if title else None
        ents.append(e)
    out["entities"] = ents
    out["quotes"] = [
        {k: v for k, v in q.items() if k not in ("text", "cue", "speaker_surface")} for q in rec.get("quotes", [])
    ]
    out["events"] = [{k: v for k, v in ev.items() if k != "evidence"} for ev in rec.get("events", [])]
    for layer in ("times", "attributions"):
        out[layer] = [{k: v for k, v in t.items() if k != "surface"} for t in rec.get(layer, [])]
    return out


def expand(rec: dict, text: str) -> dict:
    """The full record (gold schema + offsets) of a corpus line."""
    cut = lambda sp: text[sp[0] : sp[1]] if sp else None  # noqa: E731
    out = {
        "id": rec["id"],
        "file": f"{rec['id']}.txt",
        "published": rec["published"],
        "published_basis": rec["published_basis"],
        "outlet": {"surface": cut(rec["outlet"].get("surface_span")), "name_en": rec["outlet"].get("name_en")},
        "headline": cut(rec["headline_span"]),
        "headline_span": rec["headline_span"],
        "boilerplate": [cut(s) for s in rec.get("boilerplate_spans", [])],
        "byline": cut(rec.get("byline_span")),
    }
    out["entities"] = [
        {
            "surface": cut(e["mention_spans"][0]),
            "type": e["type"],
            "canonical": e["canonical"],
            "title": cut(e.get("title_span")),
            "mention_spans": e["mention_spans"],
            **({"title_span": e["title_span"]} if e.get("title_span") else {}),
        }
        for e in rec.get("entities", [])
    ]
    out["quotes"] = [
        {
            "speaker": q["speaker"],
            "speaker_surface": cut(q.get("speaker_span")),
            "cue": cut(q.get("cue_span")),
            "kind": q["kind"],
            "text": cut(q.get("text_span")),
            **{k: q[k] for k in ("text_span", "cue_span", "speaker_span") if k in q},
        }
        for q in rec.get("quotes", [])
    ]
    out["events"] = [
        {
            "type": e["type"],
            "mode": e["mode"],
            "source": e["source"],
            "target": e["target"],
            "location": e["location"],
            "date": e["date"],
            "evidence": cut(e.get("evidence_span")),
            **{k: e[k] for k in ("evidence_span", "trigger", "source_spans", "target_spans") if k in e},
        }
        for e in rec.get("events", [])
    ]
    for layer, extra in (("times", ("value", "precision")), ("attributions", ("source",))):
        out[layer] = [
            {"surface": cut(t["mention_spans"][0]), **{k: t[k] for k in extra}, "mention_spans": t["mention_spans"]}
            for t in rec.get(layer, [])
        ]
    return out


def path(name: str, root: Path = CORPUS_DIR) -> Path:
    if name not in FILES:
        raise ConfigError(f"no corpus file {name!r}: one of {', '.join(FILES)}")
    return root / f"{name}.jsonl"


def load(name: str, root: Path = CORPUS_DIR) -> list[dict]:
    p = path(name, root)
    return annot_io.read_jsonl(str(p)) if p.exists() else []


def articles(ids: Iterable[str], shared: Path) -> dict[str, dict]:
    return annot_io.load_articles(set(ids), str(shared / "corpus" / "ant_unlabeled.jsonl"))


def expanded(name: str, shared: Path, root: Path = CORPUS_DIR) -> tuple[list[dict], dict[str, dict]]:
    recs = load(name, root)
    arts = articles((r["id"] for r in recs), shared)
    return [expand(r, annot_io.article_text(arts[r["id"]])) for r in recs], arts


def materialize(out: Path, shared: Path, names: Iterable[str] = SPLITS, root: Path = CORPUS_DIR) -> dict:
    """Write ``OUT/<split>/articles/<id>.txt`` and ``OUT/<split>/gold.jsonl`` (the gold schema, offsets
    set aside) for each split: what ``check_gold.py`` and ``score.py`` read."""
    done = {}
    for name in names:
        recs, arts = expanded(name, shared, root)
        if recs:
            gold = annot_io.materialize(recs, arts, str(out / name))
            done[name] = {"gold": gold, "articles": str(out / name / "articles"), "n": len(recs)}
    return done


def check(shared: Path, root: Path = CORPUS_DIR) -> list[str]:
    """Every problem of the corpus files: offsets that do not give their surface, schema errors
    (``check_gold.py``), reserved ids, one article in two splits, near-duplicate groups split."""
    problems: list[str] = []
    reserved = set((shared / "corpus" / "reserved_ids.txt").read_text().split())
    selection = (
        {r["id"]: r for r in annot_io.read_jsonl(str(root / "selection.jsonl"))}
        if (root / "selection.jsonl").exists()
        else {}
    )
    where: dict[str, str] = {}
    group_split: dict[str, str] = {}
    for name in FILES:
        recs, arts = expanded(name, shared, root)
        if not recs:
            continue
        found, _ = annot_io.check_records(recs, arts)
        problems += [f"{name}: {p}" for p in found]
        for r in recs:
            rid = r["id"]
            if rid in reserved:
                problems.append(f"{name}: [{rid}] is a reserved id (kept for evaluation)")
            if name not in SECONDS:
                if rid in where:
                    problems.append(f"{name}: [{rid}] is also in {where[rid]}")
                where[rid] = name
                sel = selection.get(rid)
                if sel is not None:
                    g = sel["group"]
                    if group_split.setdefault(g, name) != name:
                        problems.append(f"{name}: [{rid}] near-duplicate group {g} is split across splits")
    for name in SECONDS:
        for rid in {r["id"] for r in load(name, root)}:
            if rid not in where:
                problems.append(f"{name}: [{rid}] has no primary annotation")
    return problems


def stats(root: Path = CORPUS_DIR) -> dict:
    """Counts per file: articles and each layer, entity and event types."""
    out = {}
    for name in FILES:
        recs = load(name, root)
        if not recs:
            continue
        c = {"articles": len(recs)}
        for layer in ("entities", "quotes", "events", "times", "attributions"):
            c[layer] = sum(len(r.get(layer, [])) for r in recs)
        c["entity_types"] = dict(Counter(e["type"] for r in recs for e in r["entities"]).most_common())
        c["event_types"] = dict(Counter(e["type"] for r in recs for e in r["events"]).most_common())
        c["entity_mentions"] = sum(len(e["mention_spans"]) for r in recs for e in r["entities"])
        c["sha256"] = hashlib.sha256(path(name, root).read_bytes()).hexdigest()
        out[name] = c
    return out


def write(name: str, records: list[dict], root: Path = CORPUS_DIR) -> Path:
    p = path(name, root)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        for r in sorted(records, key=lambda r: r["id"]):
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
    return p


def _work_records(files: Iterable[Path]) -> dict[str, tuple[dict, str]]:
    out = {}
    for f in sorted(files):
        for r in annot_io.read_jsonl(str(f)):
            out[r["id"]] = (r, f"{f.parent.name}/{f.name}")
    return out


def recue(rec: dict, text: str) -> dict:
    """The record with each quote's cue span re-found by :func:`annot.cue_near` (the first version of
    the tool took the nearest occurrence of the cue word, which could be a later sentence's)."""
    quotes = []
    for q in rec.get("quotes", []):
        if "text_span" in q and q.get("cue"):
            hit = annot.cue_near(text, q["cue"], tuple(q["text_span"]))
            if hit is not None:
                q = {**q, "cue_span": list(hit)}
        quotes.append(q)
    return {**rec, "quotes": quotes}


def assemble(work: Path, shared: Path, root: Path = CORPUS_DIR) -> dict:
    """Build the corpus files from the annotators' work folder: primary annotations (replaced by
    their adjudicated version where one exists) go to their split; independent second annotations
    to ``double.jsonl``, and the first annotation of each doubly annotated article, as it was before
    adjudication, to ``double_first.jsonl`` (the pair the agreement table compares).  Records that
    fail the checks are left out and reported."""
    selection = {r["id"]: r for r in annot_io.read_jsonl(str(root / "selection.jsonl"))}
    primary = _work_records(work.glob("a*/primary-*.jsonl"))
    adjudicated = _work_records(work.glob("adjudicated/*.jsonl"))
    second = _work_records(work.glob("a*/second-*.jsonl"))
    agree = _work_records(work.glob("a*/agree-*.jsonl"))  # second annotations of train batches (not adjudicated)
    arts = articles(set(primary) | set(second) | set(agree), shared)
    report: dict = {"left_out": [], "counts": {}}
    by_split: dict[str, list] = {s: [] for s in SPLITS}
    provenance = []

    def ok(rec) -> bool:
        problems = annot_io.Problems()
        annot_io.check_offsets(rec, annot_io.article_text(arts[rec["id"]]), problems)
        if problems:
            report["left_out"].append((rec["id"], problems[:3]))
        return not problems

    for rid, (rec, src) in sorted(primary.items()):
        if rid not in selection or rid not in arts:
            report["left_out"].append((rid, ["not in the selection"]))
            continue
        final, fsrc = adjudicated.get(rid, (rec, src))
        text = annot_io.article_text(arts[rid])
        final = recue(final, text)
        if not ok(final):
            continue
        by_split[selection[rid]["split"]].append(compact(final, text))
        provenance.append(
            {
                "id": rid,
                "split": selection[rid]["split"],
                "first": src,
                "adjudicated": fsrc if rid in adjudicated else None,
                "second": second[rid][1] if rid in second else None,
            }
        )
    doubles, firsts = [], []
    for rid, (rec, src) in sorted(second.items()):
        text = annot_io.article_text(arts[rid]) if rid in arts else ""
        rec = recue(rec, text)
        first = recue(primary[rid][0], text) if rid in primary else None
        if first is not None and ok(rec) and ok(first):
            doubles.append(compact(rec, text))
            firsts.append(compact(first, text))
    for s in SPLITS:
        write(s, by_split[s], root)
        report["counts"][s] = len(by_split[s])
    write("double", doubles, root)
    report["counts"]["double"] = len(doubles)
    trained = {r["id"] for r in by_split["train"]}
    agreed = []
    for rid, (rec, _) in sorted(agree.items()):
        rec = recue(rec, annot_io.article_text(arts[rid]))
        if rid in trained and ok(rec):
            agreed.append(compact(rec, annot_io.article_text(arts[rid])))
    if agreed or path("double_train", root).exists():
        write("double_train", agreed, root)
        report["counts"]["double_train"] = len(agreed)
    with open(root / "double_first.jsonl", "w", encoding="utf-8") as f:
        for r in sorted(firsts, key=lambda r: r["id"]):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(root / "provenance.jsonl", "w", encoding="utf-8") as f:
        for p in provenance:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    return report


def agreement(shared: Path, out: Path, root: Path = CORPUS_DIR, which: str = "test") -> dict:
    """Per-layer agreement of the two independent annotations of the doubly annotated articles,
    scored by ``score.py``: ``test`` the test batches (``double_first.jsonl`` as gold, the first
    annotation before adjudication; ``double.jsonl`` as prediction), ``train`` the train batches
    annotated twice (their train record as gold, ``double_train.jsonl`` as prediction)."""
    import subprocess
    import sys

    if which == "train":
        seconds = load("double_train", root)
        ids = {r["id"] for r in seconds}
        firsts = [r for r in load("train", root) if r["id"] in ids]
    else:
        firsts = annot_io.read_jsonl(str(root / "double_first.jsonl"))
        seconds = load("double", root)
    arts = articles((r["id"] for r in firsts), shared)
    text = {i: annot_io.article_text(a) for i, a in arts.items()}
    gold = annot_io.materialize([expand(r, text[r["id"]]) for r in firsts], arts, str(out / "first"))
    pred = out / "second.jsonl"
    with open(pred, "w", encoding="utf-8") as f:
        for r in seconds:
            f.write(json.dumps(annot_io.strip_offsets(expand(r, text[r["id"]])), ensure_ascii=False) + "\n")
    res = subprocess.run(
        [
            sys.executable,
            str(shared / "gold" / "score.py"),
            gold,
            str(pred),
            "--articles",
            str(out / "first" / "articles"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    scores = json.loads(res.stdout)
    scores["_articles"] = len(firsts)
    return scores
