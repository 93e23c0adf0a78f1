"""Teacher labels for the ``fast`` tagger (``marsad train ner --teacher DIR``; training only).

The encoder tagger (a ``marsad train encoder`` folder) labels sentences of the unlabeled ANT
corpus; the BiLSTM-CRF student then trains on the ANERcorp train file plus the sentences the
teacher labels with every word's confidence at least ``st_conf``.  The pool leaves out the
articles of ``corpus/reserved_ids.txt`` and every article of the in-domain corpus
(``data/corpus/*.jsonl``: its test split is scored on entities), and is cut into sentences and
words exactly as the pipeline cuts them (``marsad.text.segment``), so the student sees the
teacher's view of run-time input.  Sentences are drawn in a seeded order: deterministic.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
CORPUS_DIR = Path(__file__).resolve().parents[3] / "data" / "corpus"
MIN_WORDS, MAX_WORDS = 6, 60


def excluded_ids(data_dir: Path) -> set[str]:
    """Reserved ids plus every article id of the in-domain corpus's files."""
    out = set((data_dir / "corpus" / "reserved_ids.txt").read_text(encoding="utf-8").split())
    for f in sorted(CORPUS_DIR.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.add(json.loads(line)["id"])
    return out


def pool_sentences(data_dir: Path, n: int, seed: int) -> list[list[str]]:
    """``n`` sentences (6-60 words) of unreserved, unannotated ANT articles, in a seeded order."""
    return [words for _, words in pool(data_dir, n, seed)]


def pool(data_dir: Path, n: int, seed: int) -> list[tuple[str, list[str]]]:
    """(article id, words) of :func:`pool_sentences`."""
    from marsad.text.segment import segment, tokenize

    skip = excluded_ids(data_dir)
    arts = []
    with open(data_dir / "corpus" / "ant_unlabeled.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["id"] not in skip:
                arts.append((r["id"], (r.get("title") or "") + "\n" + (r.get("text") or "")))
    out: list[tuple[str, list[str]]] = []
    for i in np.random.default_rng(seed).permutation(len(arts)).tolist():
        aid, text = arts[i]
        by_sent: dict[int, list[str]] = {}
        for tk in tokenize(text, segment(text)):
            by_sent.setdefault(tk.sentence, []).append(tk.text)
        out += [(aid, w) for _, w in sorted(by_sent.items()) if MIN_WORDS <= len(w) <= MAX_WORDS]
        if len(out) >= n:
            break
    return out[:n]


def teacher_sentences(teacher: str | Path, data_dir: Path, cfg: dict, seed: int) -> tuple[list, dict]:
    """(word/label sentences the teacher is sure of, a record of the pool)."""
    from .profiles import load_tagger

    if cfg.get("teacher_fast"):
        tagger, how = combined_teacher(teacher, cfg["teacher_fast"], data_dir, cfg["threads"])
    else:
        tagger, how = load_tagger(path=teacher, threads=cfg["threads"]), None
    pool = pool_sentences(data_dir, cfg["st_pool"], seed)
    kept, named = [], 0
    for k in range(0, len(pool), 256):
        chunk = pool[k : k + 256]
        for words, tags in zip(chunk, tagger.tag(chunk)):
            labels = [t for t, _ in tags]
            if min(c for _, c in tags) < cfg["st_conf"]:
                continue
            has_name = any(t != "O" for t in labels)
            named += has_name
            if has_name or cfg["st_keep_empty"]:
                kept.append((words, labels))
        log.info("teacher: %d of %d pool sentences tagged, %d kept", k + len(chunk), len(pool), len(kept))
    rec = {"teacher": str(teacher), "pool": len(pool), "kept": len(kept), "kept_with_names": named}
    if how:
        rec["teacher_combine"] = how
    return kept, rec


def combined_teacher(encoder_dir: str | Path, fast_dir: str | Path, data_dir: Path, threads: int = 1, dev=None):
    """The encoder of ``encoder_dir`` read with the BiLSTM-CRF of ``fast_dir`` (the `accurate`
    profile's combination, :mod:`.combined`), at the weight its ``encoder.json`` keeps when that was
    chosen with this BiLSTM, else at the weight chosen again on the ANERcorp dev split (the same
    choice ``marsad train combine --encoder E --fast F`` makes).  Returns (tagger, the weight
    entry used): a student's teacher is then fixed by the two folders alone.  ``dev``: the
    sentences to choose on (default: the ANERcorp dev split of ``data_dir``)."""
    from . import combined
    from .conll import read_conll
    from .train_data import TRAIN_FILE, split_dev

    c = combined.combine_settings(encoder_dir)
    if not c or c.get("fast_sha256") != combined.fast_fingerprint(fast_dir):
        if dev is None:
            data = read_conll(Path(data_dir) / TRAIN_FILE)
            dev = [data[i] for i in split_dev(len(data))[1]]
        c = combined.choose_weight(encoder_dir, dev, fast_dir=fast_dir, threads=threads, write=False)
    tagger = combined.load_combined(encoder_dir, fast_dir, threads=threads, settings=c)
    return tagger, {k: c[k] for k in ("weight", "bias", "dev_f1", "fast_sha256")}
