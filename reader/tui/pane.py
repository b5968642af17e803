"""One pane of the annotate screen: a title bar over an ArticleView.

The pane knows which document it shows and draws what the store holds for it; it
never decides anything about annotations itself (the screen asks the store).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import islice
from operator import attrgetter

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reader.core.model import Annotation
from reader.core.schema import Schema
from reader.core.store import SpanRow
from reader.tui.article_view import AnnotationSpan, ArticleView


class Pane(Vertical):
    """A document in the annotate screen, with its title bar."""

    def __init__(self, index: int):
        super().__init__(id=f"pane-{index}", classes="pane")
        self.index = index
        self.document_id: str | None = None
        self.sha256 = ""
        # Rows sorted by (start, end): SpanRow or Annotation (id, start, end, label,
        # annotator, orphaned); the same by id; the span drawn for each, by id.
        self.annotations: list = []
        self._rows: dict[str, object] = {}
        self._spans: dict[str, AnnotationSpan] = {}
        # This annotator's rows in the document: drawn per label, and orphaned.
        self.mine: Counter[str] = Counter()
        self.mine_orphaned = 0
        self._me = ""

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-title")
        yield ArticleView("", "", id=f"view-{self.index}", gutter=True)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def show(self, document_id: str, text: str, sha256: str) -> None:
        self.document_id = document_id
        self.sha256 = sha256
        self.view.load(text, document_id)

    def row(self, annotation_id: str):
        """The drawn row with this id, or None."""
        return self._rows.get(annotation_id)

    def next_start(self, offset: int, forward: bool) -> int | None:
        """Where the nearest drawn annotation after (or before) ``offset`` starts."""
        rows = self.annotations
        if forward:
            at = bisect_right(rows, offset, key=_START)
            found = (r.start for r in islice(rows, at, None) if not r.orphaned)
        else:
            at = bisect_left(rows, offset, key=_START)
            found = (rows[i].start for i in range(at - 1, -1, -1) if not rows[i].orphaned)
        return next(found, None)

    def draw(self, annotations: list, schema: Schema, me: str) -> None:
        """Give the view this document's visible annotations (the caller filters blind mode)."""
        self.annotations = sorted(annotations, key=_PLACE)
        self._rows = {a.id: a for a in self.annotations}
        self._me = me
        colors = {label.name: label.color for label in schema.labels}
        self._spans = {a.id: _span(a, colors, me) for a in self.annotations if not a.orphaned}
        self.mine = Counter(a.label for a in self.annotations if a.annotator == me and not a.orphaned)
        self.mine_orphaned = sum(1 for a in self.annotations if a.annotator == me and a.orphaned)
        self.view.set_annotations(list(self._spans.values()))

    def apply(self, annotation: Annotation, visible: bool, schema: Schema, me: str) -> None:
        """Draw one changed annotation without re-reading the document's others: a
        tag or an undo on a document with 100k annotations must cost one row, not all."""
        old = self._rows.pop(annotation.id, None)
        if old is not None:
            rows = self.annotations
            at = bisect_left(rows, _PLACE(old), key=_PLACE)
            while rows[at].id != old.id:
                at += 1
            del rows[at]
            self._count(old, -1)
        removed = self._spans.pop(annotation.id, None)
        added = None
        if visible and annotation.live:
            row = SpanRow(annotation.id, annotation.start, annotation.end, annotation.label,
                          annotation.annotator, int(annotation.orphaned), annotation.document)  # fmt: skip
            self.annotations.insert(bisect_right(self.annotations, _PLACE(row), key=_PLACE), row)
            self._rows[row.id] = row
            self._count(row, 1)
            if not row.orphaned:
                colors = {label.name: label.color for label in schema.labels}
                added = self._spans[row.id] = _span(row, colors, me)
        self.view.change_annotation(removed, added)

    def _count(self, row, sign: int) -> None:
        if row.annotator != self._me:
            return
        if row.orphaned:
            self.mine_orphaned += sign
        else:
            self.mine[row.label] += sign

    def set_title(self, title: Text) -> None:
        # One row, always (CSS): no layout pass, which would redraw the whole screen.
        self.query_one(".pane-title", Static).update(title, layout=False)


_PLACE = attrgetter("start", "end")
_START = attrgetter("start")


def _span(a, colors: dict[str, str], me: str) -> AnnotationSpan:
    return AnnotationSpan(a.id, a.start, a.end, a.label, colors.get(a.label, "magenta"), None, a.annotator != me)
