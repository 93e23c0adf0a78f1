from pathlib import Path

import pytest

from marsad.extract import gsr

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
    p.write_text("accept,event_type,id,label,reject,text,total\n"
                 "3,ASSAULT,1,yes,0,a,3\n0,ASSAULT,2,easy no,3,b,3\n1,ASSAULT,3,difficult no,2,c,3\n"
                 "1,ASSAULT,4,ambiguous,1,d,2\n", encoding="utf-8")
    assert gsr.read_gsr(p) == [("a", 1), ("b", 0), ("c", 0)]


def test_learning_separates_a_toy_task():
    rows = [(ASSAULT.replace("خمسة", str(i)), 1) for i in range(12)] + \
           [(NEITHER.replace("جديدة", f"رقم {i}"), 0) for i in range(24)]
    m = gsr.train(rows, epochs=150)
    assert m.score_features(gsr.features(ASSAULT)) > 0.5 > m.score_features(gsr.features(NEITHER))
    cv = gsr.cross_validate(rows, k=3, epochs=150)
    assert cv["f1"] >= 0.9 and cv["tp"] + cv["fn"] == 12


def test_shipped_detector_ranks_sentences():
    det = gsr.load_detector()
    if det is None:
        pytest.skip("no shipped weights (python bench/gsr.py --train)")
    assert set(det.models) == set(gsr.TYPES)
    for typ, pos in (("ASSAULT", ASSAULT), ("PROTEST", PROTEST)):
        s_pos, s_neg = det.score(pos, typ), det.score(NEITHER, typ)
        assert 0.0 <= s_neg < s_pos <= 1.0
        assert 0.0 < det.models[typ].threshold < 1.0


def test_cross_validated_detector_beats_the_lexicon(shared):
    for typ in gsr.TYPES:
        rows = gsr.gsr_rows(shared, typ)
        assert rows and all(l in (0, 1) for _, l in rows)
        cv = gsr.cross_validate(rows, k=5)
        assert cv["f1"] > gsr.lexicon_baseline(rows, typ)["f1"] + 0.15, (typ, cv)


def test_stem_bigrams_tell_who_acts():
    dispersal = gsr.features("وقامت الشرطة بتفريق المتظاهرين أمام البرلمان.")
    march = gsr.features("وتظاهر المتظاهرون أمام البرلمان.")
    b = f"B:{gsr.stem('تفريق')}_{gsr.stem('المتظاهرين')}"
    assert b in dispersal and b not in march
    assert f"B:^_{gsr.stem('وتظاهر')}" in march          # the sentence opens with the act
    assert any(k.startswith("B:") and k.endswith("_$") for k in march)


def test_shipped_weights_use_the_current_features():
    det = gsr.load_detector()
    if det is None:
        pytest.skip("no shipped weights (python bench/gsr.py --train)")
    for typ, m in det.models.items():
        assert any(k.startswith("B:") for k in m.weights), f"{typ}: weights predate the bigram features"
        assert any(k.startswith("T:") for k in m.weights)


def test_bench_reports_json(shared):
    import json
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "bench" / "gsr.py"), "--json", "--k", "3"],
                         capture_output=True, text=True, check=True, cwd=root).stdout
    r = json.loads(out)
    for typ in gsr.TYPES:
        cv = r[typ]["learned_cv3"]
        assert 0.0 <= cv["f1"] <= 1.0 and cv["tp"] + cv["fn"] == r[typ]["positives"]
        assert r[typ]["bar_f1"] in (0.75, 0.70)
