"""Generate ``nationalities.tsv`` from base masculine gentilic adjectives.

Run from the repository root::

    python marsad/resources/kb/make_nationalities.py

Each base is the masculine singular adjective without the article (``روسي``).  The generator
writes every regular inflection, with and without the article ``ال``:

    m.sg  روسي      f.sg  روسية     m.pl  روسيون / روسيين   m.du  روسيان
    f.du  روسيتان / روسيتين   f.pl  روسيات

plus the irregular (broken) plurals listed per country (``روس``, ``أتراك``, ``أمريكان``…).
A multi-word base inflects every word except those marked with ``*`` (construct nouns such as
``جنوب*`` in ``جنوب* أفريقي``); the article goes on the first word only when it is a construct
noun, and on every word otherwise (``الكوري الجنوبي``).

Ambiguous adjectives are left out on purpose (``كوري`` alone, ``كونغولي``, ``غيني`` for the three
Guineas, ``عربي`` — see docs/actors.md).  The output is sorted by country id and deterministic.
"""

from __future__ import annotations

from pathlib import Path

# country id -> (base adjectives, irregular plurals)
BASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "gpe:afghanistan": (("أفغاني",), ("أفغان",)),
    "gpe:albania": (("ألباني",), ("ألبان",)),
    "gpe:algeria": (("جزائري",), ()),
    "gpe:andorra": (("أندوري",), ()),
    "gpe:angola": (("أنغولي",), ()),
    "gpe:argentina": (("أرجنتيني",), ()),
    "gpe:armenia": (("أرميني",), ("أرمن",)),
    "gpe:australia": (("أسترالي", "استرالي"), ()),
    "gpe:austria": (("نمساوي",), ()),
    "gpe:azerbaijan": (("أذربيجاني", "أذري"), ()),
    "gpe:bahamas": (("باهامي",), ()),
    "gpe:bahrain": (("بحريني",), ()),
    "gpe:bangladesh": (("بنغلاديشي",), ()),
    "gpe:barbados": (("بربادوسي",), ()),
    "gpe:belarus": (("بيلاروسي",), ()),
    "gpe:belgium": (("بلجيكي",), ()),
    "gpe:belize": (("بليزي",), ()),
    "gpe:benin": (("بنيني",), ()),
    "gpe:bhutan": (("بوتاني",), ()),
    "gpe:bolivia": (("بوليفي",), ()),
    "gpe:bosnia-and-herzegovina": (("بوسني",), ()),
    "gpe:botswana": (("بوتسواني",), ()),
    "gpe:brazil": (("برازيلي",), ()),
    "gpe:brunei": (("بروناوي",), ()),
    "gpe:bulgaria": (("بلغاري",), ()),
    "gpe:burkina-faso": (("بوركيني",), ()),
    "gpe:burundi": (("بوروندي",), ()),
    "gpe:cambodia": (("كمبودي",), ()),
    "gpe:cameroon": (("كاميروني",), ()),
    "gpe:canada": (("كندي",), ()),
    "gpe:chad": (("تشادي",), ()),
    "gpe:chile": (("تشيلي",), ()),
    "gpe:china": (("صيني",), ()),
    "gpe:colombia": (("كولومبي",), ()),
    "gpe:comoros": (("قمري",), ()),
    "gpe:costa-rica": (("كوستاريكي",), ()),
    "gpe:ivory-coast": (("إيفواري",), ()),
    "gpe:croatia": (("كرواتي",), ("كروات",)),
    "gpe:cuba": (("كوبي",), ()),
    "gpe:cyprus": (("قبرصي",), ()),
    "gpe:czech-republic": (("تشيكي",), ()),
    "gpe:denmark": (("دنماركي", "دانماركي"), ()),
    "gpe:dominican-republic": (("دومينيكاني",), ()),
    "gpe:ecuador": (("إكوادوري",), ()),
    "gpe:egypt": (("مصري",), ()),
    "gpe:el-salvador": (("سلفادوري",), ()),
    "gpe:eritrea": (("إريتري",), ()),
    "gpe:estonia": (("إستوني",), ()),
    "gpe:ethiopia": (("إثيوبي", "أثيوبي"), ()),
    "gpe:finland": (("فنلندي",), ()),
    "gpe:france": (("فرنسي",), ()),
    "gpe:gabon": (("غابوني",), ()),
    "gpe:gambia": (("غامبي",), ()),
    "gpe:georgia": (("جورجي",), ()),
    "gpe:germany": (("ألماني",), ("ألمان",)),
    "gpe:ghana": (("غاني",), ()),
    "gpe:greece": (("يوناني",), ()),
    "gpe:guatemala": (("غواتيمالي",), ()),
    "gpe:guyana": (("غياني",), ()),
    "gpe:honduras": (("هندوراسي",), ()),
    "gpe:hungary": (("مجري", "هنغاري"), ()),
    "gpe:iceland": (("آيسلندي", "أيسلندي"), ()),
    "gpe:india": (("هندي",), ()),
    "gpe:indonesia": (("إندونيسي",), ()),
    "gpe:iran": (("إيراني",), ()),
    "gpe:iraq": (("عراقي",), ()),
    "gpe:ireland": (("أيرلندي", "إيرلندي"), ()),
    "gpe:israel": (("إسرائيلي",), ()),
    "gpe:italy": (("إيطالي",), ()),
    "gpe:jamaica": (("جامايكي",), ()),
    "gpe:japan": (("ياباني",), ()),
    "gpe:jordan": (("أردني",), ()),
    "gpe:kazakhstan": (("كازاخستاني", "كازاخي"), ()),
    "gpe:kenya": (("كيني",), ()),
    "gpe:kosovo": (("كوسوفي",), ()),
    "gpe:kuwait": (("كويتي",), ()),
    "gpe:kyrgyzstan": (("قيرغيزي", "قرغيزي"), ()),
    "gpe:laos": (("لاوسي",), ()),
    "gpe:latvia": (("لاتفي",), ()),
    "gpe:lebanon": (("لبناني",), ()),
    "gpe:liberia": (("ليبيري",), ()),
    "gpe:libya": (("ليبي",), ()),
    "gpe:lithuania": (("ليتواني",), ()),
    "gpe:luxembourg": (("لوكسمبورغي",), ()),
    "gpe:north-macedonia": (("مقدوني",), ()),
    "gpe:madagascar": (("مدغشقري",), ()),
    "gpe:malaysia": (("ماليزي",), ()),
    "gpe:maldives": (("مالديفي",), ()),
    "gpe:mali": (("مالي",), ()),
    "gpe:malta": (("مالطي",), ()),
    "gpe:mauritania": (("موريتاني",), ()),
    "gpe:mauritius": (("موريشيوسي",), ()),
    "gpe:mexico": (("مكسيكي",), ()),
    "gpe:moldova": (("مولدوفي",), ()),
    "gpe:mongolia": (("منغولي",), ()),
    "gpe:morocco": (("مغربي",), ()),
    "gpe:mozambique": (("موزمبيقي",), ()),
    "gpe:myanmar": (("ميانماري", "بورمي"), ()),
    "gpe:namibia": (("ناميبي",), ()),
    "gpe:nepal": (("نيبالي",), ()),
    "gpe:netherlands": (("هولندي",), ()),
    "gpe:new-zealand": (("نيوزيلندي",), ()),
    "gpe:nicaragua": (("نيكاراغوي",), ()),
    "gpe:niger": (("نيجري",), ()),
    "gpe:nigeria": (("نيجيري",), ()),
    "gpe:north-korea": (("كوري شمالي",), ()),
    "gpe:south-korea": (("كوري جنوبي",), ()),
    "gpe:norway": (("نرويجي",), ()),
    "gpe:oman": (("عماني",), ()),
    "gpe:pakistan": (("باكستاني",), ()),
    "gpe:palestine": (("فلسطيني",), ()),
    "gpe:panama": (("بنمي",), ()),
    "gpe:paraguay": (("باراغوائي",), ()),
    "gpe:peru": (("بيروفي",), ()),
    "gpe:philippines": (("فلبيني",), ()),
    "gpe:poland": (("بولندي",), ()),
    "gpe:portugal": (("برتغالي",), ()),
    "gpe:qatar": (("قطري",), ()),
    "gpe:romania": (("روماني",), ()),
    "gpe:russia": (("روسي",), ("روس",)),
    "gpe:rwanda": (("رواندي",), ()),
    "gpe:saudi-arabia": (("سعودي",), ()),
    "gpe:senegal": (("سنغالي",), ()),
    "gpe:serbia": (("صربي",), ("صرب",)),
    "gpe:singapore": (("سنغافوري",), ()),
    "gpe:slovakia": (("سلوفاكي",), ()),
    "gpe:slovenia": (("سلوفيني",), ()),
    "gpe:somalia": (("صومالي",), ()),
    "gpe:south-africa": (("جنوب* أفريقي", "جنوب* إفريقي"), ()),
    "gpe:south-sudan": (("جنوب* سوداني",), ()),
    "gpe:spain": (("إسباني", "اسباني"), ()),
    "gpe:sri-lanka": (("سريلانكي",), ()),
    "gpe:sudan": (("سوداني",), ()),
    "gpe:suriname": (("سورينامي",), ()),
    "gpe:sweden": (("سويدي",), ()),
    "gpe:switzerland": (("سويسري",), ()),
    "gpe:syria": (("سوري",), ()),
    "gpe:taiwan": (("تايواني",), ()),
    "gpe:tajikistan": (("طاجيكي", "طاجيكستاني"), ()),
    "gpe:tanzania": (("تنزاني",), ()),
    "gpe:thailand": (("تايلاندي",), ()),
    "gpe:togo": (("توغولي",), ()),
    "gpe:tunisia": (("تونسي",), ()),
    "gpe:turkey": (("تركي",), ("أتراك",)),
    "gpe:turkmenistan": (("تركماني", "تركمانستاني"), ()),
    "gpe:uganda": (("أوغندي",), ()),
    "gpe:ukraine": (("أوكراني",), ()),
    "gpe:united-arab-emirates": (("إماراتي",), ()),
    "gpe:united-kingdom": (("بريطاني",), ()),
    "gpe:united-states": (("أمريكي", "أميركي", "امريكي"), ("أمريكان", "أميركان")),
    "gpe:uruguay": (("أوروغوياني",), ()),
    "gpe:uzbekistan": (("أوزبكي", "أوزبكستاني"), ()),
    "gpe:vatican-city": (("فاتيكاني",), ()),
    "gpe:venezuela": (("فنزويلي",), ()),
    "gpe:vietnam": (("فيتنامي",), ()),
    "gpe:yemen": (("يمني",), ()),
    "gpe:zambia": (("زامبي",), ()),
    "gpe:zimbabwe": (("زيمبابوي",), ()),
    # blocs (documented in docs/actors.md): adjective -> the bloc's ORG entry
    "org:european-union": (("أوروبي", "أوربي"), ()),
}

