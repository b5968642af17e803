"""Choosing whom a review compares: two or three annotators, never the gold one."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Button, Label, OptionList, SelectionList, Static
from textual.widgets.selection_list import Selection

from reader.core.display import inert, plural
from reader.tui.keys import bindings

#: A gold pane beside more than three annotators' panes is too narrow to read.
MOST = 3


class TickList(SelectionList[str]):
    """A selection list that says in text whether a name is chosen, ``[x]`` or ``[ ]``:
    Textual's box shows an X either way and tells them apart by colour alone, which a
    monochrome terminal (or NO_COLOR) does not show."""

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the prompt, without Textual's box
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return line
        chosen = self.get_option_at_index(index).value in self.selected
        style = (next(iter(line)).style or self.rich_style) + Style(meta={"option": index})
        return Strip([Segment("[x] " if chosen else "[ ] ", style), *line])  # a click toggles


class AnnotatorPicker(ModalScreen[list[str] | None]):
    """Returns the chosen annotators in the listed order, or None on Escape."""

    CSS_PATH = "review.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("review-annotators")
    """Space (or a click) toggles a name, Enter compares the chosen ones, as the hint says."""

    def __init__(self, annotators: list[tuple[str, int]], chosen: list[str]):
        """annotators: (name, live annotations) pairs; chosen: names ticked at first."""
        super().__init__()
        self.annotators = annotators
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="review-annotators"):
            yield Label(
                Text.assemble(
                    ("Compare whom?", "bold"), f" Choose 2 to {MOST}, never the gold annotator."
                )
            )
            yield Label("space toggles · enter compares · esc cancels", classes="review-hint")
            yield TickList(
                *(
                    Selection(
                        Text.assemble(
                            (inert(name, keep_newlines=False), "bold"), "  " + plural(count, "span")
                        ),
                        name,
                        name in self.chosen,
                    )
                    for name, count in self.annotators
                ),
                id="review-annotator-list",
            )
            yield Static("", id="review-annotators-error")
            yield Button("Compare", id="review-compare", variant="primary")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @on(Button.Pressed, "#review-compare")
    def action_compare(self) -> None:
        order = [name for name, _ in self.annotators]
        selected = sorted(self.query_one(SelectionList).selected, key=order.index)
        if not 2 <= len(selected) <= MOST:
            self.query_one("#review-annotators-error", Static).update(
                Text(f"Choose 2 to {MOST} annotators ({len(selected)} chosen)", style="bold red")
            )
            self.app.bell()
            return
        self.dismiss(selected)

    def action_cancel(self) -> None:
        self.dismiss(None)
