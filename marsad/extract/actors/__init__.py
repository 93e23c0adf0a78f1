"""Actor resolution: the knowledge-base look-ups, role titles and coreference behind :class:`ActorStep`.

The public face of the stage; the modules inside are its parts:

* :mod:`.kb_lookup` — name / nationality / capital look-ups over a KB handed in (memoized per KB);
* :mod:`.role_titles` — role phrases → (role, country) and their holders on a date;
* :mod:`.coref` — titles next to names, role references;
* :mod:`.step` — the step that gives every mention an actor.
"""

from .coref import HEADS, find_title, references
from .kb_lookup import EmptyKB, fuzzy_lookup, is_capital, lookup, nationality_of, state_of, unknown_id
from .role_titles import parse_role, resolve_title, role_holders
from .step import ActorStep, resolve_mentions

__all__ = [
    "ActorStep",
    "resolve_mentions",
    "EmptyKB",
    "lookup",
    "fuzzy_lookup",
    "nationality_of",
    "is_capital",
    "state_of",
    "unknown_id",
    "parse_role",
    "resolve_title",
    "role_holders",
    "find_title",
    "references",
    "HEADS",
]
