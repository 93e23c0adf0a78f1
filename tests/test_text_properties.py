"""Property tests of the text layer on arbitrary Unicode: normalization, segmentation, tokens and
time expressions never raise, every span lies inside the text and ``text[start:end]`` is its
surface, and the offset map is monotone.  (How their time grows with the length of a text is
measured in bench/linearity.py.)"""

from datetime import date

from hypothesis import HealthCheck, given, settings, strategies as st

from marsad.extract.time import find_times
from marsad.text.normalize import fold, normalize
from marsad.text.segment import INVISIBLE, MAX_SENTENCE, segment, tokenize

# any code point, lone surrogates and controls included
ANY = st.text(alphabet=st.characters(blacklist_categories=()), max_size=200)
# the characters news text is made of, and the ones that break naive code, mixed
PIECES = (
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة")
    + list("ًٌٍَُِّْٰـ")
    + list("٠١٢٣٤٥٦٧٨٩0123456789")
    + list(".!?؟…«»“”\"'()[]،,؛:-–/")
    + [" ", " ", " ", "\n", "\t", "\r", "\u00a0", "\u2009", "\u3000"]
    + sorted(INVISIBLE)
    + list("אבגדabcXYZжщ我们😀")
    + ["\x00", "\x1b", "\x7f", "\x85", "\ud800", "\ufffd"]
)
WORDS = (
    "أمس اليوم غدا غداً الثلاثاء الماضي المقبل آذار مارس كانون الثاني يناير 2019 ٢٠١٨ 12 5 و7 آب العام "
    "الشهر الأسبوع منتصف مطلع أواخر يوم قبل بعد أيام عامين هـ م التقى لافروف الأسد في دمشق وقال إن «"
).split()
MIXED = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(WORDS).map(lambda w: w + " ")), max_size=150).map(
    "".join
)
TEXT = st.one_of(ANY, MIXED)
# long runs of words with no punctuation, and words longer than a sentence may be
LONG = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.text(alphabet="بتث\u200c", min_size=1, max_size=40),
        st.just("ب" * (MAX_SENTENCE + 7)),
    ),
    min_size=1,
    max_size=700,
).map(" ".join)
PROPS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(TEXT)
def test_normalize_maps_every_character_back(s):
    n = normalize(s)
    assert n.source == s
    assert len(n.offsets) == len(n.text) + 1 and n.offsets[-1] == len(s)
    assert all(a < b for a, b in zip(n.offsets, n.offsets[1:]))  # monotone, one source char each
    assert all(fold(s[n.offsets[i]]) == ch for i, ch in enumerate(n.text))
    assert not any(ch in INVISIBLE for ch in n.text)
    for i in range(0, len(n.text), 7):
        a, b = n.to_source(i, min(len(n.text), i + 5))
        assert 0 <= a <= b <= len(s)
        assert normalize(s[a:b]).text == n.text[i : min(len(n.text), i + 5)]


def _check_segmentation(s: str) -> None:
    sents = segment(s)
    covered = bytearray(len(s))
    prev = 0
    for k, x in enumerate(sents):
        assert x.index == k
        assert prev <= x.start < x.end <= len(s)
        assert x.end - x.start <= MAX_SENTENCE
        assert not s[x.start].isspace() and not s[x.end - 1].isspace()
        assert x.paragraph == s.count("\n", 0, x.start)
        covered[x.start : x.end] = b"\x01" * (x.end - x.start)
        prev = x.end
    assert all(covered[i] for i, ch in enumerate(s) if not ch.isspace())
    prev = 0
    for t in tokenize(s, sents):
        assert prev <= t.start < t.end and s[t.start : t.end] == t.text
        sent = sents[t.sentence]
        assert sent.start <= t.start and t.end <= sent.end
        if t.stem_start >= 0:
            assert t.start < t.stem_start <= t.end and s[t.stem_start : t.end] == t.stem
        if t.is_punct and len(t.text) == 1 and t.text not in INVISIBLE:
            assert t.norm == t.text
        else:
            assert t.norm == fold(t.text)
        assert not any(ch in INVISIBLE for ch in t.norm)
        prev = t.end


@PROPS
@given(TEXT)
def test_segment_and_tokens_keep_offsets(s):
    _check_segmentation(s)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LONG)
def test_long_unpunctuated_text_keeps_offsets(s):
    _check_segmentation(s)


@PROPS
@given(TEXT, st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))))
def test_time_expressions_keep_offsets(s, published):
    prev = 0
    for t in find_times(s, published):
        assert prev <= t.start < t.end <= len(s)
        assert s[t.start : t.end] == t.text
        assert t.precision in ("day", "month", "year", "none")
        if t.value is not None:
            assert len(t.value) in (4, 7, 10) and t.value[:4].isdigit()
        prev = t.end


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MIXED)
def test_the_pipeline_takes_any_text(s):
    import marsad
    from marsad.errors import InputError
    from marsad.model import Event

    try:
        a = marsad.process(s, published=date(2024, 5, 1))
    except InputError as e:  # empty, or nothing but a title: said so, with a reason
        assert getattr(e, "reason", "") == "no-text"
        return
    assert not [k for k, _ in a.meta if k.startswith("error:")], a.meta  # no step failed on it
    for layer in (a.sentences, a.mentions, a.times, a.quotes, a.attributions, a.events):
        for x in layer:
            assert 0 <= x.start <= x.end <= len(a.text)
            if not hasattr(x, "index"):
                assert a.text[x.start : x.end] == (x.evidence if isinstance(x, Event) else x.text)
