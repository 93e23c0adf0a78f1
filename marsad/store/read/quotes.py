"""Quotes, newest first; the speaker named in any spelling, resolved as the event filter's actors
(:func:`marsad.store.read.names.find_actor_ids`)."""

from __future__ import annotations

from datetime import date
from typing import Optional

from ...outlets import STORED, outlet_names
from .articles import article_filters
from .names import KbNames, find_actor_ids
from .sql import count as _count, evidence_url, rows as _rows, where as _where


def list_quotes(
    cur,
    speaker: Optional[str] = None,
    kind: Optional[str] = None,
    outlet: Optional[str] = None,
    since: Optional[date] = None,
    until: Optional[date] = None,
    limit: int = 20,
    offset: int = 0,
    kb_names: Optional[KbNames] = None,
) -> tuple[int, list[dict]]:
    frm, params = quotes_from(cur, speaker, kind, outlet, since, until, kb_names)
    total = _count(cur, "SELECT 1" + frm, params)
    rows = _rows(
        cur,
        (
            'SELECT qt.article_id, qt.idx, qt.start, qt."end", qt.text, qt.kind, qt.cue, qt.speaker, '
            f"qt.speaker_actor, qt.speaker_surface, qt.addressee, a.headline, a.outlet, {STORED} AS outlet_name, a.published"
            + frm
            + " ORDER BY a.published DESC NULLS LAST, qt.article_id, qt.idx LIMIT ? OFFSET ?"
        ),
        params + [limit, offset],
    )
    outlet_names(rows)
    for r in rows:
        r["evidence_url"] = evidence_url(r["article_id"], f"q-{r['idx']}")
    return total, rows


def quotes_from(
    cur,
    speaker: Optional[str] = None,
    kind: Optional[str] = None,
    outlet: Optional[str] = None,
    since: Optional[date] = None,
    until: Optional[date] = None,
    kb_names: Optional[KbNames] = None,
) -> tuple[str, list]:
    """`` FROM quotes qt JOIN articles a WHERE ...`` of the quotes the filters keep, and its parameters."""
    conds, params = [], []
    if speaker:  # the actors the name resolves to, else the speaker's id or name as stored, any case
        ids = [aid for aid, _, _ in find_actor_ids(cur, speaker, kb_names)]
        conds.append(
            "(list_contains(?, qt.speaker_actor) OR lower(qt.speaker_actor) = lower(?) OR lower(qt.speaker) = lower(?))"
        )
        params += [ids, speaker, speaker]
    if kind:
        conds.append("qt.kind = ?")
        params.append(kind)
    article_filters(conds, params, outlet, since, until)
    return f" FROM quotes qt JOIN articles a ON a.id = qt.article_id{_where(conds)}", params
