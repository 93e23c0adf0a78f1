"""Quote cues and content spans: whether a token is a reporting cue in its context, where the
content of a statement opens (a complementizer, a colon, a quotation mark or the plain object) and
where it ends.  A mixin of the quotes ``_Extractor`` (with :class:`~.quote_np.PhraseMixin`); ``Q``
is one statement being read."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from .cues import (ADDRESSEE_PRONOUNS, ADJUNCT_WORDS, CLAUSE_OPENERS, NAMING_WORDS, RELATIVES, TIME_WORDS,
                         CueInfo, lookup)
from .doc import is_comp

_TRIM = " \t\n.,،؛:;"
_NOT_CUES = {"اقرا", "بينا"}            # 'إقرأ أيضاً' (a 'read also' insert), 'بيننا'
_NEEDS_OPENER_NEXT = {"بين"}
# prepositions that open an adjunct phrase between a cue and its content ('خلال لقائه مع…')
_ADJ_PREPS = {"في", "خلال", "عقب", "اثر", "امام", "بعد", "قبل", "اثناء", "منذ", "لدي", "وسط", "رغم"}


@dataclass
class Q:
    cue_i: int
    cue_j: int
    info: CueInfo
    start: int = -1
    end: int = -1
    kind: str = "indirect"
    sp: Optional[tuple] = None    # (start, end, speaker, actor)
    addressee: Optional[str] = None
    region: tuple = (0, 0)        # token range between the cue and the content
    gender: str = "m"
    number: str = "sg"
    sent: int = 0
    pending: bool = False
    np: tuple = (0, 0)            # token range of the subject phrase


class ContentMixin:
    def is_cue(self, k: int):
        """(proclitic length, CueInfo) when token k is a reporting cue in its context."""
        d = self.d
        if d.toks[k].is_punct:
            return None
        hit = lookup(d.norms[k])
        if hit is None or d.norms[k] in _NOT_CUES:
            return None
        if hit[1].lemma == "ادعي" and hit[1].pos == "present" and d.toks[k].text.endswith("ى"):
            return None                          # 'يُدعى' (is called), not 'يدّعي' (claims)
        if hit[1].lemma in _NEEDS_OPENER_NEXT:   # 'بين' is mostly 'between': only 'بيّن (له) أن/«/:'
            j = k + 1
            if j < len(d.toks) and d.norms[j] in ADDRESSEE_PRONOUNS:
                j += 1
            if j >= len(d.toks) or not (is_comp(d.norms[j]) or d.toks[j].text == ":" or self.is_open(j)):
                return None
        return hit

    def fragment(self, k: int, b: int) -> bool:
        """Is the quotation at k a short quoted fragment that the sentence continues after
        ('«جهات خارجية» بتمويل…')?"""
        e = self.short_name(k, b)
        return 0 < e < b and not self.d.toks[e].is_punct and self.is_cue(e) is None

    def boundary(self, k: int, a: int) -> bool:
        """Does the cue at token k open a new statement (and so end the previous content)?"""
        hit = self.is_cue(k)
        if hit is None:
            return False
        off, info = hit
        if info.pos == "source":
            return False
        if off or info.pos == "participle" or k == a:
            return True
        p = self.d.norms[k - 1]
        return p in ("،", ",", "»", "”") or p in CLAUSE_OPENERS

    def content_end(self, p: int, b: int) -> int:
        d = self.d
        for q in range(p + 1, b):
            if self.boundary(q, -1):
                return q
            if d.toks[q].text in (":", "،", ",") and q + 1 < b and self.is_open(q + 1) and self.close_is_long(q + 1):
                return q
        return b

    def set_content(self, q: Q, p: int, b: int, direct_mark: Optional[int]) -> int:
        """Set q's content span; returns the token where an indirect content stops (else -1)."""
        d, txt = self.d, self.d.text
        stop = -1
        if direct_mark is not None:
            s = d.toks[direct_mark].end
            e = self.close_char(direct_mark)
            q.kind = "direct"
        else:
            s = d.toks[p].start
            stop = self.content_end(p, b)
            e = d.toks[stop - 1].end
        while e > s and txt[e - 1] in _TRIM:
            e -= 1
        if direct_mark is None:
            seg = txt[s:e]
            while e > s and txt[e - 1] in "»”" and seg.count("«") + seg.count("“") < seg.count("»") + seg.count("”"):
                e -= 1
                seg = txt[s:e]
                while e > s and txt[e - 1] in _TRIM:
                    e -= 1
        while s < e and txt[s] in _TRIM:
            s += 1
        q.start, q.end = s, e
        return stop

    def find_opener(self, q: Q, j: int, b: int):
        """('comp'|'colon'|'mark'|'obj'|'blocked', token) for the content after the subject."""
        d = self.d
        first_content, in_adjunct = None, False
        p, steps = j, 0
        while p < b and steps < 28:
            n, t = d.norms[p], d.toks[p]
            if p in self.attr_tokens and p != q.cue_i:
                p = self.attr_tokens[p]
                continue
            if first_content is not None and p - first_content > 3 and q.info.obj:
                break
            if is_comp(n):
                return "comp", p
            if t.text == ":":
                if first_content is not None and q.info.obj:
                    break
                return "colon", p
            if self.is_open(p):
                c = self.close_tok(p, b)
                if c + 1 < b and is_comp(d.norms[c + 1]):
                    p = c + 1                      # 'في بيان له «حول التطورات…» أن'
                    continue
                if self.short_name(p, b) > 0:
                    if q.info.obj and first_content is None and not in_adjunct and self.fragment(p, b):
                        first_content = p          # 'متهماً «جهات خارجية» بتمويل…': the object opens quoted
                    p = self.short_name(p, b)
                    continue
                if first_content is None or not q.info.obj:
                    return "mark", p
                break
            if self.boundary(p, -1):
                break
            hit = self.is_cue(p)
            if hit and hit[1].pos in ("past", "present"):
                if first_content is None or not q.info.obj:
                    return "blocked", p
                break
            if hit and hit[1].pos == "source":
                p += 1
                continue
            if t.is_punct:
                in_adjunct = False if t.text in "،," else in_adjunct
                p += 1
                continue
            if n in NAMING_WORDS and first_content is None:
                in_adjunct = True                  # '، ويدعى خالد المرعبي،'
            elif n in TIME_WORDS and first_content is None:
                in_adjunct = False                 # 'في كلمته الخميس' ends at the time word
            elif n in _ADJ_PREPS or n in RELATIVES:
                in_adjunct = True
            elif q.info.obj and n in q.info.preps:
                in_adjunct = False
            elif n not in ADJUNCT_WORDS and not in_adjunct and first_content is None:
                first_content = p
            p += 1
            steps += 1
        if first_content is not None and q.info.obj:
            return "obj", first_content
        return None

    def follow_on(self, q: Q, b: int) -> None:
        """'وبيّن أن X، «Y»': a quotation right after an indirect content is the same speaker's."""
        d = self.d
        if q.kind != "indirect":
            return
        k = next((m for m in range(q.cue_i, b) if d.toks[m].start >= q.end), b)
        while k < b and d.toks[k].text in "،,":
            k += 1
        if k < b and k > 0 and d.toks[k - 1].text in "،," and self.is_open(k) and self.close_is_long(k):
            q2 = replace(q)
            self.set_content(q2, k, b, k)
            if q2.end > q2.start:
                self._keep(q2)
