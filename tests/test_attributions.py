"""Reporting-source attributions on sentences written for these tests."""

import pytest
from hypothesis import given, settings, strategies as st

from marsad.extract.quotes import AttributionStep, kb_media
from marsad.model import Article, Mention, replace
from marsad.resources import default_resources
from marsad.text.segment import segment, tokenize

KB = default_resources().kb  # the shipped actor KB (its outlets)


def attrs(body: str, ents=()):
    text = "عنوان\n" + body
    s = segment(text)
    a = Article(id="t", text=text, body_start=6, sentences=s, tokens=tokenize(text, s))
    ms = []
    for surface, typ, canon in ents:
        i = text.find(surface)
        ms.append(Mention(i, i + len(surface), surface, typ, canonical=canon, actor_id=canon))
    a = AttributionStep(KB)(replace(a, mentions=tuple(ms)))
    for x in a.attributions:
        assert a.text[x.start : x.end] == x.text
    return a.attributions


def test_according_to_agency_with_quoted_name():
    [x] = attrs("ووفقاً لوكالة «الرصد»، كانت وجهات النظر متفقة.")
    assert (x.text, x.outlet, x.cue) == ("وفقاً لوكالة «الرصد»", "الرصد", "وفقاً")


def test_outlet_canonical_from_mention():
    [x] = attrs("وأكد الوزير، بحسب وكالة «الرصد» للأنباء، أن الاتفاق قريب.", [("الرصد", "ORG", "Al-Rasd Agency")])
    assert x.text == "بحسب وكالة «الرصد» للأنباء" and x.outlet == "Al-Rasd Agency" and x.actor_id == "Al-Rasd Agency"


def test_reporting_verb_with_media_subject_and_adjective():
    [x] = attrs("وذكرت صحيفة «الضياء» اللبنانية أن الحكومة ستجتمع غداً.")
    assert x.text == "ذكرت صحيفة «الضياء» اللبنانية" and x.outlet == "الضياء"


def test_relayed_by_website_of_channel_and_anaphor():
    xs = attrs(
        "وقال الوزير في تصريح نقله الموقع الإلكتروني لقناة «الأفق» أمس إن الحل قريب. "
        "وبحسب الموقع فإن الوزير سيزور المنطقة."
    )
    assert [x.text for x in xs] == ["نقله الموقع الإلكتروني لقناة «الأفق»", "بحسب الموقع"]
    assert [x.outlet for x in xs] == ["الأفق", "الأفق"]


def test_naqlan_an_and_later_bare_quoted_name():
    xs = attrs("نقلاً عن قناة «الأفق»، قتل ثلاثة مدنيين. وأضاف البيان وفق «الأفق» أن الهدوء عاد.")
    assert [(x.text, x.outlet) for x in xs] == [("نقلاً عن قناة «الأفق»", "الأفق"), ("وفق «الأفق»", "الأفق")]


@pytest.mark.parametrize(
    "body",
    [
        "وقال وزير الخارجية إن المحادثات ستستأنف قريباً.",  # an official, not a medium
        "وقالت المصادر لـ«الوطن» إن الاتفاق لم ينجز.",  # the outlet addressed
        "وطبقاً لقرارات الأمم المتحدة فإن التنظيم إرهابي.",  # a source that is no medium
        "وفق «الخطة» الجديدة ستبدأ المرحلة الثانية.",  # a quoted name never introduced as a medium
        "بحسب الموقع فإن الطريق مغلق.",  # an anaphor with no outlet before it
    ],
)
def test_not_attributions(body):
    assert attrs(body) == ()


def test_kb_outlet_named_bare():
    media = kb_media(KB)
    assert media, "the shipped KB lists outlets"
    name = next(k for k in media if " " not in k and len(k) > 4)
    [x] = attrs(f"وبحسب {name} فإن الاجتماع انتهى.")
    assert x.outlet == media[name][0] and x.actor_id == media[name][1]


def test_without_a_kb_no_kb_outlet():
    name = next(k for k in kb_media(KB) if " " not in k and len(k) > 4)
    text = f"عنوان\nوبحسب {name} فإن الاجتماع انتهى."
    s = segment(text)
    a = Article(id="t", text=text, body_start=6, sentences=s, tokens=tokenize(text, s))
    assert kb_media(None) == {} and AttributionStep()(a).attributions == ()


_WORDS = [
    "بحسب",
    "وفقاً",
    "لوكالة",
    "وكالة",
    "«",
    "»",
    "سانا",
    "الرصد",
    "ذكرت",
    "صحيفة",
    "نقله",
    "الموقع",
    "الإلكتروني",
    "لقناة",
    "للأنباء",
    "الإيرانية",
    "نقلاً",
    "عن",
    "قال",
    "أن",
    "،",
    ".",
    "\n",
    "وفق",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=50))
def test_spans_round_trip_on_random_texts(words):
    for x in attrs(" ".join(words)):
        assert x.text and x.start >= 6


# --- held-out generalization: 'بحسب ما نقلته…', 'وكالة الأنباء + nisba', 'وكالة أنباء + name' -----------


def test_source_prep_with_ma_and_reporting_verb():
    [x] = attrs("وصلت قافلة جديدة إلى المخيم، بحسب ما نقلته وكالة «النجم» للأنباء.")
    assert x.text == "بحسب ما نقلته وكالة «النجم» للأنباء" and x.cue == "بحسب" and x.outlet == "النجم"


def test_national_news_agency_with_nisba():
    [x] = attrs("وأوضح البيان الختامي، حسب وكالة الأنباء الموريتانية، أن الجلسة المقبلة في مارس.")
    assert x.text == "حسب وكالة الأنباء الموريتانية"


def test_news_agency_of_a_named_region():
    [x] = attrs("افتتح المعبر أمس أمام الشاحنات، وفقاً لما ذكرته وكالة أنباء الخليج العربي.")
    assert x.text == "وفقاً لما ذكرته وكالة أنباء الخليج العربي"


def test_intelligence_agency_still_not_a_medium():
    assert attrs("وقال مدير وكالة الاستخبارات إن التحقيق مستمر.") == ()
