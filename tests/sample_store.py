"""A small sample store for the web and read-side tests, the load check's fallback and screenshots
(test data, kept out of the marsad package): hand-written Arabic articles with every layer filled
(mentions, times, quotes, attributions, events), one of them carrying HTML/script payloads to prove
that the pages render them inertly, plus optional synthetic articles.

Every span is located by searching its surface in the text, so ``text[start:end] == surface`` holds.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Iterable, Optional

from marsad.model import Article, Attribution, Event, Mention, Quote, Sentence, TimeExpr

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


class ArticleBuilder:
    def __init__(
        self,
        id: str,
        headline: str,
        body: str,
        published: Optional[date] = None,
        outlet: Optional[str] = None,
        outlet_name: Optional[str] = None,
        url: Optional[str] = None,
    ):
        self.text = headline + "\n" + body
        self.kw = dict(
            id=id,
            text=self.text,
            headline=headline,
            body_start=len(headline) + 1,
            published=published,
            published_basis="metadata" if published else "",
            outlet=outlet,
            outlet_name=outlet_name,
            url=url,
            source=f"<sample>/{id}",
        )
        self.mentions: list[Mention] = []
        self.times: list[TimeExpr] = []
        self.quotes: list[Quote] = []
        self.attributions: list[Attribution] = []
        self.events: list[Event] = []

    def at(self, surface: str, nth: int = 0) -> tuple[int, int]:
        i = -1
        for _ in range(nth + 1):
            i = self.text.find(surface, i + 1)
            if i < 0:
                raise ValueError(f"{surface!r} (occurrence {nth}) is not in article {self.kw['id']}")
        return i, i + len(surface)

    def mention(
        self,
        surface: str,
        type: str,
        actor_id: Optional[str] = None,
        canonical: Optional[str] = None,
        title: Optional[str] = None,
        nth: int = 0,
    ) -> "ArticleBuilder":
        s, e = self.at(surface, nth)
        self.mentions.append(
            Mention(
                s,
                e,
                surface,
                type,
                0.95,
                "sample",
                actor_id,
                canonical,
                0.9 if actor_id else 0.0,
                "gazetteer" if actor_id else "",
                title,
            )
        )
        return self

    def time(self, surface: str, value: Optional[str], precision: str = "day", nth: int = 0) -> "ArticleBuilder":
        s, e = self.at(surface, nth)
        anchor = self.kw["published"].isoformat() if self.kw["published"] else None
        self.times.append(TimeExpr(s, e, surface, value, precision, "sample", anchor))
        return self

    def quote(
        self,
        surface: str,
        kind: str,
        cue: str = "",
        speaker_surface: str = "",
        speaker: Optional[str] = None,
        speaker_actor: Optional[str] = None,
        speaker_nth: int = 0,
    ) -> "ArticleBuilder":
        s, e = self.at(surface)
        cs, ce = self.at(cue) if cue else (-1, -1)
        ss, se = self.at(speaker_surface, speaker_nth) if speaker_surface else (-1, -1)
        self.quotes.append(Quote(s, e, surface, kind, cs, ce, cue, ss, se, speaker_surface, speaker, speaker_actor))
        return self

    def attribution(self, surface: str, outlet: Optional[str]) -> "ArticleBuilder":
        s, e = self.at(surface)
        self.attributions.append(Attribution(s, e, surface, outlet, None, surface.split()[0]))
        return self

    def event(
        self,
        type: str,
        evidence: str,
        source=(),
        target=(),
        source_ids=(),
        target_ids=(),
        location: Optional[str] = None,
        lat: Optional[float] = None,
        lon: Optional[float] = None,
        date_: Optional[str] = None,
        trigger: str = "",
        mode: str = "",
        status: str = "realized",
        location_id: Optional[str] = None,
    ) -> "ArticleBuilder":
        s, e = self.at(evidence)
        ts, te = (s + evidence.index(trigger), s + evidence.index(trigger) + len(trigger)) if trigger else (-1, -1)
        pub = self.kw["published"]
        self.events.append(
            Event(
                type,
                mode,
                s,
                e,
                evidence,
                tuple(source),
                tuple(target),
                tuple(source_ids),
                tuple(target_ids),
                location,
                location_id or (location and f"place:{location}"),
                lat,
                lon,
                date_ or (pub.isoformat() if pub else None),
                date_ is None and pub is not None,
                status,
                0.8,
                "",
                ts,
                te,
            )
        )
        return self

    def build(self) -> Article:
        sents, start, k = [], 0, 0
        for para, line in enumerate(self.text.split("\n")):
            if line.strip():
                sents.append(Sentence(start, start + len(line), k, para))
                k += 1
            start += len(line) + 1
        return Article(
            **self.kw,
            sentences=tuple(sents),
            mentions=tuple(sorted(self.mentions, key=lambda m: m.start)),
            times=tuple(self.times),
            quotes=tuple(self.quotes),
            attributions=tuple(self.attributions),
            events=tuple(self.events),
        )


LAVROV, MEKDAD, SAFADI, PEDERSEN = "Q-lavrov", "Q-mekdad", "Q-safadi", "Q-pedersen"
SYRIA, RUSSIA, JORDAN, UN = "Q-syria", "Q-russia", "Q-jordan", "Q-un"
EVIL = "Q-evil"
EVIL_NAME = "Evil <script>alert(3)</script> Actor"


# long: five hand-written articles, spelled out as data (offsets computed from their texts)
def sample_articles() -> list[Article]:
    """Five hand-written articles (the fifth is the XSS article)."""
    out = []
    b = ArticleBuilder(
        "sana-2024-03-04-lavrov",
        "لافروف يلتقي المقداد في موسكو ويبحثان الأوضاع في سوريا",
        "موسكو - قال وزير الخارجية الروسي سيرغي لافروف يوم الاثنين 4 آذار 2024 إن بلاده تدعم الحل السياسي في سوريا.\n"
        "والتقى لافروف نظيره السوري فيصل المقداد في موسكو، وبحث الجانبان التعاون الثنائي.\n"
        'وأضاف لافروف: "لن نسمح بتقسيم سوريا"، بحسب وكالة سانا.',
        date(2024, 3, 4),
        "سانا",
        "SANA",
        "https://example.org/sana/1",
    )
    (
        b.mention("لافروف", "PER", LAVROV, "Sergey Lavrov")
        .mention("المقداد", "PER", MEKDAD, "Faisal Mekdad")
        .mention("موسكو", "GPE", "Q-moscow", "Moscow")
        .mention("سوريا", "GPE", SYRIA, "Syria")
        .mention("سيرغي لافروف", "PER", LAVROV, "Sergey Lavrov", title="وزير الخارجية الروسي")
        .mention("سوريا", "GPE", SYRIA, "Syria", nth=1)
        .mention("لافروف", "PER", LAVROV, "Sergey Lavrov", nth=2)
        .mention("فيصل المقداد", "PER", MEKDAD, "Faisal Mekdad")
        .mention("لافروف", "PER", LAVROV, "Sergey Lavrov", nth=3)
        .mention("سوريا", "GPE", SYRIA, "Syria", nth=2)
        .mention("سانا", "ORG", "Q-sana", "SANA")
        .mention("موسكو", "GPE", "Q-moscow", "Moscow", nth=1)
        .mention("موسكو", "GPE", "Q-moscow", "Moscow", nth=2)
        .time("يوم الاثنين 4 آذار 2024", "2024-03-04")
        .quote(
            "إن بلاده تدعم الحل السياسي في سوريا",
            "indirect",
            cue="قال",
            speaker_surface="سيرغي لافروف",
            speaker="Sergey Lavrov",
            speaker_actor=LAVROV,
        )
        .quote(
            "لن نسمح بتقسيم سوريا",
            "direct",
            cue="وأضاف",
            speaker_surface="لافروف",
            speaker="Sergey Lavrov",
            speaker_actor=LAVROV,
            speaker_nth=3,
        )
        .attribution("بحسب وكالة سانا", "SANA")
        .event(
            "CONSULT",
            "والتقى لافروف نظيره السوري فيصل المقداد في موسكو",
            ["Sergey Lavrov"],
            ["Faisal Mekdad"],
            [LAVROV],
            [MEKDAD],
            "موسكو",
            55.76,
            37.62,
            "2024-03-04",
            trigger="التقى",
            mode="meet",
        )
    )
    out.append(b.build())

    b = ArticleBuilder(
        "aljazeera-2024-03-10-safadi",
        "الصفدي يبحث مع بيدرسون في عمّان تطورات الأزمة السورية",
        "عمّان - استقبل وزير الخارجية الأردني أيمن الصفدي في عمّان يوم الأحد المبعوث الأممي إلى سورية غير بيدرسون.\n"
        'وقال الصفدي إن "الحل السياسي هو السبيل الوحيد لإنهاء الأزمة".\n'
        "ودعا الجانبان إلى تكثيف الجهود لإيصال المساعدات الإنسانية.",
        date(2024, 3, 10),
        "الجزيرة",
        "Al Jazeera",
    )
    (
        b.mention("الصفدي", "PER", SAFADI, "Ayman Safadi")
        .mention("بيدرسون", "PER", PEDERSEN, "Geir Pedersen")
        .mention("عمّان", "GPE", "Q-amman", "Amman")
        .mention("عمّان", "GPE", "Q-amman", "Amman", nth=1)
        .mention("أيمن الصفدي", "PER", SAFADI, "Ayman Safadi", title="وزير الخارجية الأردني")
        .mention("عمّان", "GPE", "Q-amman", "Amman", nth=2)
        .mention("سورية", "GPE", SYRIA, "Syria", nth=1)
        .mention("غير بيدرسون", "PER", PEDERSEN, "Geir Pedersen", title="المبعوث الأممي")
        .mention("الصفدي", "PER", SAFADI, "Ayman Safadi", nth=2)
        .time("يوم الأحد", "2024-03-10")
        .quote(
            "الحل السياسي هو السبيل الوحيد لإنهاء الأزمة",
            "direct",
            cue="وقال",
            speaker_surface="الصفدي",
            speaker="Ayman Safadi",
            speaker_actor=SAFADI,
            speaker_nth=2,
        )
        .event(
            "CONSULT",
            "استقبل وزير الخارجية الأردني أيمن الصفدي في عمّان يوم الأحد المبعوث الأممي إلى سورية غير بيدرسون",
            ["Ayman Safadi"],
            ["Geir Pedersen"],
            [SAFADI],
            [PEDERSEN],
            "عمّان",
            31.95,
            35.93,
            "2024-03-10",
            trigger="استقبل",
            mode="meet",
        )
        .event(
            "REQUEST",
            "ودعا الجانبان إلى تكثيف الجهود لإيصال المساعدات الإنسانية",
            ["Ayman Safadi", "Geir Pedersen"],
            [],
            [SAFADI, PEDERSEN],
            [],
            None,
            None,
            None,
            None,
            trigger="دعا",
            mode="call",
        )
    )
    out.append(b.build())

    b = ArticleBuilder(
        "sana-2024-03-12-idlib",
        "غارات جوية على ريف إدلب الجنوبي",
        "إدلب - شنت طائرات حربية روسية يوم الثلاثاء 12 آذار غارات على بلدات في ريف إدلب الجنوبي، وفق المرصد السوري.\n"
        "ونفت موسكو استهداف المدنيين.",
        date(2024, 3, 12),
        "سانا",
        "SANA",
    )
    (
        b.mention("إدلب", "GPE", "Q-idlib", "Idlib")
        .mention("إدلب", "GPE", "Q-idlib", "Idlib", nth=1)
        .mention("روسية", "NORP", RUSSIA, "Russia")
        .mention("إدلب", "GPE", "Q-idlib", "Idlib", nth=2)
        .mention("المرصد السوري", "ORG", "Q-sohr", "Syrian Observatory for Human Rights")
        .mention("موسكو", "GPE", RUSSIA, "Russia")
        .time("يوم الثلاثاء 12 آذار", "2024-03-12")
        .attribution("وفق المرصد السوري", "Syrian Observatory for Human Rights")
        .event(
            "ASSAULT",
            "شنت طائرات حربية روسية يوم الثلاثاء 12 آذار غارات على بلدات في ريف إدلب الجنوبي",
            ["Russia"],
            [],
            [RUSSIA],
            [],
            "إدلب",
            35.93,
            36.63,
            "2024-03-12",
            trigger="شنت",
            mode="aerial",
        )
        .event(
            "REJECT",
            "ونفت موسكو استهداف المدنيين",
            ["Russia"],
            [],
            [RUSSIA],
            [],
            None,
            None,
            None,
            None,
            trigger="نفت",
            mode="deny",
        )
    )
    out.append(b.build())

    b = ArticleBuilder(
        "aljazeera-2024-04-02-moscow",
        "الصفدي ولافروف يبحثان في موسكو الوضع في سوريا",
        "موسكو - التقى وزير الخارجية الأردني أيمن الصفدي نظيره الروسي سيرغي لافروف في موسكو يوم الثلاثاء 2 نيسان 2024.\n"
        "وبحث الوزيران الأزمة السورية وأمن الحدود.",
        date(2024, 4, 2),
        "الجزيرة",
        "Al Jazeera",
    )
    (
        b.mention("الصفدي", "PER", SAFADI, "Ayman Safadi")
        .mention("لافروف", "PER", LAVROV, "Sergey Lavrov")
        .mention("موسكو", "GPE", "Q-moscow", "Moscow")
        .mention("سوريا", "GPE", SYRIA, "Syria")
        .mention("أيمن الصفدي", "PER", SAFADI, "Ayman Safadi", title="وزير الخارجية الأردني")
        .mention("سيرغي لافروف", "PER", LAVROV, "Sergey Lavrov")
        .mention("موسكو", "GPE", "Q-moscow", "Moscow", nth=1)
        .mention("موسكو", "GPE", "Q-moscow", "Moscow", nth=2)
        .time("يوم الثلاثاء 2 نيسان 2024", "2024-04-02")
        .event(
            "CONSULT",
            "التقى وزير الخارجية الأردني أيمن الصفدي نظيره الروسي سيرغي لافروف في موسكو",
            ["Ayman Safadi"],
            ["Sergey Lavrov"],
            [SAFADI],
            [LAVROV],
            "موسكو",
            55.76,
            37.62,
            "2024-04-02",
            trigger="التقى",
            mode="meet",
        )
    )
    out.append(b.build())

    # the XSS article: markup in the text, in names, in the outlet and in a place must all render as text
    b = ArticleBuilder(
        "xss-test",
        f"تقرير {XSS_SCRIPT} عن دمشق",
        f'دمشق - نشر موقع مجهول نصا يحتوي {XSS_IMG} وقال المتحدث إن "{XSS_SCRIPT} كلام".\n'
        "والتقى المتحدث وفدا من الأمم المتحدة في دمشق.",
        date(2024, 3, 20),
        "<b>موقع</b>",
        'Evil "Outlet" <svg onload=alert(2)>',
    )
    (
        b.mention("دمشق", "GPE", "Q-damascus", "Damascus")
        .mention("دمشق", "GPE", "Q-damascus", "Damascus", nth=1)
        .mention("المتحدث", "PER", EVIL, EVIL_NAME, title=XSS_IMG)
        .mention("المتحدث", "PER", EVIL, EVIL_NAME, nth=1)
        .mention("الأمم المتحدة", "ORG", UN, "United Nations")
        .mention("دمشق", "GPE", "Q-damascus", "Damascus", nth=2)
        .quote(
            f"{XSS_SCRIPT} كلام", "direct", cue="وقال", speaker_surface="المتحدث", speaker=EVIL_NAME, speaker_actor=EVIL
        )
        .event(
            "CONSULT",
            "والتقى المتحدث وفدا من الأمم المتحدة في دمشق",
            [EVIL_NAME],
            ["United Nations"],
            [EVIL],
            [UN],
            XSS_IMG,
            33.51,
            36.29,
            "2024-03-20",
            trigger="التقى",
            mode="meet",
        )
    )
    out.append(b.build())
    return out


_PEOPLE = [
    ("لافروف", LAVROV, "Sergey Lavrov"),
    ("الصفدي", SAFADI, "Ayman Safadi"),
    ("المقداد", MEKDAD, "Faisal Mekdad"),
    ("بيدرسون", PEDERSEN, "Geir Pedersen"),
    ("عراقجي", "Q-araghchi", "Abbas Araghchi"),
    ("فيدان", "Q-fidan", "Hakan Fidan"),
]
_PLACES = [
    ("دمشق", 33.51, 36.29),
    ("عمّان", 31.95, 35.93),
    ("بيروت", 33.89, 35.50),
    ("بغداد", 33.31, 44.37),
    ("القاهرة", 30.04, 31.24),
    ("أنقرة", 39.93, 32.86),
    ("طهران", 35.69, 51.39),
    ("الرياض", 24.71, 46.68),
]


def synthetic_articles(n: int, seed: int = 7) -> Iterable[Article]:
    """``n`` generated meeting reports (for load checks): two people, a place, a date."""
    rng = random.Random(seed)
    for i in range(n):
        (s_ar, s_id, s_en), (t_ar, t_id, t_en) = rng.sample(_PEOPLE, 2)
        place, lat, lon = rng.choice(_PLACES)
        d = date(2024, rng.randint(1, 12), rng.randint(1, 28))
        ev = f"التقى {s_ar} نظيره {t_ar} في {place}"
        b = ArticleBuilder(
            f"syn-{i:05d}",
            f"{s_ar} و{t_ar} يبحثان في {place} الأوضاع في سوريا",
            f"{place} - {ev} وبحثا الأوضاع في سوريا والعلاقات الثنائية رقم {i}.",
            d,
            "سانا" if i % 2 else "الجزيرة",
            "SANA" if i % 2 else "Al Jazeera",
        )
        b.mention(s_ar, "PER", s_id, s_en).mention(t_ar, "PER", t_id, t_en)
        b.event(
            "CONSULT", ev, [s_en], [t_en], [s_id], [t_id], place, lat, lon, d.isoformat(), trigger="التقى", mode="meet"
        )
        yield b.build()


def build_store(path: str | Path, synthetic: int = 0, with_samples: bool = True) -> Path:
    """Write the sample (and ``synthetic`` generated) articles into a new store at ``path``, and
    place them in stories as a run does."""
    from marsad.store.db import Writer, connect
    from marsad.stories import update_stories

    path = Path(path)
    con = connect(path)
    try:
        w = Writer(con, "sample")
        for a in sample_articles() if with_samples else []:
            w.add(a)
        for a in synthetic_articles(synthetic):
            w.add(a)
        w.flush()
        update_stories(con)
    finally:
        con.close()
    return path