SUFFIXES = ("", "ة", "ون", "ين", "ان", "تان", "تين", "ات")


def _article(word: str) -> str:
    return "ال" + word


def inflect(base: str) -> list[str]:
    """All regular forms of one base (one or more words)."""
    words = base.split()
    out: list[str] = []
    for suf in SUFFIXES:
        plain = [w.rstrip("*") if w.endswith("*") else w + suf for w in words]
        out.append(" ".join(plain))
        if words[0].endswith("*"):
            defin = [_article(plain[0])] + plain[1:]
        else:
            defin = [_article(w) for w in plain]
        out.append(" ".join(defin))
    return out


def forms_for(bases: tuple[str, ...], irregular: tuple[str, ...]) -> list[str]:
    seen: dict[str, None] = {}
    for b in bases:
        for f in inflect(b):
            seen.setdefault(f, None)
    for p in irregular:
        seen.setdefault(p, None)
        seen.setdefault(_article(p), None)
    return list(seen)


def render() -> str:
    lines = ["country_id\tforms_ar"]
    for cid in sorted(BASES):
        bases, irregular = BASES[cid]
        lines.append(cid + "\t" + "|".join(forms_for(bases, irregular)))
    return "\n".join(lines) + "\n"


def main() -> None:
    out = Path(__file__).with_name("nationalities.tsv")
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out} ({len(BASES)} rows)")


if __name__ == "__main__":
    main()
