"""Exports of the store: jsonl (every layer), csv / parquet (one table), gold (the schema of the
shared gold standard, so its scorer can grade marsad)."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Iterable

from ..errors import ConfigError
from ..model import Article
from .queries import iter_articles


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def article_json(a: Article) -> dict:
    """Every field and layer of an article, spans included."""
    def spans(items):
        return [asdict(x) for x in items]
    return {
        "id": a.id, "url": a.url, "outlet": a.outlet, "outlet_name": a.outlet_name,
        "published": _iso(a.published), "published_basis": a.published_basis, "headline": a.headline,
        "byline": a.byline, "source": a.source, "content_hash": a.content_hash, "body_start": a.body_start,
        "text": a.text, "boilerplate": list(a.boilerplate),
        "sentences": spans(a.sentences), "mentions": spans(a.mentions), "times": spans(a.times),
        "quotes": spans(a.quotes), "attributions": spans(a.attributions), "events": spans(a.events),
    }


def gold_record(a: Article) -> dict:
    """One article in the gold schema of ../shared/gold/GUIDELINES.md."""
    ents, seen = [], set()
    for m in a.mentions:
        key = (m.text, m.type)
        if key in seen:
            continue
        seen.add(key)
        ents.append({"surface": m.text, "type": m.type, "canonical": m.canonical or m.actor_id,
                     "title": m.title})
    times, tseen = [], set()
    for t in a.times:
        if t.value is None or (t.text, t.value) in tseen:
            continue
        tseen.add((t.text, t.value))
        times.append({"surface": t.text, "value": t.value})
    return {
        "id": a.id,
        "published": _iso(a.published),
        "headline": a.headline,
        "outlet": {"surface": a.outlet, "name_en": a.outlet_name} if a.outlet else None,
        "byline": a.byline,
        "boilerplate": list(a.boilerplate),
        "body": a.body,
        "entities": ents,
        "quotes": [{"speaker": q.speaker or q.speaker_surface or None, "speaker_surface": q.speaker_surface or None,
                    "cue": q.cue, "kind": q.kind, "text": q.text} for q in a.quotes],
        "events": [{"type": e.type, "mode": e.mode, "source": list(e.source), "target": list(e.target),
                    "location": e.location, "date": None if e.date_from_published else e.date,
                    "evidence": e.evidence}
                   for e in a.events if e.status == "realized"],
        "times": times,
        "attributions": [{"surface": t.text, "outlet": t.outlet} for t in a.attributions],
    }


def _write_jsonl(records: Iterable[dict], out: Path) -> int:
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def export(con, fmt: str, out: str | Path, table: str = "articles") -> int:
    """Write the store in ``fmt`` to ``out``; returns the number of records written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt in _ARTICLE_FORMATS:
        return _ARTICLE_FORMATS[fmt](con, out)
    if fmt in ("csv", "parquet"):
        tables = [r[0] for r in con.execute("SHOW TABLES").fetchall()]
        if table not in tables:
            raise ConfigError(f"no table {table!r}; choose one of {sorted(tables)}")
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "search_text"]
        sel = ", ".join(f'"{c}"' for c in cols)
        if fmt == "parquet":
            con.execute(f"COPY (SELECT {sel} FROM {table}) TO '{_sql_path(out)}' (FORMAT PARQUET)")
        else:
            cur = con.execute(f"SELECT {sel} FROM {table}")
            with open(out, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow(cols)
                for row in cur.fetchall():
                    w.writerow(["|".join(map(str, v)) if isinstance(v, list) else v for v in row])
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


_ARTICLE_FORMATS: dict[str, Callable] = {
    "jsonl": lambda con, out: _write_jsonl((article_json(a) for a in iter_articles(con)), out),
    "gold": lambda con, out: _write_jsonl((gold_record(a) for a in iter_articles(con)), out),
}


def register_format(name: str, writer: Callable) -> None:
    """Later layers add formats (plover, acled, geojson) here."""
    _ARTICLE_FORMATS[name] = writer


FORMATS = ("jsonl", "csv", "parquet", "gold", "plover", "acled", "geojson")

from ..extract.events import plover as _plover  # noqa: E402,F401  (registers plover, acled, geojson)
