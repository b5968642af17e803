"""SpanIndex: the annotations overlapping a block, found by bisection, so that drawing
a row never scans every annotation of the document."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from operator import itemgetter

_START = itemgetter(1)
_END = itemgetter(2)
_CHUNK = 64


class SpanIndex:
    """Spans (any tuples with start at [1] and end at [2]) found by overlap in O(log n + k).

    Kept sorted by start, with plain lists of starts and ends, the largest end of each
    chunk of 64 spans and its running maximum: a query walks back from the first span
    starting after the range only as far as some earlier span can still reach into
    it. No scan over all 100k spans per row; building is a few passes in C, and the
    sort is skipped when the spans come in document order (as the store gives them).
    """

    def __init__(self, spans: Iterable[Sequence]):
        items = list(spans)
        starts = list(map(_START, items))
        if starts != sorted(starts):  # a sort of sorted ints is one pass in C
            order = sorted(range(len(items)), key=starts.__getitem__)
            items = [items[i] for i in order]
            starts = [starts[i] for i in order]
        self.spans = items
        self.starts = starts
        self.ends = ends = list(map(_END, items))
        self._chunk_end = [max(ends[i : i + _CHUNK]) for i in range(0, len(ends), _CHUNK)]
        self._reach = list(accumulate(self._chunk_end, max))

    def __len__(self) -> int:
        return len(self.spans)

    def overlapping(self, start: int, end: int) -> list:
        """Spans with ``span.start < end`` and ``span.end > start``, sorted by start."""
        items, ends = self.spans, self.ends
        top = bisect_left(self.starts, end)
        chunks: list[list] = []
        chunk = (top - 1) // _CHUNK
        while chunk >= 0 and self._reach[chunk] > start:
            if self._chunk_end[chunk] > start:
                first = chunk * _CHUNK
                found = [
                    items[i] for i in range(first, min(top, first + _CHUNK)) if ends[i] > start
                ]
                if found:
                    chunks.append(found)
            chunk -= 1
        return [span for found in reversed(chunks) for span in found]

    def first_after(self, offset: int) -> Sequence | None:
        """The span starting first after ``offset``."""
        index = bisect_right(self.starts, offset)
        return self.spans[index] if index < len(self.spans) else None

    def last_before(self, offset: int) -> Sequence | None:
        """The span starting last before ``offset``."""
        index = bisect_left(self.starts, offset)
        return self.spans[index - 1] if index else None
