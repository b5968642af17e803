"""AnnotationSet: the annotations a pane shows of one document, read by range.

The pane finds rows in it (by id, the next one), the view draws what overlaps its
rows, and the status line and title read its counts of one annotator's marks. A
saved change is applied here once (``apply``), which says what the view must repaint,
so the drawing and the counts can never disagree.

A document may hold 1.6M annotations and a pane shows a few hundred characters, so
the set never holds a document's annotations whole: it reads the spans of one window
of ``WINDOW`` code points at a time from its ``source`` (the store, by SQL range:
``reader.core.store.spans``), keeps the last ``WINDOWS`` windows it read, and its
counts come from one GROUP BY. Rows are light (``SpanRow``: id, start, end, label,
annotator, orphaned, document). Orphaned rows (their text changed away) are counted
but never drawn.

Sources: ``StoreSpans`` (a document in the store, one annotator's or everyone's) and
``RowSpans`` (rows already in memory, as the review screen builds them).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple, Protocol

from reader.core.model import Annotation
from reader.core.span_index import SpanIndex
from reader.core.store.rows import SpanRow

if TYPE_CHECKING:
    from reader.core.store import Store

# Code points read at once. A pane's screenful (about 4,000 at 160x50) is two or three
# reads; 8,192 read twice what was shown where 16 annotators crowd an article (1,700
# rows a window), which showing others' spans (o) paid for on every press.
WINDOW = 2_048
WINDOWS = 256  # windows kept (half a million code points); older ones are read again


def span_row(annotation: Annotation) -> SpanRow:
    """An annotation as the light row a set holds."""
    return SpanRow(annotation.id, annotation.start, annotation.end, annotation.label,
                   annotation.annotator, int(annotation.orphaned), annotation.document)  # fmt: skip


class Change(NamedTuple):
    """What a saved change does to the drawing: the drawn row it removed and the one it
    added (either may be None)."""

    removed: SpanRow | None
    added: SpanRow | None


class SpanSource(Protocol):
    """Where a set reads its rows: anchored rows only, always in (start, end) order."""

    def between(self, start: int, end: int) -> list[SpanRow]:
        """Rows overlapping [start, end)."""

    def counts(self, me: str) -> tuple[Counter[str], int]:
        """``me``'s anchored rows per label, and how many of ``me``'s are orphaned."""

    def total(self) -> int:
        """How many rows there are."""

    def next_start(self, offset: int, forward: bool) -> int | None:
        """Where the nearest row after (or before) ``offset`` starts."""

    def before(self, offset: int, count: int) -> list[SpanRow]:
        """The last ``count`` rows starting before ``offset``, in order."""

    def after(self, offset: int, count: int) -> list[SpanRow]:
        """The first ``count`` rows starting at or after ``offset``."""

    def of(self, annotator: str) -> list[SpanRow]:
        """Every row of ``annotator``."""

    def blind(self, blind: bool) -> SpanSource:
        """The same rows, the store's annotator's only (``blind``) or everyone's."""

    def row(self, annotation_id: str) -> SpanRow | None:
        """The row with this id, if it is one of the source's."""


class StoreSpans:
    """One document's live spans in the store, ``annotator``'s only or (None) everyone's."""

    def __init__(self, store: Store, document: str, annotator: str | None):
        self.store, self.document, self.annotator = store, document, annotator

    def between(self, start: int, end: int) -> list[SpanRow]:
        return self.store.spans_between(self.document, start, end, annotator=self.annotator)

    def counts(self, me: str) -> tuple[Counter[str], int]:
        return self.store.span_counts(self.document, me)

    def total(self) -> int:
        return self.store.count_spans(self.document, self.annotator)

    def next_start(self, offset: int, forward: bool) -> int | None:
        return self.store.next_span_start(self.document, offset, forward, annotator=self.annotator)

    def before(self, offset: int, count: int) -> list[SpanRow]:
        return self.store.spans_before(self.document, offset, count, annotator=self.annotator)

    def after(self, offset: int, count: int) -> list[SpanRow]:
        return self.store.spans_from(self.document, offset, count, annotator=self.annotator)

    def of(self, annotator: str) -> list[SpanRow]:
        if self.annotator not in (None, annotator):
            return []
        return self.store.spans_between(self.document, 0, 1 << 62, annotator=annotator)

    def blind(self, blind: bool) -> StoreSpans:
        """The same document, the store's annotator's spans only or everyone's."""
        return StoreSpans(self.store, self.document, self.store.annotator if blind else None)

    def row(self, annotation_id: str) -> SpanRow | None:
        found = self.store.span_row(annotation_id)
        if found is None or found.document != self.document or found.orphaned:
            return None
        return found if self.annotator in (None, found.annotator) else None


class RowSpans:
    """Rows already in memory (orphaned ones are counted, never drawn)."""

    def __init__(self, rows: Iterable[SpanRow]):
        rows = sorted(rows, key=lambda r: (r.start, r.end, r.id))
        self.orphaned = [r for r in rows if r.orphaned]
        self.rows = [r for r in rows if not r.orphaned]
        self.index = SpanIndex(self.rows)

    def between(self, start: int, end: int) -> list[SpanRow]:
        return self.index.overlapping(start, end)

    def counts(self, me: str) -> tuple[Counter[str], int]:
        return Counter(r.label for r in self.rows if r.annotator == me), sum(
            r.annotator == me for r in self.orphaned
        )

    def total(self) -> int:
        return len(self.rows)

    def next_start(self, offset: int, forward: bool) -> int | None:
        found = self.index.first_after(offset) if forward else self.index.last_before(offset)
        return None if found is None else found.start

    def before(self, offset: int, count: int) -> list[SpanRow]:
        at = bisect_left(self.index.starts, offset)
        return self.rows[max(0, at - count) : at]

    def after(self, offset: int, count: int) -> list[SpanRow]:
        at = bisect_left(self.index.starts, offset)
        return self.rows[at : at + count]

    def of(self, annotator: str) -> list[SpanRow]:
        return [r for r in self.rows if r.annotator == annotator]

    def blind(self, blind: bool) -> RowSpans:
        return self  # rows in memory are what their screen chose to show

    def row(self, annotation_id: str) -> SpanRow | None:
        return next((r for r in self.rows if r.id == annotation_id), None)


