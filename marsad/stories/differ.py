"""What the outlets of one story report differently, each side with its evidence spans:

- ``number``: counts of the same category (killed, injured, arrested, displaced, participants) with
  different values (:mod:`.counts`);
- ``responsible``: the source actors of the story's ASSAULT / COERCE events;
- ``label``: the names used for one actor (mentions resolved to the same actor id), and the lexicon
  labels used for one actor class (:mod:`.labels`: «قوات النظام» against «الجيش العربي السوري»);
- ``source``: the agencies and monitors cited (attributions, quotes of media and monitors).

Pure functions over rows (dicts); a fact is kept when two outlets or more speak of it and they do
not all say the same.  Every value carries ``article_id``, ``start``, ``end`` and ``text`` (the
article's ``text[start:end]``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable, Optional, Sequence

from ..text.normalize import norm_key
from .counts import find_counts
from .labels import LabelMatcher, name_form
from .lexicons import matcher

RESPONSIBLE_TYPES = ("ASSAULT", "COERCE")
NAME_TYPES = ("PER", "ORG")  # mentions whose wording is a label (not place or nationality names)


def _fact(
    kind: str,
    key: str,
    label: str,
    by_outlet: dict[str, list[dict]],
    compare: Callable[[dict], str],
    outlets: Sequence[str] = (),
) -> Optional[dict]:
    """A difference when two outlets or more have values here and their sets of compared keys differ
    (``outlets`` that have none take part with an empty side)."""
    sides = {o: v for o, v in by_outlet.items() if v}
    every = sorted(set(sides) | set(outlets))
    if not sides or len(every) < 2:
        return None
    if len({frozenset(compare(v) for v in by_outlet.get(o, ())) for o in every}) < 2:
        return None
    return {
        "kind": kind,
        "key": key,
        "label": label,
        "outlets": [{"outlet": o, "values": by_outlet.get(o, [])} for o in every],
    }


def _span(text: str, aid: str, start: int, end: int, **extra) -> dict:
    return {**extra, "article_id": aid, "start": start, "end": end, "text": text[start:end]}


def number_facts(articles: Sequence[dict]) -> list[dict]:
    """``articles``: dicts with id, outlet, text."""
    by: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for a in articles:
        for c in find_counts(a["text"]):
            side = by[c.category][a["outlet"]]
            value = c.value if c.value is not None else c.vague
            if all(v["value"] != value for v in side):  # each value once an outlet, at its first evidence
                side.append(_span(a["text"], a["id"], c.start, c.end, value=value))
    out = []
    for cat in sorted(by):
        f = _fact("number", cat, cat, by[cat], lambda v: str(v["value"]))
        if f:
            out.append(f)
    return out


def responsible_facts(events: Iterable[dict], texts: dict[str, str]) -> list[dict]:
    """``events``: rows with article_id, outlet, type, source, source_ids, start, end."""
    by: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for e in events:
        if e.get("type") not in RESPONSIBLE_TYPES:
            continue
        names = list(e.get("source") or ())
        ids = list(e.get("source_ids") or ())
        for i, name in enumerate(names):
            actor = ids[i] if i < len(ids) and ids[i] else norm_key(name)
            k = (e["outlet"], actor)
            if not name or k in seen:
                continue
            seen.add(k)
            by[e["outlet"]].append(
                _span(
                    texts[e["article_id"]],
                    e["article_id"],
                    e["start"],
                    e["end"],
                    value=actor,
                    name=name,
                    type=e["type"],
                )
            )
    f = _fact("responsible", "ASSAULT/COERCE", "source of the attack", by, lambda v: v["value"])
    return [f] if f else []


def _fullest(forms: set[str]) -> dict[str, str]:
    """Each wording -> the longest wording of the same actor that holds it (spaces aside): «الأسد» and
    «بشار الأسد», «عبدالفتاح السيسي» and «عبد الفتاح السيسي» are one name, not two labels."""
    flat = {f: f.replace(" ", "") for f in forms}
    return {f: min((g for g in forms if flat[f] in flat[g]), key=lambda g: (-len(flat[g]), g)) for f in forms}


def label_facts(mentions: Iterable[dict], articles: Sequence[dict], m: Optional[LabelMatcher] = None) -> list[dict]:
    """``mentions``: rows with article_id, outlet, start, end, text, type, actor_id, canonical;
    ``articles`` (id, outlet, text) are searched for the lexicon's labels."""
    texts = {a["id"]: a["text"] for a in articles}
    by: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for r in mentions:
        if not r.get("actor_id") or r.get("type") not in NAME_TYPES:
            continue
        names.setdefault(r["actor_id"], r.get("canonical") or r["text"])
        side = by[r["actor_id"]][r["outlet"]]
        if all(name_form(v["text"]) != name_form(r["text"]) for v in side):
            side.append(
                _span(texts[r["article_id"]], r["article_id"], r["start"], r["end"], value=name_form(r["text"]))
            )
    out = []
    for actor in sorted(by):
        full = _fullest({v["value"] for side in by[actor].values() for v in side})
        f = _fact("label", actor, names[actor], by[actor], lambda v: full[v["value"]])
        if f:
            out.append(f)
    m = m or matcher()
    classes: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for a in articles:
        for h in m.find(a["text"]):
            side = classes[h.cls][a["outlet"]]
            if all(v["value"] != h.term for v in side):
                side.append(_span(a["text"], a["id"], h.start, h.end, value=h.term, stance=h.stance))
    for cls in sorted(classes):
        f = _fact("label", "class:" + cls, cls, classes[cls], lambda v: v["value"])
        if f:
            out.append(f)
    return out


def source_facts(cited: Iterable[dict], texts: dict[str, str], outlets: Sequence[str]) -> list[dict]:
    """``cited``: rows with article_id, outlet, start, end, source (the agency or monitor named);
    every outlet of the story takes part (one that cites nobody has an empty side)."""
    by: dict[str, list[dict]] = defaultdict(list)
    for c in cited:
        side = by[c["outlet"]]
        key = norm_key(c["source"])
        if all(v["value"] != key for v in side):
            side.append(
                _span(texts[c["article_id"]], c["article_id"], c["start"], c["end"], value=key, name=c["source"])
            )
    f = _fact("source", "sources", "sources cited", by, lambda v: v["value"], outlets)
    return [f] if f else []


def differences(
    articles: Sequence[dict], events: Iterable[dict] = (), mentions: Iterable[dict] = (), cited: Iterable[dict] = ()
) -> list[dict]:
    """Every difference of a story whose ``articles`` (id, outlet, text) come from two outlets or more."""
    articles = [a for a in articles if a.get("outlet")]
    outlets = sorted({a["outlet"] for a in articles})
    if len(outlets) < 2:
        return []
    texts = {a["id"]: a["text"] for a in articles}
    keep = set(texts)
    events = [e for e in events if e["article_id"] in keep]
    mentions = [r for r in mentions if r["article_id"] in keep]
    cited = [c for c in cited if c["article_id"] in keep]
    return (
        number_facts(articles)
        + responsible_facts(events, texts)
        + label_facts(mentions, articles)
        + source_facts(cited, texts, outlets)
    )
