"""The help screen: every binding of the annotator, generated from the bindings
themselves so it can never fall out of date."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.tui.keys import bindings


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings("help")
    """Escape, q, ? or f1 close it."""

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]):
        """sections: (title, [(keys, description)])."""
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(Text("reader: keys (Esc closes)", style="bold"))
            for title, rows in self.sections:
                # one table per section: the labels' long names keep their own column
                table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
                table.add_column("keys", style="bold", no_wrap=True)
                table.add_column("action", ratio=1)
                table.add_row(Text(title, style="bold underline"), Text(""))
                for keys, description in rows:
                    table.add_row(Text(keys), Text(description))
                table.add_row(Text(""), Text(""))
                yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
