"""The hostile-input folder (tests/hostile.py) through `marsad run` as a user runs it: exit status,
time, peak memory of the process tree, the accounting identity, and each case's outcome — the table
of docs/reliability.md.  From the repository root:

    python bench/hostile.py [--workers 2] [--unpunctuated-mb 4.5] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
import hostile  # noqa: E402
from throughput import measured  # noqa: E402


NEWLINE = "\\n"  # a newline in a case's file name, as the table shows it


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--engine", default="local", choices=["local", "dask"])
    ap.add_argument("--unpunctuated-mb", type=float, default=4.5)
    ap.add_argument("--markdown", action="store_true", help="print the table of docs/reliability.md")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "in", Path(tmp) / "h.duckdb"
        made = hostile.make(folder, args.unpunctuated_mb)
        cmd = [
            sys.executable,
            "-m",
            "marsad.cli",
            "--bidi",
            "off",
            "run",
            str(folder),
            "--db",
            str(db),
            "--workers",
            str(args.workers),
            "--engine",
            args.engine,
            "--quiet",
        ]
        proc, out, err, secs, peak = measured(cmd)
        from marsad.store.db import connect
        from marsad.store.read import accounting

        con = connect(db, read_only=True)
        acc = accounting(con)
        got = hostile.outcomes(con, folder, made)
        con.close()
        os.chmod(folder / "special" / "unreadable.txt", 0o644)
    units = sum(c.units for c in made)
    summary = {
        "cases": len(made),
        "input_units": units,
        "exit_status": proc.returncode,
        "traceback": "Traceback" in err,
        "seconds": round(secs, 1),
        "peak_pss_mb": round(peak[0] / 2**20) if peak else None,
        **acc,
        "identity_holds": acc["balanced"] and acc["inputs"] == units,
        "run_summary": out.strip().splitlines()[0] if out.strip() else "",
    }
    if not args.markdown:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        print(json.dumps(got, ensure_ascii=False, indent=1))
        return
    print("| case | what it is | units | outcome |\n|---|---|---|---|")
    for c in made:
        g = got[c.name]
        shown = ", ".join(f"{k} ×{g.count(k)}" if g.count(k) > 1 else k for k in dict.fromkeys(g)) or "—"
        name = hostile.printable(c.name).replace(chr(10), NEWLINE)
        print(f"| `{name}` | {c.what} | {c.units} | {shown} |")
    print()
    print("```json\n" + json.dumps(summary, ensure_ascii=False, indent=2) + "\n```")


if __name__ == "__main__":
    main()
