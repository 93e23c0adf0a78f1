"""Stories across outlets: near-duplicates (:mod:`.minhash`), articles grouped by the happening
they report (:mod:`.index`), from what the pipeline extracted (:mod:`.features`)."""

from .build import StoryUpdate, update_stories
from .docfreq import DocFreq
from .features import StoryDoc, from_article
from .index import Assignment, StoryIndex, StoryParams

__all__ = [
    "StoryDoc",
    "from_article",
    "DocFreq",
    "StoryIndex",
    "StoryParams",
    "Assignment",
    "update_stories",
    "StoryUpdate",
]
