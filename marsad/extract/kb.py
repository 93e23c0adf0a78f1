"""The curated actor knowledge base: loader, lookup API and validation.

The data lives in ``marsad/resources/kb/`` as three UTF-8 TSV files (see ``docs/actors.md``):

* ``actors.tsv``   — one row per actor (PER, ORG, GPE, LOC) with Arabic names and variants;
* ``roles.tsv``    — dated roles of people (``foreign_minister`` of ``RUS`` from 2004-03-09 …);
* ``nationalities.tsv`` — every inflection of the gentilic adjectives, per country (or bloc).

``load_kb()`` reads them into a :class:`KB` (the run's :class:`marsad.resources.Resources` reads them
once).  :class:`KnowledgeBase` is what the stages use of a KB (the tests' fakes conform to it), and
:func:`memos_of` the memos of the look-ups over one KB, which live on that KB object.  Matching is on normalized keys
(:func:`marsad.text.normalize.norm_key`); :meth:`KB.lookup` also tries the surface with one
proclitic (و ف ب ك ل) removed and ``لل`` restored to ``ال``.  :func:`marsad.extract.kb_check.validate` lists
every problem of a KB (empty list = valid); ``tests/test_kb.py`` runs it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Optional, Protocol, runtime_checkable

from marsad.errors import ModelError
from marsad.text.normalize import norm_key

# fmt: off
__all__ = [
    "Actor", "Role", "KB", "KBError", "KnowledgeBase", "KBMemos", "memos_of", "load_kb", "KB_DIR", "KINDS", "ACTOR_TYPES",
    "ROLES", "AMBIGUOUS_NAMES", "BLOC_IDS", "surface_keys", "parse_partial_date",
]
# fmt: on

KB_DIR = Path(__file__).resolve().parent.parent / "resources" / "kb"

KINDS = ("PER", "ORG", "GPE", "LOC")
# fmt: off
ACTOR_TYPES = ("GOV", "MIL", "REB", "OPP", "IGO", "MED", "PTY", "NGO", "REL", "INS", "JUD", "LEG",
               "BUS", "CVL", "COP", "SPY")
ROLES = (
    "head_of_state", "head_of_government", "supreme_leader", "foreign_minister",
    "deputy_foreign_minister", "defence_minister", "deputy_defence_minister",
    "spokesperson_foreign_ministry", "spokesperson_presidency", "spokesperson_defence_ministry",
    "un_secretary_general", "un_envoy_syria", "un_deputy_envoy_syria", "us_envoy_syria",
    "russian_envoy_syria", "un_permanent_representative", "arab_league_secretary_general",
    "opcw_director_general", "national_security_secretary", "chief_of_general_staff",
)
# normalized name_ar values that two entries of the same kind may share, with the ids that share it
AMBIGUOUS_NAMES: dict[str, frozenset[str]] = {
    norm_key("طرابلس"): frozenset({"gpe:tripoli", "gpe:tripoli-lebanon"}),
    norm_key("عمان"): frozenset({"gpe:oman", "gpe:amman"}),
}
# fmt: on
# entries that nationalities.tsv may point to besides GPEs (adjectives of blocs)
BLOC_IDS = frozenset({"org:european-union"})

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PROCLITICS = "وفبكل"
# fmt: off
_ACTOR_COLS = ["id", "kind", "name_en", "name_ar", "variants_ar", "country", "actor_type", "qid",
               "lat", "lon", "parent", "notes"]
# fmt: on
_ROLE_COLS = ["actor_id", "role", "country", "title_ar", "start", "end"]
_NAT_COLS = ["country_id", "forms_ar"]


class KBError(ModelError):
    """A knowledge-base file is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Role:
    actor_id: str
    role: str
    country: str
    title_ar: str
    start: str = ""  # ISO YYYY[-MM[-DD]]; "" = unknown
    end: str = ""  # "" = ongoing (or unknown end)

    def covers(self, on: date) -> bool:
        """True when ``on`` falls inside [start, end]; a partial start counts from its first day,
        a partial end up to its last day.  A role with an unknown start never matches."""
        if not self.start:
            return False
        lo = parse_partial_date(self.start, last=False)
        if on < lo:
            return False
        if self.end:
            return on <= parse_partial_date(self.end, last=True)
        return True


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    kind: str
    name_en: str
    name_ar: str
    variants: tuple[str, ...] = ()
    country: str = ""
    actor_type: str = ""
    qid: str = ""
    lat: Optional[float] = None
    lon: Optional[float] = None
    parent: str = ""
    notes: str = ""
    roles: tuple[Role, ...] = ()

    @property
    def names_ar(self) -> tuple[str, ...]:
        return (self.name_ar,) + self.variants


