"""The event trigger lexicon (``resources/lexicons/event_triggers.tsv``) compiled to regular
expressions over the folded text, and the trigger finder.

Each lexicon row gives a PLOVER type, a mode, the CAMEO code it maps to, a kind (V finite verb,
A participle, N noun/masdar, P fixed phrase), its forms and its conditions (see the TSV header).
:func:`read_lexicon` compiles a lexicon file into a :class:`Lexicon` (the run's
:class:`marsad.resources.Resources` reads the shipped one once); :func:`find_triggers` returns
:class:`Trigger` objects with source offsets into the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ...caching import put
from ...text.normalize import Normalized, fold, normalize

LEXICON = Path(__file__).resolve().parents[2] / "resources" / "lexicons" / "event_triggers.tsv"

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
KINDS = ("V", "A", "N", "P")
CONDITIONS = ("with", "part", "gov", "speech", "neg", "ctl", "place", "deontic", "rep", "obl")

_PRON = r"(?:هما|هم|ها|كم|نا|ه|ي)?"
_GAP = r"(?:\s+\S+){0,%d}"


@dataclass(frozen=True, slots=True)
class Entry:
    type: str
    mode: str
    cameo: str
    kind: str
    forms: str
    cond: frozenset
    line: int


@dataclass(frozen=True, slots=True)
class Trigger:
    entry: Entry
    start: int  # source span of the first word (the trigger proper)
    end: int
    match_end: int  # source end of the whole matched form
    conj: bool  # a proclitic و/ف was attached
    future: bool  # a future prefix س was attached (verbs)
    prep: str  # a proclitic preposition (ب ل ك) on a noun
    suffix: bool  # an attached pronoun follows the first word
    article: bool  # the noun carries the definite article
    first_person: bool = False  # 'نطالب', 'رفضنا': the speaker acts


class LexiconError(ValueError):
    pass


def _expand_slot(slot: str) -> list[str]:
    out: list[str] = []
    for alt in fold(slot).split("|"):
        alt = alt.strip()
        if not alt:
            continue
        if alt.startswith("@"):
            try:
                past, pres = alt[1:].split("/")
            except ValueError:
                raise LexiconError(f"bad verb shorthand {alt!r}: use @PAST/PRESENT-STEM") from None
            out += [past, past + "ت", past + "وا", past + "ا", past + "تا", past + "نا"]
            out += [
                "ي" + pres,
                "ت" + pres,
                "ن" + pres,
                "ي" + pres + "ون",
                "ت" + pres + "ون",
                "ي" + pres + "ان",
                "ت" + pres + "ان",
                "ي" + pres + "ن",
            ]
        else:
            out.append(alt)
    # longest first so the alternation prefers the fullest form
    return sorted(set(out), key=len, reverse=True)


def _slot_re(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def compile_form(form: str, kind: str) -> str:
    slots = form.split()
    if not slots or slots[0].startswith("~"):
        raise LexiconError(f"form {form!r} must start with a word")
    parts = []
    first = True
    pending_gap = 0
    for s in slots:
        if s.startswith("~"):
            pending_gap = int(s[1:])
            continue
        plus = s.endswith("+")
        words = _expand_slot(s.rstrip("+"))
        if first:
            if kind in ("V", "A"):
                pre = r"(?P<conj>[وف]?)(?P<fut>س?)"
            elif kind == "N":
                pre = r"(?P<conj>[وف]?)(?P<prep>[بلك]?)(?P<art>ال)?"
            else:
                pre = r"(?P<conj>[وف]?)(?P<prep>[بل]?)"
            suf = r"(?P<suf>" + _PRON[3:-2] + ")?" if (plus or (kind == "N" and len(slots) == 1)) else ""
            parts.append(r"(?<!\w)" + pre + r"(?P<w0>" + _slot_re(words) + ")" + suf)
            first = False
        else:
            gap = (_GAP % pending_gap) if pending_gap else ""
            # a quotation mark may open before a later word ('إن على القوات "أن تغادر')
            parts.append(gap + r"\s+[«“\"]?(?:[وفبلك]?)" + _slot_re(words) + (_PRON if plus else ""))
            pending_gap = 0
    return "".join(parts) + r"(?!\w)"


def load_lexicon(path: Optional[str] = None) -> tuple[tuple[Entry, re.Pattern, list[str]], ...]:
    """The rows of a lexicon file (default: the shipped one), compiled: (entry, pattern, the
    words its first slot can be)."""
    p = Path(path) if path else LEXICON
    rows = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 5:
            raise LexiconError(f"{p}:{n}: expected 5-6 TAB-separated columns, got {len(cols)}")
        typ, mode, cameo, kind, forms = (c.strip() for c in cols[:5])
        cond = frozenset(c.strip() for c in (cols[5] if len(cols) > 5 else "").split(",") if c.strip())
        if typ not in PLOVER_TYPES:
            raise LexiconError(f"{p}:{n}: unknown PLOVER type {typ!r}")
        if kind not in KINDS:
            raise LexiconError(f"{p}:{n}: kind must be one of {KINDS}, not {kind!r}")
        if cond - set(CONDITIONS):
            raise LexiconError(f"{p}:{n}: unknown condition(s) {sorted(cond - set(CONDITIONS))}")
        e = Entry(typ, mode, cameo, kind, forms, cond, n)
        for f in forms.split(" ; "):
            if f.strip():
                rows.append((e, re.compile(compile_form(f.strip(), kind)), _expand_slot(f.split()[0].rstrip("+"))))
    return tuple(rows)


def _index(rows) -> dict[str, tuple[int, ...]]:
    """First word of every form -> the indexes of the forms it can start."""
    idx: dict[str, list[int]] = {}
    for i, (_, _, firsts) in enumerate(rows):
        for w in firsts:
            idx.setdefault(w, []).append(i)
    return {k: tuple(v) for k, v in idx.items()}


_WORD = re.compile(r"\w+")
_PRE = re.compile(r"^(?:[وف]?(?:س|[بلك]?(?:ال)?|لل)?)")
_SUFS = ("هما", "هم", "ها", "كم", "نا", "ه", "ي")


class Lexicon:
    """A compiled trigger lexicon: its rows (:func:`load_lexicon`), the index of the words that can
    start a form, and the memo of :func:`_candidates` over that index (bounded: caching.WORD)."""

    def __init__(self, rows) -> None:
        self.rows = rows
        self.index = _index(rows)
        self.memo: dict[str, set[int]] = {}


def read_lexicon(path: Optional[str] = None) -> Lexicon:
    """The :class:`Lexicon` of a lexicon file (default: the shipped one), read and compiled now."""
    return Lexicon(load_lexicon(path))


def _candidates(word: str, idx: dict, memo: dict) -> set[int]:
    """Indexes of the forms ``word`` can start (memoized per word in the index's ``memo``;
    callers only iterate the returned set)."""
    out = memo.get(word)
    if out is None:
        out = _candidates_of(word, idx)
        put(memo, word, out)  # bounded (caching.WORD): memory stays flat on any corpus
    return out


def _candidates_of(word: str, idx: dict) -> set[int]:
    out: set[int] = set()
    for k in range(0, min(4, len(word) - 1) + 1):
        stem = word[k:]
        if k and not _PRE.fullmatch(word[:k]):
            continue
        hit = idx.get(stem)
        if hit:
            out.update(hit)
        for sf in _SUFS:
            if stem.endswith(sf) and len(stem) > len(sf) + 1:
                hit = idx.get(stem[: -len(sf)])
                if hit:
                    out.update(hit)
    return out


_POSS = ("هما", "هم", "ها", "ه")


def _possessive(w: str, base_forms: list[str]) -> bool:
    """A listed noun form that carries a possessive pronoun ('لقائه', 'زيارته', 'مباحثاته')."""
    for suf in _POSS:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            b = w[: -len(suf)]
            for cand in (
                b,
                b[:-1] + "ه" if b.endswith("ت") else None,
                b[:-1] + "اء" if b.endswith("اي") else None,
                b[:-1] + "ء" if b.endswith("ي") else None,
            ):
                if cand and cand in base_forms and cand != w:
                    return True
    return False


def find_triggers(text: str, norm: Optional[Normalized] = None, lexicon: Optional[Lexicon] = None) -> list[Trigger]:
    """Every match of ``lexicon`` in ``text`` (overlaps resolved: the longest match at a position
    wins, and a match inside a longer one is dropped).  Without a lexicon the shipped one is read
    for this call: callers that find triggers in many texts read it once (:func:`read_lexicon`)."""
    norm = norm or normalize(text)
    nt = norm.text
    found: list[Trigger] = []
    lexicon = lexicon if lexicon is not None else read_lexicon()
    lex, idx, memo = lexicon.rows, lexicon.index, lexicon.memo
    for wm in _WORD.finditer(nt):
        # most words start no form: their memo entry is looked up here, without a call per word
        cands = memo.get(wm.group())
        if cands is None:
            cands = _candidates(wm.group(), idx, memo)
        for i in cands:
            e, rx, _ = lex[i]
            m = rx.match(nt, wm.start())
            if m is None:
                continue
            ws, we = m.span("w0")
            s, _ = norm.to_source(ws, we)
            _, e0 = norm.to_source(ws, we)
            _, me = norm.to_source(m.start(), m.end())
            gd = m.groupdict()
            w0 = m.group("w0")
            art = bool(gd.get("art")) or (e.kind == "N" and w0.startswith("ال"))
            words = lex[i][2]
            first = (w0.startswith("ن") and "ي" + w0[1:] in words) or (w0.endswith("نا") and w0[:-2] in words)
            found.append(
                Trigger(
                    e,
                    s,
                    e0,
                    me,
                    bool(gd.get("conj")),
                    bool(gd.get("fut")),
                    gd.get("prep") or "",
                    bool(gd.get("suf")) or _possessive(w0, words),
                    art,
                    first,
                )
            )
    found.sort(key=lambda t: (t.start, -(t.match_end - t.start), t.entry.line))
    out: list[Trigger] = []
    for t in found:
        if out and t.start < out[-1].match_end and t.start >= out[-1].start:
            prev = out[-1]
            # same word, different reading: keep both only when the types differ and both are phrases
            if t.start == prev.start and t.entry.type != prev.entry.type and t.match_end == prev.match_end:
                out.append(t)
            continue
        out.append(t)
    return out


# --- status and filter cues (folded text), used by ``events`` ---------------------------------------
# negation within two words before the trigger; 'غير أن' is 'however', not a negation; a conjunction may be
# attached to the particle ('ولم توجه اتهامات', 'وعدم', 'فلن') but not to 'ما' ('وما' is 'and what')
NEG = re.compile(r"(?:^|\s)(?:[وف]?(?:لم|لن|لا|ليس|ليست|عدم|دون|بدون)|ما|غير(?!\s+ان(?:\s|$)))\s+(?:\S+\s+){0,2}$")
# a planned act: future, intention, purpose, expectation (a few words before the trigger)
PLAN = re.compile(
    r"(?:^|\s)[وف]?(?:سوف|سيتم|ستتم|من\s+المقرر|من\s+المنتظر|من\s+المتوقع|يعتزم|تعتزم|ينوي|تنوي|"
    r"يسعي|تسعي|يامل|تامل|امل|املها|امله|قبيل|قريبا|بهدف|من\s+اجل|لبحث|لعقد|سيعقد|ستعقد|ستستضيف|سيجري|ستجري)"
    r"(?:\s+\S+){0,5}\s*$"
)
# a material act governed by a threat verb ('هدد … بفرض عقوبات'): threatened, not done
THREAT_GOV = re.compile(
    r"(?:^|\s)[وف]?(?:هدد|هددت|هددوا|يهدد|تهدد|توعد|توعدت|يتوعد|تتوعد|لوح|لوحت|يلوح|تلوح|"
    r"مهددا|مهدده|متوعدا)(?:\s+\S+){0,5}\s*$"
)
# a meeting or other act as the goal of a call or an invitation ('دعا … إلى لقائه'): requested, not done
GOAL = re.compile(r"(?:^|\s)الي\s*$")
COND = re.compile(r"(?:^|\s)(?:اذا|لو|في\s+حال|حال|شرط|شريطه|ان\s+تم)(?:\s+\S+){0,6}\s*$")
COND_AFTER = re.compile(r"^\s*(?:\S+\s+){0,6}?(?:اذا|لو|في\s+حال|شرط|شريطه)\s")
REL = re.compile(r"(?:^|\s)(?:الذي|التي|الذين|اللذين|اللتين|اللواتي|ما)\s+(?:\S+\s+)?(?:قد\s+|تم\s+)?$")
FRAMEWORK = re.compile(r"(?:^|\s)[وفب]?(?:اطار|سياق|صيغه|مسار|هامش|مسيره|عمليه|نتايج|جولات)\s*$")
DENIED = re.compile(r"(?:^|\s)[وف]?(?:نفي|نفت|نفوا|ينفي|تنفي|نافيا|نافيه)\s")
BLOCK = {  # (type, folded context regex over [trigger - 20, trigger + 30]) that cancels a reading
    "ASSAULT": re.compile(
        r"وقف\s+(?:\S+\s+)?ل?(?:اطلاق|الاعمال)|لوقف\s+(?:\S+\s+)?ل?اطلاق|منع\s+\S*\s*\S*\s*من\s+مهاجمه"
    ),
    "PROTEST": re.compile(r"مسيره\s+(?:ال)?(?:وقف|مفاوضات|سلام|تسويه|حل|عمليه|تطورات|تعاون|اصلاح|تنميه|بناء)"),
}
# 'فجر' + a day or a date is 'dawn', not 'blew up' ('فجر الجمعة', 'فجر اليوم', 'فجر الثالث من …')
DAWN_AFTER = re.compile(
    r"^\s*(?:يوم|اليوم|امس|الغد|غد|ذلك|السبت|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|"
    r"\d+|[\u0660-\u0669]+|ال\S+\s+من\s)"
)
DAWN_BEFORE = re.compile(r"(?:^|\s)(?:منذ|حتي|عند|قبيل|قبل|بعد|مع|في)\s*$")
# a dual anaphor as the subject: the two parties of the last meeting ('اتفق الوزيران على …')
DUAL_ANAPHOR = re.compile(
    r"^\s*ال(?:وزيران|وزيرين|طرفان|طرفين|جانبان|جانبين|رئيسان|رئيسين|زعيمان|زعيمين|"
    r"مسؤولان|مسؤولين|مسولان|بلدان|بلدين|زعيمين)(?:\s|$)"
)
# deontic 'على X أن …' ('إن على موسكو أن تلجم…'): a demand when it opens reported or quoted speech
DEONTIC_BEFORE = re.compile(r"(?:(?:^|\s)(?:ان|بان|انه)|[:«“\"])\s*[«“\"]?\s*$")
# an announcement or decision verb governing a masdar a few words on ('أعلن في 18 مايو تخصيص …')
GOV_FAR = re.compile(
    r"(?:^|\s)[وف]?(?:اعلن|اعلنت|اعلنوا|يعلن|تعلن|قرر|قررت|قرروا|يقرر|تقرر)(?:\s+[^\s،,.:«»]+){0,7}\s*$"
)
# a speech verb that opens a new reported clause ends the scope of an earlier denial
SCOPE_BREAK = re.compile(
    r"(?:^|\s)[وف]?(?:مؤكدا|موكدا|مؤكده|مضيفا|مضيفه|مشيرا|مشيره|مشددا|وقال|وقالت|واضاف|واضافت|واكد|واكدت)(?:\s|$)"
)
