"""Reporting-source attributions: phrases that name the media channel a report comes from.

'وفقاً لوكالة «سانا»', 'بحسب وكالة «سانا» للأنباء', 'نقلاً عن قناة…', 'ذكرت وكالة «فارس» الإيرانية
للأنباء', 'نقله الموقع الإلكتروني لقناة «روسيا اليوم»', 'وفق «سانا»', and the anaphoric 'بحسب الموقع'
(resolved to the last outlet of that kind).  Officials' statements are not attributions, and
neither is an outlet that is only addressed ('قالت لـ«الوطن»').

The media channel is recognized by a head word (وكالة، قناة، صحيفة، موقع، تلفزيون، إذاعة…) followed by
a quoted name or a mention, by a name the article has already introduced with such a head, or by
an outlet of the actor KB (``marsad.extract.kb``, actors of type MED) when that module is present.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from ...model import Article, Attribution
from ...text.normalize import norm_key
from ..kb import memos_of
from .cues import CUES, MEDIA_HEADS, MEDIA_TAILS, lookup


OPEN_MARKS = '«“"'
CLOSE_OF = {"«": "»", "“": "”", '"': '"', "»": "»"}
# verbs that report what a medium published: 'نقله الموقع', 'أوردت الوكالة'
_MEDIA_ONLY_VERBS = {"نقل", "نقلت", "اورد", "اوردت", "بث", "بثت", "نشر", "نشرت"}
_MEDIA_ONLY_FORMS = frozenset(v + suf for v in _MEDIA_ONLY_VERBS for suf in ("", "ه", "ها", "هم", "ته", "تها"))
_MEDIA_SPEECH = {"ذكر", "قال", "افاد", "اضاف", "تابع", "اوضح", "اكد", "اشار", "لفت", "كشف", "اعلن"}


def kb_media(kb) -> dict[str, tuple[str, Optional[str]]]:
    """Folded outlet names of the actor KB (actors of type MED) → (canonical, actor id); empty
    without a KB.  Built once per KB (kept with its memos)."""
    if kb is None:
        return {}
    memos = memos_of(kb)
    if memos.media is None:
        out: dict[str, tuple[str, Optional[str]]] = {}
        for a in getattr(kb, "by_id", {}).values():
            if getattr(a, "actor_type", "") != "MED":
                continue
            for n in a.names_ar:
                key = norm_key(n)
                if len(key) >= 2:
                    out.setdefault(key, (a.name_en or n, a.id))
        memos.media = out
    return memos.media


def report_verb(n: str) -> bool:
    """A reporting verb as written after 'ما' in a source phrase: 'بحسب ما نقلته', 'وفقاً لما ذكرته',
    'وفق ما أفادت', 'بحسب ما أعلنته'."""
    if n in _MEDIA_ONLY_FORMS:
        return True
    hit = lookup(n)
    if hit is not None and hit[1].pos in ("past", "present") and not hit[0]:
        return True
    for suf in ("ته", "تها", "ه", "ها"):
        info = CUES.get(n[: -len(suf)]) if n.endswith(suf) and len(n) - len(suf) >= 3 else None
        if info is not None and info.pos == "past":
            return True
    return False


def head_forms(norm: str) -> tuple[str, ...]:
    """The folded word and its forms without a leading ل/ب/و ('لوكالة' → 'وكاله', 'للموقع' → 'الموقع')."""
    out = [norm]
    if len(norm) > 3 and norm[0] in "لبو":
        out.append(norm[1:])
        if norm.startswith("لل"):
            out.append("ال" + norm[2:])
    return tuple(out)


@dataclass
class MediaNP:
    i: int  # first token (index into Doc.toks)
    j: int  # one past the last token
    name: str  # the outlet's name as written (without marks)
    outlet: Optional[str]  # canonical if known, else the name
    actor_id: Optional[str]


class MediaMemory:
    """Outlets an article has introduced ('وكالة «سانا»' makes a later 'وفق «سانا»' an outlet), and
    the KB's outlets (``media``: :func:`kb_media`)."""

    def __init__(self, media: Optional[dict] = None) -> None:
        self.media = media if media is not None else {}
        self.names: dict[str, tuple[str, Optional[str]]] = {}
        self.last_by_head: dict[str, tuple[str, Optional[str]]] = {}
        self.last: Optional[tuple[str, Optional[str]]] = None

    def known(self, name: str) -> Optional[tuple[str, Optional[str]]]:
        key = norm_key(name)
        return self.names.get(key) or self.media.get(key)

    def remember(self, head: str, np: MediaNP) -> None:
        val = (np.outlet or np.name, np.actor_id)
        self.names.setdefault(norm_key(np.name), val)
        h = head[2:] if head.startswith("ال") else head
        self.last_by_head[h] = val
        self.last = val