def parse_partial_date(s: str, last: bool = False) -> date:
    """``2016`` / ``2016-07`` / ``2016-07-27`` → a date (first or, with ``last``, final day)."""
    m = _DATE.match(s or "")
    if not m:
        raise ValueError(f"not an ISO (partial) date: {s!r}")
    y = int(m.group(1))
    if m.group(3):
        return date(y, int(m.group(2)), int(m.group(3)))
    if m.group(2):
        mo = int(m.group(2))
        if not last:
            return date(y, mo, 1)
        nxt = date(y + (mo == 12), mo % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(y, 12, 31) if last else date(y, 1, 1)


def surface_keys(surface: str) -> list[str]:
    """Normalized keys to try for a surface: itself, with one proclitic stripped, and لل → ال."""
    k = norm_key(surface)
    keys = [k]
    if k.startswith("لل") and len(k) > 3:
        keys.append("ال" + k[2:])
    if len(k) > 2 and k[0] in _PROCLITICS:
        rest = k[1:]
        keys.append(rest)
        if rest.startswith("لل") and len(rest) > 3:
            keys.append("ال" + rest[2:])
    # the keys are distinct by construction (they differ in length or in their first two
    # letters), so no de-duplication is needed
    return keys


@runtime_checkable
class KnowledgeBase(Protocol):
    """What the extraction stages use of an actor KB: :class:`KB`, the stand-in
    :class:`marsad.extract.actors.EmptyKB` and the tests' fakes all have it."""

    by_id: dict

    def lookup(self, surface: str) -> list: ...

    def nationality(self, surface: str) -> Any: ...

    def holders(self, role: str, country: str, on: date) -> list: ...

    def names(self) -> Iterator[tuple[str, str, str]]: ...


class KBMemos:
    """The memos of the look-ups over one KB (nationality adjectives, exact and fuzzy names, role
    phrases, the gazetteer, the media outlets …), kept on the KB object by :func:`memos_of`: they
    live and die with their KB, and a KB never sees another's answers.  Each dict is bounded with
    :func:`marsad.caching.put`; the indexes are built once."""

    __slots__ = ("nationality", "lookup", "fuzzy", "fuzzy_index", "countries", "roles", "norp", "gazetteer", "media")

    def __init__(self) -> None:
        self.nationality: dict = {}
        self.lookup: dict = {}
        self.fuzzy: dict = {}
        self.roles: dict = {}
        self.norp: dict = {}
        self.fuzzy_index: Optional[dict] = None
        self.countries: Optional[dict] = None
        self.gazetteer: Any = None
        self.media: Optional[dict] = None


MEMO_ATTR = "lookup_memos"


def memos_of(kb) -> KBMemos:
    """The :class:`KBMemos` of ``kb``, made on first use and kept on it (a KB object that takes
    no attribute, or None, gets fresh ones each time: correct, only slower)."""
    m = getattr(kb, MEMO_ATTR, None)
    if m is None:
        m = KBMemos()
        if kb is not None:
            try:
                setattr(kb, MEMO_ATTR, m)
            except AttributeError:
                pass
    return m


@dataclass
class KB:
    by_id: dict[str, Actor]
    nationality_forms: dict[str, str] = field(default_factory=dict)  # norm form -> actor id
    _index: dict[str, list[str]] = field(default_factory=dict, repr=False)
    roles: tuple[Role, ...] = ()

    def __post_init__(self) -> None:
        if not self._index:
            for a in self.by_id.values():
                for n in a.names_ar:
                    ids = self._index.setdefault(norm_key(n), [])
                    if a.id not in ids:
                        ids.append(a.id)

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, actor_id: str) -> Optional[Actor]:
        return self.by_id.get(actor_id)

    def lookup(self, surface: str) -> list[Actor]:
        """Actors whose name or variant matches ``surface`` exactly after normalization (the
        surface as given first; then without one proclitic; then لل → ال)."""
        out: list[Actor] = []
        for k in surface_keys(surface):
            for i in self._index.get(k, ()):
                a = self.by_id[i]
                if a not in out:
                    out.append(a)
            if out:
                break
        return out

    def nationality(self, surface: str) -> Optional[Actor]:
        """The country (or bloc) of a gentilic adjective form: ``الروسية`` → Russia."""
        for k in surface_keys(surface):
            i = self.nationality_forms.get(k)
            if i:
                return self.by_id.get(i)
        return None

    def holders(self, role: str, country: str, on: date) -> list[Actor]:
        """People holding ``role`` for ``country`` (ISO3; "" for UN roles) on date ``on``."""
        out = []
        for r in self.roles:
            if r.role == role and r.country == country and r.covers(on):
                a = self.by_id.get(r.actor_id)
                if a is not None and a not in out:
                    out.append(a)
        return out

    def roles_of(self, actor_id: str) -> tuple[Role, ...]:
        a = self.by_id.get(actor_id)
        return a.roles if a else ()

    def names(self) -> Iterator[tuple[str, str, str]]:
        """(normalized form, actor id, kind) for every name and variant, for gazetteers."""
        for k, ids in self._index.items():
            for i in ids:
                yield k, i, self.by_id[i].kind

    def places(self) -> Iterator[Actor]:
        return (a for a in self.by_id.values() if a.kind in ("GPE", "LOC"))


