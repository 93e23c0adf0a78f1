"""The per-word memos stay bounded and never change what a function returns."""

from marsad import caching
from marsad.extract import gazetteer, similarity
from marsad.extract.mentions import norp, patterns
from marsad.text import segment


def test_put_drops_the_oldest_quarter_when_full():
    memo: dict = {}
    for i in range(10):
        caching.put(memo, i, str(i), cap=8)
        assert len(memo) <= 8
    # 0..7 filled it; 8 dropped 0,1; 9 found room
    assert list(memo) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert memo[9] == "9"


def test_put_with_tiny_cap_still_stores_the_value():
    memo: dict = {}
    for i in range(5):
        caching.put(memo, i, i, cap=1)
        assert memo == {i: i}


def test_word_memos_are_bounded():
    for fn in (
        segment._word_info,
        similarity.name_key,
        similarity.consonant_key,
        gazetteer.first_token_variants,
        patterns._bare_heads,
        norp.group_word,
    ):
        assert fn.cache_info().maxsize is not None
        assert fn.cache_info().maxsize <= caching.WORD


def test_memo_size_does_not_change_results():
    words = ["والرئيس", "بموسكو", "لافروف", "الروسية", "وزارة", "فلاديمير", "بوتين"] * 3
    first = [similarity.name_key(w) for w in words]
    similarity.name_key.cache_clear()
    again = [similarity.name_key(w) for w in words]
    assert first == again


def test_event_trigger_candidates_memo_is_bounded():
    from marsad.extract.events import lexicon as ev

    idx = {"هجوم": (0,), "قصف": (1, 2)}
    words = [f"كلمة{i}" for i in range(caching.WORD + 50)] + ["والقصف", "هجوم"]
    memo: dict = {}
    got = [ev._candidates(w, idx, memo) for w in words]
    assert len(memo) <= caching.WORD
    assert got[-2:] == [ev._candidates_of("والقصف", idx), {0}] and got[-2]
