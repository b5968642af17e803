"""The document picker: a modal with a fuzzy filter that fills the focused pane."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.tui.keys import bindings


def fuzzy_score(query: str, candidate: str) -> int | None:
    """Subsequence match, higher for contiguous and early hits; None when no match."""
    query, candidate = query.casefold(), candidate.casefold()
    if not query:
        return 0
    score, pos, run = 0, 0, 0
    for ch in query:
        found = candidate.find(ch, pos)
        if found == -1:
            return None
        run = run + 1 if found == pos else 0
        score += 10 + 5 * run - min(found - pos, 5)
        pos = found + 1
    return score


class DocumentPicker(ModalScreen[str | None]):
    """Choose a document by typing part of its id; Enter opens it, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("document-picker")
    """Escape closes without opening; up and down move through the filtered list."""

    def __init__(self, documents: list[tuple[str, str]]):
        """documents: (id, description) pairs, in corpus order."""
        super().__init__()
        self.documents = documents

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Open document (type to filter)")
            yield Input(placeholder="document id", id="picker-filter")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        scored = []
        for index, (doc_id, description) in enumerate(self.documents):
            score = fuzzy_score(query, doc_id)
            if score is not None:
                scored.append((-score, index, doc_id, description))
        scored.sort()
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(Text.assemble((doc_id, "bold"), "  ", (description, "dim")), id=doc_id)
            for _, _, doc_id, description in scored
        )
        if scored:
            options.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
