"""Text without punctuation or newlines: bounded sentences, and the index structures that replaced
the scans that made the steps quadratic in the length of a text (their answers must be the scans').
How long a big text takes is measured in bench/linearity.py, not here."""

from types import SimpleNamespace

from hypothesis import given, settings, strategies as st

from marsad.text.segment import MAX_SENTENCE, segment, tokenize
from marsad.text.spans import ByStart, Covering, Taken

WORDS = "التقى الرئيس السوري بشار الأسد وزير الخارجية الروسي سيرغي لافروف في دمشق أمس وبحث معه".split()


def _unpunctuated(n_words: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(n_words))


def test_long_text_without_punctuation_is_cut_into_bounded_sentences_at_spaces():
    text = _unpunctuated(3000)  # ~17,000 characters, no punctuation, no newline
    sents = segment(text)
    assert len(sents) > 1
    assert all(s.end - s.start <= MAX_SENTENCE for s in sents)
    for a, b in zip(sents, sents[1:]):
        assert a.end <= b.start
        assert text[a.end : b.start].isspace()  # cut between words, never inside one
    covered = set()
    for s in sents:
        covered.update(range(s.start, s.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    words = [t.text for t in tokenize(text, sents)]
    assert words == text.split()


def test_sentences_of_ordinary_length_are_not_cut():
    text = _unpunctuated(300)  # ~1,700 characters: under the bound
    assert len(text) < MAX_SENTENCE
    assert [(s.start, s.end) for s in segment(text)] == [(0, len(text))]


def test_a_word_longer_than_the_bound_is_cut_at_the_bound():
    text = "ب" * (2 * MAX_SENTENCE + 10)
    assert [(s.start, s.end) for s in segment(text)] == [
        (0, MAX_SENTENCE),
        (MAX_SENTENCE, 2 * MAX_SENTENCE),
        (2 * MAX_SENTENCE, len(text)),
    ]


def test_an_unclosed_quotation_does_not_make_one_endless_sentence():
    text = "قال الوزير «" + ". ".join([_unpunctuated(20)] * 100) + "."
    sents = segment(text)
    assert all(s.end - s.start <= MAX_SENTENCE for s in sents)


_range = st.tuples(st.integers(0, 40), st.integers(0, 6)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=300)
@given(st.lists(_range, max_size=25))
def test_taken_answers_as_a_scan_of_the_chosen_ranges(ranges):
    taken, chosen = Taken(), []
    for s, e in ranges:
        expected = any(s < te and ts < e for ts, te in chosen)
        assert taken.overlaps(s, e) == expected
        if not expected:  # greedy choice: the chosen never overlap each other
            chosen.append((s, e))
            taken.add(s, e)


@settings(max_examples=300)
@given(st.lists(_range, max_size=25), st.booleans(), _range)
def test_by_start_answers_as_a_scan(ranges, ordered, query):
    if ordered:
        ranges = sorted(ranges)
    items = [SimpleNamespace(start=s, end=e, k=k) for k, (s, e) in enumerate(ranges)]
    lo, hi = query
    expected = [x.k for x in items if lo <= x.start and x.end <= hi]
    assert [x.k for x in ByStart(items).within(lo, hi)] == expected


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=25), st.integers(-2, 95), st.integers(1, 8))
def test_covering_answers_as_a_scan(ranges, pos, bucket):
    items = [SimpleNamespace(start=s, end=s + n, k=k) for k, (s, n) in enumerate(ranges)]
    expected = [x.k for x in items if x.start <= pos < x.end]
    assert [x.k for x in Covering(items, bucket).at(pos)] == expected


def test_char_vectors_are_the_same_in_small_runs(monkeypatch):
    import numpy as np
    import pytest
    from marsad.extract.ner import model as ner_model
    from marsad.resources import Resources

    tagger = Resources(allow_missing=True).tagger
    if tagger is None or tagger.char_session is None:
        pytest.skip("no NER model with a character encoder")
    words = [WORDS, ["والمحادثات", "الاستراتيجية", "x" * 40]]
    tagger._cv.clear()
    whole = tagger.char_vectors(words)
    tagger._cv.clear()
    monkeypatch.setattr(ner_model, "_CHAR_BATCH", 2)
    parts = tagger.char_vectors(words)
    tagger._cv.clear()
    assert whole.keys() == parts.keys()
    assert all(np.array_equal(whole[w], parts[w]) for w in whole)


def test_process_rejects_more_than_the_size_cap_at_once():
    import pytest

    import marsad
    from marsad.errors import InputError
    from marsad.ingest import MAX_ARTICLE_BYTES

    text = _unpunctuated(MAX_ARTICLE_BYTES // 8)  # Arabic letters: two bytes each
    assert len(text.encode("utf-8")) > MAX_ARTICLE_BYTES
    with pytest.raises(InputError) as e:
        marsad.process(text)
    assert e.value.reason == "too-large"
