"""The Progress screen: the team's progress and the overlap's agreement, as bars.

It shows exactly what ``reader progress`` prints (``reader.charts`` draws both from
``reader.core.assignment.progress``), so the screen decides nothing of its own.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.charts import render_progress
from reader.core.assignment.progress import progress_report
from reader.core.display import inert
from reader.core.errors import ReaderError
from reader.core.store import Store
from reader.tui.keys import bindings


class ProgressScreen(Screen[None]):
    """Done per annotator, annotations per label, agreement so far, who did what."""

    DEFAULT_CSS = """
    ProgressScreen #progress-body { padding: 1 2; }
    """
    """Room around the charts."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("progress")
    """Escape (or q) goes back to annotating; f5 counts again."""

    def __init__(self, store: Store, gold: str = "gold"):
        super().__init__()
        self.store = store
        self.gold = gold

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="progress-body")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        try:
            report = progress_report(self.store, gold=self.gold)
        except ReaderError as exc:
            self.notify(inert(str(exc)), title="No progress", severity="error", markup=False)
            return
        self.query_one("#progress-body", Static).update(Group(*render_progress(report)))

    def action_close(self) -> None:
        self.dismiss(None)
