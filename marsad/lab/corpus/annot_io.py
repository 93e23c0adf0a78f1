"""The corpus side of the annotation helper (:mod:`annot`; standard library only, beside it as a plain
script): reading articles and records, the offset check of a record, and the gold schema's check
(``../shared/gold/check_gold.py``) on a materialized copy.  ``annot.py`` is the tool to run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("MARSAD_SHARED") or os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared"))
CORPUS = os.path.join(SHARED, "corpus", "ant_unlabeled.jsonl")
OFFSET_SUFFIXES = ("_start", "_end", "_span", "_spans", "_offsets")
DRAFT_ONLY = {"occurrences", "text_occurrence", "source_surfaces", "target_surfaces", "evidence_occurrence"}


def is_offset_key(key: str) -> bool:
    return key in ("start", "end", "trigger") or key.endswith(OFFSET_SUFFIXES)


def load_articles(ids: set[str] | None = None, path: str = CORPUS) -> dict[str, dict]:
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if ids is not None:
                m = re.match(r'\{"id": "([^"]+)"', line)
                if m and m.group(1) not in ids:
                    continue
            r = json.loads(line)
            if ids is None or r["id"] in ids:
                out[r["id"]] = r
    return out


def article_text(rec: dict) -> str:
    return (rec.get("title") or "") + "\n" + (rec.get("text") or "")


class Problems(list):
    def add(self, aid: str, msg: str) -> None:
        self.append(f"[{aid}] {msg}")


def strip_offsets(rec):
    """The record with every offset key (and draft anchor) removed: the plain gold schema."""
    if isinstance(rec, dict):
        return {k: strip_offsets(v) for k, v in rec.items() if not is_offset_key(k) and k not in DRAFT_ONLY}
    if isinstance(rec, list):
        return [strip_offsets(x) for x in rec]
    return rec


def check_offsets(rec: dict, text: str, problems: Problems) -> None:
    aid = rec.get("id", "?")

    def span_ok(sp, want, what):
        if sp is None:
            return
        if not (
            isinstance(sp, list)
            and len(sp) == 2
            and all(isinstance(x, int) for x in sp)
            and 0 <= sp[0] < sp[1] <= len(text)
        ):
            problems.add(aid, f"{what}: bad span {sp!r}")
        elif want is not None and text[sp[0] : sp[1]] != want:
            problems.add(aid, f"{what}: text[{sp[0]}:{sp[1]}] = {text[sp[0] : sp[1]]!r}, not {want!r}")

    span_ok(rec.get("headline_span"), rec.get("headline"), "headline_span")
    for layer in ("entities", "times", "attributions"):
        for i, e in enumerate(rec.get(layer, [])):
            spans = e.get("mention_spans")
            if not spans:
                problems.add(aid, f"{layer}[{i}]: no mention_spans")
            for sp in spans or []:
                span_ok(sp, e.get("surface"), f"{layer}[{i}].mention_spans")
    for i, q in enumerate(rec.get("quotes", [])):
        for key, field in (("text_span", "text"), ("cue_span", "cue"), ("speaker_span", "speaker_surface")):
            if key not in q:
                problems.add(aid, f"quotes[{i}]: no {key}")
            span_ok(q.get(key), q.get(field), f"quotes[{i}].{key}")
    for i, ev in enumerate(rec.get("events", [])):
        if "evidence_span" not in ev or "trigger" not in ev:
            problems.add(aid, f"events[{i}]: evidence_span and trigger are required")
        span_ok(ev.get("evidence_span"), ev.get("evidence"), f"events[{i}].evidence_span")
        span_ok(ev.get("trigger"), None, f"events[{i}].trigger")
        es, tr = ev.get("evidence_span"), ev.get("trigger")
        if es and tr and not (es[0] <= tr[0] and tr[1] <= es[1]):
            problems.add(aid, f"events[{i}]: trigger outside the evidence")
        for side in ("source", "target"):
            spans = ev.get(f"{side}_spans")
            if spans is None or len(spans) != len(ev.get(side) or []):
                problems.add(aid, f"events[{i}].{side}_spans: one span or null per {side} actor required")
                continue
            for sp in spans:
                span_ok(sp, None, f"events[{i}].{side}_spans")


def materialize(records: list[dict], articles: dict[str, dict], out_dir: str) -> str:
    """Write ``articles/<id>.txt`` and ``gold.jsonl`` (offset keys stripped) under ``out_dir``."""
    os.makedirs(os.path.join(out_dir, "articles"), exist_ok=True)
    gold = os.path.join(out_dir, "gold.jsonl")
    with open(gold, "w", encoding="utf-8") as g:
        for rec in records:
            with open(os.path.join(out_dir, "articles", f"{rec['id']}.txt"), "w", encoding="utf-8") as f:
                f.write(article_text(articles[rec["id"]]))
            g.write(json.dumps(strip_offsets(rec), ensure_ascii=False) + "\n")
    return gold


def read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f if x.strip()]


def check_records(records: list[dict], articles: dict[str, dict]) -> tuple[Problems, str]:
    """Offsets checked here; the gold schema by ``../shared/gold/check_gold.py`` on a materialized copy."""
    problems = Problems()
    for r in records:
        if r.get("id") not in articles:
            problems.add(r.get("id", "?"), "id not in the corpus")
            continue
        check_offsets(r, article_text(articles[r["id"]]), problems)
    with tempfile.TemporaryDirectory() as tmp:
        gold = materialize([r for r in records if r.get("id") in articles], articles, tmp)
        res = subprocess.run(
            [sys.executable, os.path.join(SHARED, "gold", "check_gold.py"), gold, os.path.join(tmp, "articles")],
            capture_output=True,
            text=True,
        )
    report = res.stdout + res.stderr
    for line in report.splitlines():
        if line.strip().startswith("ERROR"):
            problems.append(line.strip())
    return problems, report
