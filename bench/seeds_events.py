"""Events on the seed articles, scored with ../shared/gold/score.py (events, events_full, event_targets).

    python bench/seeds_events.py [--json] [--verbose] [--mentions gold|pipeline] [--out PRED.jsonl]

Each seed file is fed as an article (text = the raw file; headline = its first line; body after it)
with the gold publication date.  ``--mentions gold`` (default) runs the pipeline ['segment'] (+ the
time step or ``find_times`` when importable), injects gold-derived mentions (every gold entity
surface found at word boundaries, proclitics allowed; canonical = actor_id = the gold canonical) and
runs the EventStep: this measures the event layer alone.  ``--mentions pipeline`` runs the full
default pipeline instead (NER + actors when they are available).  Only realized events are written,
with a null date when it fell back to the publication date, as the gold export does.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.model import Article, Mention  # noqa: E402
from marsad.store.exports.gold import gold_event  # noqa: E402
from marsad.text.normalize import fold, normalize  # noqa: E402
from marsad.text.segment import segment, tokenize  # noqa: E402
from seeds_common import SHARED, load_gold, load_score, parse_args, print_scores  # noqa: E402


def gold_mentions(text: str, entities: list[dict]) -> tuple[Mention, ...]:
    """Every occurrence of every gold entity surface, longest first, no overlaps."""
    norm = normalize(text)
    found = []
    for e in entities:
        key = fold(e["surface"]).strip()
        if not key:
            continue
        rx = re.compile(r"(?<!\w)(?:[وفبكل]{0,2})(" + re.escape(key) + r")(?!\w)")
        for m in rx.finditer(norm.text):
            s, t = norm.to_source(*m.span(1))
            found.append(Mention(s, t, text[s:t], e["type"], 1.0, "gold", e["canonical"], e["canonical"], 1.0, "gold"))
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    taken: list[tuple[int, int]] = []
    out = []
    for m in found:
        if any(m.start < b and a < m.end for a, b in taken):
            continue
        taken.append((m.start, m.end))
        out.append(m)
    return tuple(sorted(out, key=lambda m: m.start))


def make_article(g: dict) -> Article:
    text = (SHARED / "seeds" / g["file"]).read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    return Article(
        id=g["id"], text=text, headline=first, body_start=len(first) + 1, published=date.fromisoformat(g["published"])
    )


def with_times(a: Article) -> Article:
    if a.times:
        return a
    try:
        from marsad.extract.time import find_times
    except ImportError:
        return a
    return replace(a, times=tuple(find_times(a.text, a.published)))


def predict(g: dict, mode: str = "gold") -> tuple[dict, Article]:
    from marsad.extract.events import EventStep
    from marsad.resources import default_resources

    res = default_resources()
    a = make_article(g)
    if mode == "gold":
        sents = segment(a.text)  # the segment step, without the registry (other layers may be mid-change)
        a = with_times(replace(a, sentences=sents, tokens=tokenize(a.text, sents)))
        a = replace(a, mentions=gold_mentions(a.text, g["entities"]))
        a = EventStep(res.detector, kb=res.kb)(a)
    else:
        from marsad.pipeline import build_pipeline

        a = with_times(build_pipeline()(a))
        if "events" not in build_pipeline().names():
            a = EventStep(res.detector, kb=res.kb)(a)
    ents, seen = [], set()
    for m in a.mentions:
        if (m.text, m.type) not in seen:
            seen.add((m.text, m.type))
            ents.append({"surface": m.text, "type": m.type, "canonical": m.canonical or m.actor_id})
    evs = [{**gold_event(e), "status": e.status} for e in a.events if e.status == "realized"]
    return {"id": g["id"], "entities": ents, "events": evs}, a


def run(mode: str = "gold", verbose: bool = False, out: str | None = None) -> dict:
    sc = load_score()
    gold = load_gold()
    preds, arts = {}, {}
    for g in gold:
        preds[g["id"]], arts[g["id"]] = predict(g, mode)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            for p in preds.values():
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    if verbose:
        for g in gold:
            p = preds[g["id"]]
            pairs = sc.greedy(
                g["events"],
                p["events"],
                lambda x, y: x["type"] == y.get("type") and sc.overlap(x["evidence"], y.get("evidence", "")) >= 0.5,
            )
            gm, pm = {a for a, _ in pairs}, {b for _, b in pairs}
            print(f"== {g['id']}", file=sys.stderr)
            for gi, pi in pairs:
                ge, pe = g["events"][gi], p["events"][pi]
                ok = any(sc.refers(pe["source"], s, g, p) for s in ge["source"]) or (
                    not ge["source"] and not pe["source"]
                )
                print(
                    f"  TP {'full' if ok else 'SRC?'} {ge['type']:9s} gold {ge['source']}->{ge['target']} | pred {pe['source']}->{pe['target']} @{pe['location']}",
                    file=sys.stderr,
                )
            for gi, ge in enumerate(g["events"]):
                if gi not in gm:
                    print(f"  FN {ge['type']:9s} {ge['source']} {ge['evidence'][:90]}", file=sys.stderr)
            for pi, pe in enumerate(p["events"]):
                if pi not in pm:
                    print(
                        f"  FP {pe['type']:9s}/{pe['mode']} {pe['source']}->{pe['target']} {pe['evidence'][:90]}",
                        file=sys.stderr,
                    )
            for e in arts[g["id"]].events:
                if e.status != "realized":
                    print(f"  ({e.status}) {e.type} {e.evidence[:80]}", file=sys.stderr)
    res = sc.score(gold, preds)
    return {k: res[k] for k in ("events", "events_full", "event_targets")}


def main() -> None:
    def more(ap):
        ap.add_argument("--mentions", choices=["gold", "pipeline"], default="gold")
        ap.add_argument("--out", help="write the predictions (gold schema JSONL) here")

    a = parse_args(__doc__, "list matches and errors per article (stderr)", "no shared data", more)
    print_scores(run(a.mentions, a.verbose, a.out), a.json, 14)


if __name__ == "__main__":
    main()
