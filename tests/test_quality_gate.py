"""The evaluation gate: the full pipeline on the seeds must stay at or above every floor the issues
set (marsad.evaluate.SEED_FLOORS).  A regression in any layer fails here."""

from marsad.evaluate import SEED_FLOORS, check_floors, eval_seeds


def test_seeds_meet_every_floor(shared, tmp_path):
    scores = eval_seeds(str(shared), str(tmp_path))
    assert scores["_run"]["stored"] == 5 and scores["_run"]["rejected"] == 0
    assert check_floors(scores, SEED_FLOORS) == []


def test_check_floors_reports_a_drop():
    scores = {"entities": {"f1": 0.5}, "structure": {"body_kept": 1.0}}
    bad = check_floors(scores, {"entities.f1": 0.85, "structure.body_kept": 0.98, "quotes.f1": 0.75})
    assert len(bad) == 2 and bad[0].startswith("entities.f1") and "quotes.f1" in bad[1]
