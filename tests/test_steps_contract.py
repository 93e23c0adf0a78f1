"""The step contract: every step names fields of Article in ``requires`` and ``assigns``, changes
only what it assigns, reads (beyond what cleaning gives) only what it requires; a chain whose
requirement no earlier step assigns is reported; the per-step counters of a run, merged from its
workers, are saved in ``runs.step_stats`` and shown by ``marsad stats``."""

import dataclasses
import json
from datetime import date

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.errors import ConfigError
from marsad.model import Article
from marsad.pipeline import (
    BASE_FIELDS,
    Pipeline,
    analyze_steps,
    available_steps,
    build_pipeline,
    make_steps,
    merge_stats,
)
from marsad.run import RunOptions, run
from marsad.store.access import reading
from marsad.store.read import step_stats

FIELDS = {f.name for f in dataclasses.fields(Article)}

# articles written for these tests: a meeting, a quote with an act in it, an attribution to an
# agency, dates, a strike and a denial
STORIES = [
    (
        "لافروف يلتقي المعلم في موسكو",
        "التقى وزير الخارجية الروسي سيرغي لافروف نظيره السوري وليد المعلم في موسكو يوم الاثنين الماضي.\n"
        "وقال لافروف إن «روسيا ستواصل دعم الحكومة السورية في مكافحة الإرهاب» مؤكداً ضرورة الحل السياسي.\n"
        "وبحسب ما نقلته وكالة رويترز، فإن الجانبين بحثا ملف إدلب.",
    ),
    (
        "غارات على ريف إدلب",
        "شنت طائرات حربية غارات على ريف إدلب الجنوبي يوم الخميس 12 نيسان 2018، وفق المرصد السوري لحقوق الإنسان.\n"
        "ونفت وزارة الخارجية التركية ما تردد عن اتفاق جديد بشأن منبج، وقالت إن «أنقرة لن تقبل بأي وجود مسلح على حدودها».\n"
        "وتظاهر مئات الأشخاص في عمان احتجاجاً على رفع الأسعار.",
    ),
    (
        "المبعوث الأممي في دمشق",
        "وصل المبعوث الأممي إلى سوريا ستيفان دي ميستورا إلى دمشق أمس في زيارة تستغرق يومين.\n"
        "وقال دي ميستورا للصحفيين إن المحادثات مع الحكومة كانت بناءة، داعياً إلى وقف إطلاق النار في الغوطة الشرقية.\n"
        "وأعلن الجيش الأردني إغلاق معبر نصيب الحدودي حتى إشعار آخر.",
    ),
]


def _articles():
    out = []
    for i, (head, body) in enumerate(STORIES):
        out.append(
            Article(
                id=f"t{i}",
                text=head + "\n" + body,
                headline=head,
                body_start=len(head) + 1,
                published=date(2018, 4, 14),
                outlet="وكالة الاختبار",
            )
        )
    return out


def test_every_step_names_fields_of_article():
    for step in make_steps(available_steps()):
        assert step.requires, step.name
        assert step.assigns, step.name
        assert set(step.requires) <= FIELDS, (step.name, set(step.requires) - FIELDS)
        assert set(step.assigns) <= FIELDS, (step.name, set(step.assigns) - FIELDS)
        assert not set(step.assigns) & BASE_FIELDS, step.name  # cleaning's fields are never rewritten
    assert BASE_FIELDS <= FIELDS


@pytest.fixture(scope="module")
def before_each_step():
    """For each step of the full pipeline: the articles as the steps before it leave them."""
    pipe = build_pipeline()
    arts = _articles()
    out = []
    for s in pipe.steps:
        out.append((s, arts))
        arts = [s(a) for a in arts]
    return out


def test_each_step_changes_only_what_it_assigns(before_each_step):
    changed = {}
    for step, arts in before_each_step:
        for a in arts:
            b = step(a)
            for f in FIELDS - set(step.assigns):
                assert getattr(b, f) == getattr(a, f), f"step {step.name} changed {f}, which it does not assign"
            changed[step.name] = changed.get(step.name, 0) + sum(getattr(b, f) != getattr(a, f) for f in step.assigns)
    # the articles exercise every step (else the check above would hold vacuously)
    assert all(changed.values()), changed


def test_each_step_reads_only_what_it_requires(before_each_step):
    """A step given only cleaning's fields and what it requires (every other layer emptied) gives
    what it gives on the full article."""
    for step, arts in before_each_step:
        keep = BASE_FIELDS | set(step.requires)
        for a in arts:
            bare = dataclasses.replace(a, **{f: () for f in FIELDS - keep if isinstance(getattr(a, f), tuple)})
            full, alone = step(a), step(bare)
            for f in step.assigns:
                assert getattr(alone, f) == getattr(full, f), (
                    f"step {step.name} reads more than it requires: its {f} differ without the other layers"
                )


def test_a_requirement_missing_before_a_step_is_reported():
    chain = make_steps(["segment", "events"])
    rows = analyze_steps(chain)
    assert rows[0]["missing"] == []
    assert set(rows[1]["missing"]) == {"mentions", "times", "quotes"}
    with pytest.raises(ConfigError, match="events"):
        Pipeline(chain)
    assert all(r["missing"] == [] and r["unknown"] == [] for r in analyze_steps(build_pipeline().steps))

    r = CliRunner().invoke(main, ["steps", "--steps", "segment,events", "--json"])
    assert r.exit_code == 0, r.output
    table = json.loads(r.output)
    assert [s["name"] for s in table["steps"]] == ["segment", "events"]
    assert any("'events' requires 'times'" in p for p in table["problems"])
    r = CliRunner().invoke(main, ["steps", "--json"])
    full = json.loads(r.output)
    assert full["problems"] == []
    assert [s["name"] for s in full["steps"]] == build_pipeline().names()
    assert any(s["batch"] for s in full["steps"]) == any(hasattr(s, "batch") for s in build_pipeline().steps)


