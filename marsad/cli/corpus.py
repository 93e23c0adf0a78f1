"""``marsad corpus ...`` (the annotated corpus of data/corpus) and ``marsad eval corpus``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from . import options
from .output import col, console, echo_json, output_rows, print_scores

SHARED_OPT = options.shared


@click.group("corpus")
def corpus_group():
    """The annotated corpus (data/corpus): train, dev, test and double-annotated splits."""


@corpus_group.command("materialize")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="folder to write")
@click.option(
    "--split",
    "splits",
    multiple=True,
    type=click.Choice(["train", "dev", "test", "double"]),
    help="splits to write (default train, dev, test)",
)
@SHARED_OPT
def materialize_cmd(out, splits, shared):
    """Write OUT/<split>/articles/<id>.txt and OUT/<split>/gold.jsonl (what score.py and check_gold.py read)."""
    from ..evaluate import find_shared
    from ..lab.corpus import corpus

    done = corpus.materialize(Path(out), find_shared(shared), splits or corpus.SPLITS)
    for name, d in done.items():
        console.print(f"{name}: {d['n']} articles -> {d['gold']}")


@corpus_group.command("stats")
@click.option("--json", "as_json", is_flag=True)
def stats_cmd(as_json):
    """Articles, entities, quotes, events, times and attributions per split; entity and event types."""
    from ..lab.corpus import corpus

    s = corpus.stats()
    if as_json:
        echo_json(s, indent=2)
        return
    cols = ("articles", "entities", "entity_mentions", "quotes", "events", "times", "attributions")
    output_rows(
        [{"split": name, **c} for name, c in s.items()],
        "table",
        [col("split", arabic=False)] + [col(c, arabic=False, justify="right") for c in cols],
        title="marsad corpus (data/corpus)",
    )
    for name, c in s.items():
        console.print(f"{name} events: " + ", ".join(f"{k} {v}" for k, v in c["event_types"].items()))


@corpus_group.command("check")
@SHARED_OPT
def check_cmd(shared):
    """Validate the corpus files: offsets give their surfaces, the gold schema holds (check_gold.py),
    no reserved id, no article or near-duplicate group in two splits."""
    from ..evaluate import find_shared
    from ..lab.corpus import corpus

    problems = corpus.check(find_shared(shared))
    for p in problems:
        console.print(f"[red]problem[/red] {p}")
    if problems:
        sys.exit(1)
    console.print("corpus OK")


@corpus_group.command("agreement")
@SHARED_OPT
@click.option(
    "--set",
    "which",
    type=click.Choice(["test", "train"]),
    default="test",
    show_default=True,
    help="test: the test batches annotated twice (before adjudication); train: the train batches annotated twice",
)
@click.option("--json", "as_json", is_flag=True)
def agreement_cmd(shared, which, as_json):
    """Agreement of the two independent annotations of the doubly annotated articles (score.py F1)."""
    from ..evaluate import find_shared
    from ..lab.corpus import corpus

    s = corpus.agreement(find_shared(shared), Path(tempfile.mkdtemp(prefix="marsad-agree-")), which=which)
    console.print(f"{s['_articles']} articles annotated twice")
    print_scores(s, as_json)


@corpus_group.command("assemble")
@click.option("--work", default="data/corpus/work", show_default=True, type=click.Path(file_okay=False))
@SHARED_OPT
def assemble_cmd(work, shared):
    """Build the split files from the annotators' work folder (adjudicated versions win)."""
    from ..evaluate import find_shared
    from ..lab.corpus import corpus

    rep = corpus.assemble(Path(work), find_shared(shared))
    console.print(", ".join(f"{k} {v}" for k, v in rep["counts"].items()))
    for rid, why in rep["left_out"]:
        console.print(f"[yellow]left out[/yellow] {rid}: {'; '.join(why)}")


@click.command("corpus")
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "train"]),
    default="dev",
    show_default=True,
    help="test is only scored once a layer's work is finished",
)
@SHARED_OPT
@click.option("--json", "as_json", is_flag=True)
@click.option("--workdir", default=None, help="keep the store and predictions here")
@options.events
def eval_corpus_cmd(split, shared, as_json, workdir):
    """Score every layer on a split of the annotated corpus with ../shared/gold/score.py."""
    from ..evaluate import eval_corpus

    s = eval_corpus(split, shared, workdir)
    print_scores(s, as_json)


COMMANDS = [corpus_group]
EVAL_COMMANDS = [eval_corpus_cmd]
