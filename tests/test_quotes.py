"""Quotes: each construction on sentences written for these tests, offsets, and the seeds."""
import importlib.util
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from marsad.extract.attributions import AttributionStep
from marsad.extract.quotes import QuoteStep
from marsad.model import Article, Mention, replace
from marsad.text.segment import segment, tokenize


def SEG(a: Article) -> Article:  # what the segment step does (without loading every other step)
    sents = segment(a.text)
    return replace(a, sentences=sents, tokens=tokenize(a.text, sents))

_LETTER = re.compile(r"\w")


def art(body: str, ents=(), headline: str = "عنوان الخبر") -> Article:
    """An article with the given body and mentions for every occurrence of each (surface, type,
    canonical) at word boundaries (proclitics allowed)."""
    text = headline + "\n" + body
    a = SEG(Article(id="t", text=text, headline=headline, body_start=len(headline) + 1))
    ms = []
    for surface, typ, canon in sorted(ents, key=lambda e: -len(e[0])):
        for m in re.finditer(re.escape(surface), text):
            i, j = m.span()
            k = i
            while k > 0 and i - k < 2 and text[k - 1] in "وفبكل":
                k -= 1
            if (k == 0 or not _LETTER.match(text[k - 1])) and (j == len(text) or not _LETTER.match(text[j])) \
                    and not any(x.start < j and i < x.end for x in ms):
                ms.append(Mention(i, j, surface, typ, canonical=canon, actor_id=canon))
    a = replace(a, mentions=tuple(sorted(ms, key=lambda m: m.start)))
    return QuoteStep()(AttributionStep()(a))


def check_offsets(a: Article):
    for q in a.quotes:
        assert a.text[q.start:q.end] == q.text
        assert a.text[q.cue_start:q.cue_end] == q.cue
        if q.speaker_start >= 0:
            assert a.text[q.speaker_start:q.speaker_end] == q.speaker_surface
    for x in a.attributions:
        assert a.text[x.start:x.end] == x.text


SAMI = ("سامي علي", "PER", "Sami Ali")


def test_indirect_vso_with_title():
    a = art("وقال وزير الخارجية الفرنسي جان لوران إن بلاده ستواصل دعم الحل السياسي في البلاد.",
            [("جان لوران", "PER", "Jean Laurent"), ("الفرنسي", "NORP", "France")])
    check_offsets(a)
    [q] = a.quotes
    assert (q.kind, q.cue, q.speaker, q.speaker_surface) == ("indirect", "قال", "Jean Laurent", "جان لوران")
    assert q.text == "بلاده ستواصل دعم الحل السياسي في البلاد"
    assert q.speaker_actor == "Jean Laurent"


def test_direct_guillemets_after_colon():
    a = art("وقال المتحدث باسم الحكومة أحمد سعيد: «لن نقبل بأي شروط مسبقة من أي طرف».",
            [("أحمد سعيد", "PER", "Ahmad Said")])
    check_offsets(a)
    [q] = a.quotes
    assert q.kind == "direct" and q.text == "لن نقبل بأي شروط مسبقة من أي طرف" and q.speaker == "Ahmad Said"


@pytest.mark.parametrize("opened,closed", [("“", "”"), ('"', '"'), ("»", "»")])
def test_direct_other_marks(opened, closed):
    a = art(f"وقال كمال حسن {opened}الوضع في المدينة هادئ تماماً منذ الصباح{closed}.",
            [("كمال حسن", "PER", "Kamal Hassan")])
    check_offsets(a)
    [q] = a.quotes
    assert q.kind == "direct" and q.text == "الوضع في المدينة هادئ تماماً منذ الصباح"
    assert q.speaker == "Kamal Hassan"


def test_direct_after_complementizer_and_spanning_sentences():
    a = art("وأكد سامي علي أن «الحكومة لن تتراجع. سنواصل العمل حتى النهاية».", [SAMI])
    [q] = a.quotes
    assert q.kind == "direct" and q.text == "الحكومة لن تتراجع. سنواصل العمل حتى النهاية"


