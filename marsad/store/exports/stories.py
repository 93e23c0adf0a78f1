"""``--format stories``: one JSON line per stored article, ``{"id": ..., "story": ...}``, and one
per input that repeated a stored article's text word for word (the ledger's ``duplicate`` rows):
it carries the story of the article it repeats and ``"duplicate_of"``.  An article not yet
placed has ``"story": null``."""

from __future__ import annotations

import json
from pathlib import Path


def write(con, out: Path, table: str = "articles") -> int:
    rows = con.execute(
        "SELECT a.id, m.story_id, NULL FROM articles a LEFT JOIN story_members m "
        "ON m.article_id = a.id AND m.content_hash = a.content_hash "
        "UNION ALL SELECT r.input_id, m.story_id, r.duplicate_of FROM rejects r "
        "LEFT JOIN story_members m ON m.article_id = r.duplicate_of "
        "WHERE r.reason = 'duplicate' AND r.input_id IS NOT NULL ORDER BY 1"
    ).fetchall()
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for aid, story, dup in rows:
            rec = {"id": aid, "story": story}
            if dup:
                rec["duplicate_of"] = dup
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n
