"""Choosing a label for an existing annotation: press its key, or pick from the list."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.core.display import inert
from reader.core.schema import Schema
from reader.tui.keys import bindings


class LabelPicker(ModalScreen[str | None]):
    """Returns the chosen label name, or None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("label-picker")
    """Escape keeps the label; Enter on a label chooses it."""

    def __init__(
        self,
        schema: Schema,
        current: str,
        excerpt: str = "",
        *,
        only: tuple[str, ...] | None = None,
        question: str = "Change the label of ",
    ):
        super().__init__()
        self.schema = schema
        self.current = current
        self.excerpt = excerpt  # the span's text: which annotation changes
        #: The labels offered (all by default): the labels one span carries, to pick one.
        self.labels = [l for l in schema.labels if only is None or l.name in only]
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="label-picker"):
            title = Text(self.question)
            title.append(inert(self.excerpt[:50], keep_newlines=False) or "this span", "bold")
            yield Label(title)
            yield Label(
                Text("Press its key", "dim")
            )  # a row of its own: a long span cuts the title
            yield OptionList(
                *(
                    Option(
                        Text.assemble((f" {l.key or ' '} ", f"bold on {l.color}"), " ", l.title),
                        id=l.name,
                    )
                    for l in self.labels
                ),
                id="label-list",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [l.name for l in self.labels]
        options.highlighted = names.index(self.current) if self.current in names else 0
        options.focus()

    def on_key(self, event: Key) -> None:
        label = self.schema.by_key(event.character or "")
        if label is not None and label in self.labels:
            event.stop()
            self.dismiss(label.name)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
