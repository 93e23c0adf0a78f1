"""The articles of a story-annotation window (``../shared/stories/GUIDELINES.md``, "Selecting a
window"): ANT articles whose UTC publication date falls in the window and whose id says
``middleEast`` or whose title or first line names Syria or a Syrian place; reserved ids never.

    python -m marsad.lab.stories.window 2018-05-20 2018-05-26 > window.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

SYRIA = re.compile(
    r"سوري|سورية|سوريا|دمشق|إدلب|ادلب|حلب|الغوطة|دوما|درعا|حمص|حماة|حماه|الرقة|دير الزور|"
    r"عفرين|منبج|اللاذقية|طرطوس|القنيطرة|السويداء|الحسكة|القامشلي|البوكمال|تدمر|الأسد"
)


def utc_date(raw: str) -> date | None:
    try:
        return parsedate_to_datetime(raw).astimezone(timezone.utc).date()
    except (TypeError, ValueError):
        return None


def window(corpus: Path, reserved: Path, start: date, end: date) -> list[dict]:
    banned = set(reserved.read_text().split())
    out = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            d = utc_date(r.get("published_raw") or "")
            if d is None or not (start <= d <= end) or r["id"] in banned:
                continue
            first = (r.get("title") or "") + "\n" + (r.get("text") or "").split("\n")[0]
            if "middleEast" in r["id"] or SYRIA.search(first):
                pub = parsedate_to_datetime(r["published_raw"]).astimezone(timezone.utc)
                out.append({"id": r["id"], "outlet": r.get("outlet"), "published": pub.strftime("%Y-%m-%dT%H:%M:%SZ")})
    return sorted(out, key=lambda r: (r["published"], r["id"]))


if __name__ == "__main__":
    shared = Path(__file__).resolve().parents[4] / "shared"
    rows = window(
        shared / "corpus" / "ant_unlabeled.jsonl",
        shared / "corpus" / "reserved_ids.txt",
        datetime.strptime(sys.argv[1], "%Y-%m-%d").date(),
        datetime.strptime(sys.argv[2], "%Y-%m-%d").date(),
    )
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
