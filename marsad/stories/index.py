"""Stories: articles grouped by the happening they report (``../shared/stories/GUIDELINES.md``).

Single pass in time order, so a new batch joins the stories already built without recomputing
them: an article joins the story it is most similar to, averaged over the story's articles, when
that average reaches :attr:`StoryParams.threshold` and the story has an article within
:attr:`StoryParams.window_hours` of it; else it founds a story named after itself.  A near-duplicate
(:mod:`.minhash`) published within the window that repeats nearly all of an earlier one
(:attr:`StoryParams.join_copy`) joins that one's story.  Similarity of two articles:

    cosine(tf-idf of headline + lead words) + actors * Jaccard(actor ids of the leads)
        + events * Jaccard((type, actor) of the leads' events) - speakers (when both leads quote
          someone and never the same one: one actor's statement is its own story)

Ties go to the story founded first; articles of one batch are taken by (time, id): the same input
gives the same stories.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Optional

from .docfreq import DocFreq
from .features import StoryDoc
from .minhash import NearDuplicateIndex


@dataclass(frozen=True)
class StoryParams:
    threshold: float = 0.3
    window_hours: float = 24.0
    title_weight: float = 2.0
    actors: float = 0.2
    events: float = 0.1
    speakers: float = 0.1
    near_duplicate: float = 0.6  # estimated containment (marsad.stories.minhash)
    join_copy: float = 0.9  # a copy this close joins the story of what it repeats


@dataclass(frozen=True)
class Assignment:
    article_id: str
    story_id: str
    score: float  # the average similarity that joined it (1.0 founds a story)
    duplicate_of: Optional[str] = None  # the article it nearly repeats
    duplicate_similarity: float = 0.0


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass
class _Member:
    doc: StoryDoc
    vec: dict[str, float]
    story: str


class StoryIndex:
    """The stories built so far, and :meth:`add` for new articles."""

    def __init__(self, docfreq: DocFreq, params: StoryParams = StoryParams()):
        self.docfreq = docfreq
        self.params = params
        self.members: dict[str, _Member] = {}
        self.stories: dict[str, list[str]] = {}  # story id -> article ids, in joining order
        # word -> (time, article id) of the articles with that word, in time order
        self._postings: dict[str, list[tuple[float, str]]] = defaultdict(list)
        self._dups = NearDuplicateIndex(params.near_duplicate)

    def vector(self, doc: StoryDoc) -> dict[str, float]:
        w: dict[str, float] = {}
        for t in doc.title_words:
            w[t] = w.get(t, 0.0) + self.params.title_weight
        for t in doc.lead_words:
            w[t] = w.get(t, 0.0) + 1.0
        v = {t: n * self.docfreq.idf(t) for t, n in w.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def similarity(self, a: StoryDoc, va: dict[str, float], b: StoryDoc, vb: dict[str, float]) -> float:
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(x * vb.get(t, 0.0) for t, x in va.items()) + self._extra(a, b)

    def add(self, docs: Iterable[StoryDoc]) -> list[Assignment]:
        """Assign each new article (already stored ones are skipped) to a story, in (time, id) order."""
        out = []
        for doc in sorted(docs, key=lambda d: (d.ts, d.id)):
            if doc.id not in self.members:
                out.append(self._add(doc))
        return out

    def _add(self, doc: StoryDoc) -> Assignment:
        vec = self.vector(doc)
        dups = self._dups.add(doc.id, doc.shingles)
        window = self.params.window_hours * 3600
        # a copy joins its story when it comes out within the window (an updated article months
        # later is recorded as a copy, and placed like any other article)
        near = [
            (of, c) for of, c in dups if c >= self.params.join_copy and abs(self.members[of].doc.ts - doc.ts) <= window
        ]
        if near:
            of, sim = near[0]
            story = self.members[of].story
            self._join(doc, vec, story)
            return Assignment(doc.id, story, 1.0, of, sim)
        dup_of, dup_sim = dups[0] if dups else (None, 0.0)
        best, best_score = None, self.params.threshold
        for story, score in self._scores(doc, vec):
            if score > best_score:
                best, best_score = story, score
        if best is None:
            sid, k = doc.id, 2
            while sid in self.stories:  # a replaced article that had founded a story
                sid, k = f"{doc.id}~{k}", k + 1
            self.stories[sid] = []
            self._join(doc, vec, sid)
            return Assignment(doc.id, sid, 1.0, dup_of, dup_sim)
        self._join(doc, vec, best)
        return Assignment(doc.id, best, round(best_score, 4), dup_of, dup_sim)

    def _scores(self, doc: StoryDoc, vec: dict[str, float]):
        """(story, average similarity) of each story with an article in the window that shares a
        word, in founding order.  The cosines with the window's articles come from the postings."""
        window = self.params.window_hours * 3600
        lo, hi = (doc.ts - window, ""), (doc.ts + window, "\U0010ffff")
        dots: dict[str, float] = defaultdict(float)
        for t, x in vec.items():
            post = self._postings.get(t)
            if post:
                for _, a in post[bisect.bisect_left(post, lo) : bisect.bisect_right(post, hi)]:
                    dots[a] += x * self.members[a].vec[t]
        stories = {self.members[a].story for a in dots}
        for story in sorted(stories, key=lambda s: (self.members[self.stories[s][0]].doc.ts, s)):
            ids = self.stories[story]
            total = 0.0
            for a in ids:
                m = self.members[a]
                if abs(m.doc.ts - doc.ts) <= window:
                    total += dots.get(a, 0.0) + self._extra(doc, m.doc)
                else:
                    total += self.similarity(doc, vec, m.doc, m.vec)
            yield story, total / len(ids)

    def _extra(self, a: StoryDoc, b: StoryDoc) -> float:
        p = self.params
        s = p.actors * _jaccard(a.actors, b.actors) + p.events * _jaccard(a.events, b.events)
        if a.speakers and b.speakers and not (a.speakers & b.speakers):
            s -= p.speakers
        return s

    def _join(self, doc: StoryDoc, vec: dict[str, float], story: str) -> None:
        self.members[doc.id] = _Member(doc, vec, story)
        self.stories[story].append(doc.id)
        for t in vec:
            bisect.insort(self._postings[t], (doc.ts, doc.id))

    def load(self, docs: Iterable[StoryDoc], assigned: dict[str, str]) -> None:
        """Put back stored articles with their stored stories (no re-clustering)."""
        for doc in sorted(docs, key=lambda d: (d.ts, d.id)):
            story = assigned[doc.id]
            self.stories.setdefault(story, [])
            self._dups.add(doc.id, doc.shingles)
            self._join(doc, self.vector(doc), story)