def _close(doc, k: int, end: int) -> int:
    """Index of the token closing the quotation opened at token k (within [k, end)), or -1."""
    want = CLOSE_OF.get(doc.toks[k].text)
    for m in range(k + 1, min(end, k + 8)):
        if doc.toks[m].text == want or (want == "»" and doc.toks[m].text == "”"):
            return m
    return -1


def _mention_outlet(doc, k: int):
    mi = doc.mention_at[k]
    if mi < 0:
        return None
    m = doc.mentions[mi]
    return m, doc.mention_end_tok[mi]


# long: one scan of a media phrase (head, name, quoted name, tails) with a single cursor; the
# cases read in the order the words come
def media_np(doc, k: int, end: int, memory: MediaMemory, bare_ok: bool = False) -> Optional[MediaNP]:
    """A media noun phrase starting at token k, or None."""
    if k >= end:
        return None
    t = doc.toks[k]
    forms = head_forms(doc.norms[k])
    head = next((f for f in forms if f in MEDIA_HEADS), None)
    if head is not None:
        j, name, outlet, aid = k + 1, None, None, None
        heads, quoted, anba = [head], False, ""
        while j < end:
            n = doc.norms[j]
            if j == k + 1 and n in ("الانباء", "انباء") and head in ("وكاله", "الوكاله"):
                anba = n  # 'وكالة الأنباء الجزائرية', 'وكالة أنباء الشرق الأوسط'
                j += 1
            elif (
                anba == "انباء"
                and name is None
                and n.startswith("ال")
                and len(n) > 3
                and j - k <= 4
                and not doc.toks[j].is_punct
            ):
                j += 1  # the genitive name after an indefinite 'أنباء'
            elif n in MEDIA_TAILS or (
                n.startswith("ال") and n.endswith(("ي", "يه")) and len(n) > 4 and name is None and j - k <= 2
            ):
                j += 1
            elif any(f in MEDIA_HEADS for f in head_forms(n)) and name is None:
                heads.append(next(f for f in head_forms(n) if f in MEDIA_HEADS))
                j += 1
            elif doc.toks[j].text in OPEN_MARKS and name is None:
                c = _close(doc, j, end)
                if c < 0:
                    break
                name = doc.text[doc.toks[j + 1].start : doc.toks[c - 1].end] if c > j + 1 else ""
                quoted = True
                mo = _mention_outlet(doc, j + 1)
                if mo:
                    outlet, aid = mo[0].canonical or mo[0].text, mo[0].actor_id
                j = c + 1
            elif name is None and doc.mention_at[j] >= 0 and doc.mentions[doc.mention_at[j]].type in ("ORG", "PER"):
                m = doc.mentions[doc.mention_at[j]]
                name, outlet, aid = m.text, m.canonical or m.text, m.actor_id
                j = doc.mention_end_tok[doc.mention_at[j]]
            elif name is not None and n.startswith("ال") and n.endswith(("ي", "يه")) and len(n) > 4:
                j += 1  # 'وكالة «فارس» الإيرانية'
            else:
                break
        if not name:
            if head.startswith("ال") and j == k + 1:
                prev = memory.last_by_head.get(head[2:]) or memory.last
                if prev is None:
                    return None
                return MediaNP(k, j, doc.text[t.start : t.end], prev[0], prev[1])
            if j == k + 1:
                return None
            name = doc.text[doc.toks[k + 1].start : doc.toks[j - 1].end]
        if (
            any(h in ("وكاله", "الوكاله") for h in heads)
            and quoted is False
            and outlet is None
            and not memory.known(name)
            and "انباء" not in norm_key(doc.text[t.start : doc.toks[j - 1].end]).replace("للانباء", "انباء")
        ):
            return None  # 'وكالة الاستخبارات': an agency, not a medium
        if outlet is None:
            known = memory.known(name)
            outlet, aid = known if known else (name, None)
        np_ = MediaNP(k, j, name, outlet, aid)
        for h in heads:
            memory.remember(h, np_)
        return np_
    if t.text in OPEN_MARKS:  # 'وفق «سانا»'
        c = _close(doc, k, end)
        if c > k + 1:
            name = doc.text[doc.toks[k + 1].start : doc.toks[c - 1].end]
            known = memory.known(name)
            if known:
                return MediaNP(k, c + 1, name, known[0], known[1])
        return None
    mo = _mention_outlet(doc, k)
    if mo:
        known = memory.known(mo[0].text) or (memory.known(mo[0].canonical) if mo[0].canonical else None)
        if known:
            return MediaNP(k, mo[1], mo[0].text, mo[0].canonical or known[0], mo[0].actor_id or known[1])
    if bare_ok:  # 'بحسب فرانس برس': a KB outlet named bare
        for w in (3, 2, 1):
            if k + w <= end and not any(doc.toks[x].is_punct for x in range(k, k + w)):
                name = doc.text[t.start : doc.toks[k + w - 1].end]
                for f in head_forms(norm_key(name)):
                    known = memory.media.get(f)
                    if known:
                        return MediaNP(k, k + w, name, known[0], known[1])
    return None


