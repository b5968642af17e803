"""The annotate screen's queue: the next assigned document, the document picker with
its order and marks, and the Progress screen. The order and the counts come from
``reader.core.assignment.queue``; this module only opens what it says."""

from __future__ import annotations

from reader.core.assignment.queue import Queue, queue_of
from reader.core.display import inert


class QueueActions:
    """Part of AnnotateScreen; relies on its store, pane, open_document and notify."""

    _queue: Queue | None = None

    def queue(self, fresh: bool = False) -> Queue:
        """The annotator's queue, read again only when asked: the status line shows it
        after every action, and it changes only when a document is marked done (or a
        lead reassigns, which `j` and the picker read afresh)."""
        if fresh or self._queue is None:
            self._queue = queue_of(self.store)
        return self._queue

    def action_next_in_queue(self) -> None:
        queue = self.queue(fresh=True)
        if not queue.active:
            self.notify("No documents are assigned to you (reader assign)", severity="warning")
            return
        pane = self.pane
        following = queue.next_undone(pane.document_id)
        if following is None:
            if queue.finished:
                self.notify(f"Your queue is finished: {queue.summary()}")
            else:
                self.notify("This is the last document in your queue not yet done")
            return
        self.open_document(pane, following)
        pane.view.focus()

    def after_done(self, document: str) -> None:
        """After `d` marked ``document`` done: say whether the queue is finished."""
        queue = self.queue()
        if not queue.is_assigned(document):
            return
        if queue.finished:
            self.notify(
                f"Your queue is finished: {queue.summary()}. Thank you!", title="Queue finished"
            )
        else:
            self.notify(f"{queue.summary()}; j opens the next")

    def picker_documents(self) -> list[tuple[str, str]]:
        """(id, description) for the picker, queue first, unassigned ones marked."""
        queue = self.queue(fresh=True)
        openings = self.store.openings()
        lengths = {d.id: d.length for d in self.store.documents()}
        rows = []
        for doc in queue.order:
            mark = ""
            if queue.active:
                mark = (
                    "✔ done  "
                    if doc in queue.done
                    else "to do   "
                    if queue.is_assigned(doc)
                    else "not assigned  "
                )
            opening = inert(openings.get(doc, ""), keep_newlines=False)[:70]
            rows.append((doc, f"{mark}{opening}  ({lengths.get(doc, 0):,} characters)"))
        return rows

    def action_pick_document(self) -> None:
        pane = self.pane
        documents = self.picker_documents()

        def done(document_id: str | None) -> None:
            if document_id:
                self.open_document(pane, document_id)
                pane.view.focus()

        from reader.tui.screens.picker import DocumentPicker

        self.app.push_screen(DocumentPicker(documents), done)

    def action_progress(self) -> None:
        from reader.tui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen(self.store, getattr(self.app, "gold", "gold")))