def test_implicit_subject_carried_to_next_sentence():
    a = art("أكد الوزير سامي علي أن المفاوضات مستمرة بين الطرفين. وأضاف أن الجولة المقبلة ستعقد في القاهرة.",
            [SAMI, ("القاهرة", "GPE", "Cairo")])
    check_offsets(a)
    assert [q.speaker for q in a.quotes] == ["Sami Ali", "Sami Ali"]
    assert a.quotes[1].text == "الجولة المقبلة ستعقد في القاهرة" and a.quotes[1].cue == "أضاف"


def test_participles_continue_the_speaker_with_agreement():
    a = art("قالت المتحدثة باسم الوزارة هدى محمود إن الوضع الإنساني صعب، داعيةً إلى فتح الممرات فوراً، "
            "بينما قال سامي علي إن الطرق آمنة، مشيراً إلى أن القوافل تتحرك.",
            [("هدى محمود", "PER", "Huda Mahmoud"), SAMI])
    check_offsets(a)
    got = [(q.cue, q.speaker) for q in a.quotes]
    assert got == [("قالت", "Huda Mahmoud"), ("داعيةً", "Huda Mahmoud"), ("قال", "Sami Ali"),
                   ("مشيراً", "Sami Ali")]
    assert a.quotes[1].text.startswith("فتح الممرات")


def test_colon_speech_without_marks_is_indirect():
    a = art("وقال سامي علي في تصريح صحفي إن الاجتماع كان مثمراً، وأضاف: تم الاتفاق على تشكيل لجنة مشتركة.", [SAMI])
    q = a.quotes[-1]
    assert (q.cue, q.kind, q.speaker) == ("أضاف", "indirect", "Sami Ali")
    assert q.text == "تم الاتفاق على تشكيل لجنة مشتركة"


def test_negated_cue_takes_object_content():
    a = art("نفت مصادر عسكرية في حلب وقوع أي اشتباكات في المنطقة خلال اليومين الماضيين.",
            [("حلب", "GPE", "Aleppo")])
    [q] = a.quotes
    assert q.cue == "نفت" and q.speaker_surface == "مصادر عسكرية في حلب"
    assert q.text.startswith("وقوع أي اشتباكات")


def test_addressee_is_not_an_attribution():
    a = art("وقال مسؤول حكومي لـ«الشرق» إن المحادثات ستستأنف الأسبوع المقبل في جنيف.",
            [("جنيف", "GPE", "Geneva")])
    [q] = a.quotes
    assert q.addressee == "الشرق" and q.speaker_surface == "مسؤول حكومي"
    assert q.text.startswith("المحادثات ستستأنف")
    assert a.attributions == ()


def test_nested_report_has_parent():
    a = art("وذكر سامي علي أن المبعوث الأممي أكد أن الهدنة ستمدد أسبوعين إضافيين.", [SAMI])
    check_offsets(a)
    assert len(a.quotes) == 2
    outer, inner = a.quotes
    assert outer.speaker == "Sami Ali" and inner.speaker_surface == "المبعوث الأممي"
    assert inner.parent == 0 and outer.parent == -1
    assert inner.text == "الهدنة ستمدد أسبوعين إضافيين"


def test_relayed_statement_each_layer():
    a = art("وقال سامي علي رداً على تصريحات مسؤول في الخارجية قال فيها: إن دمشق أعربت عن استعدادها للحوار: "
            "«هذا الكلام غير دقيق ولا أساس له».",
            [SAMI, ("دمشق", "GPE", "Damascus"), ("الخارجية", "ORG", "Ministry")])
    check_offsets(a)
    got = [(q.cue, q.speaker_surface, q.kind, q.parent) for q in a.quotes]
    assert got == [("قال", "سامي علي", "direct", -1), ("قال", "مسؤول في الخارجية", "indirect", -1),
                   ("أعربت", "دمشق", "indirect", 1)]
    assert a.quotes[2].text == "استعدادها للحوار" and a.quotes[2].speaker == "Damascus"
    direct = [q for q in a.quotes if q.kind == "direct"]
    assert len(direct) == 1 and direct[0].speaker == "Sami Ali" and direct[0].text.startswith("هذا الكلام")


