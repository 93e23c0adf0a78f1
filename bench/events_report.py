"""Per-type event figures and the confusion of roles on a corpus split (issue 18), from the
predictions ``marsad eval corpus`` leaves in its workdir:

    marsad eval corpus --split dev --json --workdir /tmp/ev-dev
    python bench/events_report.py /tmp/ev-dev/pred.jsonl --split dev

Events match as ``../shared/gold/score.py`` matches them (same type, evidence overlap >= 50 %,
greedy one-to-one per article); for each matched pair the source is ok, missing (none
predicted), swapped (the gold target predicted as source and the gold source as target), spurious
(predicted where the gold has none) or a wrong actor; the target likewise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def role_class(pred: list, other_pred: list, gold: list, other_gold: list, refers) -> str:
    if (not gold and not pred) or any(refers(pred, x) for x in gold):
        return "ok"
    if gold and other_gold and any(refers(other_pred, x) for x in gold) and any(refers(pred, x) for x in other_gold):
        return "swapped"
    if gold and not pred:
        return "missing"
    if not gold and pred:
        return "spurious"
    return "wrong actor"


def report(pred_path: Path, split: str, shared: Path) -> dict:
    sys.path.insert(0, str(shared / "gold"))
    import score as S  # noqa: E402  (../shared/gold/score.py)
    from marsad.lab.corpus.corpus import expanded

    gold = {r["id"]: r for r in expanded(split, shared)[0]}
    pred = {d["id"]: d for d in (json.loads(x) for x in open(pred_path, encoding="utf-8") if x.strip())}
    tp, fp, fn = Counter(), Counter(), Counter()
    roles = {"source": Counter(), "target": Counter()}
    for gid, g in gold.items():
        p = pred.get(gid, {})
        gv, pv = g.get("events", []), p.get("events", [])
        pairs = S.greedy(
            gv, pv, lambda a, b: a["type"] == b.get("type") and S.overlap(a["evidence"], b.get("evidence", "")) >= 0.5
        )
        mg, mp = {i for i, _ in pairs}, {j for _, j in pairs}
        for i, e in enumerate(gv):
            (tp if i in mg else fn)[e["type"]] += 1
        for j, e in enumerate(pv):
            if j not in mp:
                fp[e["type"]] += 1
        for i, j in pairs:
            ref = lambda names, canon: S.refers(names, canon, g, p)  # noqa: E731
            gs, gt = gv[i].get("source") or [], gv[i].get("target") or []
            ps, pt = pv[j].get("source") or [], pv[j].get("target") or []
            roles["source"][role_class(ps, pt, gs, gt, ref)] += 1
            roles["target"][role_class(pt, ps, gt, gs, ref)] += 1
    types = {}
    for t in sorted(set(tp) | set(fp) | set(fn), key=lambda t: (-(tp[t] + fn[t]), t)):
        P = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        R = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        types[t] = {
            "gold": tp[t] + fn[t],
            "pred": tp[t] + fp[t],
            "p": round(P, 3),
            "r": round(R, 3),
            "f1": round(2 * P * R / (P + R), 3) if P + R else 0.0,
        }
    return {"types": types, "roles": {k: dict(v) for k, v in roles.items()}}


def oracle_roles(split: str, shared: Path) -> dict:
    """Roles alone: each gold trigger of the split given to the learned labeller and to the role
    rules (pipeline mentions, actors and quotes), the source and target scored as above."""
    sys.path.insert(0, str(shared / "gold"))
    import score as S  # noqa: E402
    from marsad.extract.events import learned
    from marsad.extract.events.assemble import clause
    from marsad.extract.events.coding import code_learned
    from marsad.resources import default_resources

    res = default_resources()
    from marsad.extract.events.context import EventContext
    from marsad.extract.events.roles import actor, roles
    from marsad.lab.corpus.corpus import expanded
    from marsad.lab.train_events import pipeline_pairs

    model = learned.load()
    gold = {r["id"]: r for r in expanded(split, shared)[0]}
    out = {k: {"source": Counter(), "target": Counter()} for k in ("learned", "rules")}
    for r, a in pipeline_pairs(split, shared):
        g = gold[r["id"]]
        pdoc = {"entities": [{"surface": m.text, "canonical": m.canonical or m.text} for m in a.mentions]}
        ref = lambda names, canon: S.refers(names, canon, g, pdoc)  # noqa: E731
        ctx = EventContext(a, None, 0.2, res.kb, res.lexicon)
        hits = learned.lexicon_hits(ctx)
        for e in r["events"]:
            t = learned.as_trigger(learned.Span(e["type"], *e["trigger"], 1.0), hits, model.modes, model.cameos)
            s = ctx.sentence_of(t.start)
            ev = code_learned(ctx, model, t, s, 1.0, None)
            ls, lt = (list(ev.source), list(ev.target)) if ev else ([], [])
            lo, hi = clause(ctx, s, t)
            try:
                src, tgt, inh, spk = roles(ctx, t, s, lo, hi, None)
                rs = [spk[0]] if spk else (list(inh.source) if inh else [actor(ctx, m)[0] for m in src])
                rt = [actor(ctx, m)[0] for m in tgt]
            except Exception:
                rs, rt = [], []
            for k, (ps, pt) in (("learned", (ls, lt)), ("rules", (rs, rt))):
                out[k]["source"][role_class(ps, pt, e["source"], e["target"], ref)] += 1
                out[k]["target"][role_class(pt, ps, e["target"], e["source"], ref)] += 1
    return {k: {r: dict(c) for r, c in v.items()} for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pred")
    ap.add_argument("--split", default="dev", choices=["train", "dev"])  # test: only scored, never analysed
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--oracle", action="store_true", help="roles alone, given the gold triggers (runs the pipeline)")
    a = ap.parse_args()
    if a.oracle:
        print(json.dumps(oracle_roles(a.split, Path(a.shared)), indent=1))
        return
    r = report(Path(a.pred), a.split, Path(a.shared))
    if not a.markdown:
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return
    print("| type | gold | predicted | P | R | F1 |\n|---|---|---|---|---|---|")
    for t, v in r["types"].items():
        print(f"| {t} | {v['gold']} | {v['pred']} | {v['p']:.2f} | {v['r']:.2f} | {v['f1']:.2f} |")
    print("\n| role (matched events) | " + " | ".join(("ok", "missing", "swapped", "wrong actor", "spurious")) + " |")
    print("|---|---|---|---|---|---|")
    for k, v in r["roles"].items():
        print(
            f"| {k} | "
            + " | ".join(str(v.get(c, 0)) for c in ("ok", "missing", "swapped", "wrong actor", "spurious"))
            + " |"
        )


if __name__ == "__main__":
    main()
