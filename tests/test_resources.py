"""The run's Resources: one object owns the KB, the tagger, the event lexicon and the GSR detector;
a shipped part that does not load raises a ModelError saying how to fix it; running without it is
an explicit choice (allow_missing / --degrade), logged and recorded."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from marsad.errors import ModelError
from marsad.extract import kb as kbmod
from marsad.extract.actors import EmptyKB
from marsad.extract.events import gsr
from marsad.extract.kb import KB, KnowledgeBase, memos_of
from marsad.extract.ner import model as ner_model
from marsad.model import Article
from marsad.pipeline import build_pipeline
from marsad.resources import DEFAULT, Resources, default_resources
from test_actors import FakeKB, make_kb

TEXT = "عنوان\nقال وزير الخارجية الروسي سيرغي لافروف في موسكو إن روسيا مستعدة للحوار."


def article() -> Article:
    return Article(id="t", text=TEXT, headline="عنوان", body_start=6)


# --- the KnowledgeBase protocol -----------------------------------------------------------------------


def test_the_kbs_conform_to_the_protocol():
    for kb in (default_resources().kb, EmptyKB(), make_kb()):
        assert isinstance(kb, KnowledgeBase), type(kb)
    assert isinstance(default_resources().kb, KB) and isinstance(make_kb(), FakeKB)


def test_something_else_is_no_kb():
    class NoNames:
        by_id: dict = {}

        def lookup(self, surface):
            return []

    assert not isinstance(NoNames(), KnowledgeBase)
    assert not isinstance({}, KnowledgeBase)


def test_memos_live_on_their_kb():
    a, b = make_kb(), make_kb()
    assert memos_of(a) is memos_of(a) and memos_of(a) is not memos_of(b)
    assert memos_of(None) is not memos_of(None)  # nothing to keep them on: fresh ones


# --- given parts, the default, the pipeline -------------------------------------------------------------


def test_given_parts_are_used_as_they_are():
    kb = make_kb()
    res = Resources(kb=kb, tagger=None, detector=None)
    assert res.kb is kb and res.tagger is None and res.detector is None and res.missing == {}
    pipe = build_pipeline(["segment", "ner", "actors"], res)
    a = pipe(article())
    assert {m.actor_id for m in a.mentions} >= {"per:lavrov", "gpe:moscow", "gpe:russia"}
    ner = pipe.steps[1]
    assert ner.kb is kb and ner.tagger is None


def test_parts_load_once():
    res = Resources()
    assert res.kb is res.kb and res.lexicon is res.lexicon and res.detector.lexicon is res.lexicon
    assert res.gazetteer is res.gazetteer and res.media is res.media


def test_the_default_is_one_object_and_can_be_swapped():
    mine = Resources(kb=make_kb(), tagger=None)
    old = DEFAULT.use(mine)
    try:
        assert default_resources() is mine
        assert build_pipeline(["segment", "ner"]).steps[1].kb is mine.kb
    finally:
        DEFAULT.use(old)
    assert default_resources() is not mine


def test_steps_get_their_parts_from_the_pipelines_resources():
    kb = make_kb()
    res = Resources(kb=kb, tagger=None, detector=None)
    steps = {s.name: s for s in build_pipeline(None, res).steps}
    assert steps["actors"].kb is kb and steps["events"].kb is kb and steps["events"].detector is None
    assert steps["events"].lexicon is res.lexicon


# --- a broken shipped model: ModelError, or an explicit degrade ------------------------------------------


@pytest.fixture
def broken_kb(monkeypatch, tmp_path):
    d = tmp_path / "kb"
    shutil.copytree(kbmod.KB_DIR, d)
    (d / "actors.tsv").write_text("id\tkind\nper:x\n", encoding="utf-8")  # wrong header
    monkeypatch.setattr(kbmod, "KB_DIR", d)
    return d


@pytest.fixture
def missing_kb(monkeypatch, tmp_path):
    monkeypatch.setattr(kbmod, "KB_DIR", tmp_path / "nowhere")


@pytest.fixture
def broken_ner(monkeypatch, tmp_path):
    d = tmp_path / "ner"
    d.mkdir()
    for f in ner_model.default_model_dir().iterdir():
        if f.is_file():
            (d / f.name).symlink_to(f)
    (d / "tagger_body.onnx").unlink()
    (d / "tagger_body.onnx").write_bytes(b"not an onnx graph")
    monkeypatch.setattr(ner_model, "default_model_dir", lambda: d)
    monkeypatch.delenv("MARSAD_NER_PROFILE", raising=False)
    return d


@pytest.fixture
def broken_gsr(monkeypatch, tmp_path):
    p = tmp_path / "gsr_weights.json"
    p.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(gsr, "WEIGHTS", p)
    return p


@pytest.mark.parametrize(
    "fixture,part,words",
    [
        ("broken_kb", "kb", "actor KB"),
        ("missing_kb", "kb", "actor KB"),
        ("broken_ner", "tagger", "NER model"),
        ("broken_gsr", "detector", "GSR detector"),
    ],
)
def test_a_broken_shipped_part_raises_a_model_error(request, fixture, part, words):
    request.getfixturevalue(fixture)
    with pytest.raises(ModelError) as e:
        getattr(Resources(), part)
    msg = str(e.value)
    assert words in msg and "--degrade" in msg and ("git checkout" in msg or "marsad train" in msg), msg
    with pytest.raises(ModelError):
        Resources.load()


def test_missing_gsr_weights_raise_too(monkeypatch, tmp_path):
    monkeypatch.setattr(gsr, "WEIGHTS", tmp_path / "none.json")
    with pytest.raises(ModelError, match="no GSR detector weights"):
        Resources().detector


def test_degrading_is_explicit_logged_and_recorded(broken_kb, broken_ner, caplog):
    with caplog.at_level(logging.WARNING, logger="marsad.resources"):
        res = Resources.load(allow_missing=True)
    assert isinstance(res.kb, EmptyKB) and res.tagger is None and res.detector is not None
    assert set(res.missing) == {"kb", "tagger"} and "actor KB" in res.missing["kb"]
    assert sum("degraded on request" in r.getMessage() for r in caplog.records) == 2
    a = build_pipeline(None, res)(article())  # runs: no KB actors, no tagger
    assert a.sentences and all(not m.actor_id or m.actor_id.startswith("x:") for m in a.mentions)


def test_run_degrade_records_what_is_missing(broken_ner, tmp_path, monkeypatch):
    from marsad import resources
    from marsad.run import RunOptions, run
    from marsad.store.db import connect

    monkeypatch.setattr(resources, "DEFAULT", resources.DefaultResources())  # not loaded yet
    src = tmp_path / "a.txt"
    src.write_text(TEXT, encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    with pytest.raises(Exception, match="NER model"):  # the preflight stops a run that did not ask
        run([str(src)], RunOptions(db=db, workers=1))
    res = run([str(src)], RunOptions(db=str(tmp_path / "d.duckdb"), workers=1, degrade=True))
    assert res.stored == 1
    con = connect(str(tmp_path / "d.duckdb"), read_only=True)
    try:
        args = json.loads(con.execute("SELECT args FROM runs").fetchone()[0])
    finally:
        con.close()
    assert set(args["degraded"]) == {"tagger"} and "NER model" in args["degraded"]["tagger"]
    assert args["readings"] == {"ner_profile": "fast", "events": "rules"}  # what read the articles


def test_doctor_names_a_broken_model(broken_gsr, monkeypatch):
    from marsad import preflight
    from marsad import resources

    monkeypatch.setattr(resources, "DEFAULT", resources.DefaultResources())  # a fresh default
    found = preflight.problems()
    assert len(found) == 1 and "GSR detector" in found[0]


def test_resources_are_no_module_state():
    # two Resources never share a part they loaded themselves
    a, b = Resources(), Resources()
    assert a.kb is not b.kb and memos_of(a.kb) is not memos_of(b.kb)
    assert Path(kbmod.KB_DIR).is_dir()


def test_every_shipped_model_file_is_at_most_25_mb():
    """The house rule for files kept in the project (25 MB, counted in millions of bytes)."""
    root = Path(__file__).resolve().parents[1] / "marsad" / "resources"
    big = [
        (str(p.relative_to(root)), p.stat().st_size)
        for p in root.rglob("*")
        if p.is_file() and p.stat().st_size > 25 * 10**6
    ]
    assert not big, big
