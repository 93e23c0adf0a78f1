"""Events: who did what to whom, where and when — PLOVER-coded, located, dated and cited.

:class:`EventStep` finds lexicon triggers (``event_lexicon``) in the body sentences, checks each
trigger's conditions, reads its status (realized | negated | planned | conditional), its source and
target actors from the resolved mentions (the most specific actor: person > organization > state),
its location (``places``), its date (a time expression of the sentence, else the publication date
with ``date_from_published``) and cuts a verbatim evidence clause of 30–200 characters.  ASSAULT and
PROTEST triggers are confirmed by the sentence detector of ``gsr`` when its weights are present.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import date as _date
from typing import Optional

from ..model import Article, Event, Mention, Sentence
from ..text.normalize import fold, normalize
from .event_lexicon import (BLOCK as _BLOCK, COND as _COND, COND_AFTER as _COND_AFTER, DENIED as _DENIED,
                            DAWN_AFTER, DAWN_BEFORE, DEONTIC_BEFORE, DUAL_ANAPHOR, FRAMEWORK as _FRAMEWORK, GOAL, GOV_FAR, SCOPE_BREAK,
                            NEG as _NEG, PLAN as _PLAN, REL as _REL, THREAT_GOV, Trigger, find_triggers)
from .places import PlaceFinder, geocode, state_of

RANK = {"PER": 0, "ORG": 1, "GPE": 2, "NORP": 2, "LOC": 3}
MATERIAL = {"CONSULT", "AGREE", "COOPERATE", "AID", "RETREAT", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST",
            "SANCTION", "CONCEDE"}
SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE"}
MIN_EV, MAX_EV = 30, 200

_BOUND = re.compile(r"[،,;؛:!?؟«»“”\"()\[\]]|\s[-–—]\s")
_SUPPORT_VERB = re.compile(r"(?:^|\s)[وف]?(?:عقد|عقدت|عقدوا|عقدا|اجري|اجرت|اجروا|جري|جرت|شن|شنت|شنوا|نفذ|نفذت|نفذوا|"
                           r"تعرض|تعرضت|قام|قامت|قاموا|اكد|اكدت|اكدوا|شدد|شددت|شددوا|اعرب|اعربت|اعلن|اعلنت|"
                           r"خلال|اثناء|بعد|اثر|عقب|في|مستهل|ختام|نتايج)(?:\s+(?:علي|عن|ب\S*))?\s*$")
_WITH = re.compile(r"^\s*(?:\S+\s+){0,5}?(?:مع|بين|[وف]?مع|[وف]?بين|ب)\s")
_DUAL = re.compile(r"^\s*(?:ال)?(?:ثنائي|ثلاثي|رباعي|ثنائيه|ثلاثيه|رباعيه|مشترك|مشتركه)")
_SUBJ_STOP = re.compile(r"(?:^|\s)(?:مع|بين|علي|ضد|عن|حول|بشان|تجاه|لدي|امام)\s")
_TO_AFTER_SUBJ = re.compile(r"^\s*\S+(?:\s+\S+)*?\s+(الي)\s")  # 'وصل وفدان مصريان إلى' (not 'وصل إلى دمشق … X')
_PREP_IN = re.compile(r"(?:^|\s)[وف]?(?:في|ب|قرب|بالقرب\s+من|داخل|عند)\s*(?:\S+\s*){0,2}$")
_JOIN = re.compile(r"^\s*(?:[،,]\s*)?(?:و\S*|[،,])?\s*$")
_WITH_NEAR = re.compile(r"^\s*(?:\S+\s+)?(?:[وف]?مع|[وف]?بين)\s")
_SUPPORT_GOV = re.compile(r"(?:^|\s)[وف]?(?:اكد|اكدت|اكدوا|شدد|شددت|شددوا|اعرب|اعربت|اعربوا|اعلن|اعلنت|جدد|جددت|"
                          r"تقديم|تقدم|يقدم|قدم|قدمت)(?:\s+(?:علي|عن))?\s*$")
_SPEECH_VERB = re.compile(r"(?:^|\s)[وف]?(?:قال|قالت|اكد|اكدت|اكدوا|اضاف|اضافت|اوضح|اوضحت|اعتبر|اعتبرت|معتبرا|اشار|اشارت|"
                          r"مشيرا|شدد|شددت|مشددا|لفت|ذكر|ذكرت|اعلن|اعلنت|صرح|تابع|بين|مضيفا|مؤكدا|موكدا)(?:\s|$)")
_COMP = re.compile(r"(?:^|\s)(?:ان|بان|انه|انها|لان)(?:\s|$)|[:«“]")
_HARD = re.compile(r"[،,;؛:.!?؟]")
_CLAUSE_OPEN = re.compile(r"(?:[وف]?(?:فيما|بينما|في\s+حين|ثم|كما|في\s+المقابل|من\s+جهته|من\s+جهتها|بدوره|بدورها))?")
_BEFORE_STOP = re.compile(r"[،,.:«»“”]|(?:^|\s)(?:ان|بان|لان|انه|الذي|التي|الذين|قد|حيث|فيما|بينما)(?:\s|$)")


def _by_rank(ms: list[Mention]) -> list[Mention]:
    """The most specific actors of a noun phrase: every mention of the best type joined by 'و'/','."""
    if not ms:
        return []
    best = min(RANK.get(m.type, 9) for m in ms)
    head = [m for m in ms if RANK.get(m.type, 9) == best]
    return head


class EventStep:
    name = "events"
    requires = ("sentences", "tokens", "mentions")
    assigns = ("events", "quotes")

    def __init__(self, detector=None, min_detector: float = 0.2):
        if detector is None:
            try:
                from .gsr import load_detector
                detector = load_detector()
            except Exception:  # no weights shipped: lexicon only
                detector = None
        self.detector = detector
        self.min_detector = min_detector

    def __call__(self, a: Article) -> Article:
        if not a.sentences or not a.text:
            return replace(a, events=())
        ex = _Extractor(a, self.detector, self.min_detector)
        events = tuple(ex.run())
        quotes = a.quotes
        if quotes:
            quotes = tuple(replace(q, events=tuple(i for i, e in enumerate(events) if q.start <= e.trigger_start < q.end
                                                   or (q.speaker_actor and q.speaker_actor in e.source_ids
                                                       and q.start - 300 < e.start < q.end)))
                           for q in quotes)
        return replace(a, events=events, quotes=quotes)


class _Extractor:
    def __init__(self, a: Article, detector, min_detector: float):
        self.a, self.text = a, a.text
        self.norm = normalize(a.text)
        self.ftext = self.norm.text
        self.src2norm = None
        self.detector, self.min_detector = detector, min_detector
        self.ments = sorted(a.mentions, key=lambda m: m.start)
        self.mstarts = [m.start for m in self.ments]
        self.sstarts = [s.start for s in a.sentences]
        self.places = PlaceFinder(a)
        self._det_cache: dict[tuple[int, str], float] = {}
        self.events: list[Event] = []

    # --- helpers over source offsets -------------------------------------------------------------
    def f(self, lo: int, hi: int) -> str:
        """Folded view of text[lo:hi]."""
        return fold(self.text[lo:hi])

    def sentence_of(self, pos: int) -> Sentence:
        i = bisect.bisect_right(self.sstarts, pos) - 1
        return self.a.sentences[max(i, 0)]

    def mentions_in(self, lo: int, hi: int) -> list[Mention]:
        i = bisect.bisect_left(self.mstarts, lo)
        out = []
        while i < len(self.ments) and self.ments[i].start < hi:
            if self.ments[i].end <= hi:
                out.append(self.ments[i])
            i += 1
        return out

    def clause(self, s: Sentence, t: Trigger) -> tuple[int, int]:
        lo = s.start
        for m in _BOUND.finditer(self.text, s.start, t.start):
            lo = m.end()
        hi = s.end
        m = _BOUND.search(self.text, t.match_end, s.end)
        if m:
            hi = m.start()
        return lo, hi

    # --- main loop -------------------------------------------------------------------------------
    def run(self) -> list[Event]:
        out: list[Event] = self.events
        last_in_sentence: dict[int, Event] = {}
        for t in find_triggers(self.text, self.norm):
            if t.start < self.a.body_start:
                continue  # headlines restate the body; events are coded from the body
            s = self.sentence_of(t.start)
            ev = self.code(t, s, last_in_sentence.get(s.index))
            if ev is None:
                continue
            dup = self._duplicate(ev, out)
            if dup is not None:
                if dup >= 0 and len(out[dup].source) + len(out[dup].target) < len(ev.source) + len(ev.target) \
                        and self.sentence_of(out[dup].start).index == s.index:
                    out[dup] = ev
                continue
            out.append(ev)
            last_in_sentence[s.index] = ev
        return out

    def _duplicate(self, ev: Event, prev: list[Event]) -> Optional[int]:
        """Index of an earlier event that ``ev`` repeats (None when it is new)."""
        for i, p in enumerate(prev):
            if p.type != ev.type:
                continue
            same_sentence = self.sentence_of(p.start).index == self.sentence_of(ev.start).index
            same_target = set(p.target) == set(ev.target) or not ev.target or not p.target
            if ev.type == "ASSAULT" and p.mode != ev.mode and not ({p.mode, ev.mode} & {"kill", "wound"}) and \
                    bool(p.source) != bool(ev.source):
                continue  # 'بعد إطلاق الفصائل صواريخ … لترد إسرائيل بغارات': two acts, one agent unnamed
            if ev.type in ("REQUEST", "ACCUSE") and p.mode != ev.mode and (p.end <= ev.start or ev.end <= p.start):
                continue  # 'إن على القوات أن تغادر …، داعياً العراقيين إلى …': a demand and a call
            if same_sentence and (set(p.source) == set(ev.source) or not ev.source or not p.source) and \
                    (same_target or ev.type != "CONSULT"):
                return i  # one act per sentence, type and agent (several meetings may share an agent)
            if ev.type in SYMMETRIC and (ev.source or ev.target) and len(set(ev.source) | set(ev.target)) > 1:
                if set(p.source) | set(p.target) == set(ev.source) | set(ev.target):
                    return i
        return None

    def conditions_ok(self, t: Trigger, s: Sentence, lo: int, hi: int) -> bool:
        c = t.entry.cond
        if "obl" in c:
            return False  # an oblique protester noun is an object or a genitive, not the act
        after = self.f(t.end, min(s.end, t.end + 60))
        before = self.f(max(s.start, t.start - 40), t.start)
        if "with" in c and not _WITH.match(after):
            return False
        if _REL.search(before):
            return False  # background in a relative clause ('الاتفاق الذي توصلت إليه…', 'القوى التي تدعو…')
        if self.text[s.start:s.end].rstrip("»”\"' )").endswith(("?", "؟")):
            return False  # a question reports no act
        e = t.entry
        if e.kind == "N" and _FRAMEWORK.search(before):
            return False  # 'على هامش اجتماع', 'في إطار محادثات أستانا': a setting, not the act
        if e.type == "CONSULT" and e.kind == "N" and t.article and not t.suffix and not _WITH_NEAR.match(after) \
                and not _DUAL.match(after):
            return False  # 'تناول اللقاء…': an anaphor of a meeting already coded
        if e.type == "SUPPORT" and e.kind == "N" and not _SUPPORT_GOV.search(before):
            return False  # 'يحظى بتأييد', 'تعاونهما في دعم…': not an act of support
        blk = _BLOCK.get(e.type)
        if blk and blk.search(self.f(max(s.start, t.start - 20), min(s.end, t.match_end + 30))):
            return False
        if e.type == "ASSAULT" and self.f(t.start, t.end) in ("فجر", "وفجر") and \
                (DAWN_AFTER.match(after) or DAWN_BEFORE.search(before)):
            return False  # 'فجر الجمعة': dawn
        if "place" in c and not any(m.type in ("GPE", "LOC") for m in self.mentions_in(t.end, min(hi, t.end + 30))):
            return False  # 'دخلت (بلدة) X': entering needs a named place
        if "deontic" in c:
            inner = self.f(t.end, t.match_end).split()
            if len(inner) < 2 or not DEONTIC_BEFORE.search(self.f(max(s.start, t.start - 12), t.start)):
                return False  # 'على أن' (provided that), or not the opening of speech
        if "rep" in c and not (self._in_quote(s, t.start) or self._reported(s, t)):
            return False
        if "ctl" in c and not re.match(r"^\s*(?:\S+\s+){0,4}?علي\s", after):
            return False
        if "part" in c or "gov" in c:
            ok = t.suffix or bool(_SUPPORT_VERB.search(before)) or (e.kind == "N" and bool(GOV_FAR.search(before)))
            ok = ok or bool(self.mentions_in(t.end, min(hi, t.end + 25)))
            if "part" in c:
                ok = ok or bool(_WITH.match(after)) or bool(_DUAL.match(after))
            if not ok:
                return False
        if t.entry.type in ("ASSAULT", "PROTEST") and self.detector is not None:
            key = (s.index, t.entry.type)
            p = self._det_cache.get(key)
            if p is None:
                p = self.detector.score(self.text[s.start:s.end], t.entry.type)
                self._det_cache[key] = p
            if p < self.min_detector:
                return False
        return True

    def status(self, t: Trigger, s: Sentence, lo: int) -> str:
        e = t.entry
        before = self.f(max(lo, t.start - 60), t.start)
        if "neg" not in e.cond and _NEG.search(before):
            return "negated"
        sb = self.f(s.start, t.start)
        dn = list(_DENIED.finditer(sb))
        if e.mode != "deny" and dn and not SCOPE_BREAK.search(sb, dn[-1].end()):
            return "negated"  # 'نفت … أن يكون المعلم قد اجتمع…': a denied act
        if _COND.search(self.f(max(s.start, t.start - 80), t.start)) or \
                _COND_AFTER.match(self.f(t.match_end, min(s.end, t.match_end + 60))):
            return "conditional"
        if t.future and e.type != "THREATEN":
            return "planned"
        if e.type in MATERIAL and THREAT_GOV.search(self.f(max(lo, t.start - 60), t.start)):
            return "planned"  # 'هدد … بفرض عقوبات': threatened, not done
        if e.type in MATERIAL and e.kind == "N" and GOAL.search(before):
            return "planned"  # 'دعا … إلى لقائه': the goal of a call
        if e.type in MATERIAL and "speech" not in e.cond:
            if t.future or (e.kind == "N" and t.prep == "ل") or _PLAN.search(before):
                return "planned"
        return "realized"

    def roles(self, t: Trigger, s: Sentence, lo: int, hi: int, prev: Optional[Event]):
        """(source mentions, target mentions, inherited event or None, speaker (name, id) or None)."""
        e = t.entry
        m = _HARD.search(self.text, t.match_end, s.end)
        rhi = m.start() if m else s.end                       # roles may cross quote marks, not commas
        start_after = t.match_end if e.kind == "P" else t.end
        after_all = [x for x in self.mentions_in(start_after, rhi) if not self._is_place_adjunct(x, s)]
        before = [x for x in self.mentions_in(s.start, t.start) if not self._is_place_adjunct(x, s)]
        after_txt = self.f(t.end, min(s.end, t.end + 60))
        # 'لقاء ثنائي بين X و Y': every party is a source
        bm = re.match(r"^\s*(?:\S+\s+){0,2}?[وف]?بين\s", after_txt)
        if e.kind in ("N", "P") and bm and e.type in SYMMETRIC:
            pos = self._src_pos(t.end, bm.end())
            return self._group([x for x in self.mentions_in(pos, s.end) if not self._is_place_adjunct(x, s)]), [], None, None
        # 'اتفق الوزيران': a dual anaphor stands for the two parties of the last symmetric event
        if e.kind == "V" and DUAL_ANAPHOR.match(after_txt):
            sym = [x for x in self.events if x.type in SYMMETRIC and len(set(x.source) | set(x.target)) > 1]
            if sym:
                return [], [], replace(sym[-1], source=sym[-1].source + sym[-1].target,
                                       source_ids=sym[-1].source_ids + sym[-1].target_ids), None
        # a clause-initial verb with its own named subject ('فيما أشاد بلينكن', '، هدد ترامب') is not the
        # reported speaker's act, even inside a reported passage
        vso = e.kind == "V" and not t.first_person and self._clause_initial(s, t) and \
            not self._in_marks(s, t.start) and any(x.type in ("PER", "ORG") and x.start - t.end < 40
                                                   for x in after_all[:3])
        # speech acts inside a quotation or in the first person: the speaker acts
        if "speech" in e.cond and not vso and (self._in_quote(s, t.start) or t.first_person
                                               or self._reported(s, t)):
            spk = self._speaker(s, t.start)
            if spk is not None:
                q_lo = max(lo, self._quote_open(s, t.start))
                near = [x for x in before if x.start >= q_lo]
                tgt = self._group_before(near, q_lo) if near else self._group(after_all)
                if "deontic" in e.cond:   # 'على موسكو أن …': the one obliged is the addressee
                    tgt = self._group(self.mentions_in(t.end, t.match_end))
                return [], tgt, None, spk
        ftxt = self.f(t.end, rhi)
        stop = _SUBJ_STOP.search(ftxt)
        to = _TO_AFTER_SUBJ.match(ftxt)
        cut = min([x for x in (stop.start() if stop else None, to.start(1) if to else None) if x is not None], default=None)
        subj_hi = self._src_pos(t.end, cut) if cut is not None else rhi
        subj_after = [x for x in after_all if x.end <= subj_hi]
        if "place" in e.cond:
            subj_after = [x for x in subj_after if x.type not in ("GPE", "LOC")]  # 'دخلت بلدتي صيدا والطيبة'
        inherited = None
        src: list[Mention] = []
        conj = t.conj or bool(re.search(r"(?:^|\s)[وف]?كما\s*$", self.f(max(s.start, t.start - 8), t.start)))
        hard_lo = max([x.end() for x in _HARD.finditer(self.text, s.start, t.start)], default=s.start)
        p_before = [x for x in before if x.start >= hard_lo]
        if e.kind == "P" and p_before and not _SPEECH_VERB.search(self.f(hard_lo, t.start)):
            src = self._group_before(p_before, hard_lo)
        elif e.kind == "V" and conj and prev is not None and prev.source and \
                (not subj_after or self._object_like(t, subj_after)):
            inherited = prev
        elif e.kind in ("V", "P") and subj_after:
            src = self._group(subj_after)
        elif e.kind == "N" and subj_after and subj_after[0].start - t.end < 12:
            src = self._group(subj_after)          # masdar + agent: 'سيطرة الجيش'
        elif e.kind == "A" or (e.kind == "N" and t.suffix):
            src = self._main_subject(s, t.start) or self._group_before(before, lo)
        else:
            src = self._group_before(before, lo)
        if not src and inherited is None and e.kind == "A":
            if prev is None and self.events and self.events[-1].source and \
                    self.sentence_of(self.events[-1].start).index == s.index - 1:
                prev = self.events[-1]  # 'وأضاف أن «…»، متهماً': the participle continues the last speaker
            if prev is not None and prev.source:
                inherited = prev
        if not src and inherited is None:
            pm = re.search(r"(?:^|\s)[وف]?ب(?:مشاركه|حضور)\s", self.f(t.end, s.end))
            if pm:
                pos = self._src_pos(t.end, pm.end())
                src = self._group([x for x in self.mentions_in(pos, s.end) if not self._is_place_adjunct(x, s)])
                return src, [], None, None
        last = max((x.end for x in src), default=t.end)
        rest = [x for x in after_all if x.start >= last]
        if e.mode == "visit" and e.kind == "V" and "وصل" in self.f(t.start, t.end):
            rest = [x for x in self.mentions_in(t.end, rhi) if x.type == "GPE"][:1]  # arrival: the host place
        return src, self._group(rest), inherited, None

    def _reported(self, s: Sentence, t: Trigger) -> bool:
        """The trigger sits in a clause reported by a speech verb ('أكد … أن X سيبقون أهدافاً')."""
        if t.entry.kind in ("A",) or (t.entry.kind == "V" and not t.conj and self._first_word(s, t)):
            return False
        before = self.f(s.start, t.start)
        m = _SPEECH_VERB.search(before)
        return bool(m and _COMP.search(before, m.end()))

    def _clause_initial(self, s: Sentence, t: Trigger) -> bool:
        """The trigger opens its clause: after the sentence start, hard punctuation or a clause connector."""
        hard_lo = max([x.end() for x in _HARD.finditer(self.text, s.start, t.start)], default=s.start)
        return bool(_CLAUSE_OPEN.fullmatch(self.f(hard_lo, t.start).strip()))

    def _in_marks(self, s: Sentence, pos: int) -> bool:
        seg = self.text[s.start:pos]
        return seg.count("«") + seg.count("“") > seg.count("»") + seg.count("”") or seg.count('"') % 2 == 1

    def _first_word(self, s: Sentence, t: Trigger) -> bool:
        return not self.text[s.start:t.start].strip()

    def _src_pos(self, base: int, folded_off: int) -> int:
        """Source offset of a folded offset counted from ``base`` (folding only deletes characters)."""
        i, k = base, 0
        while i < len(self.text) and k < folded_off:
            if fold(self.text[i]):
                k += 1
            i += 1
        return i

    def _quote_open(self, s: Sentence, pos: int) -> int:
        depth, at = 0, s.start
        for i in range(s.start, pos):
            ch = self.text[i]
            if ch in "«“":
                depth, at = depth + 1, i + 1
            elif ch in "»”" and depth:
                depth -= 1
        for q in self.a.quotes:
            if q.start <= pos < q.end:
                at = max(at, q.start)
        return at if depth or any(q.start <= pos < q.end for q in self.a.quotes) else s.start

    def _in_quote(self, s: Sentence, pos: int) -> bool:
        if any(q.start <= pos < q.end for q in self.a.quotes):
            return True
        seg = self.text[s.start:pos]
        return seg.count("«") + seg.count("“") > seg.count("»") + seg.count("”") or \
            bool(re.search(r"[:]\s*$|:\s*\S", seg[-200:]) and ":" in seg)

    def _speaker(self, s: Sentence, pos: int) -> Optional[tuple]:
        for q in self.a.quotes:
            if q.start <= pos < q.end and (q.speaker or q.speaker_actor):
                return (q.speaker or q.speaker_actor), q.speaker_actor
        ms = self._main_subject(s, pos)
        if ms:
            return self.actor(ms[0])
        return None

    def _object_like(self, t: Trigger, subj_after: list[Mention]) -> bool:
        """After a coordinated meeting verb, the titled person right after it is its object
        ('…والتقى رئيس مجلس الوزراء عماد خميس')."""
        return t.entry.type == "CONSULT" and subj_after[0].start - t.end < 40

    def _is_place_adjunct(self, m: Mention, s: Sentence) -> bool:
        if m.type not in ("GPE", "LOC", "NORP"):
            return False
        return bool(_PREP_IN.search(self.f(max(s.start, m.start - 25), m.start)))

    def _group(self, ms: list[Mention]) -> list[Mention]:
        """The first actor noun phrase of ``ms`` and the actors coordinated with it, most specific kept.
        A title chain continues the phrase ('نائب وزير الخارجية الروسي غينادي غاتيلوف'); after a
        person's name only a conjunction does ('بوتين وترامب')."""
        if not ms:
            return []
        np = [ms[0]]
        for m in ms[1:]:
            gap = self.text[np[-1].end:m.start]
            bare = re.sub(r"[«»“”\"]", " ", gap)       # 'رئيس حزب «القوات اللبنانية» سمير جعجع'
            fg = fold(bare)
            if np[-1].type == "PER" or (m.type == np[-1].type and m.type == "GPE"):
                ok = bool(_JOIN.match(fg))
            elif m.type == np[-1].type == "ORG":      # 'توعدت كتائب حزب الله القوات الأمريكية': subject, object
                ok = bool(_JOIN.match(fg)) and bool(re.search(r"[و،,]", fg))
            else:
                ok = len(gap) <= 40 and not re.search(r"[،,.:]", gap) and not _SUBJ_STOP.search(" " + fg + " ") \
                    and not _BEFORE_STOP.search(fg)
            if not ok:
                break
            np.append(m)
        return _by_rank(np)

    def _group_before(self, before: list[Mention], lo: int) -> list[Mention]:
        if not before:
            return []
        cl = [m for m in before if m.start >= lo] or before[-3:]
        # the nearest noun phrase before the trigger
        chunk = [cl[-1]]
        for m in reversed(cl[:-1]):
            gap = self.text[m.end:chunk[0].start]
            if len(gap) <= 40 and not _BEFORE_STOP.search(fold(gap)):
                chunk.insert(0, m)
            else:
                break
        return _by_rank(chunk)

    def _main_subject(self, s: Sentence, upto: int) -> list[Mention]:
        ms = [m for m in self.mentions_in(s.start, upto) if not self._is_place_adjunct(m, s)]
        for typ in ("PER", "ORG"):
            c = [m for m in ms if m.type == typ]
            if c:
                return [c[0]]
        return ms[:1]

    # --- actors, place, date, evidence -----------------------------------------------------------
    def actor(self, m: Mention) -> tuple[str, Optional[str]]:
        if m.type == "GPE":
            name, sid = state_of(m)
            if name:
                return name, sid
        return (m.canonical or m.text), (m.actor_id or None)

    def evidence(self, s: Sentence, t: Trigger, lo: int, hi: int) -> tuple[int, int]:
        a, b = lo, max(hi, t.match_end)
        while b - a < MIN_EV and (a > s.start or b < s.end):  # too short: widen to the neighbours
            if b < s.end:
                m = _BOUND.search(self.text, b + 1, s.end)
                b = m.start() if m and m.start() > b else s.end
            if b - a < MIN_EV and a > s.start:
                prev = [m.end() for m in _BOUND.finditer(self.text, s.start, max(s.start, a - 1))]
                a = prev[-1] if prev else s.start
        if b - a > MAX_EV:
            if t.start - a > MAX_EV - 60:
                a = max(a, t.start - 60)
            b = min(b, a + MAX_EV)
            while b > t.match_end and b < len(self.text) and not self.text[b].isspace():
                b -= 1
        while a < b and self.text[a].isspace():
            a += 1
        while b > a and self.text[b - 1].isspace():
            b -= 1
        return a, b

    def when(self, s: Sentence, t: Trigger) -> tuple[Optional[str], bool]:
        near = [x for x in self.a.times if s.start <= x.start and x.end <= s.end and x.value]
        if near:
            best = min(near, key=lambda x: abs(x.start - t.start))
            return best.value, False
        pub = self.a.published
        if isinstance(pub, _date):
            return pub.isoformat(), True
        return (str(pub) if pub else None), bool(pub)

    def code(self, t: Trigger, s: Sentence, prev: Optional[Event]) -> Optional[Event]:
        lo, hi = self.clause(s, t)
        if not self.conditions_ok(t, s, lo, hi):
            return None
        status = self.status(t, s, lo)
        src, tgt, inherited, spk = self.roles(t, s, lo, hi, prev)
        e = t.entry
        if spk is not None:
            source, source_ids = (spk[0],), (spk[1] or "",)
        elif inherited is not None:
            source, source_ids = inherited.source, inherited.source_ids
            if e.type in SYMMETRIC and not tgt and len(source) > 1:
                tgt = []
        else:
            pairs = [self.actor(m) for m in src]
            source, source_ids = tuple(p[0] for p in pairs), tuple(p[1] or "" for p in pairs)
        tp = [self.actor(m) for m in tgt]
        target = tuple(p[0] for p in tp if p[0] not in source)
        target_ids = tuple(p[1] or "" for p in tp if p[0] not in source)
        if not source and not target and e.type not in ("ASSAULT", "PROTEST", "REJECT", "ACCUSE", "REQUEST"):
            return None  # no identifiable actor: not coded
        arrival = e.mode == "visit"
        place = self.places.in_sentence(s, lo, hi, exclude=src, arrival=arrival) or \
            self.places.in_sentence(s, s.start, hi, exclude=src + tgt, arrival=arrival) or \
            self.places.frame_at(s.start) or self.places.dateline
        if arrival and place is not None and place.basis == "sentence" and status == "realized":
            self.places.add_frame(s.start, place)
        day, fallback = self.when(s, t)
        if status == "realized" and e.type in MATERIAL and "speech" not in e.cond and self.a.published and \
                any(lo <= x.start and x.end <= hi and x.value and str(x.value) > str(self.a.published)[:10]
                    for x in self.a.times):
            status = "planned"  # 'تعقد غداً': the act's own clause is dated after publication
        a, b = self.evidence(s, t, lo, hi)
        if b - a < MIN_EV:  # a very short sentence: widen within its line, else give up
            line_end = self.text.find("\n", b)
            line_end = len(self.text) if line_end < 0 else line_end
            line_start = self.text.rfind("\n", 0, a) + 1
            b = min(line_end, max(b, a + MIN_EV))
            if b - a < MIN_EV:
                a = max(line_start, b - MIN_EV)
            while b < line_end and not self.text[b - 1].isspace() and self.text[b].isalnum():
                b += 1
            if b - a < MIN_EV or b - a > MAX_EV:
                return None
        conf = 0.55 + 0.15 * bool(source) + 0.1 * bool(target) + 0.1 * (e.kind in ("V", "P"))
        return Event(type=e.type, mode=e.mode, start=a, end=b, evidence=self.text[a:b], source=source,
                     target=target, source_ids=source_ids, target_ids=target_ids,
                     location=place.name if place else None, location_id=place.id if place else None,
                     lat=place.lat if place else None, lon=place.lon if place else None,
                     date=day, date_from_published=fallback, status=status, confidence=round(min(conf, 0.95), 2),
                     cameo=e.cameo, trigger_start=t.start, trigger_end=t.end)
