"""Read-side queries of the store: articles back as model objects, search, stats, rejects."""
from __future__ import annotations

import json
from typing import Iterator, Optional

from ..errors import ConfigError
from ..model import Article, Attribution, Event, Mention, Quote, Sentence, TimeExpr
from ..text.normalize import search_key, skeleton

_ART_COLS = ("id", "text", "url", "outlet", "outlet_name", "published", "published_basis", "headline",
             "byline", "source", "body_start", "boilerplate", "meta")


def _rows(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _article_from(row: dict, con, with_layers: bool = True) -> Article:
    meta = tuple(json.loads(row["meta"]).items()) if row.get("meta") else ()
    base = dict(id=row["id"], text=row["text"], url=row["url"], outlet=row["outlet"],
                outlet_name=row["outlet_name"], published=row["published"],
                published_basis=row["published_basis"] or "", headline=row["headline"] or "",
                byline=row["byline"], source=row["source"] or "", body_start=row["body_start"] or 0,
                boilerplate=tuple(row["boilerplate"] or ()), meta=meta)
    if not with_layers:
        return Article(**base)
    aid = row["id"]
    q = lambda t: _rows(con, f'SELECT * FROM {t} WHERE article_id = ? ORDER BY idx', [aid])  # noqa: E731
    sents = tuple(Sentence(r["start"], r["end"], r["idx"], r["paragraph"]) for r in q("sentences"))
    ments = tuple(Mention(r["start"], r["end"], r["text"], r["type"], r["score"], r["step"], r["actor_id"],
                          r["canonical"], r["confidence"] or 0.0, r["evidence"] or "", r["title"])
                  for r in q("mentions"))
    times = tuple(TimeExpr(r["start"], r["end"], r["text"], r["value"], r["precision"], r["rule"], r["anchor"])
                  for r in q("times"))
    quotes = tuple(Quote(r["start"], r["end"], r["text"], r["kind"], r["cue_start"], r["cue_end"], r["cue"],
                         r["speaker_start"], r["speaker_end"], r["speaker_surface"] or "", r["speaker"],
                         r["speaker_actor"], r["addressee"], r["parent"], tuple(r["events"] or ()))
                   for r in q("quotes"))
    attrs = tuple(Attribution(r["start"], r["end"], r["text"], r["outlet"], r["actor_id"], r["cue"] or "")
                  for r in q("attributions"))
    events = tuple(Event(r["type"], r["mode"], r["start"], r["end"], r["evidence"], tuple(r["source"] or ()),
                         tuple(r["target"] or ()), tuple(r["source_ids"] or ()), tuple(r["target_ids"] or ()),
                         r["location"], r["location_id"], r["lat"], r["lon"], r["date"],
                         bool(r["date_from_published"]), r["status"], r["confidence"], r["cameo"],
                         r["trigger_start"], r["trigger_end"]) for r in q("events"))
    return Article(**base, sentences=sents, mentions=ments, times=times, quotes=quotes,
                   attributions=attrs, events=events)


def get_article(con, article_id: str, with_layers: bool = True) -> Optional[Article]:
    rows = _rows(con, f"SELECT {', '.join(_ART_COLS)} FROM articles WHERE id = ?", [article_id])
    if not rows:
        # allow a unique prefix
        rows = _rows(con, f"SELECT {', '.join(_ART_COLS)} FROM articles WHERE starts_with(id, ?) LIMIT 2",
                     [article_id])
        if len(rows) != 1:
            return None
    return _article_from(rows[0], con, with_layers)


def iter_articles(con, with_layers: bool = True, batch: int = 200) -> Iterator[Article]:
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    for i in range(0, len(ids), batch):
        chunk = ids[i:i + batch]
        for row in _rows(con, f"SELECT {', '.join(_ART_COLS)} FROM articles WHERE id IN (SELECT unnest(?)) "
                              f"ORDER BY id", [chunk]):
            yield _article_from(row, con, with_layers)


def search(con, query: str, limit: int = 20, offset: int = 0) -> list[dict]:
    """Articles matching every word of ``query`` (normalization-insensitive), ranked by the number of
    hits (headline hits count double), with a snippet.  Also matches spelling variants of names
    through the mentions' transliteration skeleton."""
    key = search_key(query)
    if not key:
        raise ConfigError("empty query: give at least one Arabic or Latin word")
    if limit < 1 or limit > 500 or offset < 0:
        raise ConfigError("limit must be 1..500 and offset ≥ 0")
    words = key.split()
    skel = skeleton(query)
    if len(words) == 1:  # one word: also any mention spelled differently with the same skeleton
        conds = ("(instr(search_text, ?) > 0 OR id IN (SELECT article_id FROM mentions "
                 "WHERE instr(' ' || search_key || ' ', ' ' || ? || ' ') > 0))")
        params: list = [words[0], skel]
    else:
        conds = " AND ".join(["instr(search_text, ?) > 0"] * len(words))
        params = list(words)
    score = " + ".join(["(length(search_text) - length(replace(search_text, ?, ''))) / length(?)"] * len(words))
    score_params = [w for w in words for _ in (0, 1)]
    sql = (f"SELECT id, headline, outlet, published, text, search_text, {score} AS hits FROM articles "
           f"WHERE {conds} ORDER BY hits DESC, published DESC NULLS LAST, id LIMIT ? OFFSET ?")
    rows = _rows(con, sql, score_params + params + [limit, offset])
    for r in rows:
        r["snippet"] = _snippet(r.pop("text"), words[0])
        r.pop("search_text")
    return rows


def _snippet(text: str, word: str, width: int = 80) -> str:
    from ..text.normalize import normalize
    n = normalize(text)
    # locate in the folded text (search_key differs from it only in punctuation/spacing and يه→يا)
    i = n.text.find(word)
    if i < 0:
        i = n.text.find(word.replace("يا", "ية")) if word.endswith("يا") else -1
    if i < 0:
        return text[:2 * width].replace("\n", " ")
    s, _ = n.to_source(i, i + 1)
    a = max(0, s - width)
    return ("…" if a else "") + text[a:s + len(word) + width].replace("\n", " ") + "…"


def stats(con) -> dict:
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    out = {t: one(f"SELECT count(*) FROM {t}") for t in
           ("articles", "sentences", "mentions", "times", "quotes", "attributions", "events", "rejects", "runs")}
    out["outlets"] = dict(con.execute("SELECT coalesce(outlet_name, outlet, '?'), count(*) FROM articles "
                                      "GROUP BY 1 ORDER BY 2 DESC LIMIT 20").fetchall())
    out["published"] = [str(x) if x else None for x in
                        con.execute("SELECT min(published), max(published) FROM articles").fetchone()]
    out["mention_types"] = dict(con.execute("SELECT type, count(*) FROM mentions GROUP BY 1 ORDER BY 2 DESC").fetchall())
    out["event_types"] = dict(con.execute("SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall())
    out["accounting"] = accounting(con)
    out["last_run"] = _last_run(con)
    out["reject_reasons"] = dict(con.execute("SELECT reason, count(*) FROM rejects GROUP BY 1 ORDER BY 2 DESC").fetchall())
    return out


def rejects(con, limit: int | None = None, offset: int = 0, reason: str | None = None) -> list[dict]:
    """The rejects ledger, newest first, a page at a time (``limit`` None: every row)."""
    where, args = ("WHERE reason = ? ", [reason]) if reason else ("", [])
    page = "LIMIT ? OFFSET ?" if limit is not None else "OFFSET ?"
    args += ([limit, offset] if limit is not None else [offset])
    return _rows(con, "SELECT source, reason, detail, duplicate_of, last_seen FROM rejects " + where +
                 "ORDER BY last_seen DESC, source " + page, args)


def count_rejects(con, reason: str | None = None) -> int:
    if reason:
        return con.execute("SELECT count(*) FROM rejects WHERE reason = ?", [reason]).fetchone()[0]
    return con.execute("SELECT count(*) FROM rejects").fetchone()[0]


def accounting(con) -> dict:
    """Every input unit ever read ends as one stored article or one ledger row: ``inputs`` (distinct
    units) = ``articles`` + ``ledger``."""
    arts = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    ledger = con.execute("SELECT count(*) FROM rejects").fetchone()[0]
    units = con.execute("SELECT count(*) FROM (SELECT coalesce(nullif(source, ''), 'id:' || id) FROM articles "
                        "UNION SELECT source FROM rejects)").fetchone()[0]
    return {"inputs": units, "articles": arts, "ledger": ledger, "balanced": units == arts + ledger}


def _last_run(con) -> dict:
    row = con.execute("SELECT run_id, status, seen, stored, already, duplicates, rejected, replaced, started, finished "
                      "FROM runs ORDER BY started DESC LIMIT 1").fetchone()
    if row is None:
        return {}
    keys = ("run_id", "status", "seen", "stored", "already", "duplicates", "rejected", "replaced", "started", "finished")
    return {k: (str(v) if k in ("started", "finished") and v is not None else v) for k, v in zip(keys, row)}


def step_stats(con, run_id: str | None = None) -> dict:
    """The per-step counters of a run (default: the latest), as its engine merged them from its
    workers: {step: {articles, items, seconds, failures}}, in the pipeline's order."""
    sql = "SELECT step_stats FROM runs " + ("WHERE run_id = ?" if run_id else "ORDER BY started DESC LIMIT 1")
    row = con.execute(sql, [run_id] if run_id else []).fetchone()
    return json.loads(row[0]) if row and row[0] else {}
