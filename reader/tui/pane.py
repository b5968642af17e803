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
from reader.tui.article_view import ArticleView


class Pane(Vertical):
    """A document in the annotate screen, with its title bar."""

    def __init__(self, index: int):
        super().__init__(id=f"pane-{index}", classes="pane")
        self.index = index
        self.document_id: str | None = None
        self.sha256 = ""
        # Rows sorted by (start, end): SpanRow or Annotation (id, start, end, label,
        # annotator, orphaned), drawn by the view as they are; by id when first needed.
        self._rows: list = []
        self._by_id: dict[str, object] | None = None
        # This annotator's rows in the document: drawn per label, and orphaned.
        self.mine: Counter[str] = Counter()
        self.mine_orphaned = 0
        self._me = ""
        self._colors: dict[str, str] = {}

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

    @property
    def annotations(self) -> list:
        return self._rows

    @annotations.setter
    def annotations(self, rows: list) -> None:
        self._rows = rows
        self._by_id = None

    def row(self, annotation_id: str):
        """The drawn row with this id, or None."""
        if self._by_id is None:
            self._by_id = {a.id: a for a in self.annotations}
        return self._by_id.get(annotation_id)

    def has(self, start: int, end: int, label: str, annotator: str) -> bool:
        """Whether this exact span, label and annotator is drawn already."""
        rows = self.annotations
        at = bisect_left(rows, (start, end), key=_PLACE)
        while at < len(rows) and _PLACE(rows[at]) == (start, end):
            if rows[at].label == label and rows[at].annotator == annotator:
                return True
            at += 1
        return False

    def first_at(self, offset: int) -> int:
        """Index of the first row that ends after ``offset`` (or of the last row)."""
        rows = self.annotations
        at = bisect_left(rows, offset, key=_START)
        while at > 0 and rows[at - 1].end > offset:
            at -= 1
        return min(at, max(0, len(rows) - 1))

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
        """Give the view this document's visible annotations (the caller filters blind
        mode), sorted by (start, end) as ``Store.iter_spans`` gives them. A document may
        hold 100k: the rows are drawn as they are, never copied into other objects."""
        self.annotations = annotations
        self._me = me
        self._colors = {label.name: label.color for label in schema.labels}
        mine = [a for a in annotations if a.annotator == me]
        orphaned = [a for a in annotations if a.orphaned]  # few: their text is gone
        mine_orphaned = [a for a in orphaned if a.annotator == me]
        self.mine = Counter(map(_LABEL, mine))
        self.mine.subtract(map(_LABEL, mine_orphaned))
        self.mine_orphaned = len(mine_orphaned)
        drawn = [a for a in annotations if not a.orphaned] if orphaned else annotations
        self.view.set_annotations(drawn, self._look)

    def _look(self, row) -> tuple[str, None, bool]:
        return self._colors.get(row.label, "magenta"), None, row.annotator != self._me

    def apply(self, annotation: Annotation, visible: bool) -> None:
        """Draw one changed annotation without re-reading the document's others: a
        tag or an undo on a document with 100k annotations must cost one row, not all."""
        old = self.row(annotation.id)
        if old is not None:
            rows = self.annotations
            at = bisect_left(rows, _PLACE(old), key=_PLACE)
            while rows[at].id != old.id:
                at += 1
            del rows[at], self._by_id[old.id]
            self._count(old, -1)
        added = None
        if visible and annotation.live:
            row = SpanRow(annotation.id, annotation.start, annotation.end, annotation.label,
                          annotation.annotator, int(annotation.orphaned), annotation.document)  # fmt: skip
            self.annotations.insert(bisect_right(self.annotations, _PLACE(row), key=_PLACE), row)
            self._by_id[row.id] = row
            self._count(row, 1)
            added = None if row.orphaned else row
        self.view.change_annotation(old if old is not None and not old.orphaned else None, added)

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
_LABEL = attrgetter("label")
