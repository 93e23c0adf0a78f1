"""``marsad eval`` and ``marsad train`` command groups."""
from __future__ import annotations

import json
import sys

import click
from rich.console import Console

console = Console(highlight=False)


@click.group("eval")
def eval_group():
    """Measure marsad against gold data (figures go into docs/quality.md)."""


@eval_group.command("seeds")
@click.option("--shared", default=None, help="the shared data folder (default ../shared)")
@click.option("--json", "as_json", is_flag=True)
@click.option("--check", is_flag=True, help="exit 1 if a figure falls below its floor")
@click.option("--workdir", default=None, help="keep the store and predictions here")
def eval_seeds_cmd(shared, as_json, check, workdir):
    """Score the seeds with ../shared/gold/score.py (fed as JSONL with the gold dates)."""
    from .evaluate import SEED_FLOORS, check_floors, eval_seeds
    s = eval_seeds(shared, workdir)
    _print_scores(s, as_json)
    bad = check_floors(s, SEED_FLOORS)
    if bad:
        console.print("[red]below floor:[/red] " + "; ".join(bad))
        if check:
            sys.exit(1)


@eval_group.command("heldout")
@click.option("--shared", default=None, help="the shared data folder (for score.py; default ../shared)")
@click.option("--json", "as_json", is_flag=True)
@click.option("--workdir", default=None, help="keep the store and predictions here")
@click.option("--split", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True,
              help="dev: the half that may be studied for errors; test: the half that is only scored")
@click.option("--set", "which", type=click.Choice(["heldout", "heldout2"]), default="heldout", show_default=True,
              help="heldout: 10 articles (dev/test halves); heldout2: 9 articles, test only")
def eval_heldout_cmd(shared, as_json, workdir, split, which):
    """Score a blind held-out set of eval/ (written and annotated without seeing marsad)."""
    from .evaluate import eval_seeds
    if which == "heldout2" and split == "dev":
        raise click.BadParameter("heldout2 is a test set: it has no dev half", param_hint="--split")
    s = eval_seeds(shared, workdir, heldout=which, split=split)
    _print_scores(s, as_json)


def _print_scores(s: dict, as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps(s, ensure_ascii=False))
        return
    for k, v in s.items():
        if k.startswith("_"):
            continue
        if "f1" in v:
            console.print(f"{k:18s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")
        else:
            console.print(f"{k:18s} " + "  ".join(f"{kk} {vv}" for kk, vv in v.items()))


@eval_group.command("ner")
@click.option("--test", "test", required=True, type=click.Path(exists=True, dir_okay=False),
              help="a CoNLL file (token TAB/space label per line)")
@click.option("--model", default=None, help="a model folder (default: the shipped model)")
@click.option("--json", "as_json", is_flag=True)
def eval_ner_cmd(test, model, as_json):
    """Exact-span, exact-type micro and per-type P/R/F1 (conlleval semantics)."""
    from .extract.ner import NerTagger
    from .extract.ner.evaluate import evaluate_file
    tagger = NerTagger.load(model) if model else NerTagger.load()
    r = evaluate_file(test, tagger=tagger)
    if as_json:
        print(json.dumps(r, ensure_ascii=False))
        return
    m = r["micro"]
    console.print(f"micro  P {m['p']:.2f}  R {m['r']:.2f}  F1 {m['f1']:.2f}")
    for t, v in sorted(r["per_type"].items()):
        console.print(f"{t:6s} P {v['p']:.2f}  R {v['r']:.2f}  F1 {v['f1']:.2f}  ({v.get('support', '')})")


@click.group("train")
def train_group():
    """Rebuild marsad's trained models from data (needs the `train` extra: torch==2.13.0)."""


@train_group.command("ner")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="output model folder")
@click.option("--shared", default=None, help="the shared data folder (default ../shared)")
@click.option("--seed", default=13, show_default=True)
def train_ner_cmd(out, shared, seed):
    """Train the NER model from ANERcorp (+ unlabeled corpus features)."""
    from .evaluate import find_shared
    from .extract.ner.train import train_ner
    r = train_ner(out, data_dir=str(find_shared(shared)), seed=seed)
    console.print(json.dumps(r, ensure_ascii=False, default=str))
