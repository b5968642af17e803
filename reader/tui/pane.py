"""One pane of the annotate screen: a title bar over an ArticleView.

The pane knows which document it shows and draws what the store holds for it; it
never decides anything about annotations itself (the screen asks the store).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reader.core.model import Annotation
from reader.core.schema import Schema
from reader.tui.article_view import AnnotationSpan, ArticleView


class Pane(Vertical):
    """A document in the annotate screen, with its title bar."""

    def __init__(self, index: int):
        super().__init__(id=f"pane-{index}", classes="pane")
        self.index = index
        self.document_id: str | None = None
        self.annotations: list = []  # SpanRow or Annotation: id, start, end, label, annotator, orphaned

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane-title")
        yield ArticleView("", "", id=f"view-{self.index}", gutter=True)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def show(self, document_id: str, text: str) -> None:
        self.document_id = document_id
        self.view.load(text, document_id)

    def draw(self, annotations: list[Annotation], schema: Schema, me: str) -> None:
        """Give the view this document's visible annotations (the caller filters blind mode)."""
        self.annotations = annotations
        colors = {label.name: label.color for label in schema.labels}
        self.view.set_annotations(
            [
                AnnotationSpan(
                    id=a.id,
                    start=a.start,
                    end=a.end,
                    label=a.label,
                    color=colors.get(a.label, "magenta"),
                    other=a.annotator != me,
                )
                for a in annotations
                if not a.orphaned
            ]
        )

    def set_title(self, title: Text) -> None:
        self.query_one(".pane-title", Static).update(title)
