"""Choose the articles of the annotated corpus from the unlabeled ANT file, and split them.

Deterministic: the same input file gives the same selection.  Articles listed in
``reserved_ids.txt`` and their near-duplicates are never chosen; near-duplicates among the chosen
articles share one group, and a group goes whole to one split.

Topics are read from the title and the first lines with keyword patterns: they steer the sample
towards what the users code (Syria, Iraq, Yemen, Libya, Palestine, Gulf diplomacy, protests,
attacks, statements) while keeping at least a sixth of other politics as negatives.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

TOPICS: dict[str, str] = {
    "syria": r"سوري|دمشق|حلب|إدلب|ادلب|الغوطة|دوما|درعا|الرقة|دير الزور|حمص|حماة|عفرين|منبج|الأسد",
    "iraq": r"العراق|عراقي|بغداد|الموصل|كركوك|البصرة|الأنبار|أربيل|الحشد الشعبي",
    "yemen": r"اليمن|يمني|الحوثي|صنعاء|عدن|الحديدة|تعز|مأرب",
    "libya": r"ليبيا|ليبي|طرابلس|بنغازي|حفتر|السراج|مصراتة|درنة",
    "palestine": r"فلسطين|غزة|القدس|الضفة|حماس|الاحتلال|رام الله|الأونروا|إسرائيل|الإسرائيلي",
    "gulf": r"قطر|السعودية|الإمارات|البحرين|الكويت|سلطنة عمان|الخليج|إيران|الإيراني|طهران|الرياض|الدوحة",
}
ACTS: dict[str, str] = {
    "protest": r"احتجاج|تظاهر|مظاهرة|متظاهر|محتج|اعتصام|إضراب",
    "attack": r"هجوم|قصف|غارة|غارات|انفجار|تفجير|اشتباك|معارك|مقتل|قتلى|صاروخ|استهداف",
    "statement": r"قال|أكد|بيان|أعلن|نفى|دعا|طالب|حذر|اتهم|ندد|أدان|رفض|هدد",
    "diplomacy": r"التقى|لقاء|اجتماع|محادثات|مباحثات|زيارة|اتفاق|قمة|مفاوضات|وزير الخارجية",
}
POLITICS = r"انتخاب|رئيس|وزير|حكومة|برلمان|حزب|مجلس|الأمم المتحدة|عقوبات|سفير|رئاسة|نائب"
OFF_TOPIC = r"كرة|مباراة|منتخب|الدوري|فيلم|مهرجان|فنان|مغني|أزياء|هاتف|آيفون|تطبيق|علماء|دراسة"

WORDS_MIN, WORDS_MAX = 90, 650
SHINGLE = 4
NEAR_DUP = 0.25  # containment of the smaller article's 4-word shingles


@dataclass(frozen=True)
class Candidate:
    id: str
    outlet: str
    day: str
    topics: tuple[str, ...]
    acts: tuple[str, ...]
    words: int
    shingles: frozenset


def _rank(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _shingles(text: str) -> frozenset:
    words = re.findall(r"\w+", text)
    return frozenset(hash(" ".join(words[i : i + SHINGLE])) for i in range(max(0, len(words) - SHINGLE + 1)))


def _day(raw_id: str) -> str:
    m = re.search(r"-(\d{8})$", raw_id)
    return m.group(1) if m else ""


def read_candidates(path: Path) -> list[Candidate]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text = r.get("text") or ""
            head = (r.get("title") or "") + "\n" + "\n".join(text.split("\n")[:3])
            topics = tuple(t for t, p in TOPICS.items() if re.search(p, head))
            acts = tuple(a for a, p in ACTS.items() if re.search(p, head))
            out.append(
                Candidate(
                    id=r["id"],
                    outlet=r.get("outlet", ""),
                    day=_day(r["id"]),
                    topics=topics,
                    acts=acts,
                    words=len(text.split()),
                    shingles=_shingles((r.get("title") or "") + " " + text),
                )
            )
            if not topics and re.search(OFF_TOPIC, head):
                out[-1] = Candidate(
                    out[-1].id, out[-1].outlet, out[-1].day, (), ("off",), out[-1].words, out[-1].shingles
                )
            elif not topics and not re.search(POLITICS, head):
                out[-1] = Candidate(
                    out[-1].id, out[-1].outlet, out[-1].day, (), ("off",) + acts, out[-1].words, out[-1].shingles
                )
    return out


def _near_pairs(cands: list[Candidate]) -> dict[str, set[str]]:
    """Pairs of articles whose shingle containment is at least NEAR_DUP (an inverted index on shingles)."""
    index: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        for s in c.shingles:
            index[s].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for posting in index.values():
        if 1 < len(posting) <= 50:  # very common shingles (boilerplate) say nothing
            for a in range(len(posting)):
                for b in range(a + 1, len(posting)):
                    shared[(posting[a], posting[b])] += 1
    near: dict[str, set[str]] = defaultdict(set)
    for (a, b), n in shared.items():
        small = min(len(cands[a].shingles), len(cands[b].shingles)) or 1
        if n / small >= NEAR_DUP:
            near[cands[a].id].add(cands[b].id)
            near[cands[b].id].add(cands[a].id)
    return near


def _choose(on_topic: list[Candidate], others: list[Candidate], total: int) -> list[Candidate]:
    """``total`` articles: on-topic ones round-robin over topics (so that no one region fills the
    sample), then about a sixth of off-topic ones."""
    by_topic: dict[str, list[Candidate]] = defaultdict(list)
    for c in on_topic:
        by_topic[c.topics[0]].append(c)
    n_other = max(total // 6 + 1, 0)
    chosen: list[Candidate] = []
    taken: set[str] = set()
    order = list(TOPICS)
    while len(chosen) < total - n_other and any(by_topic.values()):
        for t in order:
            while by_topic[t]:
                c = by_topic[t].pop(0)
                if c.id not in taken:
                    chosen.append(c)
                    taken.add(c.id)
                    break
    chosen += [c for c in others if c.id not in taken][:n_other]
    return chosen


def select(corpus: Path, reserved: Path, total: int = 520, test: int = 100, dev: int = 50) -> list[dict]:
    """The selection: one row per chosen article with its split, group, topics and acts."""
    reserved_ids = {x.strip() for x in reserved.read_text().split() if x.strip()}
    cands = read_candidates(corpus)
    near = _near_pairs(cands)
    banned = set(reserved_ids)
    for rid in reserved_ids:
        banned |= near.get(rid, set())
    pool = [c for c in cands if c.id not in banned and WORDS_MIN <= c.words <= WORDS_MAX]
    on_topic = sorted((c for c in pool if c.topics), key=lambda c: _rank(c.id))
    others = sorted((c for c in pool if not c.topics and "off" not in c.acts), key=lambda c: _rank(c.id))
    chosen = _choose(on_topic, others, total)
    # groups: connected components of near-duplicates among the chosen
    ids = {c.id for c in chosen}
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in chosen:
        for d in near.get(c.id, ()):
            if d in ids:
                parent[find(c.id)] = find(d)
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in chosen:
        groups[find(c.id)].append(c)

    # test and dev favour event-rich articles (a topic and an attack/statement/diplomacy cue)
    def richness(g: list[Candidate]) -> int:
        return sum(bool(c.topics) + len([a for a in c.acts if a != "off"]) for c in g) // len(g)

    ordered = sorted(groups.values(), key=lambda g: _rank(g[0].id))
    rich = [g for g in ordered if richness(g) >= 2]
    negatives = [g for g in ordered if len(g) == 1 and not g[0].topics]
    split_of: dict[str, str] = {}
    for split, want in (("test", test), ("dev", dev)):
        n_neg = want // 6
        got = 0
        for pool_, quota in ((negatives, n_neg), (rich, want - n_neg)):
            n = 0
            for g in pool_:
                if n >= quota:
                    break
                key = find(g[0].id)
                if key in split_of:
                    continue
                split_of[key] = split
                n += len(g)
            got += n
    rows = []
    for c in chosen:
        rows.append(
            {
                "id": c.id,
                "split": split_of.get(find(c.id), "train"),
                "group": find(c.id),
                "outlet": c.outlet,
                "topics": list(c.topics),
                "acts": [a for a in c.acts if a != "off"],
                "words": c.words,
            }
        )
    rows.sort(key=lambda r: ({"test": 0, "dev": 1, "train": 2}[r["split"]], _rank(r["id"])))
    return rows


def extend(
    rows: list[dict], corpus: Path, reserved: Path, n: int, split: str, batch_prefix: str, first_batch: int
) -> list[dict]:
    """``n`` more event-rich articles for ``split`` (a topic and two act cues, or a topic and one),
    none reserved, already chosen, or a near-duplicate of either; in batches of five."""
    reserved_ids = {x.strip() for x in reserved.read_text().split() if x.strip()}
    cands = read_candidates(corpus)
    near = _near_pairs(cands)
    taken = {r["id"] for r in rows}
    banned = reserved_ids | taken
    for x in list(banned):
        banned |= near.get(x, set())
    pool = [
        c
        for c in cands
        if c.id not in banned
        and WORDS_MIN <= c.words <= WORDS_MAX
        and c.topics
        and len([a for a in c.acts if a != "off"]) >= 2
    ]
    pool.sort(key=lambda c: _rank("extend:" + c.id))
    out, used = [], set()
    for c in pool:
        if len(out) >= n:
            break
        if c.id in used or near.get(c.id, set()) & used:
            continue
        used.add(c.id)
        k = len(out)
        out.append(
            {
                "id": c.id,
                "split": split,
                "group": c.id,
                "outlet": c.outlet,
                "topics": list(c.topics),
                "acts": [a for a in c.acts if a != "off"],
                "words": c.words,
                "batch": f"{batch_prefix}{first_batch + k // 5:03d}",
            }
        )
    return out
