"""``marsad steps``: the pipeline's steps, what each reads and writes (in the manner of spaCy's
``analyze_pipes``)."""

from __future__ import annotations

import click

from . import options
from .output import console, echo_json, err, output_rows, col


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--steps", default=None, help="comma-separated steps (default: the full pipeline)")
@options.events
@options.profile
def steps(as_json, steps):
    """The pipeline's steps in order: what each reads (requires) and writes (assigns), whether it
    runs on several articles at once (batch), and a warning for any requirement no earlier step
    assigns; then the readings a run would use (NER profile, events)."""
    from ..extract.ner.profiles import current_profile
    from ..pipeline import analyze_steps, build_pipeline, make_steps
    from ..resources import event_reading

    # a chain that is not a Pipeline: a broken one is shown, not refused (ConfigError for a name
    # that is no step)
    chain = make_steps(steps.split(",")) if steps else build_pipeline().steps
    rows = analyze_steps(chain)
    problems = [f"step {r['name']!r} requires {f!r}, which no earlier step assigns" for r in rows for f in r["missing"]]
    problems += [f"step {r['name']!r} names {f!r}, which is not a field of Article" for r in rows for f in r["unknown"]]
    readings = {"ner_profile": current_profile(), "events": event_reading()}
    if as_json:
        echo_json({"steps": rows, "problems": problems, "readings": readings}, indent=2)
        return
    table = [
        {
            "#": i,
            "step": r["name"],
            "requires": ", ".join(r["requires"]),
            "assigns": ", ".join(r["assigns"]),
            "batch": "yes" if r["batch"] else "",
        }
        for i, r in enumerate(rows)
    ]
    output_rows(
        table,
        "table",
        [col(c, arabic=False) for c in ("#", "step", "requires", "assigns", "batch")],
        title="pipeline steps",
    )
    for p in problems:
        err.print(f"[yellow]warning:[/yellow] {p}")
    if not problems:
        console.print("no problems: every requirement is assigned by an earlier step")
    console.print(
        f"NER profile: {readings['ner_profile']} (--profile fast|accurate)  "
        f"events: {readings['events']} (--events rules|learned)"
    )


COMMANDS = [steps]
