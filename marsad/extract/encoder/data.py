"""Training data for the encoder tagger (training only; reads ``../shared`` and ``data/corpus``).

ANERcorp's train file gives word/label sentences; the in-domain corpus's train split gives
articles with entity mention offsets, turned into ANERcorp-style word sentences (marsad's own
segmentation and tokenization) labelled by overlap: a word that overlaps a mention takes its
type (``B-`` on the mention's first word), with PER→PERS, GPE/LOC→LOC, ORG→ORG.  NORP mentions
(nationality adjectives: الأميركية) are left ``O``, as ANERcorp leaves them: mapped to MISC they
made the first run's MISC collapse (official MISC F1 10.9).
"""

from __future__ import annotations

import json
from pathlib import Path

CORPUS_TYPES = {"PER": "PERS", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG"}


def corpus_sentences(split_file: Path, shared: Path) -> list[tuple[list[str], list[str]]]:
    """Word/label sentences of the corpus split ``split_file`` (compact corpus lines whose
    article texts live in ``shared/corpus/ant_unlabeled.jsonl``)."""
    from marsad.lab.corpus import annot_io
    from marsad.text.segment import segment, tokenize

    recs = [json.loads(x) for x in split_file.read_text(encoding="utf-8").splitlines() if x.strip()]
    arts = annot_io.load_articles({r["id"] for r in recs}, str(shared / "corpus" / "ant_unlabeled.jsonl"))
    out = []
    for r in recs:
        text = annot_io.article_text(arts[r["id"]])
        spans = []
        for e in r.get("entities", []):
            t = CORPUS_TYPES.get(e["type"])
            if t:
                spans += [(a, b, t) for a, b in e["mention_spans"]]
        spans.sort()
        sents = segment(text)
        toks = tokenize(text, sents)
        by_sent: dict[int, list] = {}
        for tk in toks:
            by_sent.setdefault(tk.sentence, []).append(tk)
        for k in sorted(by_sent):
            words, labels = [], []
            prev = None
            for tk in by_sent[k]:
                hit = None
                for sp in spans:
                    if sp[0] < tk.end and tk.start < sp[1]:
                        hit = sp
                        break
                    if sp[0] >= tk.end:
                        break
                words.append(tk.text)
                if hit is None:
                    labels.append("O")
                else:
                    labels.append(("I-" if hit == prev else "B-") + hit[2])
                prev = hit
            if words:
                out.append((words, labels))
    return out


def trigger_sentences(split: str, shared: Path) -> list[tuple[list[str], list[str]]]:
    """Word/label sentences of a corpus split for the event trigger tagger: the words of each
    sentence after the headline as the learned event layer reads them (:func:`marsad.extract.events.
    words.tokens`: word or punctuation runs, original surfaces), a word overlapping a gold trigger
    span labelled ``B-``/``I-`` + its PLOVER type (the gold keeps realized events only, so a mention
    of an act that did not happen is ``O``)."""
    from marsad.extract.events.words import TOKEN
    from marsad.lab.corpus import annot_io
    from marsad.lab.corpus.corpus import expanded
    from marsad.text.normalize import fold
    from marsad.text.segment import segment

    recs, arts = expanded(split, shared)
    out = []
    for r in recs:
        text = annot_io.article_text(arts[r["id"]])
        trig = sorted((e["trigger"][0], e["trigger"][1], e["type"]) for e in r["events"] if e.get("trigger"))
        head_end = (r.get("headline_span") or [0, 0])[1]
        for s in segment(text):
            if s.end <= head_end:
                continue
            words, labels, prev = [], [], None
            for m in TOKEN.finditer(text, s.start, s.end):
                if not fold(m.group()):
                    continue
                hit = next((t for t in trig if t[0] < m.end() and m.start() < t[1]), None)
                words.append(m.group())
                labels.append("O" if hit is None else ("I-" if hit == prev else "B-") + hit[2])
                prev = hit
            if words:
                out.append((words, labels))
    return out
