"""The read side of the store, the one every reader uses (``marsad`` commands, the JSON API, the
web pages): articles back as model objects, search, events under ONE filter, actors and the ONE
actor report, quotes, stats and the rejects ledger.

Readers open the store through :mod:`marsad.store.access` (``reading(db)``, or the API's shared
reader) and pass the connection in; nothing here opens, writes or imports extraction.
"""

from __future__ import annotations

from .actors import actor_detail, actor_name, actor_report, co_actors, find_actor_ids, list_actors, suggest_actors
from .articles import get_article, iter_articles, list_articles, outlets
from .events import DAY, EventFilter, event_types, list_events, timeline
from .map_network import network, places
from .quotes import list_quotes
from .search import SearchFilter, search
from .sql import evidence_url, q, rows
from .stats import accounting, count_rejects, extra_stats, rejects, stats, step_stats

__all__ = [
    "DAY",
    "EventFilter",
    "accounting",
    "actor_detail",
    "actor_name",
    "actor_report",
    "co_actors",
    "count_rejects",
    "event_types",
    "evidence_url",
    "extra_stats",
    "find_actor_ids",
    "get_article",
    "iter_articles",
    "list_actors",
    "list_articles",
    "list_events",
    "list_quotes",
    "network",
    "outlets",
    "places",
    "q",
    "rejects",
    "rows",
    "SearchFilter",
    "search",
    "stats",
    "suggest_actors",
    "step_stats",
    "timeline",
]
