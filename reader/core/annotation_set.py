"""AnnotationSet: the annotations a pane shows of one document, held once.

The pane finds rows in it (by id, by place, the next one), the view draws its overlap
index, and the status line and title read its counts of one annotator's marks. A saved
change is applied here once (``apply``), which says what the view must repaint, so
the rows, the counts and the index can never disagree: before, the UI patched three
copies of them after every commit.

Rows are light (``SpanRow``: id, start, end, label, annotator, orphaned, document) and
kept in (start, end) order, as ``Store.iter_spans`` gives them. A document may hold
100k: rows are kept as they come, and one change costs one row, not a rebuild.
Orphaned rows (their text changed away) are listed and counted but never drawn.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from itertools import islice
from operator import attrgetter
from typing import NamedTuple

from reader.core.model import Annotation
from reader.core.span_index import SpanIndex
from reader.core.store import SpanRow

_PLACE = attrgetter("start", "end")
_START = attrgetter("start")
_LABEL = attrgetter("label")


def span_row(annotation: Annotation) -> SpanRow:
    """An annotation as the light row a set holds."""
    return SpanRow(annotation.id, annotation.start, annotation.end, annotation.label,
                   annotation.annotator, int(annotation.orphaned), annotation.document)  # fmt: skip


class Change(NamedTuple):
    """What a saved change does to the drawing: the drawn row it removed and the one it
    added (either may be None)."""

    removed: SpanRow | None
    added: SpanRow | None


class AnnotationSet:
    """One document's shown annotations, with ``me``'s counts per label."""

    def __init__(self, rows: Iterable[SpanRow] = (), me: str = "", *, ordered: bool = False):
        """``ordered``: the rows come in (start, end) order already, as
        ``Store.iter_spans`` gives them (checking would cost more than the rest)."""
        rows = list(rows)
        if not ordered:
            rows.sort(key=_PLACE)
        self._rows = rows
        self._by_id: dict[str, SpanRow] | None = None
        self.me = me
        orphaned = [r for r in rows if r.orphaned]  # few: their text is gone
        self.index = SpanIndex([r for r in rows if not r.orphaned] if orphaned else rows)
        mine_orphaned = [r for r in orphaned if r.annotator == me]
        self.mine_orphaned = len(mine_orphaned)
        self.mine = Counter(map(_LABEL, [r for r in rows if r.annotator == me]))
        self.mine.subtract(map(_LABEL, mine_orphaned))

    @property
    def rows(self) -> list[SpanRow]:
        """Every row, drawn or orphaned, in (start, end) order (read, never change it)."""
        return self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, annotation_id: str) -> SpanRow | None:
        """The row with this id, or None."""
        if self._by_id is None:
            self._by_id = {r.id: r for r in self._rows}
        return self._by_id.get(annotation_id)

    def mine_rows(self) -> list[SpanRow]:
        """``me``'s rows, in order."""
        return [r for r in self._rows if r.annotator == self.me]

    def mine_total(self) -> int:
        """How many rows are ``me``'s, drawn or orphaned."""
        return sum(self.mine.values()) + self.mine_orphaned

    def first_at(self, offset: int) -> int:
        """Index of the first row that ends after ``offset`` (or of the last row)."""
        rows = self._rows
        at = bisect_left(rows, offset, key=_START)
        while at > 0 and rows[at - 1].end > offset:
            at -= 1
        return min(at, max(0, len(rows) - 1))

    def next_start(self, offset: int, forward: bool) -> int | None:
        """Where the nearest drawn row after (or before) ``offset`` starts."""
        rows = self._rows
        if forward:
            at = bisect_right(rows, offset, key=_START)
            found = (r.start for r in islice(rows, at, None) if not r.orphaned)
        else:
            at = bisect_left(rows, offset, key=_START)
            found = (rows[i].start for i in range(at - 1, -1, -1) if not rows[i].orphaned)
        return next(found, None)

    def apply(self, annotation: Annotation, shown: bool = True) -> Change:
        """Bring the set up to date with one saved annotation: its old row goes, and its
        new one comes in if it is live and ``shown`` (blind mode hides others')."""
        rows = self._rows
        old = self.row(annotation.id)
        removed = None
        if old is not None:
            at = bisect_left(rows, _PLACE(old), key=_PLACE)
            while rows[at].id != old.id:
                at += 1
            del rows[at], self._by_id[old.id]
            self._count(old, -1)
            if not old.orphaned and self.index.remove(old.id, old.start) is not None:
                removed = old
        added = None
        if shown and annotation.live:
            row = span_row(annotation)
            rows.insert(bisect_right(rows, _PLACE(row), key=_PLACE), row)
            self._by_id[row.id] = row
            self._count(row, 1)
            if not row.orphaned:
                self.index.insert(row)
                added = row
        return Change(removed, added)

    def _count(self, row: SpanRow, sign: int) -> None:
        if row.annotator != self.me:
            return
        if row.orphaned:
            self.mine_orphaned += sign
        else:
            self.mine[row.label] += sign