def find_attributions(
    doc, memory: Optional[MediaMemory] = None, media: Optional[dict] = None
) -> list[tuple[Attribution, MediaNP, int]]:
    """(attribution, its media phrase, cue token index) for every reporting-source phrase.
    Without a ``memory`` (a fresh one over the KB outlets ``media``) the result is a function of
    the Doc: it is kept on the Doc, which the attributions and quotes steps share (callers only
    read it; both steps of a pipeline have the same KB)."""
    if memory is None:
        cached = getattr(doc, "_attributions", None)
        if cached is None:
            cached = _find_attributions(doc, MediaMemory(media))
            try:
                doc._attributions = cached
            except AttributeError:
                pass
        return cached
    return _find_attributions(doc, memory)


def _find_attributions(doc, memory: MediaMemory) -> list[tuple[Attribution, MediaNP, int]]:
    out = []
    for si, (a, b) in enumerate(doc.sent_tok):
        k = a
        while k < b:
            n = doc.norms[k]
            cue_k, start_np = None, None
            hit = lookup(n)
            stem = n[hit[0] :] if hit else (n[1:] if n[:1] in "وف" and len(n) > 3 else n)
            if hit and hit[1].pos == "source":
                start_np = k + 1
                if hit[1].lemma == "نقلا" and start_np < b and doc.norms[start_np] == "عن":
                    start_np += 1
                if start_np + 1 < b and doc.norms[start_np] in ("ما", "لما") and report_verb(doc.norms[start_np + 1]):
                    start_np += 2  # 'بحسب ما نقلته وكالة…', 'وفقاً لما ذكرته…'
                cue_k = k
            elif (
                hit and hit[1].pos in ("past", "present") and hit[1].lemma in _MEDIA_SPEECH
            ) or stem in _MEDIA_ONLY_FORMS:
                start_np, cue_k = k + 1, k
                if start_np < b and doc.norms[start_np] in ("عن", "له", "لها"):
                    start_np += 1
            if cue_k is not None:
                np_ = media_np(doc, start_np, b, memory, bare_ok=bool(hit and hit[1].pos == "source"))
                if np_ is not None:
                    tk = doc.toks[cue_k]
                    s = tk.start + (hit[0] if hit else (1 if stem != n else 0))
                    e = doc.toks[np_.j - 1].end
                    out.append(
                        (Attribution(s, e, doc.text[s:e], np_.outlet, np_.actor_id, doc.text[s : tk.end]), np_, cue_k)
                    )
                    k = np_.j
                    continue
            k += 1
    return out


class AttributionStep:
    name = "attributions"
    requires = ("sentences", "mentions")
    assigns = ("attributions",)

    def __init__(self, kb=None) -> None:
        self.media = kb_media(kb)  # the KB's outlets (none without a KB)

    def __call__(self, article: Article) -> Article:
        from .doc import Doc  # the shared token view

        doc = Doc.of(article)
        return replace(article, attributions=tuple(a for a, _, _ in find_attributions(doc, media=self.media)))
