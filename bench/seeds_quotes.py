"""Quotes, speakers and attributions on the seed articles, scored by ../shared/gold/score.py.

    python bench/seeds_quotes.py [--mentions gold|none|pipeline] [--out PRED.jsonl] [--verbose] [--json]

Each seed file is read whole; the stored text is the raw file and the body starts after the gold
headline line (the headline is excluded from quotes, as the guidelines say).  ``segment`` runs, then
mentions are put on the article:

* ``gold`` (default): every gold entity surface found in the text at word boundaries (proclitics
  و ف ب ك ل allowed in front), as a Mention with the gold type and canonical (actor_id = canonical);
* ``none``: no mentions at all (how much speaker finding leans on NER);
* ``pipeline``: the pipeline's own ``ner`` and ``actors`` steps, when they are available.

Then AttributionStep and QuoteStep run, predictions are written in the gold schema (quotes: speaker,
speaker_surface, cue, kind, text; attributions: surface, outlet) and matched with score.py's own
``score()`` (imported in place from ../shared).  ``--verbose`` lists misses and false alarms.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from pathlib import Path

from marsad.extract.quotes import AttributionStep
from marsad.extract.quotes import QuoteStep
from marsad.model import Article, Mention, replace
from marsad.pipeline import available_steps, build_pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_LETTER = re.compile(r"[\w\u0610-\u061A\u064B-\u065F\u0670\u0640]")


def load_score():
    spec = importlib.util.spec_from_file_location("marsad_shared_score", SHARED / "gold" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def article_of(g: dict) -> Article:
    text = (SHARED / "seeds" / g["file"]).read_text(encoding="utf-8")
    h = g.get("headline") or ""
    pos = text.find(h) if h else -1
    if pos < 0:
        first = text.split("\n", 1)[0]
        pos, h = 0, first
    body_start = min(len(text), pos + len(h) + 1)
    return Article(id=g["id"], text=text, headline=h, body_start=body_start, source=g["file"])


def gold_mentions(text: str, entities: list[dict]) -> tuple[Mention, ...]:
    """Every occurrence of each gold surface at word boundaries (proclitics allowed), longest first."""
    taken = [False] * len(text)
    out = []
    for e in sorted(entities, key=lambda e: -len(e["surface"])):
        s = e["surface"]
        i = text.find(s)
        while i >= 0:
            j = i + len(s)
            k = i
            while k > 0 and i - k < 2 and text[k - 1] in "وفبكل":
                k -= 1
            ok_left = k == 0 or not _LETTER.match(text[k - 1])
            ok_right = j >= len(text) or not _LETTER.match(text[j])
            if ok_left and ok_right and not any(taken[i:j]):
                for x in range(i, j):
                    taken[x] = True
                out.append(
                    Mention(
                        i,
                        j,
                        s,
                        e["type"],
                        step="gold",
                        actor_id=e["canonical"],
                        canonical=e["canonical"],
                        confidence=1.0,
                        evidence="gold",
                        title=e.get("title"),
                    )
                )
            i = text.find(s, i + 1)
    return tuple(sorted(out, key=lambda m: m.start))


def predict(a: Article) -> dict:
    q = [
        {
            "speaker": x.speaker,
            "speaker_surface": x.speaker_surface,
            "cue": x.cue,
            "kind": x.kind,
            "text": x.text,
            "addressee": x.addressee,
            "parent": x.parent,
        }
        for x in a.quotes
    ]
    at = [{"surface": x.text, "outlet": x.outlet, "source": x.outlet} for x in a.attributions]
    ents, seen = [], set()
    for m in a.mentions:
        if (m.text, m.type) not in seen:
            seen.add((m.text, m.type))
            ents.append({"surface": m.text, "type": m.type, "canonical": m.canonical})
    return {"id": a.id, "quotes": q, "attributions": at, "entities": ents}


def run(mode: str = "gold", verbose: bool = False, out: str | None = None, repeat: int = 1) -> dict:
    sc = load_score()
    gold = [json.loads(l) for l in open(SHARED / "gold" / "seeds.jsonl", encoding="utf-8") if l.strip()]
    try:
        seg = build_pipeline(["segment"])
    except Exception as e:  # another layer mid-edit must not stop this bench
        print(f"warning: pipeline unavailable ({e}); segmenting directly", file=sys.stderr)
        from marsad.text.segment import segment, tokenize

        def seg(a):
            s = segment(a.text)
            return replace(a, sentences=s, tokens=tokenize(a.text, s))

    extra = None
    if mode == "pipeline":
        names = [n for n in ("ner", "actors") if n in available_steps()]
        extra = build_pipeline(["segment"] + names) if names else None
    from marsad.resources import default_resources

    kb = default_resources().kb
    attr, quotes = AttributionStep(kb), QuoteStep(kb)
    preds, t0, n, steps_s = {}, time.perf_counter(), 0, 0.0
    for g in gold:
        a = article_of(g)
        if extra is not None:
            a = extra(a)
        else:
            a = seg(a)
            if mode == "gold":
                a = replace(a, mentions=gold_mentions(a.text, g.get("entities", [])))
        t1 = time.perf_counter()
        for _ in range(max(1, repeat)):
            done = quotes(attr(a))
        steps_s += time.perf_counter() - t1
        a = done
        n += 1
        preds[g["id"]] = predict(a)
        for x in list(a.quotes) + list(a.attributions):  # offsets are sacred
            assert a.text[x.start : x.end] == x.text
        if verbose:
            _explain(sc, g, preds[g["id"]])
    secs = time.perf_counter() - t0
    if out:
        with open(out, "w", encoding="utf-8") as f:
            for p in preds.values():
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    res = sc.score(gold, preds)
    return {
        "mentions": mode,
        "quotes": res["quotes"],
        "quote_speakers": res["quote_speakers"],
        "attributions": res["attributions"],
        "articles": n,
        "seconds": round(secs, 3),
        "steps_articles_per_s": round(n * max(1, repeat) / steps_s, 1) if steps_s else None,
    }


def _explain(sc, g: dict, p: dict) -> None:
    gq, pq = g.get("quotes", []), p["quotes"]
    pairs = sc.greedy(gq, pq, lambda x, y: sc.overlap(x["text"], y.get("text", "")) >= 0.5)
    mg, mp = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
    print(f"== {g['id']}", file=sys.stderr)
    for gi, pi in pairs:
        x, y = gq[gi], pq[pi]
        ok = any(
            sc.refers([y["speaker"], y["speaker_surface"]], s.strip(), g, p) for s in x["speaker"].split(";")
        ) or sc.same_surface(y["speaker_surface"] or "", x.get("speaker_surface") or "-")
        if not ok:
            print(
                f"  SPEAKER gold {x['speaker']} / {x['speaker_surface']}  pred {y['speaker']} / "
                f"{y['speaker_surface']}  [{y['cue']}] {y['text'][:50]}",
                file=sys.stderr,
            )
    for gi, x in enumerate(gq):
        if gi not in mg:
            print(f"  MISS [{x['cue']}] {x['speaker_surface']}: {x['text'][:70]}", file=sys.stderr)
    for pi, y in enumerate(pq):
        if pi not in mp:
            print(f"  FALSE [{y['cue']}] {y['speaker_surface']}: {y['text'][:70]}", file=sys.stderr)
    ga, pa = g.get("attributions", []), p["attributions"]
    apairs = sc.greedy(ga, pa, lambda x, y: sc.overlap(x["surface"], y.get("surface", "")) >= 0.5)
    for gi, x in enumerate(ga):
        if gi not in {a for a, _ in apairs}:
            print(f"  ATTR MISS {x['surface']}", file=sys.stderr)
    for pi, y in enumerate(pa):
        if pi not in {b for _, b in apairs}:
            print(f"  ATTR FALSE {y['surface']} -> {y['outlet']}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mentions", choices=("gold", "none", "pipeline"), default="gold")
    ap.add_argument("--no-gold-mentions", action="store_true", help="same as --mentions none")
    ap.add_argument("--out", help="write the predictions (gold schema JSONL) here")
    ap.add_argument("--verbose", action="store_true", help="list misses and false alarms (stderr)")
    ap.add_argument("--repeat", type=int, default=1, help="run the two steps N times per article (timing)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not (SHARED / "gold" / "seeds.jsonl").exists():
        sys.exit(f"no gold at {SHARED}/gold/seeds.jsonl")
    res = run("none" if a.no_gold_mentions else a.mentions, a.verbose, a.out, a.repeat)
    if a.json:
        print(json.dumps(res, ensure_ascii=False))
        return
    print(
        f"mentions: {res['mentions']}   ({res['articles']} articles, {res['seconds']} s; "
        f"attributions + quotes: {res['steps_articles_per_s']} articles/s)"
    )
    for k in ("quotes", "quote_speakers", "attributions"):
        v = res[k]
        print(f"{k:15s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")


if __name__ == "__main__":
    main()
