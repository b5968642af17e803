"""Spans by range: what a pane reads for the rows on screen, and counts by GROUP BY.

A 10 MB article may hold 1.6M annotations; a pane shows a few hundred characters of it.
So the screen never reads a document's annotations whole: it asks for the live,
anchored spans overlapping [start, end) (``spans_between``), for counts per label
(``span_counts``), and for the nearest span before or after an offset
(``next_span_start``).

Overlap without reading from the document's start: a span no longer than
``LONG_SPAN`` code points that reaches into [start, end) starts in
[start - LONG_SPAN, end), one bounded scan of ``annotations_by_position``; longer ones
are few (a paragraph marked whole) and sit in the partial index ``annotations_long``
(schema step 7), read whole. The two reads are disjoint, so no span comes twice.
The queries name their partial indexes (``INDEXED BY``): without statistics SQLite's
planner took ``annotations_by_position`` for the long spans, a scan from the
document's start (650 ms in the middle of a 10 MB article holding 1.6M spans, 2 ms
with the index).
"""

from __future__ import annotations

from collections import Counter

from reader.core.store.rows import SpanRow

LONG_SPAN = 1024  # must match the WHERE of annotations_long (migrations step 7)
_ROW = 'id, start, "end", label, annotator, orphaned, document'


class Spans:
    """Mixed into Store: the range reads of the annotate screen's panes."""

    def spans_between(
        self, document: str, start: int, end: int, *, annotator: str | None = None
    ) -> list[SpanRow]:
        """Live, anchored spans of ``document`` with ``span.start < end`` and
        ``span.end > start`` (of ``annotator`` only, if given), in (start, end, id) order."""
        whose, args = ("", ()) if annotator is None else (" AND annotator = ?", (annotator,))
        live = f"deleted_at IS NULL AND orphaned = 0{whose}"
        found = self.conn.execute(
            f"SELECT {_ROW} FROM annotations WHERE document = ? AND start >= ? AND start < ? "
            f'AND "end" > ? AND {live} '
            f"UNION ALL SELECT {_ROW} FROM annotations INDEXED BY annotations_long "
            "WHERE document = ? "
            f'AND "end" - start > {LONG_SPAN} AND start < ? AND "end" > ? AND {live} '
            'ORDER BY start, "end", id',
            (document, start - LONG_SPAN, end, start, *args, document,
             start - LONG_SPAN, start, *args),
        )  # fmt: skip
        return list(map(SpanRow._make, found))

    def span_counts(self, document: str, annotator: str) -> tuple[Counter[str], int]:
        """``annotator``'s live spans in ``document``: anchored ones per label, and how
        many are orphaned (one GROUP BY over annotations_live_counts)."""
        counts: Counter[str] = Counter()
        orphaned = 0
        for label, lost, n in self.conn.execute(
            "SELECT label, orphaned, count(*) FROM annotations INDEXED BY annotations_live_counts "
            "WHERE document = ? "
            "AND annotator = ? AND deleted_at IS NULL GROUP BY label, orphaned",
            (document, annotator),
        ):
            if lost:
                orphaned += n
            else:
                counts[label] += n
        return counts, orphaned

    def count_spans(self, document: str, annotator: str | None = None) -> int:
        """How many live, anchored spans ``document`` holds (``annotator``'s only, if given)."""
        whose, args = ("", ()) if annotator is None else (" AND annotator = ?", (annotator,))
        return self.conn.execute(
            "SELECT count(*) FROM annotations WHERE document = ? AND deleted_at IS NULL "
            f"AND orphaned = 0{whose}",
            (document, *args),
        ).fetchone()[0]

    def next_span_start(
        self, document: str, offset: int, forward: bool, *, annotator: str | None = None
    ) -> int | None:
        """Where the nearest live, anchored span after (or before) ``offset`` starts."""
        whose, args = ("", ()) if annotator is None else (" AND annotator = ?", (annotator,))
        side, order = (">", "ASC") if forward else ("<", "DESC")
        found = self.conn.execute(
            f"SELECT start FROM annotations WHERE document = ? AND start {side} ? "
            f"AND deleted_at IS NULL AND orphaned = 0{whose} ORDER BY start {order} LIMIT 1",
            (document, offset, *args),
        ).fetchone()
        return found[0] if found else None

    def spans_from(
        self, document: str, offset: int, limit: int, *, annotator: str | None = None
    ) -> list[SpanRow]:
        """Up to ``limit`` live, anchored spans starting at or after ``offset``, in order."""
        whose, args = ("", ()) if annotator is None else (" AND annotator = ?", (annotator,))
        found = self.conn.execute(
            f"SELECT {_ROW} FROM annotations WHERE document = ? AND start >= ? "
            f'AND deleted_at IS NULL AND orphaned = 0{whose} ORDER BY start, "end" LIMIT ?',
            (document, offset, *args, limit),
        )
        return list(map(SpanRow._make, found))

    def spans_before(
        self, document: str, offset: int, limit: int, *, annotator: str | None = None
    ) -> list[SpanRow]:
        """Up to ``limit`` live, anchored spans starting before ``offset``, in order."""
        whose, args = ("", ()) if annotator is None else (" AND annotator = ?", (annotator,))
        found = self.conn.execute(
            f"SELECT {_ROW} FROM annotations WHERE document = ? AND start < ? "
            f'AND deleted_at IS NULL AND orphaned = 0{whose} ORDER BY start DESC, "end" DESC '
            "LIMIT ?",
            (document, offset, *args, limit),
        )
        return list(map(SpanRow._make, found))[::-1]

    def span_row(self, annotation_id: str) -> SpanRow | None:
        """One live annotation's light row (None if it is deleted or unknown)."""
        found = self.conn.execute(
            f"SELECT {_ROW} FROM annotations WHERE id = ? AND deleted_at IS NULL",
            (annotation_id,),
        ).fetchone()
        return SpanRow._make(found) if found else None