class AnnotationSet:
    """One document's shown annotations, read window by window, with ``me``'s counts."""

    def __init__(self, source: SpanSource | Iterable[SpanRow] = (), me: str = ""):
        """``source``: a ``SpanSource``, or rows in memory (read through ``RowSpans``)."""
        self.source: SpanSource = source if hasattr(source, "between") else RowSpans(source)
        self.me = me
        self._windows: OrderedDict[int, SpanIndex] = OrderedDict()
        self.mine, self.mine_orphaned = self.source.counts(me)

    @classmethod
    def of_store(cls, store: Store, document: str, blind: bool) -> AnnotationSet:
        """What a pane shows of ``document``: the store's annotator's spans only when
        ``blind``, everyone's otherwise."""
        return cls(StoreSpans(store, document, store.annotator if blind else None),
                   store.annotator)  # fmt: skip

    def blind(self, blind: bool) -> AnnotationSet:
        """The same document with others' spans hidden (``blind``) or shown: ``me``'s
        counts stay as they are, the spans are read again as they are drawn."""
        shown = AnnotationSet.__new__(AnnotationSet)
        shown.source, shown.me, shown._windows = self.source.blind(blind), self.me, OrderedDict()
        shown.mine, shown.mine_orphaned = self.mine.copy(), self.mine_orphaned
        return shown

    # -- drawing ----------------------------------------------------------------------

    def _window(self, k: int) -> SpanIndex:
        found = self._windows.get(k)
        if found is None:
            found = SpanIndex(self.source.between(k * WINDOW, (k + 1) * WINDOW))
            self._windows[k] = found
            if len(self._windows) > WINDOWS:
                self._windows.popitem(last=False)
        else:
            self._windows.move_to_end(k)
        return found

    def overlapping(self, start: int, end: int) -> list[SpanRow]:
        """Drawn rows with ``row.start < end`` and ``row.end > start``, sorted by
        (start, end, id): what the view asks for each block of rows it draws."""
        first, last = start // WINDOW, max(start, end - 1) // WINDOW
        if first == last:
            return self._window(first).overlapping(start, end)
        found: dict[str, SpanRow] = {}
        for k in range(first, last + 1):
            for row in self._window(k).overlapping(start, end):
                found[row.id] = row
        return sorted(found.values(), key=lambda r: (r.start, r.end, r.id))

    # -- counts and navigation --------------------------------------------------------

    def total(self) -> int:
        """How many rows are drawn in the whole document (a count in SQL, so not
        ``__len__``: a set's truth must never cost a scan)."""
        return self.source.total()

    def mine_total(self) -> int:
        """How many rows are ``me``'s, drawn or orphaned."""
        return sum(self.mine.values()) + self.mine_orphaned

    def mine_rows(self) -> list[SpanRow]:
        """``me``'s drawn rows, in order (read whole: only suggestions need them)."""
        return self.source.of(self.me)

    def row(self, annotation_id: str) -> SpanRow | None:
        """The drawn row with this id, or None."""
        for index in reversed(self._windows.values()):  # on screen: read already
            for row in index.spans:
                if row.id == annotation_id:
                    return row
        return self.source.row(annotation_id)

    def next_start(self, offset: int, forward: bool) -> int | None:
        """Where the nearest drawn row after (or before) ``offset`` starts."""
        return self.source.next_start(offset, forward)

    def around(self, offset: int, limit: int) -> list[SpanRow]:
        """``limit`` rows in order (or all there are), from a tenth of them before
        ``offset`` on, or more before it near the document's end."""
        after = self.source.after(offset, limit)
        before = self.source.before(offset, max(limit // 10, limit - len(after)))
        return before + after[: limit - len(before)]

    # -- changes ----------------------------------------------------------------------

    def apply(self, annotation: Annotation, shown: bool = True) -> Change:
        """Bring the set up to date with one saved annotation: its old row goes, and its
        new one comes in if it is live and ``shown`` (blind mode hides others').

        A change never moves an annotation, so its old row, if drawn, lay where the
        new one lies: in the windows read so far, or in none (then they are read
        afresh when needed, from the store that holds the change already)."""
        first = annotation.start // WINDOW
        last = max(annotation.start, annotation.end - 1) // WINDOW
        loaded = [self._windows[k] for k in range(first, last + 1) if k in self._windows]
        removed = None
        for index in loaded:
            removed = index.remove(annotation.id, annotation.start) or removed
        added = None
        if shown and annotation.live and not annotation.orphaned:
            added = span_row(annotation)
            for index in loaded:
                index.insert(added)
        if annotation.annotator == self.me:
            if first in self._windows and not annotation.orphaned:
                if removed is not None:
                    self.mine[removed.label] -= 1
                if added is not None:
                    self.mine[added.label] += 1
            else:  # its old state was not read: count again (one GROUP BY)
                self.mine, self.mine_orphaned = self.source.counts(self.me)
        return Change(removed, added)
