from hypothesis import given, settings, strategies as st

from marsad.text.segment import segment, split_clitics, tokenize

TEXT = "وقالت المصادر لـ«الوطن» إن الاتفاق «غير دقيق. والخلافات قائمة» بين الأطراف. وأكد د. محمد أن النسبة 3.5 بالمئة!\nسطر جديد بلا نقطة"


def test_sentences_respect_quotes_abbrev_and_newlines():
    sents = [TEXT[s.start : s.end] for s in segment(TEXT)]
    assert sents == [
        "وقالت المصادر لـ«الوطن» إن الاتفاق «غير دقيق. والخلافات قائمة» بين الأطراف.",
        "وأكد د. محمد أن النسبة 3.5 بالمئة!",
        "سطر جديد بلا نقطة",
    ]


def test_reversed_quote_marks_open_a_quote():
    t = "قال إن و»داعش» منظمة. ثم غادر."
    assert [t[s.start : s.end] for s in segment(t)] == ["قال إن و»داعش» منظمة.", "ثم غادر."]


def test_paragraph_numbers():
    s = segment("وصل الوفد. ثم غادر.\nوقال الوزير.")
    assert [x.paragraph for x in s] == [0, 0, 1]


def test_clitics():
    assert split_clitics("وبالجزائر") == (("و", "ب", "ال"), 4)
    assert split_clitics("للأمم") == (("ل", "ال"), 2)
    assert split_clitics("وزير") == ((), 0)
    assert split_clitics("وسيد", known={"سيد"}) == (("و",), 1)
    assert split_clitics("لـسانا")[1] == 2


def test_tokens_keep_offsets():
    toks = tokenize(TEXT, segment(TEXT))
    for t in toks:
        assert TEXT[t.start : t.end] == t.text
        if t.stem_start >= 0:
            assert t.start < t.stem_start <= t.end
            assert TEXT[t.stem_start : t.end] == t.stem
    words = [t.text for t in toks]
    assert "«" in words and "الوطن" in words and "3.5" in words


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(list("ابتدرسمنويلة «»“”.؟!\n،")), max_size=120))
def test_segmentation_covers_text(s):
    sents = segment(s)
    covered = set()
    prev_end = 0
    for x in sents:
        assert x.start >= prev_end and x.start < x.end
        prev_end = x.end
        covered.update(range(x.start, x.end))
    assert all(i in covered for i, ch in enumerate(s) if not ch.isspace())
    for t in tokenize(s, sents):
        assert s[t.start : t.end] == t.text
