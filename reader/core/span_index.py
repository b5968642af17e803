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
        self.ends = list(map(_END, items))
        self._chunk_end: list[int] = []
        self._reach: list[int] = []
        self._rechunk(0)

    def insert(self, span: Sequence) -> None:
        """Add one span: a tag on a document with 100k spans must not rebuild the index.
        It goes where a fresh index from spans in (start, end, id) order would have it, so
        overlapping spans stack the same either way."""
        starts = self.starts
        lo, hi = bisect_left(starts, span[1]), bisect_right(starts, span[1])
        at, last = bisect_left(self.ends, span[2], lo, hi), bisect_right(self.ends, span[2], lo, hi)
        while at < last and self.spans[at][0] < span[0]:  # same extent: by id, as the store
            at += 1
        self.spans.insert(at, span)
        self.starts.insert(at, span[1])
        self.ends.insert(at, span[2])
        self._rechunk(at // _CHUNK)

    def remove(self, span_id: object, start: int) -> Sequence | None:
        """Take out the span with this id (at [0]) starting at ``start``; it, or None."""
        for i in range(bisect_left(self.starts, start), bisect_right(self.starts, start)):
            if self.spans[i][0] == span_id:
                span = self.spans.pop(i)
                del self.starts[i], self.ends[i]
                self._rechunk(i // _CHUNK)
                return span
        return None

    def _rechunk(self, first: int) -> None:
        """Chunk maxima and their running maximum again, from chunk ``first`` on (a change
        shifts every later span by one place)."""
        ends = self.ends
        del self._chunk_end[first:], self._reach[first:]
        fresh = [max(ends[i : i + _CHUNK]) for i in range(first * _CHUNK, len(ends), _CHUNK)]
        self._chunk_end.extend(fresh)
        if self._reach:
            self._reach.extend(accumulate(fresh, max, initial=self._reach[-1]))
            del self._reach[first]  # the initial value, already there
        else:
            self._reach.extend(accumulate(fresh, max))

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
