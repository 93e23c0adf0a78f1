"""The outlet table: one canonical outlet for every way an input or a text names it.

``marsad/resources/outlets/outlets.json`` lists each outlet once: an id, its English and Arabic
names, the surface forms seen for it (ANT's codes ``skynews``, ``france24``…, domain names, Arabic
spellings) and, only where a checked source states it, its country, owner and orientation with
that source.  A surface is matched through :func:`outlet_key` (case, spaces, punctuation, tatweel,
diacritics, alef/ta marbuta/alef maqsura forms and Arabic-Indic digits folded), so «فرانس24»,
«فرانس 24» and ``France 24`` are one key.

The store keeps what the input said (``articles.outlet``); the readers show and filter by the
canonical name: :meth:`OutletTable.sql_name` is a SQL expression that folds a stored outlet to its
canonical English name in the query itself (the same fold as :func:`outlet_key`, written with
``translate``), so stores written before the table existed merge too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources as _res
from types import MappingProxyType
from typing import Mapping, Optional

__all__ = ["Outlet", "OutletTable", "load_outlets", "outlet_key", "outlet_table"]

# folded → replacement (same length), then the characters deleted
_MAP_FROM = "أإآٱةى٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_MAP_TO = "ااااهي01234567890123456789"
_DELETE = " \t\n\u00a0\u200f\u200e\u0640-_.'\"«»()[],:/|\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
_FOLD = str.maketrans(_MAP_FROM, _MAP_TO, _DELETE)
FIELDS = ("country", "owner", "orientation")


def outlet_key(surface: str) -> str:
    """The folded form two spellings of one outlet name share ('France 24' and 'france24';
    «فرانس 24» and «فرانس24»; «قناة العربية» stays apart from «العربية»)."""
    return surface.lower().translate(_FOLD)


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Outlet:
    id: str
    name_en: str
    name_ar: str
    aliases: tuple[str, ...]
    kb: str = ""
    country: str = ""
    owner: str = ""
    orientation: str = ""
    source: str = ""

    def surfaces(self) -> tuple[str, ...]:
        return (self.id, self.name_en, self.name_ar, *self.aliases)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "aliases": list(self.aliases),
            "country": self.country or None,
            "owner": self.owner or None,
            "orientation": self.orientation or None,
            "source": self.source or None,
        }


@dataclass(frozen=True)
class OutletTable:
    outlets: tuple[Outlet, ...]
    by_key: Mapping[str, Outlet]

    def resolve(self, surface: Optional[str]) -> Optional[Outlet]:
        """The outlet this surface names (any alias, in any case or spacing), else None."""
        if not surface:
            return None
        return self.by_key.get(outlet_key(surface))

    def name(self, surface: Optional[str]) -> Optional[str]:
        """The canonical English name of ``surface``; the surface itself when the table lacks it."""
        o = self.resolve(surface)
        return o.name_en if o else surface

    def by_name(self, name: Optional[str]) -> Optional[Outlet]:
        return self.resolve(name)

    def sql_key(self, expr: str) -> str:
        """SQL giving :func:`outlet_key` of the SQL string ``expr``."""
        return f"translate(lower({expr}), {_sql_str(_MAP_FROM + _DELETE)}, {_sql_str(_MAP_TO)})"

    def sql_name(self, expr: str = "coalesce(a.outlet_name, a.outlet)") -> str:
        """SQL giving the canonical English name of the stored outlet ``expr`` (``expr`` itself
        when the table does not know it)."""
        whens = " ".join(f"WHEN {_sql_str(k)} THEN {_sql_str(o.name_en)}" for k, o in sorted(self.by_key.items()))
        return f"(CASE {self.sql_key(expr)} {whens} ELSE {expr} END)"


def load_outlets(text: Optional[str] = None) -> OutletTable:
    """The table of ``outlets.json`` (or of the JSON ``text``).  Raises ValueError when two outlets
    claim one key."""
    if text is None:
        text = _res.files("marsad.resources.outlets").joinpath("outlets.json").read_text(encoding="utf-8")
    outs, keys = [], {}
    for row in json.loads(text)["outlets"]:
        o = Outlet(
            id=row["id"],
            name_en=row["name_en"],
            name_ar=row.get("name_ar") or "",
            aliases=tuple(row.get("aliases") or ()),
            kb=row.get("kb") or "",
            country=row.get("country") or "",
            owner=row.get("owner") or "",
            orientation=row.get("orientation") or "",
            source=row.get("source") or "",
        )
        for s in o.surfaces():
            k = outlet_key(s) if s else ""
            if not k:
                continue
            if keys.get(k, o) is not o:
                raise ValueError(f"outlet table: {s!r} names both {keys[k].id} and {o.id}")
            keys[k] = o
        outs.append(o)
    return OutletTable(tuple(outs), MappingProxyType(keys))


def outlet_table() -> OutletTable:
    """The shipped outlet table, loaded once with the process's default resources."""
    from .resources import default_resources

    return default_resources().derived("outlets", load_outlets)


STORED = "coalesce(a.outlet_name, a.outlet)"


def outlet_sql(expr: str = STORED) -> str:
    """SQL for the canonical name of the stored outlet ``expr`` (see :meth:`OutletTable.sql_name`)."""
    return outlet_table().sql_name(expr)


def outlet_names(rows: list[dict], key: str = "outlet_name") -> list[dict]:
    """Each row's stored outlet (``row[key]``, as :data:`STORED` selects it) replaced in place by its
    canonical name, as :func:`outlet_sql` names it; for the rows a page shows, where naming them in
    Python is much cheaper than :func:`outlet_sql` over every row the query reads."""
    table, named = outlet_table(), {}
    for r in rows:
        raw = r.get(key)
        if raw not in named:
            named[raw] = table.name(raw)
        r[key] = named[raw]
    return rows


def outlet_condition(value: str, expr: str = STORED) -> Optional[tuple[str, list]]:
    """(SQL condition, parameters) keeping the articles of the outlet ``value`` names in any of its
    aliases; None when the table does not know ``value`` (the caller then matches it as text)."""
    o = outlet_table().resolve(value)
    if o is None:
        return None
    return f"{outlet_sql(expr)} = ?", [o.name_en]
