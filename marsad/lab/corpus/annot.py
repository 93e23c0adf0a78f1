#!/usr/bin/env python3
"""Annotation helper for the marsad corpus (standard library only; runs as a plain script).

An annotator writes a *draft* record per article: the gold schema of ``../shared/gold/seeds.jsonl``
with surfaces copied verbatim from the article, plus a few anchor fields that say *which* occurrence
a span is.  ``locate`` turns drafts into corpus records with character offsets into the article text
(``title + "\\n" + text``); ``check`` validates corpus records (schema and offsets).

    python3 marsad/lab/corpus/annot.py show ID [ID ...]
    python3 marsad/lab/corpus/annot.py locate DRAFT.jsonl --out FINAL.jsonl
    python3 marsad/lab/corpus/annot.py check FINAL.jsonl

Draft anchors (all optional, dropped from the final record):
  entity   "occurrences": [1, 3]   which matches (1-based, in text order) are this entity; default all
  quote    "text_occurrence": n    which occurrence of the quote text; default 1
  event    "trigger": "surface"    the word(s) that state the act, looked up inside the evidence
           "source_surfaces": [..] one surface (or null) per entry of "source": the mention of that actor
           "target_surfaces": [..] likewise for "target"
           "evidence_occurrence": n
The offsets added (half-open, into the article text) are listed in docs/corpus.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("MARSAD_SHARED") or os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared"))
CORPUS = os.path.join(SHARED, "corpus", "ant_unlabeled.jsonl")
PROCLITICS = "وفبكل"
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


def _wordish(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN"


def word_matches(text: str, surface: str) -> list[tuple[int, int]]:
    """Occurrences of ``surface`` at word boundaries; up to two proclitics may stand before it."""
    out = []
    if not surface:
        return out
    start = 0
    while True:
        i = text.find(surface, start)
        if i < 0:
            return out
        start = i + 1
        end = i + len(surface)
        if end < len(text) and _wordish(text[end]) and _wordish(surface[-1]):
            continue
        j = i
        while j > 0 and i - j < 2 and text[j - 1] in PROCLITICS:
            j -= 1
        ok = i == 0 or not _wordish(text[i - 1]) or not _wordish(surface[0])
        if not ok and j < i and (j == 0 or not _wordish(text[j - 1])):
            ok = True
        if ok:
            out.append((i, end))


def mentions_of(text: str, surface: str) -> list[tuple[int, int]]:  # word-bounded, else every one
    return word_matches(text, surface) or all_matches(text, surface)


def all_matches(text: str, surface: str) -> list[tuple[int, int]]:
    out, start = [], 0
    while surface:
        i = text.find(surface, start)
        if i < 0:
            break
        out.append((i, i + len(surface)))
        start = i + 1
    return out


def nearest(spans: list[tuple[int, int]], anchor: tuple[int, int]) -> tuple[int, int] | None:
    if not spans:
        return None
    inside = [s for s in spans if s[0] >= anchor[0] and s[1] <= anchor[1]]
    if inside:
        return inside[0]

    def dist(s):
        if s[1] <= anchor[0]:
            return anchor[0] - s[1]
        if s[0] >= anchor[1]:
            return s[0] - anchor[1]
        return 0

    return min(spans, key=lambda s: (dist(s), s[0]))


def cue_near(text: str, cue: str, quote: tuple[int, int]) -> tuple[int, int] | None:
    """The occurrence of a speech cue that introduces the quote at ``quote``: the closest one before
    it in the same sentence (Arabic puts the cue first: «وقال لافروف إن …»), else the closest one
    after it in the same sentence («…»، قال لافروف), else the nearest anywhere."""
    spans = mentions_of(text, cue)
    if not spans:
        return None
    stops = ".!?؟\n"
    before = [s for s in spans if s[1] <= quote[0] and not any(c in stops for c in text[s[1]:quote[0]])]
    if before:
        return max(before)
    after = [s for s in spans if s[0] >= quote[1] and not any(c in stops for c in text[quote[1]:s[0]])]
    if after:
        return min(after)
    return nearest(spans, quote)


class Problems(list):
    def add(self, aid: str, msg: str) -> None:
        self.append(f"[{aid}] {msg}")


def _pick(spans, n, what, aid, problems):
    if not spans:
        problems.add(aid, f"{what}: not found verbatim in the article")
        return None
    if n < 1 or n > len(spans):
        problems.add(aid, f"{what}: occurrence {n} asked, {len(spans)} found")
        return None
    return spans[n - 1]


# long: one short block per layer, kept together so the rules that turn a draft into offsets read in one place
def locate(draft: dict, text: str, problems: Problems) -> dict:
    aid = draft.get("id", "?")
    rec = {k: v for k, v in draft.items()}
    rec["file"] = f"{aid}.txt"
    head = draft.get("headline")
    if head is not None:
        rec["headline_span"] = list(_pick(all_matches(text, head), 1, "headline", aid, problems) or [0, 0])
    ents = []
    for i, e in enumerate(draft.get("entities", [])):
        e = dict(e)
        occ = e.pop("occurrences", None)
        spans = mentions_of(text, e.get("surface", ""))
        if not spans:
            problems.add(aid, f"entities[{i}] {e.get('surface')!r}: not found")
        if occ:
            bad = [n for n in occ if not 1 <= n <= len(spans)]
            if bad:
                problems.add(aid, f"entities[{i}] {e.get('surface')!r}: occurrences {bad} of {len(spans)}")
            spans = [spans[n - 1] for n in occ if 1 <= n <= len(spans)]
        e["mention_spans"] = [list(s) for s in spans]
        ents.append(e)
    rec["entities"] = ents
    quotes = []
    for i, q in enumerate(draft.get("quotes", [])):
        q = dict(q)
        n = q.pop("text_occurrence", 1)
        t = _pick(all_matches(text, q.get("text", "")), n, f"quotes[{i}].text", aid, problems)
        if t:
            q["text_span"] = list(t)
            cue = cue_near(text, q.get("cue", ""), t)
            if cue is None:
                problems.add(aid, f"quotes[{i}].cue {q.get('cue')!r}: not found")
            else:
                q["cue_span"] = list(cue)
                sp = nearest(mentions_of(text, q.get("speaker_surface", "")), cue)
                if sp is None:
                    problems.add(aid, f"quotes[{i}].speaker_surface {q.get('speaker_surface')!r}: not found")
                else:
                    q["speaker_span"] = list(sp)
        quotes.append(q)
    rec["quotes"] = quotes
    events = []
    for i, ev in enumerate(draft.get("events", [])):
        ev = dict(ev)
        n = ev.pop("evidence_occurrence", 1)
        trig = ev.pop("trigger", None)
        src_s = ev.pop("source_surfaces", None)
        tgt_s = ev.pop("target_surfaces", None)
        span = _pick(all_matches(text, ev.get("evidence", "")), n, f"events[{i}].evidence", aid, problems)
        if span:
            ev["evidence_span"] = list(span)
            if not trig:
                problems.add(aid, f"events[{i}]: no trigger given")
            else:
                ts = [s for s in all_matches(text, trig) if s[0] >= span[0] and s[1] <= span[1]]
                if not ts:
                    problems.add(aid, f"events[{i}].trigger {trig!r}: not inside the evidence")
                else:
                    ev["trigger"] = list(ts[0])
            for side, surfaces in (("source", src_s), ("target", tgt_s)):
                actors = ev.get(side) or []
                if surfaces is None:
                    surfaces = [None] * len(actors)
                if len(surfaces) != len(actors):
                    problems.add(aid, f"events[{i}].{side}_surfaces: {len(surfaces)} surfaces for {len(actors)} actors")
                    surfaces = (list(surfaces) + [None] * len(actors))[:len(actors)]
                out = []
                for s in surfaces:
                    if not s:
                        out.append(None)
                        continue
                    hit = nearest(mentions_of(text, s), span)
                    if hit is None:
                        problems.add(aid, f"events[{i}].{side} surface {s!r}: not found")
                    out.append(list(hit) if hit else None)
                ev[f"{side}_spans"] = out
        events.append(ev)
    rec["events"] = events
    for layer in ("times", "attributions"):
        items = []
        for i, t in enumerate(draft.get(layer, [])):
            t = dict(t)
            spans = mentions_of(text, t.get("surface", ""))
            if not spans:
                problems.add(aid, f"{layer}[{i}] {t.get('surface')!r}: not found")
            t["mention_spans"] = [list(s) for s in spans]
            items.append(t)
        rec[layer] = items
    order = ["id", "file", "published", "published_basis", "outlet", "headline", "headline_span",
             "boilerplate", "byline", "entities", "quotes", "events", "times", "attributions"]
    return {k: rec[k] for k in order if k in rec} | {k: v for k, v in rec.items() if k not in order}


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
        if not (isinstance(sp, list) and len(sp) == 2 and all(isinstance(x, int) for x in sp)
                and 0 <= sp[0] < sp[1] <= len(text)):
            problems.add(aid, f"{what}: bad span {sp!r}")
        elif want is not None and text[sp[0]:sp[1]] != want:
            problems.add(aid, f"{what}: text[{sp[0]}:{sp[1]}] = {text[sp[0]:sp[1]]!r}, not {want!r}")

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


def cmd_show(args) -> int:
    arts = load_articles(set(args.ids))
    for aid in args.ids:
        r = arts.get(aid)
        if r is None:
            print(f"{aid}: not in the corpus", file=sys.stderr)
            return 1
        print(f"=== {aid}  outlet={r.get('outlet')}  published_raw={r.get('published_raw')}")
        for n, line in enumerate(article_text(r).split("\n")):
            print(f"{n:3}| {line}")
    return 0


def cmd_locate(args) -> int:
    drafts = read_jsonl(args.draft)
    arts = load_articles({d["id"] for d in drafts})
    problems = Problems()
    out = []
    for d in drafts:
        if d.get("id") not in arts:
            problems.add(d.get("id", "?"), "id not in the corpus")
            continue
        out.append(locate(d, article_text(arts[d["id"]]), problems))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for r in out:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(out)} record(s), {len(problems)} problem(s)")
    return 1 if problems else 0


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
        res = subprocess.run([sys.executable, os.path.join(SHARED, "gold", "check_gold.py"), gold,
                              os.path.join(tmp, "articles")], capture_output=True, text=True)
    report = res.stdout + res.stderr
    for line in report.splitlines():
        if line.strip().startswith("ERROR"):
            problems.append(line.strip())
    return problems, report


def cmd_check(args) -> int:
    records = read_jsonl(args.file)
    arts = load_articles({r["id"] for r in records})
    problems, report = check_records(records, arts)
    if args.verbose:
        print(report)
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(records)} record(s), {len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("show")
    s.add_argument("ids", nargs="+")
    s.set_defaults(fn=cmd_show)
    s = sub.add_parser("locate")
    s.add_argument("draft")
    s.add_argument("--out")
    s.set_defaults(fn=cmd_locate)
    s = sub.add_parser("check")
    s.add_argument("file")
    s.add_argument("-v", "--verbose", action="store_true")
    s.set_defaults(fn=cmd_check)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
