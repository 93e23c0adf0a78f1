"""Tests of the curated actor knowledge base (marsad/resources/kb) and its loader."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from helpers import load_script
from marsad.extract.kb import (
    AMBIGUOUS_NAMES,
    BLOC_IDS,
    KB_DIR,
    KBError,
    Role,
    load_kb,
    parse_partial_date,
    read_kb,
    surface_keys,
)
from marsad.extract.kb_check import validate
from marsad.text.normalize import norm_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "seeds.jsonl"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_kb_validates(kb):
    assert validate(kb) == []


def test_size_and_kinds(kb):
    assert len(kb) >= 400
    kinds = {a.kind for a in kb.by_id.values()}
    assert kinds == {"PER", "ORG", "GPE", "LOC"}
    assert sum(a.kind == "PER" for a in kb.by_id.values()) >= 100


def test_ids_unique_and_well_formed():
    lines = (KB_DIR / "actors.tsv").read_text(encoding="utf-8").splitlines()[1:]
    ids = [ln.split("\t")[0] for ln in lines]
    assert len(ids) == len(set(ids))
    for i in ids:
        assert re.fullmatch(r"(per|org|gpe|loc):[a-z0-9]+(-[a-z0-9]+)*", i), i


def test_qids_well_formed_when_present(kb):
    qids = [a.qid for a in kb.by_id.values() if a.qid]
    assert qids, "some entries carry a verified QID"
    for q in qids:
        assert re.fullmatch(r"Q[1-9]\d*", q), q
    assert len(qids) == len(set(qids)), "a QID is used by two entries"


def test_every_place_has_coordinates(kb):
    places = list(kb.places())
    assert len(places) >= 300
    for a in places:
        assert a.lat is not None and a.lon is not None, a.id
        assert -90 <= a.lat <= 90 and -180 <= a.lon <= 180, a.id


def test_known_coordinates(kb):
    # Damascus is about 33.5N 36.3E; Washington about 38.9N 77.0W
    d = kb.by_id["gpe:damascus"]
    assert abs(d.lat - 33.5) < 0.2 and abs(d.lon - 36.3) < 0.2
    w = kb.by_id["gpe:washington-dc"]
    assert abs(w.lat - 38.9) < 0.2 and abs(w.lon + 77.0) < 0.2


def test_roles_ordered_and_refer_to_people(kb):
    assert kb.roles
    for r in kb.roles:
        assert r.actor_id in kb.by_id
        assert kb.by_id[r.actor_id].kind == "PER"
        if r.start and r.end:
            assert parse_partial_date(r.start) <= parse_partial_date(r.end, last=True), r


def test_parents_exist(kb):
    for a in kb.by_id.values():
        if a.parent:
            assert a.parent in kb.by_id, (a.id, a.parent)


def test_no_unlisted_same_kind_name_clash(kb):
    seen: dict[tuple[str, str], list[str]] = {}
    for a in kb.by_id.values():
        seen.setdefault((a.kind, norm_key(a.name_ar)), []).append(a.id)
    for (kind, key), ids in seen.items():
        if len(ids) > 1:
            assert set(ids) <= AMBIGUOUS_NAMES.get(key, frozenset()), (kind, key, ids)


def test_nationalities_point_to_countries(kb):
    assert len(kb.nationality_forms) > 1000
    for form, cid in kb.nationality_forms.items():
        a = kb.by_id[cid]
        assert a.kind == "GPE" or cid in BLOC_IDS, (form, cid)


@pytest.mark.parametrize(
    "form,cid",
    [
        ("الروسي", "gpe:russia"),
        ("روس", "gpe:russia"),
        ("الروسيين", "gpe:russia"),
        ("روسيتين", "gpe:russia"),
        ("أمريكيين", "gpe:united-states"),
        ("الأميركية", "gpe:united-states"),
        ("الأمريكيون", "gpe:united-states"),
        ("الأمريكان", "gpe:united-states"),
        ("التركية", "gpe:turkey"),
        ("الأتراك", "gpe:turkey"),
        ("الكازاخية", "gpe:kazakhstan"),
        ("الفلسطيني", "gpe:palestine"),
        ("الكوري الجنوبي", "gpe:south-korea"),
        ("والإيرانية", "gpe:iran"),
        ("الأوروبي", "org:european-union"),
    ],
)
def test_nationality_forms(kb, form, cid):
    a = kb.nationality(form)
    assert a is not None and a.id == cid, form


def test_not_nationalities(kb):
    for s in ("الأممي", "الأممية", "دمشق", "وزير"):
        assert kb.nationality(s) is None, s


def test_lavrentiev_spellings_one_actor(kb):
    ids = {
        tuple(a.id for a in kb.lookup(s))
        for s in ("لافرنتيف", "لافرينتييف", "لافرنتييف", "ألكسندر لافرنتييف", "الكسندر لافرينتييف")
    }
    assert ids == {("per:alexander-lavrentiev",)}
    assert kb.by_id["per:alexander-lavrentiev"].name_en == "Alexander Lavrentiev"


def test_lookup_strips_one_proclitic_and_fused_article(kb):
    assert [a.id for a in kb.lookup("ولافروف")] == ["per:sergey-lavrov"]
    assert [a.id for a in kb.lookup("للأسد")] == ["per:bashar-al-assad"]
    assert [a.id for a in kb.lookup("للأمم المتحدة")] == ["org:united-nations"]
    assert [a.id for a in kb.lookup("وبدمشق")] == []  # only one proclitic is stripped
    assert kb.lookup("") == []


def test_lookup_normalizes_spelling(kb):
    # hamza, ta marbuta and diacritics are folded
    assert [a.id for a in kb.lookup("ادلب")] == ["gpe:idlib"]
    assert [a.id for a in kb.lookup("سوريه")] == ["gpe:syria"]
    assert [a.id for a in kb.lookup("القوات الجويّة والفضائية الروسية")] == ["org:russian-aerospace-forces"]


def test_renamed_groups_policy(kb):
    nusra = kb.lookup("جبهة فتح الشام")
    assert [a.id for a in nusra] == ["org:jabhat-al-nusra"]
    assert [a.id for a in kb.lookup("النصرة")] == ["org:jabhat-al-nusra"]
    hts = kb.lookup("هيئة تحرير الشام")
    assert [a.name_en for a in hts] == ["Hayat Tahrir al-Sham"]
    assert "org:jabhat-al-nusra" in hts[0].notes
    assert [a.name_en for a in kb.lookup("تنظيم الدولة")] == ["Islamic State (ISIS)"]


def test_ambiguous_names_return_every_reading(kb):
    assert {a.id for a in kb.lookup("طرابلس")} == {"gpe:tripoli", "gpe:tripoli-lebanon"}


def test_holders(kb):
    assert [a.name_en for a in kb.holders("foreign_minister", "RUS", date(2019, 9, 1))] == ["Sergey Lavrov"]
    assert [a.name_en for a in kb.holders("foreign_minister", "RUS", date(2016, 7, 27))] == ["Sergey Lavrov"]
    assert kb.holders("foreign_minister", "RUS", date(2003, 1, 1)) == []
    assert [a.id for a in kb.holders("foreign_minister", "SYR", date(2017, 8, 3))] == ["per:walid-muallem"]
    assert [a.id for a in kb.holders("foreign_minister", "SYR", date(2021, 1, 1))] == ["per:faisal-mekdad"]
    assert [a.id for a in kb.holders("un_envoy_syria", "", date(2016, 1, 1))] == ["per:staffan-de-mistura"]
    assert [a.id for a in kb.holders("un_envoy_syria", "", date(2019, 4, 26))] == ["per:geir-pedersen"]


def test_sourced_roles_added(kb):
    # rows added from looked-up sources (docs/actors.md, "Sources of the role rows")
    def ids(role, country, d):
        return [a.id for a in kb.holders(role, country, d)]

    assert ids("un_secretary_general", "", date(2012, 6, 1)) == ["per:ban-ki-moon"]
    assert ids("un_secretary_general", "", date(2018, 6, 1)) == ["per:antonio-guterres"]
    assert ids("head_of_state", "SYR", date(2015, 1, 1)) == ["per:bashar-al-assad"]
    assert ids("head_of_state", "IRN", date(2013, 8, 2)) == []  # Ahmadinejad: no row
    assert ids("head_of_state", "IRN", date(2017, 1, 1)) == ["per:hassan-rouhani"]
    assert ids("foreign_minister", "IRN", date(2016, 1, 1)) == ["per:mohammad-javad-zarif"]
    assert ids("defence_minister", "ISR", date(2014, 7, 1)) == ["per:moshe-yaalon"]
    assert ids("foreign_minister", "TUR", date(2015, 1, 1)) == ["per:mevlut-cavusoglu"]
    assert ids("foreign_minister", "TUR", date(2015, 10, 1)) == []  # Sinirlioğlu: no entry
    assert ids("head_of_state", "RUS", date(2010, 1, 1)) == ["per:dmitry-medvedev"]
    assert ids("head_of_government", "RUS", date(2010, 1, 1)) == ["per:vladimir-putin"]
    assert ids("head_of_government", "RUS", date(2016, 1, 1)) == ["per:dmitry-medvedev"]
    assert ids("un_permanent_representative", "RUS", date(2018, 4, 14)) == ["per:vassily-nebenzia"]
    assert ids("arab_league_secretary_general", "", date(2018, 1, 1)) == ["per:ahmed-aboul-gheit"]
    assert ids("foreign_minister", "SAU", date(2020, 1, 1)) == ["per:faisal-bin-farhan"]
    assert ids("supreme_leader", "IRN", date(2018, 1, 1)) == ["per:ali-khamenei"]
    assert ids("foreign_minister", "GBR", date(2020, 1, 1)) == ["per:dominic-raab"]
    assert ids("head_of_state", "USA", date(2022, 1, 1)) == ["per:joe-biden"]


def test_no_role_without_a_usable_start_for_fixed_rows(kb):
    # these rows had only an end or a year; holders() must now find them
    for aid, role in [
        ("per:hassan-rouhani", "head_of_state"),
        ("per:mohammad-javad-zarif", "foreign_minister"),
        ("per:moshe-yaalon", "defence_minister"),
    ]:
        assert all(r.start for r in kb.roles_of(aid) if r.role == role), aid


def test_press_spelling_variants(kb):
    for surface, aid in [
        ("اردوغان", "per:recep-tayyip-erdogan"),
        ("تشاوش أوغلو", "per:mevlut-cavusoglu"),
        ("جاويش أوغلو", "per:mevlut-cavusoglu"),
        ("دي مستورا", "per:staffan-de-mistura"),
        ("عبداللهيان", "per:hossein-amir-abdollahian"),
        ("بيدرسن", "per:geir-pedersen"),
    ]:
        assert aid in {a.id for a in kb.lookup(surface)}, surface


def test_person_qids_sourced(kb):
    assert kb.by_id["per:antonio-guterres"].qid == "Q311440"
    assert kb.by_id["per:bashar-al-assad"].qid == "Q44329"


def test_role_covers_partial_dates():
    r = Role("per:x", "foreign_minister", "USA", "", "2017", "2018-03")
    assert r.covers(date(2017, 1, 1)) and r.covers(date(2018, 3, 31))
    assert not r.covers(date(2016, 12, 31)) and not r.covers(date(2018, 4, 1))
    assert not Role("per:x", "foreign_minister", "USA", "", "", "2018").covers(date(2017, 1, 1))
    assert parse_partial_date("2020-02", last=True) == date(2020, 2, 29)
    with pytest.raises(ValueError):
        parse_partial_date("27/07/2016")


def test_surface_keys():
    assert surface_keys("وللأسد") == ["وللاسد", "للاسد", "الاسد"]
    assert surface_keys("بشار") == ["بشار", "شار"]


def test_names_and_places_iterators(kb):
    names = list(kb.names())
    assert len(names) > len(kb)
    assert (norm_key("دمشق"), "gpe:damascus", "GPE") in names
    assert all(a.kind in ("GPE", "LOC") for a in kb.places())


def test_validate_reports_problems(kb, tmp_path):
    for f in ("actors.tsv", "roles.tsv", "nationalities.tsv"):
        shutil.copy(KB_DIR / f, tmp_path / f)
    with (tmp_path / "roles.tsv").open("a", encoding="utf-8") as f:
        f.write("per:sergey-lavrov\tforeign_minister\tRUS\tوزير الخارجية\t2010\t2009\n")
        f.write("per:nobody\tforeign_minister\tRUS\t\t2010\t\n")
    text = (tmp_path / "actors.tsv").read_text(encoding="utf-8")
    text = text.replace("\tQ858\t", "\tX858\t", 1)
    (tmp_path / "actors.tsv").write_text(text, encoding="utf-8")
    problems = validate(read_kb(tmp_path))
    assert any("ends (2009) before it starts (2010)" in p for p in problems)
    assert any("per:nobody" in p and "unknown actor" in p for p in problems)
    assert any("bad QID 'X858'" in p for p in problems)


def test_malformed_file_is_a_clear_error(tmp_path):
    for f in ("roles.tsv", "nationalities.tsv"):
        shutil.copy(KB_DIR / f, tmp_path / f)
    (tmp_path / "actors.tsv").write_text("id\tkind\n", encoding="utf-8")
    with pytest.raises(KBError, match="header"):
        read_kb(tmp_path)
    (tmp_path / "actors.tsv").unlink()
    with pytest.raises(KBError, match="missing"):
        read_kb(tmp_path)


def test_nationalities_file_matches_generator():
    mod = load_script(KB_DIR / "make_nationalities.py", "make_nat")
    assert (KB_DIR / "nationalities.tsv").read_text(encoding="utf-8") == mod.render()


def _gold_entities():
    if not GOLD.exists():
        pytest.skip("../shared/gold/seeds.jsonl is absent")
    out = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.extend(json.loads(line)["entities"])
    return out


# canonicals of the gold that are descriptions, not named actors
_NOT_NAMED = {"Western countries"}


def test_gold_canonicals_present(kb):
    ents = _gold_entities()
    names = {a.name_en for a in kb.by_id.values()}
    missing = sorted(
        {
            e["canonical"]
            for e in ents
            if e["type"] in ("PER", "ORG", "GPE", "LOC")
            and e["canonical"] not in _NOT_NAMED
            and e["canonical"] not in names
        }
    )
    assert missing == []


def test_gold_surfaces_resolve_to_their_canonical(kb):
    """Every gold PER/ORG/GPE/LOC surface is found by lookup, with the gold canonical among the
    readings; every gold NORP surface maps to the gold country."""
    bad = []
    for e in _gold_entities():
        if e["type"] == "NORP":
            a = kb.nationality(e["surface"])
            if e["canonical"] in _NOT_NAMED:
                continue
            if a is None or a.name_en != e["canonical"]:
                bad.append((e["surface"], e["canonical"], a and a.name_en))
        else:
            got = [a.name_en for a in kb.lookup(e["surface"])]
            if e["canonical"] not in got:
                bad.append((e["surface"], e["canonical"], got))
    assert bad == []
