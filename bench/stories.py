"""Stories at scale: how long placing 5,000 stored articles in stories takes (from scratch), and
how long a batch of 100 new articles takes to join them (the issue's bars: ≤ 60 s and ≤ 5 s on
one core).  The NLP pipeline is not timed: the articles are processed first (``marsad run
--no-stories``, kept in ``--workdir`` for the next time), then story placement is timed alone in
this process (one thread: ``update_stories`` is single-threaded Python and NumPy).

The articles: the first 5,100 of ``../shared/corpus/ant_unlabeled.jsonl`` in publication order,
reserved ids left out; the last 100 are the new batch.  Run from the repository root:

    python bench/stories.py                      # prints the figures (and --json)
    python bench/stories.py --n 1000 --new 50    # smaller
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED", ROOT.parent / "shared"))


def pick(n: int) -> list[dict]:
    banned = set((SHARED / "corpus" / "reserved_ids.txt").read_text(encoding="utf-8").split())
    recs = []
    with open(SHARED / "corpus" / "ant_unlabeled.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["id"] in banned:
                continue
            try:
                ts = parsedate_to_datetime(r["published_raw"]).timestamp()
            except (KeyError, TypeError, ValueError):
                continue
            recs.append((ts, r["id"], r))
    recs.sort(key=lambda x: (x[0], x[1]))
    return [r for _, _, r in recs[:n]]


def cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000, help="articles placed from scratch")
    ap.add_argument("--new", type=int, default=100, help="articles of the new batch")
    ap.add_argument("--workdir", default=str(ROOT / "bench" / ".work" / "stories"))
    ap.add_argument("--workers", type=int, default=2, help="for processing the articles (not timed)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    recs = pick(a.n + a.new)
    base, new = work / f"base-{a.n}.jsonl", work / f"new-{a.new}.jsonl"
    for path, part in ((base, recs[: a.n]), (new, recs[a.n :])):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
    store = work / f"processed-{a.n}-{a.new}.duckdb"
    marsad = [sys.executable, "-c", "from marsad.cli import main; main()"]
    if not store.exists():  # the pipeline's part, once (minutes); both files go in, no stories
        tmp = store.with_suffix(".tmp.duckdb")
        subprocess.run(
            marsad
            + ["run", str(base), str(new), "--db", str(tmp), "--no-stories", "--quiet", "--workers", str(a.workers)],
            check=True,
        )
        tmp.rename(store)
    from marsad.store.db import connect
    from marsad.stories import DocFreq, update_stories

    work_db = work / "timed.duckdb"
    work_db.unlink(missing_ok=True)
    work_db.write_bytes(store.read_bytes())
    con = connect(work_db)
    new_ids = [r["id"] for r in recs[a.n :]]
    # the new batch "arrives later": it is held out of the first placement
    con.execute("CREATE TEMP TABLE held AS SELECT * FROM articles WHERE list_contains(?, id)", [new_ids])
    con.execute("DELETE FROM articles WHERE list_contains(?, id)", [new_ids])
    docfreq = DocFreq.load()
    t0, c0 = time.perf_counter(), cpu()
    first = update_stories(con, docfreq)
    t1, c1 = time.perf_counter(), cpu()
    con.execute("INSERT INTO articles SELECT * FROM held")
    t2, c2 = time.perf_counter(), cpu()
    second = update_stories(con, docfreq)
    t3, c3 = time.perf_counter(), cpu()
    stories = con.execute("SELECT count(DISTINCT story_id) FROM story_members").fetchone()[0]
    con.close()
    out = {
        "articles": first.placed,
        "build_wall_s": round(t1 - t0, 2),
        "build_cpu_s": round(c1 - c0, 2),
        "new": second.placed,
        "join_wall_s": round(t3 - t2, 2),
        "join_cpu_s": round(c3 - c2, 2),
        "stories": stories,
        "near_duplicates": first.near_duplicates + second.near_duplicates,
        "bars": {"build_s": 60, "join_s": 5},
    }
    if a.json:
        print(json.dumps(out))
        return
    print(
        f"{out['articles']} articles placed in {out['build_wall_s']} s ({out['build_cpu_s']} CPU s; bar 60 s); "
        f"{out['new']} new joined in {out['join_wall_s']} s ({out['join_cpu_s']} CPU s; bar 5 s); "
        f"{stories} stories, {out['near_duplicates']} near-duplicates"
    )


if __name__ == "__main__":
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(v, "1")
    main()
