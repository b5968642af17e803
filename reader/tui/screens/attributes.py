"""The attribute and note editor: a form built from the label's schema.

Enums are selects, integers are inputs checked by the same rule the store applies,
text attributes and the note are free text. Save is refused while any field is
invalid, so what reaches the store already passes its checks.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Function
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from reader.core.display import inert
from reader.core.errors import ValidationError
from reader.core.model import Annotation, Attribute
from reader.core.model import Label as LabelSpec
from reader.core.schema import FROM_TEXT, PROVENANCE
from reader.tui.keys import bindings


def _valid(attribute: Attribute):
    def check(value: str) -> bool:
        try:
            attribute.parse(value)
        except ValidationError:
            return False
        return True

    return check


class AttributeEditor(ModalScreen[dict[str, Any] | None]):
    """Returns {"attributes": {...}, "note": str} on save, None on cancel."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("attributes")
    """ctrl+s saves (invalid numbers are refused); Escape leaves it unchanged."""

    def __init__(self, label: LabelSpec, annotation: Annotation):
        super().__init__()
        self.label = label
        self.annotation = annotation

    def compose(self) -> ComposeResult:
        a = self.annotation
        with VerticalScroll(id="attribute-editor"):
            yield Static(
                Text.assemble(
                    (f" {self.label.title} ", f"bold on {self.label.color}"),
                    " ",
                    Text(a.text[:200]),
                )
            )
            for attribute in self.label.attributes:
                current = a.attributes.get(attribute.name)
                yield Label(attribute.title or attribute.name)
                if attribute.type == "enum":
                    yield Select(
                        [(Text(v), v) for v in attribute.values],
                        value=current if current in attribute.values else Select.NULL,
                        allow_blank=True,
                        id=f"attr-{attribute.name}",
                    )
                else:
                    validators = (
                        [Function(_valid(attribute), "not a whole number in range")]
                        if attribute.type == "int"
                        else []
                    )
                    yield Input(
                        value="" if current is None else inert(str(current), keep_newlines=False),
                        placeholder="whole number" if attribute.type == "int" else "text",
                        validators=validators,
                        id=f"attr-{attribute.name}",
                    )
            yield Label("Note")
            yield TextArea(inert(a.note), id="note", soft_wrap=True)
            yield Static("", id="editor-error")
            with Horizontal(id="editor-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        first = self.query("Select, Input, TextArea").first()
        first.focus()

    def _values(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {}
        for attribute in self.label.attributes:
            widget = self.query_one(f"#attr-{attribute.name}")
            if isinstance(widget, Select):
                value = widget.value
                if value is not Select.NULL and value is not None:
                    attributes[attribute.name] = value
            else:
                raw = widget.value.strip()
                original = self.annotation.attributes.get(attribute.name)
                if original is not None and widget.value == inert(
                    str(original), keep_newlines=False
                ):
                    attributes[attribute.name] = original  # shown inert, left as it was
                elif raw:
                    attributes[attribute.name] = attribute.parse(raw)
        if PROVENANCE in self.annotation.attributes:
            attributes[PROVENANCE] = list(self.annotation.attributes[PROVENANCE])
        original = self.annotation.attributes
        unchanged = [n for n in original.get(FROM_TEXT, ()) if attributes.get(n) == original.get(n)]
        if unchanged:  # a value the annotator changed is theirs now
            attributes[FROM_TEXT] = unchanged
        return attributes

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        try:
            attributes = self._values()
        except ValidationError as exc:
            self.query_one("#editor-error", Static).update(Text(str(exc), style="bold red"))
            self.notify(inert(str(exc)), title="Not saved", severity="error", markup=False)
            self.app.bell()
            return
        note = self.query_one("#note", TextArea).text
        if note == inert(self.annotation.note):
            note = self.annotation.note  # shown inert, left as it was
        self.dismiss({"attributes": attributes, "note": note})

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