def _read(path: Path, cols: list[str]) -> list[dict[str, str]]:
    if not path.exists():
        raise KBError(f"missing knowledge-base file {path}; reinstall marsad or restore the file")
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != cols:
            raise KBError(f"{path.name}: header is {reader.fieldnames}, expected {cols}")
        rows = []
        for n, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                raise KBError(f"{path.name} line {n}: expected {len(cols)} tab-separated columns")
            rows.append({k: v.strip() for k, v in row.items()})
        return rows


def _float(s: str, where: str) -> Optional[float]:
    if not s:
        return None
    try:
        return float(s)
    except ValueError as e:
        raise KBError(f"{where}: not a number: {s!r}") from e


def read_kb(directory: Path = KB_DIR) -> KB:
    """Read the three TSV files of ``directory`` (uncached)."""
    role_rows = _read(directory / "roles.tsv", _ROLE_COLS)
    roles = tuple(Role(r["actor_id"], r["role"], r["country"], r["title_ar"], r["start"], r["end"]) for r in role_rows)
    by_actor: dict[str, list[Role]] = {}
    for r in roles:
        by_actor.setdefault(r.actor_id, []).append(r)
    by_id: dict[str, Actor] = {}
    for n, r in enumerate(_read(directory / "actors.tsv", _ACTOR_COLS), start=2):
        where = f"actors.tsv line {n} ({r['id']})"
        if r["id"] in by_id:
            raise KBError(f"{where}: duplicate id")
        variants = tuple(v.strip() for v in r["variants_ar"].split("|") if v.strip())
        by_id[r["id"]] = Actor(
            r["id"],
            r["kind"],
            r["name_en"],
            r["name_ar"],
            variants,
            r["country"],
            r["actor_type"],
            r["qid"],
            _float(r["lat"], where),
            _float(r["lon"], where),
            r["parent"],
            r["notes"],
            tuple(by_actor.get(r["id"], ())),
        )
    forms: dict[str, str] = {}
    for r in _read(directory / "nationalities.tsv", _NAT_COLS):
        for f in r["forms_ar"].split("|"):
            if f.strip():
                forms.setdefault(norm_key(f), r["country_id"])
    return KB(by_id=by_id, nationality_forms=forms, roles=roles)


def load_kb() -> KB:
    """The packaged knowledge base, read afresh (a run reads it once, in its
    :class:`marsad.resources.Resources`)."""
    return read_kb(KB_DIR)
