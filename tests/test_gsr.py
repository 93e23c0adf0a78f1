from pathlib import Path

import pytest

from helpers import ROOT, load_script
from marsad.extract.events import gsr
from marsad.lab import train_gsr

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

ASSAULT = "وقتل خمسة مدنيين أمس في غارة جوية استهدفت سوقاً شعبية في بلدة معرة النعمان."
PROTEST = "وتظاهر آلاف المواطنين أمس أمام مقر الحكومة في العاصمة مطالبين برحيل الوزير."
NEITHER = "وأعلنت الوزارة عن خطة جديدة لتطوير التعليم في المدارس الحكومية خلال العام المقبل."


def test_features_are_deterministic_and_use_the_lexicon():
    f = gsr.features(ASSAULT)
    assert f == gsr.features(ASSAULT)
    assert f["T:ASSAULT"] == 1.0 and "TIME" in f
    assert "T:ASSAULT" not in gsr.features(NEITHER)


def test_read_gsr_maps_labels(tmp_path):
    p = tmp_path / "x_gsr.csv"
    p.write_text(
        "accept,event_type,id,label,reject,text,total\n"
        "3,ASSAULT,1,yes,0,a,3\n0,ASSAULT,2,easy no,3,b,3\n1,ASSAULT,3,difficult no,2,c,3\n"
        "1,ASSAULT,4,ambiguous,1,d,2\n",
        encoding="utf-8",
    )
    assert train_gsr.read_gsr(p) == [("a", 1), ("b", 0), ("c", 0)]


def test_learning_separates_a_toy_task():
    rows = [(ASSAULT.replace("خمسة", str(i)), 1) for i in range(12)] + [
        (NEITHER.replace("جديدة", f"رقم {i}"), 0) for i in range(24)
    ]
    m = train_gsr.train(rows, epochs=150)
    assert m.score_features(gsr.features(ASSAULT)) > 0.5 > m.score_features(gsr.features(NEITHER))
    cv = train_gsr.cross_validate(rows, k=3, epochs=150)
    assert cv["f1"] >= 0.9 and cv["tp"] + cv["fn"] == 12


def test_shipped_detector_ranks_sentences():
    det = gsr.load_detector()
    if det is None:
        pytest.skip(f"no shipped weights ({gsr.REBUILD})")
    assert set(det.models) == set(gsr.TYPES)
    for typ, pos in (("ASSAULT", ASSAULT), ("PROTEST", PROTEST)):
        s_pos, s_neg = det.score(pos, typ), det.score(NEITHER, typ)
        assert 0.0 <= s_neg < s_pos <= 1.0
        assert 0.0 < det.models[typ].threshold < 1.0


