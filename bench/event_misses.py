"""Where the gold events of a corpus split are lost (issue 18): for each gold trigger, the furthest
stage of the learned event layer that reached it.

    python bench/event_misses.py [--split dev] [--model DIR] [--list]

Stages, checked in this order for each gold event with a trigger span: `coded` (an exported event,
status realized, whose trigger overlaps it, with the gold type), `coded, other status` (the gold type,
but planned / negated / conditional), `coded, other type`, `tagged, not coded` (a trigger span of the
tagger with the gold type, dropped later: no source, the GSR gate, a duplicate), `tagged, other type`,
`lexicon hit, not coded` (the event lexicon matches the word, with the gold type, and neither the tagger
nor the union with the rule reading coded it), `lexicon hit, other type`, `nothing` (neither the
tagger nor the lexicon fires on the word). `--list` prints the type, trigger and evidence of each
`nothing`. Also counted: the coded (realized) events in a sentence with no gold event, and the gold
events in a sentence where nothing was coded, and the gold events whose every source is descriptive
(a canonical no entity of the article carries, "Egyptian authorities": the scorer credits a source
only by that exact description or a surface of an entity with that canonical). Nothing is trained here: the shipped learned model (or `--model`) reads the split as
`marsad eval corpus --events learned` would, from the pipeline's output up to the quotes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STAGES = (
    "coded",
    "coded, other status",
    "coded, other type",
    "tagged, not coded",
    "tagged, other type",
    "lexicon hit, not coded",
    "lexicon hit, other type",
    "nothing",
)


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def stage(gold: dict, events: list, spans: list, hits: list) -> str:
    t = tuple(gold["trigger"])
    ev = [e for e in events if e.trigger_start is not None and overlaps(t, (e.trigger_start, e.trigger_end))]
    same = [e for e in ev if e.type == gold["type"]]
    if any(e.status == "realized" for e in same):
        return "coded"
    if same:
        return "coded, other status"
    if ev:
        return "coded, other type"
    sp = [x for x in spans if overlaps(t, (x.start, x.end))]
    if any(x.type == gold["type"] for x in sp):
        return "tagged, not coded"
    if sp:
        return "tagged, other type"
    hi = [h for h in hits if overlaps(t, (h.start, h.end))]
    if any(h.entry.type == gold["type"] for h in hi):
        return "lexicon hit, not coded"
    return "lexicon hit, other type" if hi else "nothing"


def main() -> None:
    from marsad.extract.events import EventStep, learned
    from marsad.extract.events.coding import rule_events
    from marsad.extract.events.context import EventContext
    from marsad.extract.events.learned import lexicon_hits
    from marsad.lab.train_events import pipeline_pairs
    from marsad.resources import Resources

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--split", default="dev", choices=("dev",), help="never test (only scored), never train (seen)")
    ap.add_argument("--model", help="a learned model folder (default: the shipped one)")
    ap.add_argument("--list", action="store_true", help="print the events that nothing found")
    a = ap.parse_args()
    res = Resources(events="rules")
    model = learned.load(a.model)
    step = EventStep(res.detector, kb=res.kb, lexicon=res.lexicon, model=model)
    counts: Counter = Counter()
    lost = []
    for rec, art in pipeline_pairs(a.split, Path(a.shared)):
        events = list(step(art).events)
        ctx = EventContext(art, step.detector, step.min_detector, step.kb, step.lexicon)
        hits, ruled = lexicon_hits(ctx), rule_events(ctx)
        # a fresh context for the tagger, as the step's own run gives it
        ctx = EventContext(art, step.detector, step.min_detector, step.kb, step.lexicon)
        spans = [x for s in art.sentences if s.start >= art.body_start for x in model.triggers(ctx, s, hits, ruled)]
        sent = lambda off: next((s.index for s in art.sentences if s.start <= off < s.end), -1)  # noqa: E731
        coded = [
            sent(e.trigger_start if e.trigger_start is not None else e.evidence_start)
            for e in events
            if e.status == "realized"
        ]
        gold = [sent(g["trigger"][0]) for g in rec["events"] if g.get("trigger")]
        counts["predicted"] += len(coded)
        gold_set, coded_set = set(gold), set(coded)
        counts["predicted, in a sentence with no gold event"] += sum(x not in gold_set for x in coded)
        counts["gold, in a sentence with nothing coded"] += sum(x not in coded_set for x in gold)
        named = {e["canonical"] for e in rec["entities"]}
        counts["gold, every source descriptive"] += sum(
            bool(g.get("source")) and not set(g["source"]) & named for g in rec["events"]
        )
        for g in rec["events"]:
            if not g.get("trigger"):
                continue
            st = stage(g, events, spans, hits)
            counts[st] += 1
            if st == "nothing":
                (t0, t1), (e0, e1) = g["trigger"], g["evidence_span"]
                lost.append((g["type"], art.text[t0:t1], art.text[e0:e1]))
    n = sum(counts[s] for s in STAGES)
    sentences = (
        "predicted",
        "predicted, in a sentence with no gold event",
        "gold, in a sentence with nothing coded",
        "gold, every source descriptive",
    )
    out = {"split": a.split, "gold_triggers": n, **{s: counts[s] for s in STAGES + sentences}}
    print(json.dumps(out, ensure_ascii=False))
    if a.list:
        for typ, trig, ev in lost:
            print(f"{typ}\t{trig}\t{ev[:100]}")


if __name__ == "__main__":
    main()
