"""``marsad stories`` (the list), ``marsad story ID`` (one story: its articles and its events merged
across outlets), ``marsad eval stories`` and ``marsad train stories``.  Stories are built by
``marsad run`` as it stores articles (``marsad.stories``)."""

from __future__ import annotations

from pathlib import Path

import click

from . import options
from .display import shown
from .output import Column, col, console, echo_json, fmt_of, output_rows


@click.command("stories")
@options.db
@options.date_option("--since", "first day (YYYY-MM-DD)")
@options.date_option("--until", "last day (YYYY-MM-DD)")
@click.option("--outlet", default=None, help="only stories an outlet reported (part of its name)")
@click.option("--min-articles", default=1, show_default=True, help="only stories of at least this many articles")
@click.option("--limit", default=50, show_default=True)
@options.json_flag
@options.csv_flag
def stories(db, since, until, outlet, min_articles, limit, as_json, as_csv):
    """Stories (articles grouped by the happening they report), latest first."""
    from ..store.read.stories import list_stories

    with options.reading(db) as con:
        _, rows = list_stories(con, since, until, outlet, min_articles, limit)
    output_rows(
        rows,
        fmt_of(as_json, as_csv),
        [
            col("story", arabic=False),
            col("first", arabic=False),
            col("last", arabic=False),
            col("articles", "n", arabic=False, justify="right"),
            Column("outlets", lambda r: ", ".join(r["outlets"] or [])),
            col("title"),
        ],
    )


@click.command("story")
@click.argument("story_id")
@options.db
@options.json_flag
def story(story_id, db, as_json):
    """One story: its articles, the copies of them, and its events merged across articles."""
    from ..errors import InputError
    from ..names import kb_side
    from ..store.read.stories import get_story, story_of

    with options.reading(db) as con:
        s = get_story(con, story_id, kb_side)
        if s is None:  # an article id names its story too
            sid = story_of(con, story_id)
            s = get_story(con, sid, kb_side) if sid else None
    if s is None:
        raise InputError(f"no story {story_id!r} in {db}: `marsad stories` lists them")
    if as_json:
        echo_json(s, indent=2)
        return
    console.print(
        f"[bold]{shown(s['title'])}[/bold]\n{s['first']} – {s['last']} · {len(s['articles'])} article(s) · "
        + ", ".join(shown(o) for o in s["outlets"])
    )
    output_rows(
        s["articles"],
        "table",
        [
            col("published", "date", arabic=False),
            col("outlet"),
            col("id", "article", arabic=False),
            col("headline"),
            Column(
                "joined",
                lambda a: "copy of " + a["duplicate_of"] if a["duplicate_of"] else f"{a['score']:.2f}",
                arabic=False,
            ),
        ],
    )
    if s["events"]:
        output_rows(
            s["events"],
            "table",
            [
                col("type", arabic=False),
                Column("source", lambda o: ", ".join(o["source"])),
                Column("target", lambda o: ", ".join(o["target"])),
                col("articles", "articles", arabic=False),
                Column("evidence", lambda o: " | ".join(f"{r['outlet']}: {r['evidence']}" for r in o["reports"][:3])),
            ],
            title="events, one per occasion",
            show_lines=True,
        )
    if s["differs"]:
        from .outlets import print_differences

        print_differences(s["differs"])


@click.command("stories")
@options.shared
@click.option(
    "--gold",
    "gold",
    default="data/stories/gold-2018-04-01.jsonl",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False),
    help="a story gold file (../shared/stories/GUIDELINES.md)",
)
@click.option("--workdir", default=None, help="keep the store and the export here")
@options.json_flag
def eval_stories(shared, gold, workdir, as_json):
    """B-cubed of the stories marsad builds for a gold file's articles (all, and those whose story has several)."""
    from ..evaluate import find_shared
    from ..lab.stories.score import evaluate

    s = evaluate(Path(gold), find_shared(shared), Path(workdir) if workdir else None)
    if as_json:
        echo_json(s, indent=2)
        return
    console.print(f"{s['articles']} articles, {s['stories']} gold stories ({s['multi_stories']} of several)")
    for name, key in (("marsad", None), ("every article alone", "singletons_baseline")):
        part = s[key] if key else s
        for k in ("all", "multi"):
            v = part[k]
            console.print(f"{name:20s} {k:5s} B-cubed P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  (n {v['n']})")


@click.command("near-duplicates")
@options.shared
@options.json_flag
def eval_near_duplicates(shared, as_json):
    """Precision and recall of the near-duplicate finder on the annotated pairs
    (data/stories/near_duplicates.jsonl), weighted to the corpus's pairs (~2 min)."""
    from ..evaluate import find_shared
    from ..lab.stories.neardup import evaluate

    s = evaluate(find_shared(shared))
    if as_json:
        echo_json(s, indent=2)
        return
    nd, wi, ag = s["near_duplicates"], s["with_identical_texts"], s["agreement"]
    console.print(
        f"near-duplicates (pairs of Jaccard >= 0.2, identical texts apart): P {nd['p']:.3f}  R {nd['r']:.3f}  "
        f"F1 {nd['f1']:.3f}\nwith the {s['identical_pairs']} identical-text pairs: P {wi['p']:.3f}  R {wi['r']:.3f}\n"
        f"annotators: {ag['same_copy_or_not']}/{ag['pairs']} same copy-or-not (kappa {ag['kappa_copy']})"
    )
    output_rows(
        [{"band": b, **v} for b, v in s["bands"].items()],
        "table",
        [
            col("band", arabic=False),
            col("population", arabic=False),
            col("sample", arabic=False),
            col("copies", arabic=False),
            col("flagged", arabic=False),
            col("right", arabic=False),
        ],
    )


@click.command("stories")
@options.shared
@click.option("--out", default=None, help="the file to write (default: the shipped one)")
def train_stories(shared, out):
    """Count the word document frequencies stories are compared with (unlabeled ANT articles, less
    the reserved ids and the held-out story week)."""
    from ..evaluate import find_shared
    from ..lab.stories.train import train_docfreq
    from ..stories.docfreq import DEFAULT_PATH

    path = Path(out) if out else DEFAULT_PATH
    df = train_docfreq(find_shared(shared), path)
    console.print(f"{len(df.df)} words from {df.n} articles → {path}")


COMMANDS = [stories, story]
EVAL_COMMANDS = [eval_stories, eval_near_duplicates]
TRAIN_COMMANDS = [train_stories]
