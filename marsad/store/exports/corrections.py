"""``marsad corrections export``: the analysts' current corrections as annotation records in the
format of the annotated corpus (``data/corpus/*.jsonl``, docs/corpus.md), one article a line, so the
training code reads them as it reads the corpus (:func:`marsad.lab.corpus.corpus.expand` gives the
strings back from the offsets).

* A **fix** becomes the item with its corrected values: an entity (``type``, ``canonical``,
  ``mention_spans``), a quote (``speaker``, ``kind``, ``text_span``, ``cue_span``, ``speaker_span``) or
  an event (``type``, ``mode``, ``source``, ``target``, ``evidence_span``, ``trigger``,
  ``source_spans``, ``target_spans``; ``location`` null: the corpus's location names an entity of
  the record, and a partial record lists none for it).
* A **wrong** mark becomes a *negative*: the item as extracted, under ``negatives`` (``entities``,
  ``quotes``, ``events``): a span the extractor should not have produced.  The corpus reader ignores
  that key; a trainer that wants negatives reads it.
* A record is **partial** (``"partial": true``): only the corrected items are annotated; an item not
  listed is not a negative.

Offsets index the article's text *as stored* (headline line, newline, cleaned body), which can differ
from the ANT ``title + "\\n" + text`` the corpus indexes when cleaning dropped lines; ``text_hash`` is
that text's content hash.  A correction made on another version of the text (the article was
replaced since) is left out and counted as ``stale``; one whose article is gone, as ``missing``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ...model import content_hash

UNSPECIFIED_MODE = "unspecified"  # a fixed event type keeps no mode of the old one


def _mention_spans(cur, article_id: str) -> list[tuple[int, int, Optional[str]]]:
    return [
        (s, e, aid)
        for s, e, aid in cur.execute(
            'SELECT start, "end", actor_id FROM mentions WHERE article_id = ? ORDER BY start', [article_id]
        ).fetchall()
    ]


def _span_of(name: dict | str, text: str, mentions, lo: int, hi: int, near: Optional[int] = None):
    """A span naming this actor: a mention of its id (inside ``lo..hi``, or nearest ``near``), else
    its typed spelling verbatim there; None when the text does not name it."""
    aid = name.get("actor_id") if isinstance(name, dict) else None
    typed = name.get("typed") if isinstance(name, dict) else None
    hits = [(s, e) for s, e, a in mentions if aid and a == aid]
    inside = [h for h in hits if lo <= h[0] and h[1] <= hi]
    if inside:
        return list(inside[0])
    if near is not None and hits:
        return list(min(hits, key=lambda h: abs(h[0] - near)))
    if typed:
        at = text.find(typed, lo, hi) if near is None else text.find(typed)
        if at >= 0:
            return [at, at + len(typed)]
    return None


def _names(values) -> list:
    return [v["name"] if isinstance(v, dict) else v for v in values or ()]


def _event(rec: dict, text: str, mentions) -> dict:
    it, fx = rec["item"], rec["fields"]
    lo, hi = it["start"], it["end"]
    ev = {"type": fx["type"]["new"] if "type" in fx else it["type"]}
    ev["mode"] = it.get("mode") if "type" not in fx and it.get("mode") else UNSPECIFIED_MODE
    for side in ("source", "target"):
        if side in fx:
            ev[side], spans = _names(fx[side]["new"]), [_span_of(n, text, mentions, lo, hi) for n in fx[side]["new"]]
        else:
            ids = it.get(f"{side}_ids") or []
            named = [{"actor_id": ids[i] if i < len(ids) else None, "typed": n} for i, n in enumerate(it[side])]
            ev[side], spans = list(it[side]), [_span_of(n, text, mentions, lo, hi) for n in named]
        ev[f"{side}_spans"] = spans
    # the corpus's location names an entity of the record, and a partial record lists none for it
    ev.update(location=None, date=it.get("date"), evidence_span=[lo, hi], trigger=it.get("trigger"))
    return ev


def _quote(rec: dict, text: str, mentions) -> dict:
    it, fx = rec["item"], rec["fields"]
    q = {"speaker": it.get("speaker"), "kind": it["kind"], "text_span": [it["start"], it["end"]]}
    q["cue_span"], q["speaker_span"] = it.get("cue_span"), it.get("speaker_span")
    if "speaker" in fx:
        new = fx["speaker"]["new"]
        q["speaker"] = new["name"]
        q["speaker_span"] = _span_of(new, text, mentions, it["start"], it["end"], near=it["start"])
    if "kind" in fx:
        q["kind"] = fx["kind"]["new"]
    return q


def _entity(rec: dict) -> dict:
    it, fx = rec["item"], rec["fields"]
    e = {"type": fx["type"]["new"] if "type" in fx else it["type"]}
    e.update(canonical=it.get("canonical") or it["text"], mention_spans=[[it["start"], it["end"]]], title_span=None)
    return e


def _add_entity(ents: list, e: dict, text: str) -> None:
    """One entity per surface and type, as in the corpus (its mentions' spans together)."""
    first = e["mention_spans"][0]
    for other in ents:
        s = other["mention_spans"][0]
        if other["type"] == e["type"] and text[s[0] : s[1]] == text[first[0] : first[1]]:
            other["mention_spans"] = sorted(other["mention_spans"] + e["mention_spans"])
            return
    ents.append(e)


def article_record(cur, article_id: str, recs: list[dict], counts: dict) -> Optional[dict]:
    """The corpus record of one article's corrections (None: the article is gone or every
    correction was made on another version of its text)."""
    row = cur.execute(
        "SELECT text, headline, published, published_basis, outlet_name FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if row is None:
        counts["missing"] += len(recs)
        return None
    text, headline, published, basis, outlet_name = row
    h = content_hash(text)
    fresh = [r for r in recs if not r.get("text_hash") or r["text_hash"] == h]
    counts["stale"] += len(recs) - len(fresh)
    if not fresh:
        return None
    mentions = _mention_spans(cur, article_id)
    out = {
        "id": article_id,
        "file": f"{article_id}.txt",
        "published": published.isoformat() if published else None,
        "published_basis": basis or "",
        "headline_span": [0, len(headline)] if headline and text.startswith(headline) else None,
        "boilerplate_spans": [],
        "byline_span": None,
        "outlet": {"surface_span": None, "name_en": outlet_name},
        "entities": [],
        "quotes": [],
        "events": [],
        "times": [],
        "attributions": [],
        "negatives": {"entities": [], "quotes": [], "events": []},
        "partial": True,
        "text_hash": h,
        "corrections": [],
    }
    for r in fresh:
        where = out if r["action"] == "fix" else out["negatives"]
        if r["layer"] == "event":
            where["events"].append(_event(r, text, mentions))
        elif r["layer"] == "quote":
            where["quotes"].append(_quote(r, text, mentions))
        else:
            _add_entity(where["entities"], _entity(r), text)
        out["corrections"].append(r["id"])
        counts[r["action"]] += 1
    return out


def records(cur, corrections: Iterable[dict], counts: Optional[dict] = None) -> Iterator[dict]:
    """One corpus record per article with current corrections (they come grouped by article)."""
    counts = counts if counts is not None else {}
    for k in ("fix", "wrong", "stale", "missing", "articles"):
        counts.setdefault(k, 0)
    batch: list[dict] = []
    for rec in corrections:
        if batch and rec["article_id"] != batch[0]["article_id"]:
            out = article_record(cur, batch[0]["article_id"], batch, counts)
            if out is not None:
                counts["articles"] += 1
                yield out
            batch = []
        batch.append(rec)
    if batch:
        out = article_record(cur, batch[0]["article_id"], batch, counts)
        if out is not None:
            counts["articles"] += 1
            yield out


def write(cur, corrections: Iterable[dict], out: Path) -> dict:
    """Write the records to ``out`` (JSON lines); the counts of what was written and left out."""
    counts: dict = {}
    with open(out, "w", encoding="utf-8") as f:
        for r in records(cur, corrections, counts):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return counts
