"""An outlet's framing profile, set against the corpus as a whole:

1. ``actor_labels``: for each actor it names most, the wordings it uses (mentions resolved to that
   actor id), each with its share in this outlet and in all outlets;
2. ``labels``: the lexicon labels (:mod:`.labels`) it gives each actor class, with their stances;
3. ``loaded``: its hostile labels per 100 articles, against the other outlets';
4. ``quotes``: whose statements it reports, by the speaker's side (the KB's country and actor type,
   else the lexicon class of the speaker's wording);
5. ``attribution``: how many of its articles cite an agency or another outlet, and which.

Every comparison gives the outlet's share, the corpus share and a log-odds ratio of this outlet
against the other outlets (positive: this outlet uses it more), smoothed toward the pooled share.  Pure functions over counts."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Iterable, Mapping, Optional

from .labels import name_form

GROUP = {
    "GOV": "government",
    "MIL": "government",
    "SPY": "government",
    "LEG": "government",
    "JUD": "government",
    "OPP": "opposition",
    "REB": "armed opposition",
    "INS": "jihadist",
    "MED": "media",
    "NGO": "NGO",
    "IGO": "international organisation",
    "PTY": "party",
}
CLASS_SIDE = {
    "syrian-government": "SYR government",
    "syrian-opposition": "SYR armed opposition",
    "israel": "ISR government",
    "houthis": "YEM armed opposition",
    "saudi-coalition": "SAU government",
    "isis": "jihadist",
    "armed-groups": "armed groups",
}


def actor_side(actor_id: Optional[str], kb, countries: frozenset = frozenset()) -> Optional[str]:
    """'SYR government', 'SYR armed opposition', 'RUS government', 'jihadist', 'international
    organisation'…: the KB's actor type (or its parent's) and country; a country itself speaks for
    its government (other places for nobody).  None when the KB does not say."""
    a = kb.get(actor_id) if actor_id and kb is not None else None
    for _ in range(6):
        if a is None:
            return None
        if a.actor_type in GROUP:
            group = GROUP[a.actor_type]
            return (
                f"{a.country} {group}"
                if a.country and group not in ("jihadist", "international organisation")
                else group
            )
        if a.id in countries and a.country:
            return f"{a.country} government"
        if a.kind in ("GPE", "LOC"):  # a town does not speak for its country's government
            return None
        a = kb.get(a.parent) if a.parent else None
    return None


def log_odds(a: int, n_a: int, b: int, n_b: int, prior: float = 10.0) -> float:
    """Log-odds ratio of a/n_a against b/n_b, each share smoothed toward the pooled share with
    ``prior`` pseudo-counts (two outlets both at 100% differ by 0, not by their sizes)."""
    p = (a + b) / (n_a + n_b) if n_a + n_b else 0.0
    if p <= 0 or p >= 1:  # everywhere always, or nowhere: no difference
        return 0.0

    def logit(x: int, n: int) -> float:
        q = (x + prior * p) / (n + prior)
        return math.log(q / (1 - q))

    return round(logit(a, n_a) - logit(b, n_b), 3)


def _share(a: int, n: int) -> float:
    return round(a / n, 3) if n else 0.0


def _compare(mine: Mapping[str, int], every: Mapping[str, int]) -> list[dict]:
    """Each key of ``mine`` (and of ``every``): n, share here, share in all outlets, log-odds against
    the other outlets."""
    n_m, n_all = sum(mine.values()), sum(every.values())
    out = []
    for k in sorted(set(mine) | set(every), key=lambda k: (-mine.get(k, 0), -every.get(k, 0), k)):
        a, t = mine.get(k, 0), every.get(k, 0)
        out.append(
            {
                "key": k,
                "n": a,
                "share": _share(a, n_m),
                "corpus_n": t,
                "corpus_share": _share(t, n_all),
                "log_odds": log_odds(a, n_m, t - a, n_all - n_m),
            }
        )
    return out


def actor_labels(
    forms: Iterable[tuple[str, str, str, str, int]], outlet: str, top: int = 8, min_mentions: int = 3
) -> list[dict]:
    """``forms``: (outlet, actor id, actor name, wording, n) over all outlets; the outlet's ``top``
    actors (by mentions, at least ``min_mentions``) and their wordings (:func:`.labels.name_form`;
    shown as most often written), here and in all outlets."""
    mine: dict[str, Counter] = defaultdict(Counter)
    every: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, str] = {}
    shown: dict[str, Counter] = defaultdict(Counter)
    for o, actor, name, surface, n in forms:
        names.setdefault(actor, name)
        form = name_form(surface)
        shown[form][surface] += n
        every[actor][form] += n
        if o == outlet:
            mine[actor][form] += n
    for counts in (mine, every):
        for actor in counts:
            counts[actor] = Counter({shown[f].most_common(1)[0][0]: n for f, n in counts[actor].items()})
    ranked = sorted(
        (a for a in mine if sum(mine[a].values()) >= min_mentions), key=lambda a: (-sum(mine[a].values()), a)
    )[:top]
    return [
        {
            "actor": a,
            "name": names[a],
            "mentions": sum(mine[a].values()),
            "forms": [f for f in _compare(mine[a], every[a]) if f["n"] or f["corpus_share"] >= 0.05],
        }
        for a in ranked
    ]


def class_labels(terms: Mapping[str, Mapping[str, int]], outlet: str, lexicon) -> list[dict]:
    """``terms``: outlet -> lexicon term -> occurrences; per actor class, the outlet's labels and
    stances against all outlets'.  ``lexicon``: term -> Label."""
    out = []
    for cls in sorted({lb.cls for lb in lexicon.values()}):
        mine = {t: n for t, n in terms.get(outlet, {}).items() if lexicon[t].cls == cls}
        every: Counter = Counter()
        for per in terms.values():
            every.update({t: n for t, n in per.items() if lexicon[t].cls == cls})
        if not every:
            continue
        stance_m: Counter = Counter()
        stance_all: Counter = Counter()
        for t, n in mine.items():
            stance_m[lexicon[t].stance] += n
        for t, n in every.items():
            stance_all[lexicon[t].stance] += n
        rows = _compare(mine, every)
        for r in rows:
            r["stance"] = lexicon[r["key"]].stance
        out.append({"class": cls, "n": sum(mine.values()), "stances": _compare(stance_m, stance_all), "terms": rows})
    return out


def loaded_terms(
    terms: Mapping[str, Mapping[str, int]], articles: Mapping[str, int], outlet: str, lexicon
) -> list[dict]:
    """Hostile labels per 100 articles here and in the other outlets."""
    n_m = articles.get(outlet, 0)
    n_o = sum(articles.values()) - n_m
    out = []
    hostile = sorted({t for per in terms.values() for t in per if lexicon[t].stance == "hostile"})
    for t in hostile:
        a = terms.get(outlet, {}).get(t, 0)
        b = sum(per.get(t, 0) for o, per in terms.items() if o != outlet)
        out.append(
            {
                "term": t,
                "class": lexicon[t].cls,
                "n": a,
                "per_100": round(100 * a / n_m, 2) if n_m else 0.0,
                "others_per_100": round(100 * b / n_o, 2) if n_o else 0.0,
                "ratio": round((a / n_m) / (b / n_o), 2) if n_m and n_o and b else None,
            }
        )
    return sorted(out, key=lambda r: (-r["n"], r["term"]))


def quote_sides(quotes: Iterable[tuple[str, Optional[str], int]], outlet: str) -> dict:
    """``quotes``: (outlet, speaker side or None, n) over all outlets."""
    mine: Counter = Counter()
    every: Counter = Counter()
    for o, side, n in quotes:
        side = side or "unknown"
        every[side] += n
        if o == outlet:
            mine[side] += n
    return {
        "quotes": sum(mine.values()),
        "sides": [r for r in _compare(mine, every) if r["n"] or r["corpus_share"] >= 0.02],
    }


def attribution(cited: Iterable[tuple[str, str, str]], articles: Mapping[str, int], outlet: str) -> dict:
    """``cited``: (outlet, article id, agency) over all outlets: the share of articles citing one
    (own reporting otherwise) here and in all outlets, and the agencies it cites."""
    arts: dict[str, set] = defaultdict(set)
    agencies: Counter = Counter()
    every: Counter = Counter()
    for o, aid, source in cited:
        arts[o].add(aid)
        every[source] += 1
        if o == outlet:
            agencies[source] += 1
    n_m, n_all = articles.get(outlet, 0), sum(articles.values())
    a, t = len(arts.get(outlet, ())), sum(len(v) for v in arts.values())
    return {
        "articles": n_m,
        "citing": a,
        "citing_share": _share(a, n_m),
        "own_share": _share(n_m - a, n_m),
        "corpus_citing_share": _share(t, n_all),
        "log_odds": log_odds(a, n_m, t - a, n_all - n_m),
        "agencies": _compare(agencies, every)[:12],
    }
