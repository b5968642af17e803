"""The attribute and note editor: a form built from the label's schema, small enough for
an 80×24 terminal.

Short fields stand side by side (one row each, two to a line); the note is one key
away (``ctrl+n``). Integer fields read numbers as Vietnamese writes them
(``reader.core.vnnumbers``) and show what they read as you type; help under the form
gives the schema's description of the focused field (and of the chosen value). Values
tagging read from the span's text carry a mark (``◆``) until the annotator changes them.
Save is refused while a field is invalid, and focus moves to it with the reason; Esc on
a changed form asks whether to save, discard or keep editing.

A link's attributes (those its type declares in the schema) and note are edited with the
same form: it is given the link type for the label and the link for the annotation, and
a heading naming the link's ends.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from reader.core.display import inert
from reader.core.errors import ValidationError
from reader.core.links.values import Link, LinkType
from reader.core.model import Annotation, Attribute
from reader.core.model import Label as LabelSpec
from reader.core.schema import FROM_TEXT, PROVENANCE, VALUE_SOURCES, check_order
from reader.core.vnnumbers import grouped
from reader.tui.keys import bindings

#: An enum whose longest value is wider than this takes a whole line of the form.
_WIDE = 16
#: The mark of a value read from the span's text.
FROM_TEXT_MARK = "◆"
_NOTE_HELP = "Note: free text for what the attributes cannot say (ctrl+n comes here)."


def shown_value(raw: Any) -> str:
    """A stored value as its field shows it: inert, on one line."""
    return "" if raw is None else inert(str(raw), keep_newlines=False)


class UnsavedChanges(ModalScreen[str]):
    """Esc on a changed form: "save", "discard" or "keep" (editing)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("unsaved")
    """s saves, d discards, k or Escape keeps editing."""

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved"):
            yield Static(Text("This annotation has unsaved changes.", style="bold"))
            with Horizontal(id="unsaved-buttons"):
                yield Button("Save (s)", variant="primary", id="save")
                yield Button("Discard (d)", variant="error", id="discard")
                yield Button("Keep editing (k)", id="keep")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "keep")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class AttributeEditor(ModalScreen[dict[str, Any] | None]):
    """Returns {"attributes": {...}, "note": str} on save, None on cancel."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("attributes")
    """ctrl+s saves (invalid numbers are refused), ctrl+n goes to the note, Escape leaves
    (asking first when something changed)."""

    def __init__(
        self,
        label: LabelSpec | LinkType,
        annotation: Annotation | Link,
        focus: str | None = None,
        heading: Text | None = None,
    ):
        """``focus``: the attribute whose field has the keyboard first; ``heading``: the
        first line, if not the label and the span's text (a link's type and ends)."""
        super().__init__()
        self.label = label
        self.annotation = annotation
        self.first_focus = focus
        self.heading = heading
        self.from_text = set(annotation.attributes.get(FROM_TEXT, ()))
        self._initial: dict[str, Any] = {}
        self._error = ""  # why the last save or value was refused, until fixed

    def compose(self) -> ComposeResult:
        a = self.annotation
        with Vertical(id="attribute-editor"):
            yield Static(self.heading or self._span_heading(), id="editor-span")
            with Grid(id="editor-fields"):
                for attribute in self.label.attributes:
                    yield self._field(attribute, a.attributes.get(attribute.name))
            yield Label("Note (ctrl+n)", id="note-label")
            yield TextArea(inert(a.note), id="note", soft_wrap=True, compact=True)
            yield Static("", id="field-help")
            yield Static("", id="editor-error")
        yield Footer()

    def _span_heading(self) -> Text:
        return Text.assemble(
            (f" {self.label.title} ", f"bold on {self.label.color}"),
            " ",
            Text(inert(" ".join(self.annotation.text.split())[:200], keep_newlines=False)),
        )

    def _field(self, attribute: Attribute, current: Any) -> Widget:
        name = attribute.name
        mark = FROM_TEXT_MARK if name in self.from_text else " "
        caption = Label(
            Text.assemble((mark, "bold"), " ", inert(attribute.title or name)),
            classes="field-label",
        )
        if attribute.type == "enum" and isinstance(current, list):
            # several values of a multiple enum: a Select holds one, so they are typed
            widget: Widget = Input(
                value=", ".join(map(shown_value, current)),
                placeholder="values, comma separated",
                compact=True,
                id=f"attr-{name}",
            )
            parts = [caption, widget]
        elif attribute.type == "enum":
            widget = Select(
                [(Text(v), v) for v in attribute.values],
                value=current if current in attribute.values else Select.NULL,
                allow_blank=True,
                compact=True,
                id=f"attr-{name}",
            )
            parts = [caption, widget]
        else:
            widget = Input(
                value=shown_value(current),
                placeholder="4.500, hai…" if attribute.type == "int" else "text",
                compact=True,
                id=f"attr-{name}",
            )
            parts = [caption, widget]
            if attribute.type == "int":
                parts.append(Static("", id=f"parsed-{name}", classes="parsed"))
        row = Horizontal(*parts, classes="field", id=f"field-{name}")
        wide = (
            attribute.type == "text"
            or isinstance(current, list)
            or (attribute.type == "enum" and max(map(len, attribute.values)) > _WIDE)
        )
        if wide:
            row.add_class("wide")
        return row

    def on_mount(self) -> None:
        for attribute in self.label.attributes:
            if attribute.type == "int":
                self._show_parsed(attribute)
        self._initial = self._raw()
        target = None
        if self.first_focus and self.label.attribute(self.first_focus):
            target = self.query_one(f"#attr-{self.first_focus}")
        (target or self.query("Select, Input, TextArea").first()).focus()

    # -- what the fields hold ---------------------------------------------------------------

    def _raw(self) -> dict[str, Any]:
        """Every field as shown, to tell whether anything changed."""
        raw: dict[str, Any] = {"note": self.query_one("#note", TextArea).text}
        for attribute in self.label.attributes:
            raw[attribute.name] = self.query_one(f"#attr-{attribute.name}").value
        return raw

    def _parse(self, attribute: Attribute) -> Any:
        """The field's value in stored form; raises ValidationError naming the field."""
        widget = self.query_one(f"#attr-{attribute.name}")
        if isinstance(widget, Select):
            value = widget.value
            return None if value is Select.NULL else value
        original = self.annotation.attributes.get(attribute.name)
        if isinstance(original, list):  # a multiple enum's values, comma separated
            if widget.value == ", ".join(map(shown_value, original)):
                return original
            typed = [v.strip() for v in widget.value.split(",") if v.strip()]
            return attribute.parse(typed) if typed else None
        if original is not None and widget.value == shown_value(original):
            return original  # shown inert, left as it was
        return attribute.parse(widget.value.strip()) if widget.value.strip() else None

    def _show_parsed(self, attribute: Attribute) -> bool:
        """Show what an integer field reads as; False when it reads as nothing valid."""
        shown = self.query_one(f"#parsed-{attribute.name}", Static)
        widget = self.query_one(f"#attr-{attribute.name}", Input)
        try:
            value = self._parse(attribute)
        except ValidationError as exc:
            shown.update(Text("✗", style="bold red"))
            widget.add_class("-invalid")
            self._error = str(exc)
            return False
        widget.remove_class("-invalid")
        self._error = ""
        shown.update(Text("" if value is None else f"= {grouped(value)}", style="green"))
        return True

    def _values(self) -> dict[str, Any]:
        """The attributes to save; a bad field gets the keyboard and the message."""
        attributes: dict[str, Any] = {}
        for attribute in self.label.attributes:
            try:
                value = self._parse(attribute)
            except ValidationError:
                self.query_one(f"#attr-{attribute.name}").focus()
                raise
            if value is not None:
                attributes[attribute.name] = value
        check_order(self.label, attributes)  # the store would refuse it; keep the form open
        original = self.annotation.attributes
        for kept in (PROVENANCE, VALUE_SOURCES):  # what review recorded stays
            if kept in original:
                attributes[kept] = list(original[kept])
        unchanged = [n for n in original.get(FROM_TEXT, ()) if attributes.get(n) == original.get(n)]
        if unchanged:  # a value the annotator changed is theirs now
            attributes[FROM_TEXT] = unchanged
        return attributes

    # -- help for the focused field -------------------------------------------------------

    def _help(self, attribute: Attribute | None) -> None:
        help_text = Text()
        if attribute is None:
            help_text.append(_NOTE_HELP, style="dim")
        else:
            help_text.append(f"{attribute.name}: ", style="bold")
            help_text.append(inert(attribute.description or attribute.title, keep_newlines=False))
            widget = self.query_one(f"#attr-{attribute.name}")
            chosen = widget.value if isinstance(widget, Select) else None
            if isinstance(chosen, str) and attribute.describe(chosen):
                help_text.append(f"\n{chosen}: ", style="bold")
                help_text.append(inert(attribute.describe(chosen), keep_newlines=False))
            if attribute.name in self.from_text:
                help_text.append(f"\n{FROM_TEXT_MARK} read from the span's text", style="italic")
        self.query_one("#field-help", Static).update(help_text)
        self.query_one("#editor-error", Static).update(Text(self._error, style="bold red"))

    def _attribute_of(self, widget: Widget | None) -> Attribute | None:
        while widget is not None and not (widget.id or "").startswith("attr-"):
            widget = widget.parent if isinstance(widget.parent, Widget) else None
        return self.label.attribute(widget.id[5:]) if widget is not None else None

    def on_descendant_focus(self, event: Any) -> None:
        self._help(self._attribute_of(event.widget))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        attribute = self._attribute_of(event.input)
        if attribute is not None and attribute.type == "int":
            self._show_parsed(attribute)
            self._help(attribute)

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        if self.focused is not None and self._attribute_of(self.focused) is not None:
            self._help(self._attribute_of(self.focused))

    # -- actions ---------------------------------------------------------------------------

    def action_note(self) -> None:
        self.query_one("#note", TextArea).focus()

    def action_save(self) -> None:
        try:
            attributes = self._values()
        except ValidationError as exc:
            self._error = str(exc)
            self._help(self._attribute_of(self.focused))  # and again once focus has moved
            self.app.bell()
            return
        note = self.query_one("#note", TextArea).text
        if note == inert(self.annotation.note):
            note = self.annotation.note  # shown inert, left as it was
        self.dismiss({"attributes": attributes, "note": note})

    def action_cancel(self) -> None:
        if self._raw() == self._initial:
            self.dismiss(None)
            return

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(None)

        self.app.push_screen(UnsavedChanges(), chosen)
