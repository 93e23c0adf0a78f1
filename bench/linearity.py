"""Time and peak memory of ``marsad.process`` on one article without punctuation or newlines, at
0.1, 0.5, 1, 2 and 5 MB (UTF-8): the per-MB time should stay roughly flat (linear time) and the
memory grow no faster than the text.

The text is real news with its punctuation and line breaks removed (the articles of
../shared/corpus/ant_bench.jsonl run together, cut at the size), or, with ``--synthetic`` or when
the corpus is absent, words drawn at random from a list written here.  The ratio is taken on CPU
time (the wall time of a shared machine drifts with the other tenants).  Each size runs in a fresh
process (so the peak resident memory is its own): the pipeline is warmed up on a short article
first, and "extra MB" is the peak beyond the warmed-up process.  Run from the repository root:

    python bench/linearity.py
    python bench/linearity.py --sizes 0.1,0.5 --synthetic
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
BENCH = SHARED / "corpus" / "ant_bench.jsonl"
_WORDS = (
    "التقى الرئيس السوري بشار الأسد وزير الخارجية الروسي سيرغي لافروف في دمشق أمس وبحث معه "
    "الأوضاع في المنطقة والعلاقات الثنائية بين البلدين وقال إن الجانبين اتفقا على مواصلة "
    "التنسيق يوم الثلاثاء الماضي واستهدفت غارات مواقع قرب حلب بينما طالبت الأمم المتحدة "
    "بوقف إطلاق النار"
).split()
_NOT_WORD = re.compile(r"[^\w\s]+|\s+")


def _text(nbytes: int, synthetic: bool) -> str:
    parts: list[str] = []
    n = 0
    if not synthetic and BENCH.exists():
        while n < nbytes:  # the corpus again from the start if it is too short
            with open(BENCH, encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    t = " ".join(_NOT_WORD.sub(" ", (r.get("title") or "") + " " + (r.get("text") or "")).split())
                    parts.append(t)
                    n += len(t.encode("utf-8")) + 1
                    if n >= nbytes:
                        break
    else:
        rnd = random.Random(7)
        while n < nbytes:
            w = rnd.choice(_WORDS)
            parts.append(w)
            n += len(w.encode("utf-8")) + 1
    return " ".join(parts).encode("utf-8")[:nbytes].decode("utf-8", errors="ignore").strip()


def _rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def one(mb: float, synthetic: bool) -> dict:
    """Measure one size in this process."""
    import datetime
    import marsad

    day = datetime.date(2024, 1, 2)
    text = _text(int(mb * 1_000_000), synthetic)
    marsad.process("التقى وزير الخارجية الروسي نظيره السوري في دمشق أمس.\nوقال إن «المحادثات بناءة».", published=day)
    base = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    a = marsad.process(text, published=day)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "mb": len(text.encode("utf-8")) / 1e6,
        "seconds": secs,
        "cpu": cpu,
        "peak_mb": _rss_mb(),
        "extra_mb": _rss_mb() - base,
        "sentences": len(a.sentences),
        "mentions": len(a.mentions),
        "times": len(a.times),
        "events": len(a.events),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="0.1,0.5,1,2,5", help="MB, comma-separated")
    ap.add_argument("--synthetic", action="store_true", help="random words from a fixed list, not the corpus")
    ap.add_argument("--one", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one(args.one, args.synthetic)))
        return 0
    kind = (
        "synthetic words" if args.synthetic or not BENCH.exists() else "corpus text, punctuation and newlines removed"
    )
    print(f"marsad.process on one article without punctuation or newlines ({kind})")
    print(
        f"{'MB':>6} {'seconds':>8} {'CPU s':>7} {'CPU s/MB':>8} {'ratio':>6} {'peak MB':>8} {'extra MB':>9} "
        f"{'sentences':>9} {'mentions':>8} {'events':>7}"
    )
    first = None
    for size in (float(x) for x in args.sizes.split(",")):
        cmd = [sys.executable, __file__, "--one", str(size)] + (["--synthetic"] if args.synthetic else [])
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            print(f"{size:>6} failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        per = r["cpu"] / r["mb"]
        first = first or per
        print(
            f"{r['mb']:6.2f} {r['seconds']:8.1f} {r['cpu']:7.1f} {per:8.2f} {per / first:6.2f} {r['peak_mb']:8.0f} "
            f"{r['extra_mb']:9.0f} {r['sentences']:9d} {r['mentions']:8d} {r['events']:7d}",
            flush=True,
        )
    print(
        "ratio: CPU seconds per MB relative to the smallest size (linear time keeps it near 1; CPU time,\n"
        "not wall time, because the machine may be shared)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
