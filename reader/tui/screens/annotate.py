"""The annotate screen: articles side by side, tagging by keyboard, every action saved.

Each action calls the store and redraws from what the store returns, so the screen
never shows a state the database does not hold: on a failed commit the error is
shown and the panes are redrawn from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from reader.core import tagging
from reader.core.annotation_set import AnnotationSet
from reader.core.display import inert
from reader.core.errors import BusyError, NothingToTagError, ReaderError, TwinError
from reader.core.model import Annotation
from reader.core.store import Store
from reader.keys import label_keys
from reader.tui.article_view import ArticleView
from reader.tui.assist import Assist
from reader.tui.keys import bindings, with_label_keys
from reader.tui.pane import Pane, label_look
from reader.tui.screens.annotate_assist import AssistActions
from reader.tui.screens.annotate_edit import EditActions
from reader.tui.screens.annotate_history import HistoryActions
from reader.tui.screens.annotate_links import LinkActions
from reader.tui.screens.annotate_list import ListActions
from reader.tui.screens.annotate_navigation import NavigationActions
from reader.tui.screens.annotate_pending import PendingWrites
from reader.tui.screens.annotate_queue import QueueActions
from reader.tui.screens.annotate_watch import OtherWriters
from reader.tui.status import others_at, status_line

# The modal screens (attribute editor, pickers, search) are imported where they open
# (annotate_edit, annotate_queue, annotate_navigation):
# start-up is the one wait every session has, and none of them is on the first screen.

#: Bytes of an article read before the first frame; the rest comes right after it
#: (``ArticleView.load``). Half a megabyte fills a 100-row pane with its scrollbar.
OPENING = 1 << 19

STATUS_MARK = {"done": "✔ done", "in_progress": "… in progress", "new": "new"}


class AnnotateScreen(
    LinkActions,
    AssistActions,
    ListActions,
    QueueActions,
    EditActions,
    HistoryActions,
    NavigationActions,
    PendingWrites,
    OtherWriters,
    Screen[None],
):
    """Panes of articles; label keys tag; the footer and `?` list every key."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("annotate")
    """Annotations, documents, search and toggles (``reader.keys``, "annotate"); the
    schema's label keys are bound by ``for_store``."""

    @classmethod
    def for_store(cls, store: Store, panes: int = 2) -> AnnotateScreen:
        """The screen with the store's label keys bound: open it this way."""
        return with_label_keys(cls, label_keys(store.schema))(store, panes)

    def __init__(self, store: Store, panes: int = 2):
        super().__init__()
        self.store = store
        self.pane_count = panes
        self.show_others = False
        self.sync_scroll = False
        self.current = 0
        self.last_error = ""
        self._panes: list[Pane] = []
        self.assist = Assist(store)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for index in range(self.pane_count):
                yield Pane(index)
        # The annotation list is mounted by its key (a): hidden, it only slowed the first paint.
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.start_pending()
        self.start_watching()
        documents = self.queue().order  # an annotator's assigned documents come first
        for pane in self.panes:
            if documents:
                self.open_document(pane, documents[min(pane.index, len(documents) - 1)])
        self.panes[0].view.focus()
        self.update_status()
        self.call_after_refresh(
            self.load_passages
        )  # after the first paint: it may align a big corpus
        self.call_after_refresh(self.schedule_words)

    @property
    def panes(self) -> list[Pane]:
        # Composed once and never changed: a DOM query per key costs more than the key.
        if not self._panes:
            self._panes = list(self.query(Pane))
        return self._panes

    @property
    def pane(self) -> Pane:
        return self.panes[self.current]

    def on_resize(self) -> None:
        """The status line's form depends on the width (status.py)."""
        self.update_status()

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        if isinstance(widget, ArticleView):
            for pane in self.panes:
                if pane.view is widget:
                    self.current = pane.index
                    self.update_status()
                    self.refresh_list()

    # -- drawing --------------------------------------------------------------------------

    def open_document(self, pane: Pane, document_id: str) -> None:
        """Every way of opening one (picker, palette search, a shared passage) ends here,
        so the status line and the list always follow."""
        text, sha256, version, whole = self.store.text_head(document_id, OPENING)
        rest = None if whole else partial(self._whole_text, document_id, version)
        pane.show(document_id, text, sha256, rest)
        self.redraw(pane)
        self.update_status()
        self.refresh_list()

    def _whole_text(self, document_id: str, version: int) -> str:
        return self.store.document(document_id, version).text

    def visible_annotations(self, document_id: str) -> AnnotationSet:
        """Read by range as rows are drawn, never whole: a document may hold 1.6M
        annotations, and a screen shows a few hundred. Full values are read when one
        is edited."""
        return AnnotationSet.of_store(self.store, document_id, blind=not self.show_others)

    def redraw(self, pane: Pane, spans: AnnotationSet | None = None) -> None:
        if pane.document_id is None:
            return
        pane.draw(
            spans if spans is not None else self.visible_annotations(pane.document_id),
            label_look(self.store.schema, self.store.annotator),
        )
        self.draw_hints(pane)
        self.set_title(pane)

    def set_title(self, pane: Pane) -> None:
        mine = pane.spans.mine_total()
        status = self.store.status(pane.document_id)
        title = Text.assemble(
            (f" {pane.document_id} ", "bold reverse"),
            f"  {mine} span{'' if mine == 1 else 's'}  ",
            (STATUS_MARK[status], "bold green" if status == "done" else "dim"),
            (
                "  " + inert(pane.view.opening(200).split("\n", 1)[0], keep_newlines=False),
                "italic dim",
            ),
        )
        title.truncate(max(20, pane.size.width or 200))
        if self.show_others:
            title.append("  others shown", "italic")
        pane.set_title(title)

    def redraw_document(self, document_id: str) -> None:
        for pane in self.panes:
            if pane.document_id == document_id:
                self.redraw(pane)
        self.update_status()
        self.refresh_list()

    def redraw_all(self) -> None:
        for pane in self.panes:
            self.redraw(pane)
        self.update_status()
        self.refresh_list()

    def update_status(self) -> None:
        pane = self.pane
        line = status_line(
            self.store.annotator,
            self.store.schema,
            pane.spans.mine,
            pane.spans.mine_orphaned,
            self.sync_scroll,
            queue=self.queue().summary(),
            suggestion=self.suggestion_under_cursor(),
            width=self.size.width,
        )
        if self.show_others and pane.document_id is not None:
            ids = pane.view.annotations_at(pane.view.cursor)
            others = others_at((self.store.annotation(i) for i in ids), self.store.annotator)
            if others:  # first too: the row is cut at the screen's edge
                line = Text.assemble(others, "  ", line)
        links = self.link_status()  # first: the row is cut at the screen's edge
        if links:
            line = Text.assemble(links, "  ", line)
        self.query_one("#status", Static).update(line, layout=False)  # one row, always (CSS)

    def on_article_view_cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        """With others' spans shown, the status line names those at the cursor."""
        if self.show_others and event.view is self.pane.view:
            self.update_status()

    # -- saving ---------------------------------------------------------------------------

    def save(
        self,
        action: Callable[[], Annotation | None],
        document_id: str | None,
        expected: tuple[type[ReaderError], ...] = (),
    ) -> Annotation | None:
        """Run one store action; on failure show why and redraw from the database.
        ``expected`` refusals are raised to the caller, which words them itself. While
        another program holds the database, the action waits in a queue (None now,
        ``last_pending`` set; see annotate_pending.py): it must not read the screen's
        state when it runs, only what it was given when the key was pressed."""
        self.last_pending = False
        if self.pending:  # keep the order the annotator pressed them in
            self.queue_write(action, document_id)
            return None
        try:
            result = action()
        except BusyError:
            self.queue_write(action, document_id)
            return None
        except expected:
            raise
        except ReaderError as exc:
            self.show_failure(exc)
            return None
        self.show_saved(result, document_id)
        return result

    def show_failure(self, exc: ReaderError) -> None:
        self.last_error = str(exc)
        self.notify(inert(str(exc)), title="Not saved", severity="error", markup=False)
        self.redraw_all()

    def show_saved(self, result: object, document_id: str | None) -> None:
        if isinstance(result, Annotation):
            self.apply_change(result)
        elif document_id:
            self.redraw_document(document_id)

    def on_unmount(self) -> None:
        self.flush_pending()

    def apply_change(self, annotation: Annotation) -> None:
        """Show one saved change in every pane of its document, row by row."""
        me = self.store.annotator
        for pane in self.panes:
            if pane.document_id == annotation.document:
                pane.apply(annotation, self.show_others or annotation.annotator == me)
                if self.assist.show_suggestions:  # suggestions hide where you have tagged
                    self.draw_hints(pane)
                self.set_title(pane)
        self.update_status()
        self.refresh_list()

    # -- actions: tagging -----------------------------------------------------------------

    def action_tag(self, label: str) -> None:
        pane = self.pane
        if pane.document_id is None:
            return
        view = pane.view
        document, text, cursor, selection = pane.document_id, view.text, view.cursor, view.selection
        try:
            created = self.save(
                lambda: tagging.tag(self.store, document, text, cursor, selection, label),
                pane.document_id,
                expected=(NothingToTagError, TwinError),
            )
        except NothingToTagError as exc:
            self.notify(str(exc), severity="warning")
            return
        except TwinError:
            view.clear_selection()
            self.notify(f"Already tagged {label}", severity="information", markup=False)
            return
        if created is not None:
            view.clear_selection()
            view.move_to(created.start)

    # -- actions: toggles -----------------------------------------------------------------

    def action_toggle_done(self) -> None:
        pane = self.pane
        if pane.document_id is None:
            return
        new = "in_progress" if self.store.status(pane.document_id) == "done" else "done"
        document = pane.document_id
        self.save(lambda: self.store.set_status(document, new), document)
        self.notify(f"{pane.document_id}: {STATUS_MARK[new]}")
        self.queue(fresh=True)
        if new == "done":
            self.after_done(pane.document_id)
        self.update_status()

    def action_toggle_others(self) -> None:
        self.show_others = not self.show_others
        for pane in self.panes:  # the same documents: counts stay, spans are read anew
            self.redraw(pane, pane.spans.blind(not self.show_others))
        self.update_status()
        self.refresh_list()
        self.notify(
            "Other annotators' spans shown" if self.show_others else "Blind: only your spans"
        )

    def action_toggle_sync(self) -> None:
        self.sync_scroll = not self.sync_scroll
        self.update_status()
        self.notify(
            "Synchronized scrolling on" if self.sync_scroll else "Synchronized scrolling off"
        )

    @on(OptionList.OptionSelected, "#annotation-list")
    def _jump_from_list(self, event: OptionList.OptionSelected) -> None:
        annotation = self.pane.spans.row(event.option.id)
        if annotation is not None:
            self.pane.view.move_to(annotation.start)
            self.pane.view.focus()

    @on(ArticleView.Scrolled)
    def _sync(self, event: ArticleView.Scrolled) -> None:
        if not self.sync_scroll:
            return
        for pane in self.panes:
            if pane.view is not event.view:
                pane.view.scroll_to_relative(event.relative)

    @on(ArticleView.AnnotationClicked)
    def _clicked(self, event: ArticleView.AnnotationClicked) -> None:
        if self.link_click(event):
            return
        for pane in self.panes:
            if pane.view is event.view:
                annotation = pane.spans.row(event.annotation_id)
                if annotation is not None:
                    pane.view.select_range(annotation.start, annotation.end)
