"""What the seed benches share: the ../shared folder, its score.py imported in place, the seeds
gold, the command line (``--json``, ``--verbose``) and the table of figures."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Callable, Optional

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "seeds.jsonl"


def load_score():
    """../shared/gold/score.py as a module."""
    spec = importlib.util.spec_from_file_location("marsad_shared_score", SHARED / "gold" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_gold() -> list[dict]:
    """The gold records of the seeds, one per article."""
    return [json.loads(l) for l in open(GOLD, encoding="utf-8") if l.strip()]


def parse_args(
    doc: str, verbose_help: str, missing: str, more: Optional[Callable[[argparse.ArgumentParser], None]] = None
) -> argparse.Namespace:
    """The options ``--json``, ``--verbose`` and those ``more`` adds; exits saying ``missing`` when
    there is no seeds gold."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true", help=verbose_help)
    if more is not None:
        more(ap)
    a = ap.parse_args()
    if not GOLD.exists():
        sys.exit(f"{missing} at {SHARED}")
    return a


def print_scores(res: dict, as_json: bool, width: int) -> None:
    """The figures as one JSON line, or one ``P R F1 (tp fp fn)`` row a figure, names ``width`` wide."""
    if as_json:
        print(json.dumps(res))
        return
    for k, v in res.items():
        print(
            f"{k:{width}s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})"
        )
