"""The two small dialogs of links: which type, when several fit; and the links of a
span, to follow one (Enter), edit its attributes and note (e) or remove it (x)."""

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
from reader.core.links.values import LinkEnd, LinkType
from reader.core.schema import Schema
from reader.tui.keys import bindings

#: How a link's direction reads from the span at the cursor.
ARROWS = {(True, True): "→", (True, False): "←", (False, True): "↔", (False, False): "↔"}


def link_end_text(end: LinkEnd, directed: bool, here: str | None = None) -> Text:
    """One link as seen from the span at the cursor: type, arrow, the other end's text,
    and its document when that is not ``here``."""
    line = Text.assemble(
        (end.link.type, "bold"),
        f" {ARROWS[(directed, end.outgoing)]} ",
        "'" + inert(end.other_text[:30], keep_newlines=False) + "'",
    )
    if end.other_document != here:
        line.append(f" ({inert(end.other_document)})", "italic")
    if end.state != "live":
        line.append(f" {end.state}", "bold red")
    return line


def link_ends_text(heading: str, ends: list[LinkEnd], schema: Schema, here: str) -> Text:
    """A span's links on one line, as a status line names them: ``heading``, then each
    link (type, arrow, other end) from the span in document ``here``."""
    directed = {t.name: t.directed for t in schema.links}
    line = Text(heading, "dim")
    for i, end in enumerate(ends):
        if i:
            line.append(" · ", "dim")
        line.append_text(link_end_text(end, directed.get(end.link.type, True), here))
    return line


class LinkTypePicker(ModalScreen[int | None]):
    """Returns the index of the chosen (type, from, to) choice, or None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("link-types")
    """Escape makes no link; a type's key or Enter on it chooses it."""

    def __init__(self, choices: list[tuple[LinkType, str, str]]):
        super().__init__()
        self.choices = choices  # (type, text of the from end, text of the to end)

    def compose(self) -> ComposeResult:
        with Vertical(id="link-type-picker"):
            yield Label("Which link? (press its key)")
            yield OptionList(
                *(
                    Option(
                        Text.assemble(
                            (f" {t.key or ' '} ", "bold reverse"),
                            " ",
                            t.title,
                            "  ",
                            ("'" + inert(a[:25], keep_newlines=False) + "'", "italic"),
                            " → " if t.directed else " ↔ ",
                            ("'" + inert(b[:25], keep_newlines=False) + "'", "italic"),
                        ),
                        id=str(i),
                    )
                    for i, (t, a, b) in enumerate(self.choices)
                ),
                id="link-type-list",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_key(self, event: Key) -> None:
        for i, (link_type, _, _) in enumerate(self.choices):
            if link_type.key and event.character == link_type.key:
                event.stop()
                self.dismiss(i)
                return

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


def link_heading(link_type: LinkType, here: str, end: LinkEnd) -> Text:
    """The link editor's first line: the type, and its ends as the list shows them."""
    return Text.assemble(
        (f" {link_type.title} ", "bold reverse"),
        " '",
        inert(" ".join(here.split())[:60], keep_newlines=False),
        f"' {ARROWS[(link_type.directed, end.outgoing)]} '",
        inert(" ".join(end.other_text.split())[:60], keep_newlines=False),
        "'",
    )


class LinkList(ModalScreen[tuple[str, str] | None]):
    """The links of one span. Returns ("jump", link id), ("edit", link id) or
    ("remove", link id), or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("link-list")
    """Enter follows a link, e edits it, x removes it, Escape closes."""

    def __init__(self, excerpt: str, ends: list[LinkEnd], directed: dict[str, bool], here: str):
        super().__init__()
        self.excerpt = excerpt
        self.ends = ends
        self.directed = directed
        self.here = here

    def compose(self) -> ComposeResult:
        with Vertical(id="link-list"):
            title = Text("Links of ")
            title.append(inert(self.excerpt[:50], keep_newlines=False), "bold")
            yield Label(title)
            yield Label(Text("Enter: go, e: edit, x: remove", "dim"))  # a row of its own
            yield OptionList(
                *(
                    Option(
                        link_end_text(e, self.directed.get(e.link.type, True), self.here),
                        id=e.link.id,
                    )
                    for e in self.ends
                ),
                id="link-options",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _highlighted(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(("jump", event.option.id or ""))

    def action_remove(self) -> None:
        link_id = self._highlighted()
        if link_id is not None:
            self.dismiss(("remove", link_id))

    def action_edit(self) -> None:
        link_id = self._highlighted()
        if link_id is not None:
            self.dismiss(("edit", link_id))

    def action_cancel(self) -> None:
        self.dismiss(None)
