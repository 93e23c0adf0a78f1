"""TIMEX3 extraction and normalization on Arabic TimeML (../shared/time/arabic_timeml/*.tml).

    python bench/timeml.py [--dir DIR] [--json] [--verbose]

Extraction: the gold TIMEX3 spans against ``marsad.extract.time.timex.find_timexes`` (the
``find_times`` dates plus durations, sets, vague references, weeks, decades, centuries and clock
times), matched greedily one-to-one on character overlap; P/R/F1 are printed, with exact-span F1
for reference.  Types are not required to agree.

Normalization: the files carry no document creation time (DCT).  Absolute expressions need none,
so their accuracy is reported on its own.  For the relative ones a DCT is inferred per document
*from the gold values of its matched relative expressions*: every day within 40 days of such a
value is tried and the one under which most of them resolve correctly wins (ties: the middle one).
This is an oracle-style anchor (it reads gold values), so ``value_acc_all`` is an upper bound on
what a real DCT would give; ``value_acc_absolute`` is not affected by it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from marsad.extract.time.timex import find_timexes

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_TAG = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def parse_tml(path: Path) -> tuple[str, list[dict]]:
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"^.*?<TimeML>", "", raw, flags=re.S)
    raw = re.sub(r"</TimeML>\s*$", "", raw)
    text, gold, pos = [], [], 0
    for m in _TAG.finditer(raw):
        text.append(raw[pos : m.start()])
        start = sum(map(len, text))
        attrs = dict(_ATTR.findall(m.group(1)))
        text.append(m.group(2))
        gold.append(
            {
                "start": start,
                "end": start + len(m.group(2)),
                "text": m.group(2),
                "type": attrs.get("type"),
                "value": attrs.get("value"),
            }
        )
        pos = m.end()
    text.append(raw[pos:])
    out = "".join(text)
    if "<" in out:
        out = re.sub(r"<[^>]+>", lambda t: " " * len(t.group()), out)  # keep offsets if stray tags
    return out, gold


def match(gold: list[dict], pred: list) -> list[tuple[int, int]]:
    used, pairs = set(), []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used and p.start < g["end"] and g["start"] < p.end:
                used.add(pi)
                pairs.append((gi, pi))
                break
    return pairs


def _as_date(v: str):
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", v):
            return date.fromisoformat(v)
        if re.fullmatch(r"\d{4}-\d\d", v):
            return date.fromisoformat(v + "-15")
        if re.fullmatch(r"\d{4}", v):
            return date(int(v), 7, 1)
    except ValueError:
        return None
    return None


def infer_dct(text: str, gold: list[dict], relative_pairs: list[tuple[int, int]], pred_none):
    """Pick the DCT under which most matched relative expressions get their gold value."""
    seeds = {d for gi, _ in relative_pairs if (d := _as_date(gold[gi]["value"] or ""))}
    if not seeds:
        return None
    cands = sorted({s + timedelta(days=k) for s in seeds for k in range(-40, 41)})
    best, best_n = [], -1
    for dct in cands:
        pred = find_timexes(text, dct)
        n = 0
        for gi, pi in relative_pairs:
            p = _by_span(pred, pred_none[pi])
            n += p is not None and p.value == gold[gi]["value"]
        if n > best_n:
            best, best_n = [dct], n
        elif n == best_n:
            best.append(dct)
    return best[len(best) // 2]


def _by_span(pred, ref):
    for p in pred:
        if p.start == ref.start and p.end == ref.end:
            return p
    return None


def run(folder: Path, verbose: bool = False) -> dict:
    tp = fp = fn = exact = 0
    abs_ok = abs_n = rel_ok = rel_n = 0
    docs = {}
    for path in sorted(folder.glob("*.tml"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0)):
        text, gold = parse_tml(path)
        pred0 = find_timexes(text, None)  # no anchor: tells absolute from relative
        pairs = match(gold, pred0)
        tp += len(pairs)
        fp += len(pred0) - len(pairs)
        fn += len(gold) - len(pairs)
        exact += sum(1 for gi, pi in pairs if (gold[gi]["start"], gold[gi]["end"]) == (pred0[pi].start, pred0[pi].end))
        relative = [(gi, pi) for gi, pi in pairs if pred0[pi].value is None and pred0[pi].type == "DATE"]
        dct = infer_dct(text, gold, relative, pred0)
        pred = find_timexes(text, dct) if dct else pred0
        for gi, pi in pairs:
            p = _by_span(pred, pred0[pi]) or pred0[pi]
            ok = p.value == gold[gi]["value"]
            if (gi, pi) in relative:
                rel_n += 1
                rel_ok += ok
            else:
                abs_n += 1
                abs_ok += ok
        docs[path.name] = {
            "gold": len(gold),
            "pred": len(pred0),
            "matched": len(pairs),
            "dct": dct.isoformat() if dct else None,
        }
        if verbose:
            print(f"== {path.name} dct={dct}", file=sys.stderr)
            got = {gi for gi, _ in pairs}
            for gi, g in enumerate(gold):
                mark = "  " if gi in got else "FN"
                pv = next((_by_span(pred, pred0[pi]) for g2, pi in pairs if g2 == gi), None)
                print(
                    f"  {mark} {g['text']!r} {g['type']} {g['value']} -> {pv.text + ' ' + str(pv.value) if pv else ''}",
                    file=sys.stderr,
                )
            used = {pi for _, pi in pairs}
            for pi, p in enumerate(pred0):
                if pi not in used:
                    print(
                        f"  FP {p.text!r} {p.type} {p.rule}  …{text[max(0, p.start - 25) : p.end + 15]!r}",
                        file=sys.stderr,
                    )
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    ep, er = exact / (tp + fp) if tp + fp else 0.0, exact / (tp + fn) if tp + fn else 0.0
    return {
        "extraction": {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn},
        "exact_span_f1": round(2 * ep * er / (ep + er), 4) if ep + er else 0.0,
        "value_acc_all": round((abs_ok + rel_ok) / (abs_n + rel_n), 4) if abs_n + rel_n else None,
        "value_acc_absolute": round(abs_ok / abs_n, 4) if abs_n else None,
        "value_acc_relative_inferred_dct": round(rel_ok / rel_n, 4) if rel_n else None,
        "matched": {"absolute": abs_n, "relative": rel_n},
        "docs": docs,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=SHARED / "time" / "arabic_timeml")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="per-document matches and errors (stderr)")
    a = ap.parse_args()
    if not a.dir.is_dir():
        sys.exit(f"no TimeML folder at {a.dir}")
    res = run(a.dir, a.verbose)
    if a.json:
        print(json.dumps(res))
        return
    e = res["extraction"]
    print(
        f"TIMEX3 extraction (overlap)  P {e['p']:.3f}  R {e['r']:.3f}  F1 {e['f1']:.3f}   "
        f"(tp {e['tp']}, fp {e['fp']}, fn {e['fn']});  exact-span F1 {res['exact_span_f1']:.3f}"
    )
    print(
        f"value accuracy over matched: all {res['value_acc_all']}  absolute {res['value_acc_absolute']}  "
        f"relative (inferred DCT) {res['value_acc_relative_inferred_dct']}  {res['matched']}"
    )


if __name__ == "__main__":
    main()
