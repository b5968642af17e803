"""A one-line prompt for the in-pane search term."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reader.tui.keys import bindings


class SearchPrompt(ModalScreen[str | None]):
    """Returns the term to search for ("" clears the search), None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("search")
    """Escape leaves the search as it was; Enter searches."""

    def __init__(self, title: str = "Search in this pane", value: str = ""):
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="search-prompt"):
            yield Label(self.title_text)
            yield Input(value=self.value, placeholder="text to find (Enter)", id="search-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
