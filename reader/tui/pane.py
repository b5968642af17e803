"""One pane of the annotate screen: a title bar over an ArticleView.

The pane knows which document it shows and draws the ``AnnotationSet`` the screen
gives it; it never decides anything about annotations itself (the screen asks the
store, the set applies each saved change).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reader.core.annotation_set import AnnotationSet
from reader.core.model import Annotation
from reader.core.schema import Schema
from reader.core.store import SpanRow
from reader.tui.article_view import ArticleView, Look


class Pane(Vertical):
    """A document in the annotate screen, with its title bar."""

    def __init__(self, index: int):
        super().__init__(id=f"pane-{index}", classes="pane")
        self.index = index
        self.document_id: str | None = None
        self.sha256 = ""
        self.spans = AnnotationSet()  # what the view draws; the screen fills it

    def compose(self) -> ComposeResult:
        # Kept, not queried: the screen asks for the view dozens of times before its
        # first paint, and each query walked the pane.
        self._title = Static("", classes="pane-title")
        self._view = ArticleView("", "", id=f"view-{self.index}", gutter=True)
        yield self._title
        yield self._view

    @property
    def view(self) -> ArticleView:
        return self._view

    def show(
        self, document_id: str, text: str, sha256: str, rest: Callable[[], str] | None = None
    ) -> None:
        """Show a document; with ``rest``, ``text`` is its start (``ArticleView.load``)."""
        self.document_id = document_id
        self.sha256 = sha256
        self.view.load(text, document_id, rest)

    def draw(self, spans: AnnotationSet, look: Look) -> None:
        """Show this set (the caller filters blind mode); the view asks it for the spans
        of the rows it draws, so ``apply`` keeps both up to date at once."""
        self.spans = spans
        self.view.set_annotations(spans, look)

    def apply(self, annotation: Annotation, shown: bool) -> None:
        """Draw one saved change without re-reading the document's others: a tag or an
        undo on a document with 100k annotations must cost one row, not all."""
        self.view.spans_changed(*self.spans.apply(annotation, shown))

    def set_title(self, title: Text) -> None:
        # One row, always (CSS): no layout pass, which would redraw the whole screen.
        self._title.update(title, layout=False)


def label_look(schema: Schema, me: str) -> Look:
    """Each row in its label's colour; another annotator's drawn muted."""
    colors = {label.name: label.color for label in schema.labels}

    def look(row: SpanRow) -> tuple[str, None, bool]:
        return colors.get(row.label, "magenta"), None, row.annotator != me

    return look