def _toy_shared(root: Path) -> Path:
    """A shared folder with only what `marsad train gsr` reads: toy csvs of both types."""
    (root / "gold").mkdir(parents=True)
    (root / "gold" / "seeds.jsonl").write_text("", encoding="utf-8")
    d = root / "events" / "arabic_event_gsr"
    d.mkdir(parents=True)
    for typ, pos in (("ASSAULT", ASSAULT), ("PROTEST", PROTEST)):
        lines = ["accept,event_type,id,label,reject,text,total"]
        lines += [f"3,{typ},p{i},yes,0,{pos.replace('أمس', str(i))},3" for i in range(12)]
        lines += [f"0,{typ},n{i},easy no,3,{NEITHER.replace('جديدة', f'رقم {i}')},3" for i in range(24)]
        lines += [f"1,{typ},a0,ambiguous,1,{pos},2"]
        (d / f"{typ.lower()}_gsr.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_train_gsr_command_writes_weights_the_detector_loads(tmp_path):
    import hashlib
    import json
    from click.testing import CliRunner
    from marsad.cli import main

    shared = _toy_shared(tmp_path / "shared")
    out = tmp_path / "model"
    r = CliRunner().invoke(
        main, ["--bidi", "off", "train", "gsr", "--out", str(out), "--shared", str(shared), "--k", "3"]
    )
    assert r.exit_code == 0, r.output
    rep = json.loads(r.output)
    path = out / "gsr_weights.json"
    assert rep["weights"] == str(path) and rep["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert rep["cv3"]["ASSAULT"]["tp"] + rep["cv3"]["ASSAULT"]["fn"] == 12  # the ambiguous row left out
    det = gsr.load_detector(str(path))
    assert set(det.models) == set(gsr.TYPES)
    assert det.detect(ASSAULT, "ASSAULT") and not det.detect(NEITHER, "ASSAULT")
    assert det.detect(PROTEST, "PROTEST") and not det.detect(NEITHER, "PROTEST")


@pytest.mark.slow
def test_train_gsr_rebuilds_the_shipped_weights_and_beats_the_lexicon(shared, tmp_path):
    """The default recipe of `marsad train gsr` gives the shipped file byte for byte; its 5-fold
    figures (kept in the file) beat the trigger lexicon alone by a wide margin."""
    rep = train_gsr.build(shared, tmp_path)
    assert (tmp_path / "gsr_weights.json").read_bytes() == gsr.WEIGHTS.read_bytes()
    for typ in gsr.TYPES:
        rows = train_gsr.gsr_rows(shared, typ)
        assert rows and all(lab in (0, 1) for _, lab in rows)
        assert rep["cv5"][typ]["f1"] > train_gsr.lexicon_baseline(rows, typ)["f1"] + 0.15, (typ, rep["cv5"])


def test_stem_bigrams_tell_who_acts():
    dispersal = gsr.features("وقامت الشرطة بتفريق المتظاهرين أمام البرلمان.")
    march = gsr.features("وتظاهر المتظاهرون أمام البرلمان.")
    b = f"B:{gsr.stem('تفريق')}_{gsr.stem('المتظاهرين')}"
    assert b in dispersal and b not in march
    assert f"B:^_{gsr.stem('وتظاهر')}" in march  # the sentence opens with the act
    assert any(k.startswith("B:") and k.endswith("_$") for k in march)


def test_shipped_weights_use_the_current_features():
    det = gsr.load_detector()
    if det is None:
        pytest.skip(f"no shipped weights ({gsr.REBUILD})")
    for typ, m in det.models.items():
        assert any(k.startswith("B:") for k in m.weights), f"{typ}: weights predate the bigram features"
        assert any(k.startswith("T:") for k in m.weights)


@pytest.mark.slow
def test_bench_reports_json(shared):
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, str(root / "bench" / "gsr.py"), "--json", "--k", "3"],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    ).stdout
    r = json.loads(out)
    for typ in gsr.TYPES:
        cv = r[typ]["learned_cv3"]
        assert 0.0 <= cv["f1"] <= 1.0 and cv["tp"] + cv["fn"] == r[typ]["positives"]
        assert r[typ]["bar_f1"] in (0.75, 0.70)


def _bench_gsr():
    return load_script(Path(__file__).resolve().parents[1] / "bench" / "gsr.py", "bench_gsr")


def test_ceiling_measures_on_toy_votes():
    b = _bench_gsr()
    assert [b.gold_of(a, r) for a, r in ((3, 0), (2, 0), (2, 1), (0, 1), (0, 3), (1, 2), (4, 2))] == [
        "yes",
        "yes",
        "ambiguous",
        "ambiguous",
        "easy no",
        "difficult no",
        "difficult no",
    ]
    rows = [(3, 0, "yes"), (0, 3, "easy no"), (1, 2, "difficult no"), (2, 1, "ambiguous")]
    s = b._self_included(rows)  # tp 1, fp 1/3 -> P 0.75, R 1
    assert (s["rows"], s["p"], s["r"]) == (3, 0.75, 1.0)
    loo = b._leave_one_out(rows)
    # yes row: tp 1; easy no: tn 1; difficult no: fp 1/3 (the other 2/3 become ambiguous);
    # ambiguous row: its reject held out (1/3) leaves (2, 0) = yes -> fn 1/3
    assert loo["p"] == 0.75 and loo["r"] == 0.75 and loo["rows"] == round(1 + 1 + 1 / 3 + 1 / 3, 1)
    ag = b._agreement([(3, 0, "yes"), (0, 3, "easy no")])
    assert ag == {"pairwise_f1": 1.0, "krippendorff_alpha": 1.0}
    assert b._agreement(rows)["krippendorff_alpha"] < 1.0


