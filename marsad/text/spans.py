"""Questions about many spans of one text, answered without scanning them all.

An article of a few kilobytes has a few dozen mentions, times and events, and a scan of all of
them for each one is cheap; a text of megabytes has tens of thousands, and the same scans made the
steps quadratic in its length.  These two structures give the same answers as those scans:

* :class:`Taken` — the stretches already covered by chosen spans (the extraction steps choose
  non-overlapping spans greedily, "longest first, skip any candidate that overlaps one already
  chosen"): marking the characters answers in time proportional to the candidate's length;
* :class:`ByStart` — the spans that lie within a range, found by bisection over their starts;
* :class:`Covering` — the spans that hold a position, found through buckets of the text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class Taken:
    """Half-open ranges ``[start, end)`` added one by one; :meth:`overlaps` says whether a range
    overlaps one of them (``start < e and s < end`` for some added ``(s, e)``), exactly as a scan
    of the added ranges would, empty ranges included."""

    __slots__ = ("_mark", "_first", "_empty")

    def __init__(self) -> None:
        self._mark = bytearray()  # 1 where a character is covered
        self._first = bytearray()  # 1 where an added range starts
        self._empty = bytearray()  # 1 where an empty range was added

    def _grow(self, n: int) -> None:
        if n > len(self._mark):
            extra = max(n, 2 * len(self._mark)) - len(self._mark)
            self._mark += bytes(extra)
            self._first += bytes(extra)
            self._empty += bytes(extra)

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``; ranges added must not overlap each other (as chosen spans don't)."""
        if start < 0 or end < start:
            raise ValueError(f"bad range [{start}, {end})")
        self._grow(end + 1)
        if start == end:
            self._empty[start] = 1
            return
        self._mark[start:end] = b"\x01" * (end - start)
        self._first[start] = 1

    def overlaps(self, start: int, end: int) -> bool:
        if start < end:
            lo = max(start, 0)
            # a covered character inside, or an empty range strictly inside (start < p < end)
            return self._mark.find(1, lo, end) >= 0 or self._empty.find(1, max(start + 1, 0), end) >= 0
        # an empty range overlaps a range that holds it strictly inside (s < start < e)
        if start <= 0 or start >= len(self._mark):
            return False
        return bool(self._mark[start - 1] and self._mark[start] and not self._first[start])


class ByStart:
    """Spans (objects with ``start`` and ``end``) asked for those that lie within a range.

    :meth:`within` gives ``[x for x in items if lo <= x.start and x.end <= hi]``, in the items'
    order.  When the items are in order of their starts it bisects (time proportional to the
    answer, plus the spans that start in the range but end past it); otherwise it scans."""

    __slots__ = ("items", "starts", "ordered")

    def __init__(self, items) -> None:
        self.items = list(items)
        self.starts = [x.start for x in self.items]
        self.ordered = all(x <= y for x, y in zip(self.starts, self.starts[1:])) and all(
            x.start <= x.end for x in self.items
        )

    def within(self, lo: int, hi: int) -> list:
        if not self.ordered:
            return [x for x in self.items if lo <= x.start and x.end <= hi]
        i, j = bisect_left(self.starts, lo), bisect_right(self.starts, hi)
        return [x for x in self.items[i:j] if x.end <= hi]


class Covering:
    """Spans (objects with ``start`` and ``end``) asked for those that hold a position.

    :meth:`at` gives ``[x for x in items if x.start <= pos < x.end]``, in the items' order.  Each
    span is filed under the buckets of ``bucket`` characters it touches, so a question reads one
    bucket; the index costs time and memory proportional to the spans' total length / ``bucket``."""

    __slots__ = ("items", "bucket", "_at")

    def __init__(self, items, bucket: int = 1024) -> None:
        self.items = list(items)
        self.bucket = bucket
        self._at: dict[int, list[int]] = {}
        for k, x in enumerate(self.items):
            if x.start < x.end:
                for b in range(max(x.start, 0) // bucket, (x.end - 1) // bucket + 1):
                    self._at.setdefault(b, []).append(k)

    def at(self, pos: int) -> list:
        if pos < 0:
            return []
        items = self.items
        return [items[k] for k in self._at.get(pos // self.bucket, ()) if items[k].start <= pos < items[k].end]
