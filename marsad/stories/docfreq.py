"""Document frequencies of story words: how common a word is across news, so that the words
that tell one happening from another (names, places, numbers) weigh more than the words of every
day's news.  Built by ``marsad train stories`` from unlabeled articles; shipped as a gzipped
``word<TAB>df`` file under ``marsad/resources/stories/``."""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from .tokens import story_words

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "resources" / "stories" / "docfreq.tsv.gz"
LEAD_LINES = 2
LEAD_CHARS = 800


def lead_of(body: str) -> str:
    """The lead of a body: its first two non-empty lines (paragraphs), at most 800 characters."""
    lines = [ln for ln in body.split("\n") if ln.strip()]
    return "\n".join(lines[:LEAD_LINES])[:LEAD_CHARS]


@dataclass(frozen=True)
class DocFreq:
    n: int  # articles counted
    df: Mapping[str, int]  # word -> in how many of them it occurs (headline or lead)

    def idf(self, word: str) -> float:
        """log(n / (1 + df)); a word never seen weighs as much as the rarest."""
        d = self.df.get(word)
        return math.log(self.n / (1 + d)) if d is not None else math.log(max(self.n, 2))

    @classmethod
    def count(cls, articles: Iterable[tuple[str, str]], min_df: int = 2) -> "DocFreq":
        """Count (headline, body) pairs; words seen in fewer than ``min_df`` articles are left out
        (they weigh as unseen words)."""
        df: dict[str, int] = {}
        n = 0
        for headline, body in articles:
            n += 1
            for w in set(story_words(headline)) | set(story_words(lead_of(body))):
                df[w] = df.get(w, 0) + 1
        return cls(n, {w: d for w, d in df.items() if d >= min_df})

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = sorted(self.df.items(), key=lambda kv: (-kv[1], kv[0]))
        body = f"#n\t{self.n}\n" + "".join(f"{w}\t{d}\n" for w, d in rows)
        # mtime=0: the same counts give the same bytes
        with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(body.encode("utf-8"))

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "DocFreq":
        from ..errors import ModelError

        try:
            lines = gzip.decompress(Path(path).read_bytes()).decode("utf-8").splitlines()
            head, n = lines[0].split("\t")
            if head != "#n":
                raise ValueError("no #n header")
            df = {}
            for ln in lines[1:]:
                w, d = ln.split("\t")
                df[w] = int(d)
            return cls(int(n), df)
        except (OSError, ValueError, EOFError) as e:
            raise ModelError(
                f"the story word frequencies {path} cannot be read ({e}); rebuild them with `marsad train stories`"
            ) from e