def test_ordinal_anaphors():
    a = art("التقى سامي علي نظيره كريم يوسف، حيث أكد الأول أن العلاقات قوية، بينما أكد الثاني أن التعاون مستمر.",
            [SAMI, ("كريم يوسف", "PER", "Karim Youssef")])
    assert [(q.speaker_surface, q.speaker) for q in a.quotes] == [("الأول", "Sami Ali"), ("الثاني", "Karim Youssef")]


def test_definite_title_resolves_to_earlier_speaker():
    a = art("وأكد المبعوث الخاص إلى اليمن سامي علي أن الحل قريب.\nوأوضح المبعوث أن الطرفين وافقا على الخطة.",
            [SAMI, ("اليمن", "GPE", "Yemen")])
    assert [q.speaker for q in a.quotes] == ["Sami Ali", "Sami Ali"]
    assert a.quotes[1].speaker_surface == "المبعوث"


def test_svo_and_relative_subjects():
    a = art("سامي علي قال إن الوفد سيغادر غداً، والتقى كريم يوسف والذي بين له «أن الأبواب مفتوحة للجميع».",
            [SAMI, ("كريم يوسف", "PER", "Karim Youssef")])
    assert [(q.cue, q.speaker, q.kind) for q in a.quotes] == [("قال", "Sami Ali", "indirect"),
                                                              ("بين", "Karim Youssef", "direct")]


def test_istatrada_qaelan_is_one_cue():
    a = art("وقال سامي علي إن الخطة جاهزة. واستطرد قائلاً «لا نريد أن نضيع الوقت في التفاصيل».", [SAMI])
    assert a.quotes[-1].cue == "استطرد قائلاً" and a.quotes[-1].speaker == "Sami Ali"


def test_headline_is_excluded():
    a = art("وقال سامي علي إن الخطة جاهزة للتنفيذ.", [SAMI], headline="سامي علي: «الخطة جاهزة» وقال إن الحل قريب")
    assert len(a.quotes) == 1 and a.quotes[0].start > a.body_start


def test_no_quote_without_speaker_or_content():
    a = art("وتؤكد الدلائل تورطه في الهجوم. وتقع المدينة بين النهر والجبل.")
    assert a.quotes == ()


def test_source_preposition_quote():
    a = art("ووفقاً لوكالة «الأنباء الوطنية»، فإن الاجتماع استمر ثلاث ساعات في القصر.")
    [q] = a.quotes
    assert q.cue == "وفقاً" and q.speaker == "الأنباء الوطنية" and q.text.startswith("الاجتماع استمر")


_WORDS = ["قال", "وأكد", "أن", "إن", "«", "»", "“", "”", '"', ":", "،", ".", "مشيراً", "إلى", "الوزير",
          "سامي", "علي", "المصادر", "وفقاً", "لوكالة", "بحسب", "الموقع", "نفت", "مصادر", "لـ", "له",
          "الأول", "الحل", "قريب", "\n", "وأضاف", "قائلاً", "استطرد", "ذكرت", "صحيفة", "داعيةً"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=60), st.data())
def test_spans_round_trip_on_random_texts(words, data):
    body = " ".join(words)
    ents = [SAMI] if data.draw(st.booleans()) else []
    a = art(body, ents)
    check_offsets(a)
    for q in a.quotes:
        assert q.kind in ("direct", "indirect") and q.start >= a.body_start
        assert -1 <= q.parent < len(a.quotes)


def _load_bench():
    path = Path(__file__).resolve().parents[1] / "bench" / "seeds_quotes.py"
    spec = importlib.util.spec_from_file_location("bench_seeds_quotes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_seeds_meet_the_bars():
    shared = Path(__file__).resolve().parents[1].parent / "shared"
    if not (shared / "gold" / "seeds.jsonl").exists():
        pytest.skip("../shared is absent")
    res = _load_bench().run("gold")
    assert res["quotes"]["f1"] >= 0.75
    assert res["quote_speakers"]["f1"] >= 0.80
    assert res["attributions"]["f1"] >= 0.80
