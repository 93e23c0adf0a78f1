"""An article's text as HTML with every layer highlighted: mentions, time expressions, quotes and their
cues, attributions, event evidence and triggers.

Spans may nest or cross.  We walk the text boundary by boundary keeping a stack of open elements;
when a span ends inside others that opened after it, those are closed and reopened as continuation
fragments, so the HTML is always well formed.  Every piece of text and every attribute value is
HTML-escaped; the first fragment of a span carries its anchor id (``m-3``, ``q-0``, ``t-1``, ``e-2``,
``a-0``, ``c-0`` for a quote's cue, ``g-2`` for an event's trigger).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Optional
from urllib.parse import quote

from markupsafe import Markup, escape

from ..model import Article

# outermost first when two spans start together and end together
PRIORITY = {"event": 0, "quote": 1, "attribution": 2, "cue": 3, "trigger": 3, "mention": 4, "time": 4}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: str
    anchor: str
    classes: str
    tip: str
    href: Optional[str] = None


def _join(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def marks(a: Article) -> list[Mark]:
    """Every highlightable span of the article, with its tooltip text."""
    out: list[Mark] = []
    for i, m in enumerate(a.mentions):
        # an actor the KB lacks (x:…) is named by its spelling here, not by its id
        who = m.canonical or (m.actor_id and f"{m.text} (not in the KB)")
        tip = _join(
            m.type,
            who and f"actor: {who}",
            m.actor_id and m.actor_id != who and f"id {m.actor_id}",
            m.title and f"title: {m.title}",
            m.actor_id and f"resolved by {m.evidence or m.step or '?'} ({m.confidence:.2f})",
        )
        href = f"/actors/{quote(m.actor_id, safe='')}" if m.actor_id else None
        out.append(Mark(m.start, m.end, "mention", f"m-{i}", f"hl ent ent-{m.type}", tip, href))
    for i, t in enumerate(a.times):
        tip = _join(
            "TIME",
            f"date: {t.value}" if t.value else "unresolved",
            t.precision,
            t.rule and f"rule {t.rule}",
            t.anchor and f"anchor {t.anchor}",
        )
        out.append(Mark(t.start, t.end, "time", f"t-{i}", "hl time", tip))
    for i, qt in enumerate(a.quotes):
        tip = _join(
            f"QUOTE ({qt.kind})",
            f"speaker: {qt.speaker or qt.speaker_surface or '?'}",
            qt.speaker_actor and f"id {qt.speaker_actor}",
            qt.cue and f"cue: {qt.cue}",
            qt.addressee and f"to: {qt.addressee}",
        )
        out.append(Mark(qt.start, qt.end, "quote", f"q-{i}", f"hl quote quote-{qt.kind}", tip))
        if 0 <= qt.cue_start < qt.cue_end:
            out.append(Mark(qt.cue_start, qt.cue_end, "cue", f"c-{i}", "hl cue", _join("QUOTE CUE", qt.kind)))
    for i, t in enumerate(a.attributions):
        tip = _join("SOURCE", t.outlet and f"outlet: {t.outlet}", t.actor_id and f"id {t.actor_id}")
        out.append(Mark(t.start, t.end, "attribution", f"a-{i}", "hl attribution", tip))
    for i, e in enumerate(a.events):
        date = e.date and (f"{e.date} (publication date)" if e.date_from_published else e.date)
        tip = _join(
            f"EVENT {e.type}",
            e.mode,
            f"{'; '.join(e.source) or '?'} → {'; '.join(e.target) or '?'}",
            e.location and f"where: {e.location}",
            date and f"when: {date}",
            e.status != "realized" and e.status,
            e.origin and f"found by: {e.origin}",
            e.more_evidence and f"reported {len(e.more_evidence) + 1} times in this article",
        )
        out.append(Mark(e.start, e.end, "event", f"e-{i}", f"hl event status-{e.status}", tip))
        for k, (x, y) in enumerate(e.more_evidence):  # the other reports of the same occasion
            out.append(Mark(x, y, "event", f"e-{i}-{k + 1}", f"hl event status-{e.status}", _join(tip, "(same event)")))
        if 0 <= e.trigger_start < e.trigger_end:
            out.append(
                Mark(
                    e.trigger_start,
                    e.trigger_end,
                    "trigger",
                    f"g-{i}",
                    "hl trigger",
                    _join(f"EVENT {e.type} trigger", e.mode),
                )
            )
    return out


def _open(m: Mark, first: bool, tag: str) -> str:
    attrs = [
        f'class="{escape(m.classes)}{"" if first else " cont"}"',
        f'title="{escape(m.tip)}"',
        f'data-layer="{escape(m.layer)}"',
        f'data-ref="{escape(m.anchor)}"',
    ]
    if first:
        attrs.insert(0, f'id="{escape(m.anchor)}"')
    if tag == "a":
        attrs.append(f'href="{escape(m.href)}"')
    return f"<{tag} {' '.join(attrs)}>"


def render(text: str, spans: list[Mark], lo: int = 0, hi: Optional[int] = None, opened: Optional[set] = None) -> Markup:
    """``text[lo:hi]`` as escaped HTML with ``spans`` (clipped to the range) as nested elements.
    ``opened`` (shared between calls over one text) remembers which spans already have their anchor."""
    hi = len(text) if hi is None else hi
    items = [s for s in spans if s.start < hi and s.end > lo and s.start < s.end and s.start >= 0]
    clip = {id(s): (max(s.start, lo), min(s.end, hi, len(text))) for s in items}
    starts: dict[int, list[Mark]] = defaultdict(list)
    points = {lo, hi}
    for s in items:
        a, b = clip[id(s)]
        starts[a].append(s)
        points.update((a, b))
    points = sorted(p for p in points if lo <= p <= hi)
    order = lambda s: (-clip[id(s)][1], PRIORITY.get(s.layer, 9), s.anchor)  # noqa: E731
    out: list[str] = []
    stack: list[tuple[Mark, str]] = []
    opened = set() if opened is None else opened

    def push(s: Mark) -> None:
        tag = "a" if s.href and not any(t == "a" for _, t in stack) else "span"
        out.append(_open(s, id(s) not in opened, tag))
        opened.add(id(s))
        stack.append((s, tag))

    for i, p in enumerate(points[:-1]):
        ended = [k for k, (s, _) in enumerate(stack) if clip[id(s)][1] <= p]
        survivors: list[Mark] = []
        if ended:
            k = ended[0]
            for s, tag in reversed(stack[k:]):
                out.append(f"</{tag}>")
            survivors = [s for s, _ in stack[k:] if clip[id(s)][1] > p]
            del stack[k:]
        for s in sorted(survivors + starts.get(p, []), key=order):
            push(s)
        out.append(str(escape(text[p : points[i + 1]])))
    for _, tag in reversed(stack):
        out.append(f"</{tag}>")
    return Markup("".join(out))


def article_html(a: Article) -> dict[str, Markup]:
    """The headline line and the body, each highlighted (spans crossing ``body_start`` are split)."""
    ms, opened = marks(a), set()
    cut = a.body_start if 0 < a.body_start <= len(a.text) else 0
    head_end = cut
    while head_end > 0 and a.text[head_end - 1] in "\r\n":
        head_end -= 1
    return {
        "headline": render(a.text, ms, 0, head_end, opened) if cut else Markup(""),
        "body": render(a.text, ms, cut, len(a.text), opened),
    }
