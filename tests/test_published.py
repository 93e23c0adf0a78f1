"""The publication-date finder (marsad.ingest.published) and the order in which an article's
date is taken: record or sidecar, the page's metadata, a date-only head line, the run's default,
then the page's stamps, URL and the text's first and last lines (marsad.ingest.to_article)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from marsad.ingest import RawDoc, parse_date, to_article
from marsad.ingest.published import choose_published, find_published, line_date
from marsad.text.normalize import norm_key

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HEAD = "وزير الخارجية يلتقي نظيره السوري في دمشق لبحث العلاقات"
LEAD = "دمشق في 3 آب 2017 - التقى وزير الخارجية نظيره السوري اليوم في العاصمة، وبحثا العلاقات الثنائية."
PARA = (
    "قال وزير الخارجية إن المحادثات التي جرت اليوم في العاصمة كانت بناءة ومفيدة للطرفين وإن الجولة "
    "المقبلة ستعقد الشهر المقبل."
)


# --- a record's value ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, expected",
    [
        ("2018-05-05", date(2018, 5, 5)),
        ("2018/05/05", date(2018, 5, 5)),
        ("20180505", date(2018, 5, 5)),
        ("2018-05-05T10:01:50Z", date(2018, 5, 5)),
        ("05.05.2018", date(2018, 5, 5)),
        ("Tue, 17 Jul 2018 23:27:52 +0400", date(2018, 7, 17)),  # the date as written, not UTC's
        (date(2019, 1, 2), date(2019, 1, 2)),
        (datetime(2019, 1, 2, 23, 59), date(2019, 1, 2)),
        ("1700-01-01", None),
        ("99999-01-01", None),
        ("2019-02-30", None),
        ("", None),
        (None, None),
        (True, None),
        (20180101, None),
        ("قبل أيام", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


# --- a date-only head line -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "line, expected",
    [
        ("الأحد 12 تشرين الأول 2025", date(2025, 10, 12)),
        ("الإثنين، ١٤ من أيار، ٢٠١٨", date(2018, 5, 14)),
        ("نشر في 3 آب 2017 الساعة 10:30", date(2017, 8, 3)),
        ("1 Sept 2019", date(2019, 9, 1)),
        ("2019-09-21 10:30", date(2019, 9, 21)),
        ("21/09/2019", date(2019, 9, 21)),
        ("31 شباط 2019", None),  # no such day
        ("منذ 3 ساعات", None),
    ],
)
def test_line_date(line, expected):
    assert line_date(norm_key(line)) == expected


@pytest.mark.parametrize(
    "record, page, dateline, expected",
    [
        ((date(2019, 1, 1), "record"), date(2020, 1, 1), date(2021, 1, 1), (date(2019, 1, 1), "record")),
        ((date(2019, 1, 1), "sidecar"), None, date(2021, 1, 1), (date(2019, 1, 1), "sidecar")),
        ((date(2019, 1, 1), "option"), date(2020, 1, 1), date(2021, 1, 1), (date(2020, 1, 1), "html-meta")),
        ((date(2019, 1, 1), "option"), None, date(2021, 1, 1), (date(2021, 1, 1), "dateline")),
        ((None, ""), None, date(2021, 1, 1), (date(2021, 1, 1), "dateline")),
        ((date(2019, 1, 1), "option"), None, None, (date(2019, 1, 1), "option")),
        ((None, ""), None, None, (None, "")),
    ],
)
def test_choose_published(record, page, dateline, expected):
    assert choose_published(*record, page, dateline) == expected


# --- an article nothing above dated ----------------------------------------------------------------
def test_published_from_meta_url_and_dateline():
    assert find_published(meta={"published_raw": "Sat, 05 May 2018 10:01:50 GMT"}) == (
        date(2018, 5, 5),
        "meta:published_raw",
    )
    assert find_published(meta={"date": "٣ آب ٢٠١٧"}) == (date(2017, 8, 3), "meta:date")
    assert find_published(meta={"pubdate": "2020-06-03T03:01+0400"}) == (date(2020, 6, 3), "meta:pubdate")
    assert find_published(meta={"published": date(2019, 1, 2)}) == (date(2019, 1, 2), "meta:published")
    assert find_published(text="دمشق - 3 آب 2017\nنص الخبر") == (date(2017, 8, 3), "dateline")
    assert find_published(text="نص الخبر\nسطر\nآخر\nرابع\nخامس\nسادس\n2017-08-03") == (date(2017, 8, 3), "dateline")
    assert find_published(text="خبر بلا تاريخ") == (None, "")
    assert find_published(url="http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html") == (
        date(2013, 8, 3),
        "url",
    )
    assert find_published(url="https://x.example/news/2019-05-03-talks") == (date(2019, 5, 3), "url")


def test_published_prefers_local_offset_over_utc():
    html = (
        '<meta property="article:published_time" content="2020-12-24T23:59:50+00:00">'
        '<script type="application/ld+json">{"datePublished":"2020-12-25T01:59:50+02:00"}</script>'
    )
    assert find_published(html=html) == (date(2020, 12, 25), "html:json-ld datePublished")


def test_published_ignores_update_stamps():
    assert find_published(text="آخر تحديث 28 آب 2013\nنص") == (None, "")
    html = (
        '<time class="updated" datetime="2013-08-28T10:00:00Z">28 آب</time>'
        '<time class="published" datetime="2013-08-03T10:00:00Z">3 آب</time>'
    )
    assert find_published(html=html) == (date(2013, 8, 3), "html:time datePublished")


@pytest.mark.skipif(not (SHARED / "html" / "htmldate").is_dir(), reason="../shared absent")
def test_htmldate_pages():
    gold = json.loads((SHARED / "html" / "htmldate" / "gold_dates.json").read_text(encoding="utf-8"))
    for name, g in gold.items():
        html = (SHARED / "html" / "htmldate" / name).read_text(encoding="utf-8")
        assert find_published(html=html)[0] == date.fromisoformat(g["gold_date"]), name


# --- the order, in to_article ----------------------------------------------------------------------
def article(text, **kw):
    return to_article(RawDoc(id="a", source="a", text=text, **kw))


def test_to_article_takes_the_dates_in_order():
    dated_head = "\n".join([HEAD, "الأحد 12 تشرين الأول 2025", PARA])
    a = article(dated_head, published=date(2025, 10, 13), published_basis="record")
    assert (a.published, a.published_basis) == (date(2025, 10, 13), "record")
    a = article(dated_head, published=date(2000, 1, 1), published_basis="option")
    assert (a.published, a.published_basis) == (date(2025, 10, 12), "dateline")
    assert "الأحد 12 تشرين الأول 2025" in a.boilerplate
    # no date line in the head: the run's default beats a date in the text's first lines
    a = article("\n".join([HEAD, LEAD, PARA]), published=date(2000, 1, 1), published_basis="option")
    assert (a.published, a.published_basis) == (date(2000, 1, 1), "option")
    a = article("\n".join([HEAD, LEAD, PARA]))
    assert (a.published, a.published_basis) == (date(2017, 8, 3), "dateline")
    a = article("\n".join([HEAD, PARA]), meta=(("published_raw", "Sat, 05 May 2018 10:01:50 GMT"),))
    assert (a.published, a.published_basis) == (date(2018, 5, 5), "meta:published_raw")
    a = article("\n".join([HEAD, PARA]), url="https://x.example/news/2019/05/03/a.html")
    assert (a.published, a.published_basis, a.url) == (
        date(2019, 5, 3),
        "url",
        "https://x.example/news/2019/05/03/a.html",
    )
    a = article("\n".join([HEAD, PARA]))
    assert (a.published, a.published_basis) == (None, "")
    assert (a.headline, a.text) == (HEAD, HEAD + "\n" + PARA) and a.body_start == len(HEAD) + 1
