"""One pane of the annotate screen: a title bar over an ArticleView.

The pane knows which document it shows and draws what the store holds for it; it
never decides anything about annotations itself (the screen asks the store).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from bisect import bisect_left

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
        # annotator, orphaned), and the spans the view draws from them.
        self.annotations: list = []
        self.spans: list[AnnotationSpan] = []

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

    @staticmethod
    def _span(a, colors: dict[str, str], me: str) -> AnnotationSpan:
        return AnnotationSpan(a.id, a.start, a.end, a.label, colors.get(a.label, "magenta"), None, a.annotator != me)

    def draw(self, annotations: list, schema: Schema, me: str) -> None:
        """Give the view this document's visible annotations (the caller filters blind mode)."""
        self.annotations = sorted(annotations, key=lambda a: (a.start, a.end))
        colors = {label.name: label.color for label in schema.labels}
        self.spans = [self._span(a, colors, me) for a in self.annotations if not a.orphaned]
        self.view.set_annotations(self.spans)

    def apply(self, annotation: Annotation, visible: bool, schema: Schema, me: str) -> None:
        """Draw one changed annotation without re-reading the document's others: a
        tag or an undo on a document with 100k annotations must cost one row, not all."""
        for rows in (self.annotations, self.spans):
            for i, row in enumerate(rows):
                if row.id == annotation.id:
                    del rows[i]
                    break
        if visible and annotation.live:
            row = SpanRow(annotation.id, annotation.start, annotation.end, annotation.label,
                          annotation.annotator, int(annotation.orphaned), annotation.document)  # fmt: skip
            at = bisect_left(self.annotations, (row.start, row.end), key=lambda a: (a.start, a.end))
            self.annotations.insert(at, row)
            if not annotation.orphaned:
                colors = {label.name: label.color for label in schema.labels}
                span = self._span(row, colors, me)
                self.spans.insert(bisect_left(self.spans, span.start, key=lambda s: s.start), span)
        self.view.set_annotations(self.spans)

    def set_title(self, title: Text) -> None:
        self.query_one(".pane-title", Static).update(title)
