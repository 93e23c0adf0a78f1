#!/usr/bin/env python3
"""Annotation helper for the marsad corpus (standard library only; runs as a plain script).

An annotator writes a *draft* record per article: the gold schema of ``../shared/gold/seeds.jsonl``
with surfaces copied verbatim from the article, plus a few anchor fields that say *which* occurrence
a span is.  ``locate`` turns drafts into corpus records with character offsets into the article text
(``title + "\\n" + text``); ``check`` validates corpus records (schema and offsets).  Reading articles
and records and checking them is :mod:`annot_io`'s, beside this file.

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
import sys
import unicodedata

if __package__:
    from .annot_io import Problems, article_text, check_records, load_articles, read_jsonl
else:  # run as a plain script (python3 marsad/lab/corpus/annot.py): annot_io.py is beside it
    from annot_io import Problems, article_text, check_records, load_articles, read_jsonl

PROCLITICS = "وفبكل"


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
    before = [s for s in spans if s[1] <= quote[0] and not any(c in stops for c in text[s[1] : quote[0]])]
    if before:
        return max(before)
    after = [s for s in spans if s[0] >= quote[1] and not any(c in stops for c in text[quote[1] : s[0]])]
    if after:
        return min(after)
    return nearest(spans, quote)


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
                    surfaces = (list(surfaces) + [None] * len(actors))[: len(actors)]
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
    order = [
        "id",
        "file",
        "published",
        "published_basis",
        "outlet",
        "headline",
        "headline_span",
        "boilerplate",
        "byline",
        "entities",
        "quotes",
        "events",
        "times",
        "attributions",
    ]
    return {k: rec[k] for k in order if k in rec} | {k: v for k, v in rec.items() if k not in order}


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
