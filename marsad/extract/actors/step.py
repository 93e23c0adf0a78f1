"""Actor resolution: every mention → a KB actor or a stable cluster id, with evidence and confidence.

Rules, in order (the first that fires sets ``actor_id``, ``canonical``, ``confidence``, ``evidence``):

1. ``norp`` — a nationality adjective → its country (or bloc); canonical = the country's English name.
2. ``kb-exact`` — the surface (proclitics peeled, لل→ال, article optional) is a KB name of a
   compatible kind; several candidates are ranked by kind, then by a role held on the article's date.
3. ``title`` — a person whose title names a role (``وزير الخارجية الروسي``) → the role's holder on the
   article's date (``KB.holders``), when the holder's name matches the mention.
4. ``coref-surname`` — a one-word person mention ('لافرنتييف') that matches the last word of another
   person mention in the article ('ألكسندر لافرنتييف') takes that person's actor.
5. ``kb-fuzzy`` — transliteration-aware similarity (:mod:`marsad.extract.similarity`) against the KB's
   person and organization names (blocked by skeleton).
6. ``unknown`` — ``x:`` + a hash of the name's skeleton (:func:`unknown_id`).  Because the id is a
   pure function of the spelling skeleton, the same unknown name gets the same id in every article,
   whichever worker processes it: cross-article clustering is deterministic, parallel-safe and
   needs no shared state (it merges spellings with one skeleton, 'لافرنتييف'/'لافرينتييف'; distinct
   names that share a skeleton, 'محمد'/'محمود', are merged too — a known limit).  Such mentions
   keep ``canonical = None`` so the gold export writes the cluster id, identical across articles;
   the article's :class:`Entity` is named by its most frequent surface.

Capitals keep their own canonical (``واشنطن`` → Washington, D.C.); :func:`state_of` gives the state a
capital stands for, and the evidence records it (``;state=…``) for the event layer.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace
from typing import Optional

from ...model import Article, Entity, Mention
from ..similarity import THRESHOLD, name_key, name_similarity_min, word_block, word_similarity_min
from .kb_lookup import kb_by_id, strip_clitic, fuzzy_lookup, lookup, nationality_of, state_of, unknown_id
from .role_titles import parse_role, role_holders

__all__ = ["ActorStep", "resolve_mentions"]


# --- the step --------------------------------------------------------------------------------------

_COMPATIBLE = {"PER": ("PER",), "ORG": ("ORG",), "GPE": ("GPE", "LOC"), "LOC": ("LOC", "GPE")}


class ActorStep:
    name = "actors"
    requires = ("mentions",)
    assigns = ("mentions", "entities")

    def __init__(self, kb):
        """``kb``: the actor KB (:class:`~marsad.extract.kb.KnowledgeBase`), from the pipeline's
        :class:`marsad.resources.Resources`."""
        self.kb = kb

    def __call__(self, a: Article) -> Article:
        kb = self.kb
        ments = resolve_mentions(a, kb)
        return replace(a, mentions=tuple(ments), entities=tuple(group_entities(ments)))


def _holds_on(actor, on) -> bool:
    if on is None:
        return False
    for r in getattr(actor, "roles", ()) or ():
        covers = getattr(r, "covers", None)
        try:
            if covers is not None and covers(on):
                return True
        except ValueError:
            continue
    return False


def _pick(cands, typ: str, on):
    ok = [c for c in cands if c.kind in _COMPATIBLE.get(typ, (typ,))]
    if not ok:
        return None, 0.0
    if len(ok) == 1:
        return ok[0], 0.95
    dated = [c for c in ok if _holds_on(c, on)]
    if len(dated) == 1:
        return dated[0], 0.85
    exact = [c for c in ok if c.kind == typ]
    return (exact or ok)[0], 0.6


def _set(m: Mention, actor, conf: float, evidence: str, kb) -> Mention:
    ev = evidence
    st = state_of(actor, kb)
    if st is not None and st is not actor and m.type == "GPE":
        ev += f";state={st.id}"
    return replace(
        m, actor_id=actor.id, canonical=actor.name_en or actor.name_ar or actor.id, confidence=conf, evidence=ev
    )


# long: the seven rules below run in order over one shared ``done`` list (the order is the
# behaviour); each is a numbered block, and split up they would hand ``done`` and ``ambiguous`` around
def resolve_mentions(a: Article, kb) -> list[Mention]:
    ms = list(a.mentions)
    on = a.published
    done = [False] * len(ms)
    # 1–2: nationality adjectives and exact KB names
    ambiguous = []
    for i, m in enumerate(ms):
        if m.type == "NORP":
            act = nationality_of(kb, m.text)
            if act is not None:
                ms[i], done[i] = _set(m, act, 0.95, "norp", kb), True
            else:
                ms[i], done[i] = _norp_fallback(m, kb)
            continue
        cands = lookup(kb, m.text)
        act, conf = _pick(cands, m.type, on)
        if act is not None:
            ms[i], done[i] = _set(m, act, conf, "kb-exact", kb), True
            if conf <= 0.6:
                ambiguous.append((i, cands))
    # the article's home country (most named state) settles ambiguous places ('طرابلس' in a Lebanese
    # story) and names bare institutions ('وزارة الخارجية', 'البرلمان')
    home = _home_country(kb, ms, {i for i, _ in ambiguous})
    if home:
        for i, cands in ambiguous:
            local = [c for c in cands if c.kind in _COMPATIBLE.get(ms[i].type, ()) and c.country == home]
            if len(local) == 1 and local[0].id != ms[i].actor_id:
                ms[i] = _set(a.mentions[i], local[0], 0.75, "kb-home", kb)
    for i, m in enumerate(ms):
        if not done[i] and m.type == "ORG" and _bare_institution(m.text):
            act = _fuller_institution(kb, ms, m)
            if act is not None:
                ms[i], done[i] = _set(m, act, 0.7, "coref-institution", kb), True
            else:  # one id per country: Egypt's and Iraq's foreign ministries stay apart
                ms[i] = replace(
                    m, actor_id=unknown_id(f"{m.text} {home or ''}"), confidence=0.3, evidence="unknown-institution"
                )
                done[i] = True
    # 3: titled persons → the role holder on the article's date
    for i, m in enumerate(ms):
        if m.type != "PER" or not m.title:
            continue
        parsed = parse_role(m.title, kb)
        if not parsed or on is None:
            continue
        holders = role_holders(kb, parsed[0], parsed[1], on) if parsed[1] else []
        for h in holders:
            names = [h.name_ar or ""] + list(getattr(h, "variants", ()) or ())
            if any(_name_match(m.text, n) for n in names if n):
                if not done[i] or ms[i].actor_id != h.id:
                    ms[i], done[i] = _set(m, h, 0.9, f"title:{parsed[0]}", kb), True
                break
    # 4: transliteration-aware KB match for multi-word names
    for i, m in enumerate(ms):
        if done[i] or m.type not in ("PER", "ORG") or len(name_key(m.text).split()) < 2:
            continue
        act, score = fuzzy_lookup(kb, m.text, m.type)
        if act is not None:
            ms[i], done[i] = _set(m, act, round(0.5 + score / 2 - 0.05, 3), "kb-fuzzy", kb), True
    # 5: a surname (or the last words of a name) alone → a fuller person name in the article
    full = [(i, m, name_key(m.text).split()) for i, m in enumerate(ms) if m.type == "PER"]
    fuller = _Fuller(full)
    for i, m in enumerate(ms):
        if m.type != "PER" or done[i]:
            continue
        words = name_key(strip_clitic(m.text)).split()
        best = None
        for j, f, fw in fuller.candidates(words, m.start):
            if len(fw) <= len(words) or not _tail_match(words, fw):
                continue
            if (
                best is None
                or abs(f.start - m.start) < abs(best[1].start - m.start)
                or (best[1].start > m.start and f.start < m.start)
            ):
                best = (j, f)
        if best is not None:
            j, f = best
            f = ms[j]
            aid = f.actor_id or unknown_id(f.text)  # an unknown full name: share its id
            ms[i] = replace(m, actor_id=aid, canonical=f.canonical, confidence=0.8, evidence="coref-surname")
            done[i] = f.actor_id is not None
    # 6: transliteration-aware KB match for single words
    for i, m in enumerate(ms):
        if done[i] or m.type not in ("PER", "ORG") or ms[i].actor_id:
            continue
        act, score = fuzzy_lookup(kb, m.text, m.type)
        if act is not None:
            ms[i], done[i] = _set(m, act, round(0.5 + score / 2 - 0.05, 3), "kb-fuzzy", kb), True
    # 7: unknown names: stable ids from the skeleton.  Their mentions carry no canonical, so the
    # gold export writes the cluster id, which is the same in every article (the per-article
    # display name, the most frequent surface, is on the Entity).
    for i, m in enumerate(ms):
        if not ms[i].actor_id:
            ms[i] = replace(m, actor_id=unknown_id(m.text), confidence=0.3, evidence="unknown")
    return ms


class _Fuller:
    """The fuller person names a surname may stand for (rule 5), found without comparing every
    surname with every name of the article (quadratic in its length).

    Rule 5 scans the names in article order and keeps the nearest match, an earlier one on a tie.
    With the names in order of position, only three of the names sharing one tail can be that
    nearest match: the last before the surname, one at its position, the first after it.  Those of
    every tail that matches the surname are all :meth:`candidates` gives, in article order; the
    tails compared with a surname are those whose last word shares its
    :func:`~marsad.extract.similarity.word_block` (or is too long to have one), once per
    surname.  When the names are not in order of position it gives them all, as the scan took them."""

    def __init__(self, full: list) -> None:
        self.full = full
        self.ordered = all(a[1].start < b[1].start for a, b in zip(full, full[1:]))
        # len(words) → (tail → (starts, entries), last word's block → tails, tails of a long last word)
        self._groups: dict[int, tuple[dict, dict, list]] = {}
        self._tails: dict[tuple, list] = {}  # words → the groups of the tails they match

    def _by_length(self, k: int) -> tuple[dict, dict, list]:
        got = self._groups.get(k)
        if got is None:
            groups: dict[tuple, tuple[list, list]] = {}
            for e in self.full:
                if len(e[2]) > k:
                    g = groups.setdefault(tuple(e[2][-k:] if k else e[2]), ([], []))
                    g[0].append(e[1].start)
                    g[1].append(e)
            blocks: dict = {}
            long: list = []
            for tail in groups:
                b = word_block(tail[-1], _SURNAME_SIM) if k else None
                (long if b is None else blocks.setdefault(b, [])).append(tail)
            got = self._groups[k] = (groups, blocks, long)
        return got

    def candidates(self, words: list[str], pos: int) -> list:
        if not self.ordered:
            return self.full
        k = len(words)
        groups, blocks, long = self._by_length(k)
        key = tuple(words)
        hits = self._tails.get(key)
        if hits is None:
            # only tails whose last word can reach the similarity of the surname's last word
            b = word_block(words[-1], _SURNAME_SIM) if k else None
            tails = groups if b is None else blocks.get(b, []) + long
            hits = self._tails[key] = [groups[t] for t in tails if _tail_match(words, list(t))]
        out = []
        for starts, entries in hits:
            lo = bisect_left(starts, pos)
            hi = bisect_right(starts, pos)
            out += entries[max(lo - 1, 0) : min(hi + 1, len(entries))]
        if len(hits) > 1:
            out.sort(key=lambda e: e[0])
        return out


def _norp_fallback(m: Mention, kb) -> tuple[Mention, bool]:
    """A NORP that is no nationality adjective: a group ('الكرد' → Kurds) or a tanween-marked country
    name used as an adjective ('ليبياً' → Libya)."""
    from ..gazetteer import GROUP_NORP

    k = name_key(strip_clitic(m.text))
    grp = GROUP_NORP.get(k)
    if grp is not None:
        return replace(m, actor_id=unknown_id(grp), canonical=grp, confidence=0.8, evidence="norp-group"), True
    bare = m.text.rstrip("\u064b").rstrip("ا\u064b") if m.text.endswith(("اً", "ًا", "\u064b")) else ""
    if bare:
        for cand in (bare, bare + "ا"):
            gpe = [c for c in lookup(kb, cand) if c.kind == "GPE"]
            if gpe:
                return _set(m, gpe[0], 0.8, "norp-tanween", kb), True
    return m, False


def _home_country(kb, ms: list[Mention], skip: set) -> Optional[str]:
    """ISO3 of the state most named (as a place or a nationality) in the article."""
    by = kb_by_id(kb)
    n: Counter = Counter()
    for i, m in enumerate(ms):
        if i in skip or m.type not in ("GPE", "NORP") or not m.actor_id:
            continue
        c = getattr(by.get(m.actor_id), "country", None)
        if c:
            n[c] += 1
    if not n:
        return None
    (top, k), *rest = n.most_common(2)
    return top if not rest or k > rest[0][1] else None


def _bare_institution(surface: str) -> bool:
    from ..gazetteer import BARE_INSTITUTION_SET

    k = name_key(strip_clitic(surface))
    if tuple(k.split()) in BARE_INSTITUTION_SET:
        return True
    return k[:1] in "وفبل" and tuple(k[1:].split()) in BARE_INSTITUTION_SET


def _fuller_institution(kb, ms: list[Mention], m: Mention):
    """'البرلمان' after 'البرلمان العراقي' in the same article: the institution named in full."""
    base = name_key(strip_clitic(m.text))
    if tuple(base.split()) not in _bare_set():
        base = base[1:]  # 'لوزارة الخارجية
    for f in ms:
        if f.type == "ORG" and f.actor_id and f is not m:
            fk = name_key(strip_clitic(f.text))
            if fk.startswith(base + " ") or fk[1:].startswith(base + " "):
                return kb_by_id(kb).get(f.actor_id)
    return None


def _bare_set():
    from ..gazetteer import BARE_INSTITUTION_SET

    return BARE_INSTITUTION_SET


_SURNAME_SIM = 0.9  # word similarity of a surname to the last word of a fuller name


def _tail_match(words: list[str], longer: list[str]) -> bool:
    """``words`` are the last words of ``longer`` (transliteration allowed): 'دي ميستورا' of
    'ستيفان دي ميستورا', 'لافرنتيف' of 'ألكسندر لافرنتييف'."""
    tail = longer[-len(words) :]
    return all(word_similarity_min(x, y, _SURNAME_SIM) >= _SURNAME_SIM for x, y in zip(words, tail))


def _name_match(mention: str, name: str) -> bool:
    """The mention is the name, or its last word(s) (a surname), allowing transliteration."""
    if name_similarity_min(mention, name, THRESHOLD) >= THRESHOLD:
        return True
    mw, nw = name_key(mention).split(), name_key(name).split()
    return 0 < len(mw) < len(nw) and all(word_similarity_min(x, y, 0.9) >= 0.9 for x, y in zip(mw, nw[-len(mw) :]))


def group_entities(ms: list[Mention]) -> list[Entity]:
    """Mentions grouped by actor; an unknown actor is named by its most frequent surface."""
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(ms):
        if m.actor_id:
            groups.setdefault(m.actor_id, []).append(i)
    out = []
    for aid, idx in groups.items():
        types = Counter(ms[i].type for i in idx if ms[i].type != "NORP") or Counter(ms[i].type for i in idx)
        canon = next((ms[i].canonical for i in idx if ms[i].canonical), None)
        if canon is None:
            surf = Counter(strip_clitic(ms[i].text) for i in idx)
            key = max(surf.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
            canon = next((ms[i].text for i in idx if strip_clitic(ms[i].text) == key), key)
        out.append(Entity(aid, canon, types.most_common(1)[0][0], tuple(idx)))
    return out
