"""Full-text search of the articles, insensitive to Arabic spelling variants."""

from __future__ import annotations

from ...errors import ConfigError
from ...text.normalize import search_key, skeleton
from .sql import rows as _rows


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
        conds = (
            "(instr(search_text, ?) > 0 OR id IN (SELECT article_id FROM mentions "
            "WHERE instr(' ' || search_key || ' ', ' ' || ? || ' ') > 0))"
        )
        params: list = [words[0], skel]
    else:
        conds = " AND ".join(["instr(search_text, ?) > 0"] * len(words))
        params = list(words)
    score = " + ".join(["(length(search_text) - length(replace(search_text, ?, ''))) / length(?)"] * len(words))
    score_params = [w for w in words for _ in (0, 1)]
    sql = (
        f"SELECT id, headline, outlet, published, text, search_text, {score} AS hits FROM articles "
        f"WHERE {conds} ORDER BY hits DESC, published DESC NULLS LAST, id LIMIT ? OFFSET ?"
    )
    rows = _rows(con, sql, score_params + params + [limit, offset])
    for r in rows:
        r["snippet"] = _snippet(r.pop("text"), words[0])
        r.pop("search_text")
    return rows


def _snippet(text: str, word: str, width: int = 80) -> str:
    from ...text.normalize import normalize

    n = normalize(text)
    # locate in the folded text (search_key differs from it only in punctuation/spacing and يه→يا)
    i = n.text.find(word)
    if i < 0:
        i = n.text.find(word.replace("يا", "ية")) if word.endswith("يا") else -1
    if i < 0:
        return text[: 2 * width].replace("\n", " ")
    s, _ = n.to_source(i, i + 1)
    a = max(0, s - width)
    return ("…" if a else "") + text[a : s + len(word) + width].replace("\n", " ") + "…"
