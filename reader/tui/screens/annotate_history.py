"""The annotate screen's undo and redo (ctrl+z, ctrl+y): the core's history over the
event log takes back the annotator's last change, a span's or a link's; the screen
only says what changed and moves the cursor to the span."""

from __future__ import annotations

from reader.core import history
from reader.core.display import inert
from reader.core.links.values import Link
from reader.core.model import Annotation


class HistoryActions:
    """Part of AnnotateScreen; relies on its store, panes, save(), last_error and
    last_pending."""

    def _after_history(self, annotation: Annotation | Link | None, what: str) -> None:
        if annotation is None:
            self.notify(f"Nothing to {what}", severity="information")
            return
        if isinstance(annotation, Link):
            state = "removed" if annotation.deleted_at else "back"
            self.notify(  # an imported link type may be any printable name, "[/x]" too
                f"{what.capitalize()} done: the {annotation.type} link is {state}", markup=False
            )
            self.update_status()
            return
        for pane in self.panes:
            if pane.document_id == annotation.document:
                pane.view.move_to(annotation.start)
        excerpt = inert(annotation.text[:40], keep_newlines=False)
        state = "removed" if annotation.deleted_at else f"{annotation.label}"
        self.notify(f"{what.capitalize()} done: '{excerpt}' is now {state}", markup=False)

    def action_undo(self) -> None:
        result = self.save(lambda: history.undo(self.store), None)
        if not self.last_pending and (not self.last_error or result is not None):
            self._after_history(result, "undo")
        self.last_error = ""

    def action_redo(self) -> None:
        result = self.save(lambda: history.redo(self.store), None)
        if not self.last_pending and (not self.last_error or result is not None):
            self._after_history(result, "redo")
        self.last_error = ""