def test_a_step_naming_no_field_of_article_is_refused():
    @dataclasses.dataclass
    class Odd:
        name: str = "odd"
        requires: tuple = ("text",)
        assigns: tuple = ("colour",)

        def __call__(self, a):
            return a

    assert analyze_steps([Odd()])[0]["unknown"] == ["colour"]
    with pytest.raises(ConfigError, match="colour"):
        Pipeline([Odd()])


def test_merge_stats_adds_counters():
    into = {}
    merge_stats(into, {"ner": {"articles": 2, "items": 5, "seconds": 0.5, "failures": 0}})
    merge_stats(into, {"ner": {"articles": 3, "items": 1, "seconds": 0.25, "failures": 1}})
    assert into == {"ner": {"articles": 5, "items": 6, "seconds": 0.75, "failures": 1}}


def _corpus(path, n):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            head, body = STORIES[i % len(STORIES)]
            f.write(
                json.dumps(
                    {
                        "id": f"s{i:03d}",
                        "title": f"{head} {i}",
                        "text": body + f"\nرقم الخبر {i}.",
                        "published": "2018-04-14",
                        "outlet": "وكالة الاختبار",
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        f.write("{not json\n")
    return path


def _saved(db):
    with reading(str(db)) as con:
        return step_stats(con)


def _counts(stats):
    return {k: (v["articles"], v["items"], v["failures"]) for k, v in stats.items()}


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_step_stats_are_merged_from_workers_and_saved(tmp_path, engine):
    if engine == "dask":
        pytest.importorskip("dask.distributed")
    src = _corpus(tmp_path / "c.jsonl", 20)
    one = run([str(src)], RunOptions(db=str(tmp_path / "one.duckdb"), workers=1))
    two = run([str(src)], RunOptions(db=str(tmp_path / "two.duckdb"), workers=2, engine=engine, shard_size=6))
    assert one.stored == two.stored == 20 and one.rejected == two.rejected == 1
    names = build_pipeline().names()
    for res, db in ((one, tmp_path / "one.duckdb"), (two, tmp_path / "two.duckdb")):
        saved = _saved(db)
        assert list(saved) == names
        assert saved == json.loads(json.dumps(res.step_stats))
        # every article passed every step once (the warm-up article of the workers is not counted)
        assert all(v["articles"] == 20 for v in saved.values()), saved
        assert saved["ner"]["items"] > 0 and saved["events"]["items"] > 0
        # items are what a step adds: linking quotes to events or resolving mentions adds none
        assert saved["quote_events"]["items"] == 0
        with reading(str(db)) as con:
            assert saved["events"]["items"] == con.execute("SELECT count(*) FROM events").fetchone()[0]
            assert saved["quotes"]["items"] == con.execute("SELECT count(*) FROM quotes").fetchone()[0]
    # what the 2 workers counted, merged, is what one process counts
    assert _counts(_saved(tmp_path / "two.duckdb")) == _counts(_saved(tmp_path / "one.duckdb"))

    r = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "two.duckdb")])
    assert r.exit_code == 0, r.output
    assert "items added" in r.output and "quote_events" in r.output
    js = json.loads(CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "two.duckdb"), "--json"]).output)
    assert _counts(js["step_stats"]) == _counts(_saved(tmp_path / "one.duckdb"))


def test_no_import_cycle_in_pipeline_and_run():
    """Within marsad.pipeline and marsad.run no module imports (at any depth, lazily or not) one
    that imports it back: the engines share their base and never import each other."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "marsad"
    graph = {}
    for pkg in ("pipeline", "run"):
        for path in (root / pkg).glob("*.py"):
            if path.stem == "__init__":  # a package's __init__ only re-exports its modules
                continue
            mod = f"marsad.{pkg}.{path.stem}"
            deps = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level:
                    base = mod.split(".")[: len(mod.split(".")) - node.level]
                    target = ".".join(base + ([node.module] if node.module else []))
                    deps.add(target)
                    deps.update(f"{target}.{a.name}" for a in node.names)
            graph[mod] = deps
    graph = {m: {d for d in ds if d in graph and d != m} for m, ds in graph.items()}

    def reach(m, seen):
        for d in graph[m]:
            if d not in seen:
                seen.add(d)
                reach(d, seen)
        return seen

    cycles = [m for m in graph if m in reach(m, set())]
    assert not cycles, {m: graph[m] for m in cycles}
    assert "marsad.run.local" not in reach("marsad.run.dask", set())
    assert "marsad.run.dask" not in reach("marsad.run.local", set())


def test_steps_shows_the_readings_a_run_would_use(monkeypatch):
    """`marsad steps --profile P --events E` says which NER profile and event reading a run with
    the same options would use (the options set the environment worker processes inherit)."""
    monkeypatch.setenv("MARSAD_NER_PROFILE", "fast")
    monkeypatch.setenv("MARSAD_EVENTS", "rules")
    r = CliRunner().invoke(main, ["steps", "--steps", "segment", "--json"])
    assert json.loads(r.output)["readings"] == {"ner_profile": "fast", "events": "rules"}
    r = CliRunner().invoke(main, ["steps", "--steps", "segment", "--events", "learned", "--json"])
    assert json.loads(r.output)["readings"] == {"ner_profile": "fast", "events": "learned"}
    r = CliRunner().invoke(main, ["steps", "--steps", "segment", "--profile", "accurate"])
    assert r.exit_code == 0, r.output
    assert "NER profile: accurate" in r.output and "events: learned" in r.output
    r = CliRunner().invoke(main, ["steps", "--profile", "precise"])
    assert r.exit_code != 0 and "precise" in r.output
