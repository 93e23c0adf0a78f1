"""The store of real articles the browser tests and the load check (bench/load_mixed.py) serve: the ANT
articles of 10-13 April 2018 outside the reserved ids (426 articles), stored by ``marsad run`` from
``../shared``.  No pytest here: the benchmarks import it too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REAL_DAYS = ("20180410", "20180411", "20180412", "20180413")


def real_records(shared: Path) -> list[dict]:
    """The ANT records of ``REAL_DAYS`` that are not reserved for evaluation, each with its source
    ``url`` when the benchmark file (``ant_bench.jsonl``, the same records with their URLs) has it."""
    reserved = set((shared / "corpus" / "reserved_ids.txt").read_text(encoding="utf-8").split())
    urls = {}
    with open(shared / "corpus" / "ant_bench.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("url") and r["id"].rsplit("-", 1)[-1] in REAL_DAYS:
                urls[r["id"]] = r["url"]
    out = []
    with open(shared / "corpus" / "ant_unlabeled.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["id"] not in reserved and r["id"].rsplit("-", 1)[-1] in REAL_DAYS:
                if not r.get("url") and r["id"] in urls:
                    r["url"] = urls[r["id"]]
                out.append(r)
    return out


def build_real_store(db: Path, shared: Path) -> Path:
    """Run ``marsad run`` (all steps, stories included) over the real records into ``db``."""
    src = db.parent / "real-articles.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for r in real_records(shared):
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    cmd = [sys.executable, "-c", "from marsad.cli import main; main()", "--bidi", "off", "run", "--db", str(db)]
    cmd += ["--quiet", str(src)]
    subprocess.run(cmd, check=True, cwd=db.parent, capture_output=True, timeout=1800)
    return db