def test_ceiling_on_the_gsr(shared):
    c = _bench_gsr().ceiling()
    a, p = c["ASSAULT"]["self_included"], c["PROTEST"]["self_included"]
    assert a["r"] == 1.0 and a["pos"] == 155 and 0.72 <= a["f1"] <= 0.73
    assert p["r"] == 1.0 and p["pos"] == 57 and 0.62 <= p["f1"] <= 0.63
    for typ in gsr.TYPES:
        assert c[typ]["leave_one_out"]["r"] < 1.0
        assert c[typ]["leave_one_out"]["f1"] <= c[typ]["self_included"]["f1"]


def test_crf_route_labels_tokens_from_verb_spans(tmp_path):
    pytest.importorskip("pycrfsuite")
    c = load_script(Path(__file__).resolve().parents[1] / "bench" / "gsr_crf.py", "bench_gsr_crf")
    text = "وقال إن «مسلحين قتلوا خمسة مدنيين في هجوم على السوق»."
    toks = [w for _, _, w in c.tokens(text)]
    assert toks[0] == "وقال" and "مسلحين" in toks and "السوق" in toks  # edge punctuation stripped
    lab = c.token_labels(text, "ASSAULT", 1, [["قتلوا"], ["في", "هجوم"], []], "drop")
    assert [w for w, l in zip(toks, lab) if l == "T"] == ["قتلوا", "هجوم"]  # 'في' is never a trigger
    assert set(c.token_labels(text, "ASSAULT", 0, [["قتلوا"]], "drop")) == {"O"}
    assert c.token_labels(text, "ASSAULT", 1, None, "drop") is None
    assert "T" in c.token_labels(text, "ASSAULT", 1, None, "lexicon")
    pos = [(ASSAULT.replace("خمسة", str(i)), 1) for i in range(8)]
    neg = [(NEITHER.replace("جديدة", f"رقم {i}"), 0) for i in range(8)]
    X = [c.token_features(t, "ASSAULT") for t, _ in pos + neg]
    Y = [c.token_labels(t, "ASSAULT", l, [["وقتل", "غارة"]], "drop") for t, l in pos + neg]
    path = str(tmp_path / "m.crfsuite")
    c.fit_crf(X, Y, path, c1=0.05, c2=0.05, iters=50)
    s = c.crf_scores(path, [c.token_features(ASSAULT, "ASSAULT"), c.token_features(NEITHER, "ASSAULT")])
    assert s[0] > 0.5 > s[1]


def test_pipeline_bench_reads_each_fold_with_a_detector_not_fitted_on_it(tmp_path, monkeypatch):
    from marsad.lab import train_gsr

    bench = load_script(ROOT / "bench" / "gsr_pipeline.py")
    shared = _toy_shared(tmp_path / "shared")
    rows = train_gsr.gsr_rows(shared, "ASSAULT")
    fitted, real = [], train_gsr.train

    def spy(rs, **kw):
        fitted.append({t for t, _ in rs})
        return real(rs, **kw)

    monkeypatch.setattr(train_gsr, "train", spy)
    seen = []
    for test, det in bench.fold_detectors(shared, "ASSAULT", rows, 3, 13, None):
        held = {rows[i][0] for i in test.tolist()}
        assert set(det.models) == {"ASSAULT", "PROTEST"}
        assert all(not (held & f) for f in fitted[-2:])  # neither type's model saw the fold
        assert fitted[-2] == {t for t, _ in rows} - held
        seen += test.tolist()
    assert sorted(seen) == list(range(len(rows)))
