"""Choosing among overlapping candidates of :mod:`marsad.extract.mentions` (mentions never
overlap), and dropping a minister's portfolio."""

from __future__ import annotations

from ..gazetteer import PORTFOLIO, raw_cut, first_token_variants
from ..similarity import name_key


def resolve_overlaps(a, sents, cands):
    """Non-overlapping mentions: longer spans win, then higher priority, then earlier; but a tagger
    span that cuts across a KB name (instead of containing it) loses to the name."""

    def span(sc):
        s, c = sc
        st = s[c.i].start + raw_cut(s[c.i].text, c.cut)
        return st, s[c.j].end

    spans = [span(sc) for sc in cands]
    # A candidate lies within its sentence, so only the KB names of the same sentence can overlap
    # it: they are kept by sentence (a scan of the whole article's was quadratic in its length).
    kb_spans: dict[int, list] = {}
    kb_people: dict[int, int] = {}  # start → the shortest end of a known person starting there
    for sp, (s, c) in zip(spans, cands):
        if c.step != "ner":
            if c.prio >= 3:
                kb_spans.setdefault(s[0].start, []).append(sp)
            if c.type == "PER" and sp[1] < kb_people.get(sp[0], sp[1] + 1):
                kb_people[sp[0]] = sp[1]
    keep = []
    for sp, sc in zip(spans, cands):
        if sc[1].step == "ner" and any(
            s < sp[1] and sp[0] < e and not (sp[0] <= s and e <= sp[1]) for s, e in kb_spans.get(sc[0][0].start, ())
        ):
            continue
        # a known person followed by more words ('أردوغان فاز'): words after a surname are not
        # part of the name (extra words before it, 'حسين أمير عبد اللهيان', are)
        if sc[1].step == "ner" and sc[1].type == "PER" and kb_people.get(sp[0], sp[1]) < sp[1]:
            continue
        keep.append((sp, sc))
    keep.sort(key=lambda x: (-(x[0][1] - x[0][0]), -x[1][1].prio, x[0][0]))
    # the characters taken so far: a span overlaps a taken one iff one of its characters is taken
    taken = bytearray(max((en for (_, en), _ in keep), default=0))
    out = []
    for (st, en), sc in keep:
        if st >= en or taken.find(1, st, en) >= 0:
            continue
        taken[st:en] = b"\x01" * (en - st)
        out.append(sc)
    return out


def apply_rules(chosen):
    """'وزير الخارجية الأميركي': the ministry after a minister's title is only a portfolio."""
    out = []
    for s, c in chosen:
        if c.type == "ORG":
            k0 = name_key(s[c.i].text)
            prev = [k for k, _ in first_token_variants(s[c.i - 1].text)] if c.i > 0 else []
            if k0 in PORTFOLIO and any(k.startswith("وزير") or k.startswith("وزرا") for k in prev):
                continue
        out.append((s, c))
    return out
