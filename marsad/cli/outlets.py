"""``marsad outlet NAME`` (an outlet's framing profile against the corpus), ``marsad outlets``, the
differences table of ``marsad story`` and ``marsad eval labels`` (the label lexicon's precision on
its hand-checked sample)."""

from __future__ import annotations

from pathlib import Path

import click

from . import options
from .display import shown
from .output import Column, col, console, echo_json, output_rows


def print_differences(differs: list[dict]) -> None:
    """One row per fact and outlet: what it says, and where (article:start-end)."""
    rows = [
        {
            "kind": f["kind"],
            "what": f["label"],
            "outlet": o["outlet"],
            "says": " | ".join(dict.fromkeys(str(v.get("name") or v["text"]) for v in o["values"])) or "—",
            "where": " ".join(f"{v['article_id']}:{v['start']}-{v['end']}" for v in o["values"][:3]),
        }
        for f in differs
        for o in f["outlets"]
    ]
    output_rows(
        rows,
        "table",
        [col("kind", arabic=False), col("what"), col("outlet"), col("says"), col("where", arabic=False)],
        title="what the outlets report differently",
        show_lines=True,
    )


@click.command("outlets")
@options.db
@options.json_flag
def outlets(db, as_json):
    """The outlets of the store: articles, stories, quotes, articles citing an agency."""
    from ..store.read.outlet_profiles import list_outlets

    with options.reading(db) as con:
        rows = list_outlets(con)
    output_rows(
        rows,
        "json" if as_json else "table",
        [
            col("outlet"),
            col("articles", arabic=False, justify="right"),
            col("stories", arabic=False, justify="right"),
            col("quotes", arabic=False, justify="right"),
            col("citing", arabic=False, justify="right"),
        ],
    )


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


@click.command("outlet")
@click.argument("name")
@options.db
@click.option("--top", default=8, show_default=True, help="how many of its most named actors")
@options.json_flag
def outlet(name, db, top, as_json):
    """An outlet's framing profile: its wordings for the actors it names most, the labels and stances
    it gives each actor class, its hostile labels, whose statements it quotes, the agencies it relies
    on; each against the corpus as a whole (share there, log-odds against the other outlets)."""
    from ..errors import InputError
    from ..names import kb_side
    from ..store.read.outlet_profiles import outlet_profile

    with options.reading(db) as con:
        p = outlet_profile(con, name, kb_side, top)
    if p is None:
        raise InputError(f"no outlet {name!r} in {db}: `marsad outlets` lists them")
    if as_json:
        echo_json(p, indent=2)
        return
    share = [
        col("n", arabic=False, justify="right"),
        Column("share", lambda r: _pct(r["share"]), False),
        Column("all outlets", lambda r: _pct(r["corpus_share"]), False),
        col("log_odds", "log-odds", arabic=False),
    ]
    console.print(
        f"[bold]{shown(p['outlet'])}[/bold]: {p['articles']} article(s) of {p['corpus_articles']} "
        f"from {p['outlets']} outlet(s)"
    )
    rows = [{**f, "actor": a["name"], "key": f["key"]} for a in p["actor_labels"] for f in a["forms"]]
    output_rows(rows, "table", [col("actor"), col("key", "wording")] + share, title="wordings of its actors")
    rows = [{**t, "class": c["class"]} for c in p["labels"] for t in c["terms"] if t["n"] or t["corpus_share"] >= 0.1]
    output_rows(
        rows,
        "table",
        [col("class", arabic=False), col("key", "label"), col("stance", arabic=False)] + share,
        title="labels by actor class",
    )
    output_rows(
        [r for r in p["loaded"] if r["n"]],
        "table",
        [
            col("term"),
            col("class", arabic=False),
            col("per_100", "per 100 articles", arabic=False),
            col("others_per_100", "other outlets", arabic=False),
            col("ratio", arabic=False),
        ],
        title="hostile labels",
    )
    output_rows(
        p["quotes"]["sides"],
        "table",
        [col("key", "speaker's side", arabic=False)] + share,
        title=f"whose statements ({p['quotes']['quotes']} quotes)",
    )
    at = p["attribution"]
    console.print(
        f"citing an agency or outlet: {at['citing']} of {at['articles']} article(s) ({_pct(at['citing_share'])}"
        f"; all outlets {_pct(at['corpus_citing_share'])}); own reporting {_pct(at['own_share'])}"
    )
    output_rows(at["agencies"], "table", [col("key", "cited")] + share, title="agencies and outlets cited")


@click.command("labels")
@options.shared
@click.option("--check", "check", default=None, help="the judged sample (default data/framing/label_check.jsonl)")
@click.option(
    "--resample", default=None, help="draw the sample again (ids, offsets, term; no judgement) into this file"
)
@click.option("--n", default=120, show_default=True, help="sample size, with --resample")
@options.json_flag
def eval_labels(shared, check, resample, n, as_json):
    """Precision of the actor label lexicon on its hand-checked sample of ANT matches."""
    import json
    from ..evaluate import find_shared
    from ..lab.framing import CHECK, precision, read_check, sample

    root = find_shared(shared)
    if resample:
        items = sample(root, n)
        Path(resample).write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in items), encoding="utf-8")
        console.print(f"{len(items)} matches → {resample}")
        return
    s = precision(read_check(Path(check) if check else CHECK), root)
    if as_json:
        echo_json(s, indent=2)
        return
    console.print(f"{s['n']} judged matches ({s['stale']} no longer found)")
    for k, v in s.items():
        if isinstance(v, dict):
            console.print(f"{k:20s} precision {v['precision']:.3f}  ({v['ok']}/{v['n']})")


COMMANDS = [outlets, outlet]
EVAL_COMMANDS = [eval_labels]
