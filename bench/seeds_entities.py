"""Entities and actor clusters on the five seed articles, scored with ../shared/gold/score.py.

    python bench/seeds_entities.py [--shared DIR] [--ner-model DIR | --no-ner] [--clean]
                                   [--kb-kinds GPE,LOC] [--errors] [--json]

Runs segment → ner → actors on each seed (text = the raw file; body = after the first line), writes
the gold-schema records (marsad.store.exports.gold_record) and prints the scorer's ``entities``,
``entities_untyped`` and ``clusters`` figures plus the throughput of the three steps.  The seeds
are a development set: the rules are general, nothing here is tuned to one article.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.model import Article  # noqa: E402
from marsad.store.exports import gold_record  # noqa: E402


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("gold_score", shared / "gold" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def seed_articles(shared: Path, gold: list[dict], clean: bool = False) -> list[Article]:
    """The seeds as articles: the raw file text (default), or — with ``clean`` — the text the
    ingest step stores (chrome lines removed), as ``marsad run`` would see it.  The gold's
    publication date is the article date (titles resolve against it)."""
    out = []
    for g in gold:
        text = (shared / "seeds" / g["file"]).read_text(encoding="utf-8")
        pub = date.fromisoformat(g["published"]) if g.get("published") else None
        if clean:
            from marsad.ingest.clean import clean_document
            from marsad.ingest.records import RawDoc

            c = clean_document(RawDoc(id=g["id"], source=g["file"], text=text))
            out.append(Article(id=g["id"], text=c.text, body_start=c.body_start, published=pub, headline=c.headline))
            continue
        first = text.split("\n", 1)[0]
        out.append(
            Article(id=g["id"], text=text, body_start=min(len(first) + 1, len(text)), published=pub, headline=first)
        )
    return out


class KindFilteredKB:
    """The KB with only some kinds of actors (an ablation: how much do the tagger and the rules
    find without the KB's people or organizations?).  Nationalities are kept."""

    def __init__(self, kb, kinds: set[str]):
        self.kb, self.kinds = kb, kinds
        self.by_id = {k: a for k, a in kb.by_id.items() if a.kind in kinds}

    def lookup(self, surface):
        return [a for a in self.kb.lookup(surface) if a.kind in self.kinds]

    def nationality(self, surface):
        return self.kb.nationality(surface)

    def holders(self, role, country, on):
        return [a for a in self.kb.holders(role, country, on) if a.kind in self.kinds]

    def names(self):
        return ((f, i, k) for f, i, k in self.kb.names() if k in self.kinds)


def build(ner_model: str | None, no_ner: bool, kb_kinds: str | None = None):
    from marsad.pipeline import build_pipeline
    from marsad.resources import Resources, default_resources

    shipped = default_resources()
    kb = KindFilteredKB(shipped.kb, set(kb_kinds.split(","))) if kb_kinds else shipped.kb
    if no_ner:
        tagger = None
    elif ner_model:
        from marsad.extract.ner.model import NerTagger

        tagger = NerTagger.load(ner_model)
    else:
        tagger = shipped.tagger
    return build_pipeline(["segment", "ner", "actors"], Resources(kb=kb, tagger=tagger))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--ner-model", help="NER model directory (default: the shipped model)")
    ap.add_argument("--no-ner", action="store_true", help="gazetteer and nationality passes only")
    ap.add_argument("--errors", action="store_true", help="list false positives / negatives")
    ap.add_argument("--clean", action="store_true", help="remove web chrome first, as `marsad run` does")
    ap.add_argument("--kb-kinds", help="ablation: keep only these KB kinds, e.g. GPE,LOC")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=20, help="timing repetitions")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not (shared / "gold" / "seeds.jsonl").exists():
        sys.exit(f"no gold at {shared}/gold/seeds.jsonl: pass --shared")
    scorer = load_scorer(shared)
    gold = [json.loads(l) for l in open(shared / "gold" / "seeds.jsonl", encoding="utf-8") if l.strip()]
    arts = seed_articles(shared, gold, args.clean)
    pipe = build(args.ner_model, args.no_ner, args.kb_kinds)
    done = [pipe(a) for a in arts]  # warm-up: loads the KB, the gazetteer and the tagger
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for a in arts:
            pipe(a)
    secs = time.perf_counter() - t0
    for d in done:
        for m in d.mentions:
            assert d.text[m.start : m.end] == m.text, (d.id, m)
    preds = {d.id: gold_record(d) for d in done}
    res = scorer.score(gold, preds)
    out = {k: res[k] for k in ("entities", "entities_untyped", "clusters")}
    out["articles_per_second"] = round(args.repeat * len(arts) / secs, 1)
    out["steps"] = pipe.names()
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for k in ("entities", "entities_untyped", "clusters"):
            v = out[k]
            print(
                f"{k:17s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})"
            )
        print(f"throughput        {out['articles_per_second']} articles/s (segment+ner+actors, one core)")
    if args.errors:
        by_gold: dict[str, set] = {}
        for g in gold:
            p = preds[g["id"]]
            for gi, pi in scorer.greedy(
                g["entities"], p["entities"], lambda a, b: scorer.same_surface(a["surface"], b.get("surface", ""))
            ):
                by_gold.setdefault(g["entities"][gi]["canonical"], set()).add(p["entities"][pi]["canonical"])
        for canon, preds_c in sorted(by_gold.items()):
            if len(preds_c) > 1:
                print(f"  SPLIT {canon}: {sorted(map(str, preds_c))}")
        for g in gold:
            p = preds[g["id"]]
            ge, pe = g["entities"], p["entities"]
            pairs = scorer.greedy(
                ge,
                pe,
                lambda a, b: a["type"] == b.get("type") and scorer.same_surface(a["surface"], b.get("surface", "")),
            )
            gi = {x for x, _ in pairs}
            pi = {y for _, y in pairs}
            print(f"== {g['id']}")
            for k, e in enumerate(ge):
                if k not in gi:
                    print(f"  FN {e['type']:4s} {e['surface']}  ({e['canonical']})")
            for k, e in enumerate(pe):
                if k not in pi:
                    print(f"  FP {e['type']:4s} {e['surface']}  ({e['canonical']})")
            for x, y in pairs:
                print(
                    f"  ok {ge[x]['type']:4s} {ge[x]['surface']}  gold={ge[x]['canonical']}  pred={pe[y]['canonical']}"
                )


if __name__ == "__main__":
    main()
