"""Throughput and memory of `marsad run` on ../shared/corpus/ant_bench.jsonl (5,000 real articles).

Prints, for each configuration, articles/s (absolute and per core), the I/O floor (plain Python
reading the same file and normalizing its text) as a ratio, and the peak memory of the whole process
tree (PSS: proportional set size, sampled with psutil; shared pages counted once).  Run from the repository root:

    python bench/throughput.py                    # 1 worker, 2 workers, 2 dask workers at 5,000
    python bench/throughput.py --big              # also peak memory at 20,000 and 50,000 (the file repeated, new ids)
    python bench/throughput.py --modes local1 --limit 1000
    python bench/throughput.py --modes local1,local2 --repeat 3   # medians of alternating runs
    python bench/throughput.py --ner-profile fast,accurate --modes local1,local2 --limit 500
                                                  # both NER profiles in one run, next to the floor
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))
BENCH = SHARED / "corpus" / "ant_bench.jsonl"


def floor(path: Path) -> tuple[float, int]:
    """Articles/s of plain reading + JSON parsing + normalizing (the I/O floor)."""
    from marsad.text.normalize import normalize

    t0 = time.perf_counter()
    n = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            normalize(d.get("text", ""))
            n += 1
    return n / (time.perf_counter() - t0), n


def make_input(n: int, tmp: Path) -> Path:
    """The bench file truncated or repeated (with new ids) to n articles."""
    out = tmp / f"bench-{n}.jsonl"
    if out.exists():
        return out
    with open(BENCH, encoding="utf-8") as f:
        lines = f.readlines()
    with open(out, "w", encoding="utf-8") as w:
        for i in range(n):
            d = json.loads(lines[i % len(lines)])
            rep = i // len(lines)
            if rep:
                d["id"] = f"{d['id']}-r{rep}"
                # a body sentence (cleaning keeps it), so the copy is new content and gets stored
                d["text"] = d["text"] + f"\nوهذه النسخة رقم {rep} من الخبر أعيد نشرها لأغراض القياس فقط."
            w.write(json.dumps(d, ensure_ascii=False) + "\n")
    return out


def peak_tree_rss(proc: subprocess.Popen, stop: threading.Event, out: list) -> None:
    import psutil

    p = psutil.Process(proc.pid)
    peak = 0
    while not stop.is_set():
        try:
            procs = [p] + p.children(recursive=True)
            # PSS: pages shared by forked workers are counted once, split between them
            rss = sum(_pss(x) for x in procs if x.is_running())
            peak = max(peak, rss)
        except Exception:
            pass
        time.sleep(0.1)
    out.append(peak)


def measured(cmd: list[str]) -> tuple[subprocess.Popen, str, str, float, list]:
    """Run ``cmd`` to its end: the process, its output and errors, the wall seconds, and ``[peak]``
    (the process tree's peak PSS in bytes, sampled every 0.1 s; empty if never sampled)."""
    stop, peak = threading.Event(), []
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    th = threading.Thread(target=peak_tree_rss, args=(proc, stop, peak))
    th.start()
    out, err = proc.communicate()
    secs = time.perf_counter() - t0
    stop.set()
    th.join()
    return proc, out, err, secs, peak


def _pss(proc) -> int:
    try:
        return proc.memory_full_info().pss
    except Exception:  # PSS needs /proc/PID/smaps_rollup (Linux); fall back to RSS
        return proc.memory_info().rss


def run_once(inp: Path, mode: str, tmp: Path, profile: str = "fast") -> dict:
    db = tmp / f"{mode}-{profile}-{inp.stem}.duckdb"
    for f in (db, Path(str(db) + ".wal")):
        if f.exists():
            f.unlink()
    workers = {"local1": 1, "local2": 2, "dask2": 2}[mode]
    cmd = [sys.executable, "-m", "marsad.cli", "run", str(inp), "--db", str(db), "--workers", str(workers), "--quiet"]
    if mode.startswith("dask"):
        cmd += ["--engine", "dask"]
    cmd += ["--ner-profile", profile]
    proc, out, err, secs, peak = measured(cmd)
    if proc.returncode:
        raise SystemExit(f"{mode} failed: {err[-2000:]}")
    n = int(re.search(r"(\d+) stored", out).group(1))
    return {
        "mode": mode if profile == "fast" else f"{mode}:{profile}",
        "articles": n,
        "seconds": round(secs, 2),
        "articles_per_s": round(n / secs, 1),
        "per_core": round(n / secs / workers, 1),
        "peak_pss_mb": round(peak[0] / 2**20) if peak else None,
        "summary": out.strip().splitlines()[0],
    }


def summary(runs: list[dict]) -> dict:
    """Per mode: the median articles/s (and per core) over its runs and the highest peak memory."""
    out = {}
    for mode in dict.fromkeys(r["mode"] for r in runs):
        rs = [r for r in runs if r["mode"] == mode]
        peaks = [r["peak_pss_mb"] for r in rs if r["peak_pss_mb"] is not None]
        out[mode] = {
            "runs": len(rs),
            "articles_per_s": round(statistics.median(r["articles_per_s"] for r in rs), 1),
            "per_core": round(statistics.median(r["per_core"] for r in rs), 1),
            "peak_pss_mb": max(peaks) if peaks else None,
        }
    return out


def _pairs(runs: list[dict], mode: str) -> list[float]:
    """``mode``'s articles/s over local1's, run by run (the i-th run of each)."""
    ones = [r["articles_per_s"] for r in runs if r["mode"] == "local1"]
    twos = [r["articles_per_s"] for r in runs if r["mode"] == mode]
    return [round(b / a, 2) for a, b in zip(ones, twos)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--modes", default="local1,local2,dask2")
    ap.add_argument("--limit", type=int, default=5000, help="articles per run")
    ap.add_argument("--big", action="store_true", help="also measure peak memory at 4x and 10x the articles (local2)")
    ap.add_argument(
        "--repeat", type=int, default=1, help="run the modes alternately this many times; the summary gives medians"
    )
    ap.add_argument(
        "--ner-profile", default="fast", help="NER profiles to run each mode with, comma-separated (fast,accurate)"
    )
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not BENCH.exists():
        raise SystemExit(f"{BENCH} is missing: the benchmark needs ../shared")
    tmp = Path(tempfile.mkdtemp(prefix="marsad-bench-"))
    inp = make_input(a.limit, tmp)
    fl, _ = floor(inp)
    from marsad.pipeline import build_pipeline

    res = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "steps": build_pipeline().names(),
        "floor_articles_per_s": round(fl, 1),
        "runs": [],
    }
    modes = a.modes.split(",")
    profiles = a.ner_profile.split(",")
    for rep in range(a.repeat):  # alternate the modes: drifts of a shared host hit all alike
        for mode, profile in [(m, p) for p in profiles for m in modes]:
            r = run_once(inp, mode, tmp, profile)
            r["floor_ratio"] = round(fl / r["per_core"], 1)
            res["runs"].append(r)
            if not a.json:
                print(
                    f"{r['mode']:7s} {r['articles']} articles in {r['seconds']} s: {r['articles_per_s']} art/s, "
                    f"{r['per_core']} per core, floor/marsad {r['floor_ratio']}x, peak memory {r['peak_pss_mb']} MB (PSS)",
                    flush=True,
                )
    if a.big:  # peak memory with 2 workers at 4x and 10x the articles: equal peaks = flat memory
        for k in (4, 10):
            r = run_once(make_input(a.limit * k, tmp), "local2", tmp)
            r["mode"] = f"local2-{k}x"
            res["runs"].append(r)
            if not a.json:
                print(
                    f"{k}x {r['articles']} articles: {r['per_core']} art/s per core, "
                    f"peak memory {r['peak_pss_mb']} MB (PSS)",
                    flush=True,
                )
    res["summary"] = summary(res["runs"])
    runs = res["summary"]
    if "local1" in runs and "local2" in runs:
        res["speedup_2_workers"] = round(runs["local2"]["articles_per_s"] / runs["local1"]["articles_per_s"], 2)
        res["speedup_2_workers_each"] = _pairs(res["runs"], "local2")
    if "local1" in runs and "dask2" in runs:
        res["speedup_2_dask"] = round(runs["dask2"]["articles_per_s"] / runs["local1"]["articles_per_s"], 2)
        res["speedup_2_dask_each"] = _pairs(res["runs"], "dask2")
    for k in ("4x", "10x"):  # memory growth with the corpus: peak over the 1x run's (and 10x over 4x)
        if "local2" in runs and f"local2-{k}" in runs:
            res[f"peak_{k}_over_1x"] = round(runs[f"local2-{k}"]["peak_pss_mb"] / runs["local2"]["peak_pss_mb"], 2)
    if "local2-4x" in runs and "local2-10x" in runs:
        res["peak_10x_over_4x"] = round(runs["local2-10x"]["peak_pss_mb"] / runs["local2-4x"]["peak_pss_mb"], 2)
    print(json.dumps(res, ensure_ascii=False, indent=None if a.json else 1))


if __name__ == "__main__":
    main()
