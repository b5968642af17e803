"""Every key of the app, in one table: the bindings, the help screen, the command palette
and the schema-key check all read it, so none of them can fall out of step with another.

This module is plain data (no Textual): the CLI checks a labels file's keys against it
before the app, or any of Textual, is loaded. ``reader.tui.keys`` turns it into Textual
bindings and help rows; ``reader.tui.commands`` and ``ReaderApp.get_system_commands``
into palette entries.

To add an action with a key, in one place (here):

1. Write ``action_NAME`` on the class that binds the scope (``SCOPES`` below: "view" is
   ``ArticleView``, "annotate" ``AnnotateScreen``, "review" ``AdjudicationScreen``,
   "app" ``ReaderApp``; the others are modal screens).
2. Add ``Key(keys, "NAME", "What it does")`` to that scope's tuple. That binds it
   (``footer=True`` shows it in the footer), lists it in help under the scope's title,
   offers it in the palette (scopes "annotate", "view" and "app"; ``palette=None``
   keeps one out, ``palette="..."`` retitles it, ``palette_help`` adds a line), and makes
   the schema-key check refuse a label that would take the key (scopes whose
   ``schema_keys`` name "labels").

A new screen is a new ``Scope`` in ``SCOPES``; its class sets ``BINDINGS =
bindings("its-name")`` (``reader.tui.keys``), and ``HELP_ORDER`` places it in help.
The screen where link types are chosen by key marks its scope ``schema_keys=("links",)``:
``check_schema_keys`` then refuses a link type whose key that screen already uses.

Keys are Textual key names (``ctrl+z``, ``pagedown``; ``x,delete`` for two keys), with
one rule: a printable key is written as its character (``/``, ``+``, ``?``), never by
name (``slash``), so the schema-key check sees it without Textual (a test holds to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.errors import SchemaError
from reader.core.schema import Schema


@dataclass(frozen=True)
class Key:
    """One action and the keys that run it."""

    keys: str  # Textual key names, comma separated; printable keys as their character
    action: str  # the action string Textual runs: "move('word', -1)"
    description: str  # the footer's, help's and palette's name for it
    footer: bool = False  # shown in the footer
    display: str | None = None  # how the footer and help show the keys, if not by Textual
    priority: bool = False  # runs before the focused widget's own keys
    help: str = ""  # help's line, if not the description
    palette: str | None = ""  # the palette's title ("": the description; None: not listed)
    palette_help: str = ""  # the palette's second line

    @property
    def characters(self) -> list[str]:
        """The printable characters among the keys (what a label key could clash with)."""
        return [k for k in (k.strip() for k in self.keys.split(",")) if _printable(k)]


@dataclass(frozen=True)
class Scope:
    """Where a set of keys applies: one widget or screen class binds all of them."""

    name: str
    where: str  # how the schema-key check names it: "review"
    keys: tuple[Key, ...]
    help: str | None = None  # its section title on the help screen; None: not listed
    # Kinds of schema key ("labels", "links") live at the same time as these keys: a
    # label (or link type) may not take one of them, or it could never be pressed.
    schema_keys: tuple[str, ...] = ()


def _printable(key: str) -> bool:
    return len(key) == 1 and key.isprintable() and not key.isspace()


VIEW = Scope(
    "view",
    "article pane",
    (
        Key("left", "move('grapheme', -1)", "Left"),
        Key("right", "move('grapheme', 1)", "Right"),
        Key("shift+left", "move('grapheme', -1, True)", "Extend left"),
        Key("shift+right", "move('grapheme', 1, True)", "Extend right"),
        Key("ctrl+left", "move('word', -1)", "Word left"),
        Key("ctrl+right", "move('word', 1)", "Word right"),
        Key("ctrl+shift+left", "move('word', -1, True)", "Extend word left"),
        Key("ctrl+shift+right", "move('word', 1, True)", "Extend word right"),
        Key("up", "move('row', -1)", "Up"),
        Key("down", "move('row', 1)", "Down"),
        Key("shift+up", "move('row', -1, True)", "Extend up"),
        Key("shift+down", "move('row', 1, True)", "Extend down"),
        Key("pageup", "move('page', -1)", "Page up"),
        Key("pagedown", "move('page', 1)", "Page down"),
        Key("shift+pageup", "move('page', -1, True)", "Extend page up"),
        Key("shift+pagedown", "move('page', 1, True)", "Extend page down"),
        Key("home", "move('row_end', -1)", "Row start"),
        Key("end", "move('row_end', 1)", "Row end"),
        Key("shift+home", "move('row_end', -1, True)", "Extend to row start"),
        Key("shift+end", "move('row_end', 1, True)", "Extend to row end"),
        Key("ctrl+home", "move('document', -1)", "Document start"),
        Key("ctrl+end", "move('document', 1)", "Document end"),
        Key("ctrl+shift+home", "move('document', -1, True)", "Extend to start"),
        Key("ctrl+shift+end", "move('document', 1, True)", "Extend to end"),
        Key("escape", "clear_selection", "Clear selection"),
    ),
    help="Moving and selecting (in a pane)",
    schema_keys=("labels",),
)

ANNOTATE = Scope(
    "annotate",
    "annotator",
    (
        Key("e", "edit", "Attributes", footer=True),
        Key("l", "relabel", "Change label"),
        Key("x,delete", "delete", "Delete", footer=True),
        Key("n", "next_annotation", "Next annotation"),
        Key("N", "previous_annotation", "Previous annotation"),
        Key("/", "search", "Search", footer=True),
        Key("]", "next_match", "Next search match"),
        Key("[", "previous_match", "Previous search match"),
        Key("ctrl+z", "undo", "Undo", footer=True),
        Key("ctrl+y", "redo", "Redo"),
        Key("d", "toggle_done", "Done", footer=True),
        Key("o", "toggle_others", "Show/hide other annotators"),
        Key("p", "pick_document", "Open document"),
        Key("y", "toggle_sync", "Synchronized scrolling on/off"),
        Key("a", "toggle_list", "Annotation list on/off"),
        Key("g", "go(-1)", "Document start"),
        Key("G", "go(1)", "Document end"),
        Key("t", "toggle_tokens", "Lexer highlights on/off"),
        Key("u", "toggle_suggestions", "Suggestions on/off"),
        Key("+", "accept_suggestion", "Accept suggestion"),
        Key("-", "reject_suggestion", "Reject suggestion"),
        Key("c", "open_counterpart", "Open shared passage's counterpart"),
        Key("P", "propagate", "Copy my spans to the shared passage"),
        Key("w", "select_word", "Select word"),
        Key("s", "select_sentence", "Select sentence"),
        Key(
            "j",
            "next_in_queue",
            "Next in my queue",
            palette_help="Open the next assigned document you have not marked done",
        ),
        Key(
            "%",
            "progress",
            "Progress",
            palette_help="Done per annotator, and the agreement of the overlap so far",
        ),
        Key(
            "k",
            "link",
            "Link from here",
            help="start a link from the span at the cursor (again: cancel)",
            palette_help="Then move to the other end, in any pane, and press Enter",
        ),
        Key("enter", "finish_link", "Finish the link", help="end the link here", palette=None),
        Key("f", "jump_link", "Follow a link", help="go to the other end of the span's links"),
        Key("L", "links", "Links of this span", help="list them: Enter goes, x removes"),
        Key(
            "C",
            "claims",
            "Claims ledger",
            palette_help="Claims of the open documents, their sources and figures",
        ),
    ),
    help="Annotations and documents",
    schema_keys=("labels",),
)

REVIEW = Scope(
    "review",
    "review",
    (
        Key("n", "step(1)", "Next", footer=True),
        Key("N", "step(-1)", "Previous", footer=True, display="N"),
        Key("a", "take(0)", "Take A's", footer=True),
        Key("b", "take(1)", "Take B's", footer=True),
        Key("c", "take(2)", "Take C's", footer=True),
        Key("t", "take_all", "Take both", footer=True),
        Key("0,backspace", "neither", "Take neither", footer=True, display="0"),
        Key("e", "edit", "Edit gold's attributes", footer=True),
        Key("g", "gold", "Tag in gold (then a label key)", footer=True),
        Key("m", "copy_agreements", "Copy agreements", footer=True),
        Key("v", "attribute_step(1)", "Next attribute (where attributes differ)"),
        Key("V", "attribute_step(-1)", "Previous attribute"),
        Key("/", "search", "Search every pane", footer=True),
        Key("]", "next_match", "Next search match"),
        Key("[", "previous_match", "Previous search match"),
        Key("y", "toggle_sync", "Panes scroll together on/off"),
        Key(
            "d",
            "toggle_list",
            "Disagreement list on/off",
            help="the list of disagreements on the right (shown from 120 columns on)",
        ),
        Key("A", "take_value(0)", "Take A's value of the attribute"),
        Key("B", "take_value(1)", "Take B's value of the attribute"),
        Key("C", "take_value(2)", "Take C's value of the attribute"),
        Key("x,delete", "delete", "Delete gold span"),
        Key("l", "relabel", "Change gold label"),
        Key("k", "links", "Links", help="the annotators' links here; enter puts one in gold"),
        Key(
            "enter", "settle_link", "Link into gold", help="on a link disagreement: put it in gold"
        ),
        Key("ctrl+z", "undo", "Undo", footer=True),
        Key("escape", "back", "Back", footer=True, priority=True),
    ),
    help="Review (r): settling disagreements",
    schema_keys=("labels",),
)

APP = Scope(
    "app",
    "everywhere",
    (
        Key("?,f1", "help", "Help", footer=True, palette_help="Every key of the annotator"),
        Key("ctrl+q", "quit", "Quit", priority=True, palette=None),
        Key("ctrl+p", "command_palette", "Palette", palette=None),
        Key(
            "r",
            "review",
            "Review",
            palette_help="Compare annotators, settle disagreements into gold",
        ),
    ),
    help="Everywhere",
    schema_keys=("labels",),
)

#: The modal screens: their keys act only while they are open, so labels may share them.
MODALS = (
    Scope(
        "review-list",
        "review list",
        (
            Key("escape", "back", "Back", footer=True),
            Key("f5", "reload", "Reload", footer=True),
        ),
    ),
    Scope(
        "review-annotators",
        "annotator picker",
        (
            # space toggles a name (the list's own key); before the list's enter, which
            # would toggle too, enter compares the chosen names
            Key("enter", "compare", "Compare", footer=True, priority=True),
            Key("escape", "cancel", "Cancel", footer=True),
        ),
    ),
    Scope(
        "document-picker",
        "document picker",
        (
            Key("escape", "cancel", "Cancel", footer=True),
            Key("down", "cursor_down", "Next"),
            Key("up", "cursor_up", "Previous"),
        ),
    ),
    Scope(
        "progress",
        "progress",
        (
            Key("escape,q", "close", "Close", footer=True),
            Key("f5", "reload", "Reload", footer=True),
        ),
    ),
    Scope("label-picker", "label picker", (Key("escape", "cancel", "Cancel", footer=True),)),
    Scope(
        "link-types",
        "link type picker",
        (Key("escape", "cancel", "Cancel", footer=True),),
        schema_keys=("links",),
    ),
    Scope(
        "link-list",
        "link list",
        (
            Key("escape", "cancel", "Close", footer=True),
            Key("e", "edit", "Edit attributes and note", footer=True),
            Key("x,delete", "remove", "Remove link", footer=True),
        ),
    ),
    Scope("claims", "claims ledger", (Key("escape", "back", "Back", footer=True),)),
    Scope("link-review", "link review", (Key("escape", "cancel", "Close", footer=True),)),
    Scope("search", "search prompt", (Key("escape", "cancel", "Cancel", footer=True),)),
    Scope(
        "attributes",
        "attribute editor",
        (
            Key("escape", "cancel", "Cancel", footer=True),
            Key("ctrl+s", "save", "Save", footer=True),
            Key("ctrl+n", "note", "Note", footer=True),
        ),
    ),
    Scope(
        "unsaved",
        "unsaved-changes question",
        (
            Key("s", "choose('save')", "Save", footer=True),
            Key("d", "choose('discard')", "Discard", footer=True),
            Key("k,escape", "choose('keep')", "Keep editing", footer=True, display="k"),
        ),
    ),
    Scope("help", "help", (Key("escape,q,?,f1", "close", "Close help", footer=True),)),
)

#: Every scope. Where two name the same key, the schema-key check names the later one
#: (annotating is where a label key is pressed most, so it comes after review).
SCOPES: dict[str, Scope] = {s.name: s for s in (VIEW, REVIEW, ANNOTATE, APP, *MODALS)}

#: Help lines that are no binding of ours: Textual's focus keys, the mouse, the marks.
HELP_NOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "app": (("tab, shift+tab", "next / previous pane"),),
}
HELP_EXTRA: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Mouse",
        (
            ("click", "place the cursor; on an annotation, select it"),
            ("drag", "select a span"),
            ("ctrl+click, then click", "link one annotation to another"),
        ),
    ),
    (
        "Marks",
        (
            (
                "▌ left of a row",
                "a passage shared with another document (c opens it, P copies your spans)",
            ),
            ("highlighted title", "the pane that has the keyboard"),
        ),
    ),
)

#: The help screen's sections, in order; "tagging" is the schema's label keys.
HELP_ORDER = ("view", "tagging", "annotate", "review", "app")


def label_keys(schema: Schema) -> tuple[Key, ...]:
    """The annotate screen's tagging keys, one per label that has a key."""
    return tuple(
        Key(
            label.key,
            f"tag('{label.name}')",
            label.title,
            footer=True,
            display=label.key,
            help=f"tag the selection (or the word at the cursor) as {label.title}",
            palette=f"Tag as {label.title}",
        )
        for label in schema.labels
        if label.key
    )


def gold_label_keys(schema: Schema) -> tuple[Key, ...]:
    """The review's tagging keys: after g, in the gold pane, a label key tags as gold."""
    return tuple(
        Key(label.key, f"tag('{label.name}')", f"Tag {label.title} in gold")
        for label in schema.labels
        if label.key
    )


def app_keys(kind: str = "labels") -> dict[str, str]:
    """Every printable key live beside a schema's ``kind`` of keys ("labels", "links"),
    with what it does and where."""
    taken: dict[str, str] = {}
    for scope in SCOPES.values():
        if kind in scope.schema_keys:
            for key in scope.keys:
                for character in key.characters:
                    taken[character] = f"{key.description} ({scope.where})"
    return taken


def check_schema_keys(schema: Schema) -> None:
    """Refuse a schema whose label or link-type keys the app already uses where they are
    pressed, naming the label (or link type), the key and its use."""
    taken = app_keys("labels")
    for label in schema.labels:
        if label.key in taken:
            free = [c for c in "123456789" if c not in taken and schema.by_key(c) is None]
            _refuse(schema, f"label {label.name}", label.key, taken, free)
    taken = app_keys("links")  # a link type's key is pressed where a link is chosen
    for link_type in schema.links:
        if link_type.key in taken:
            _refuse(schema, f"link type {link_type.name}", link_type.key, taken, [])


def _refuse(schema: Schema, what: str, key: str, taken: dict[str, str], free: list[str]) -> None:
    raise SchemaError(
        f"{schema.source}: {what}: key {key!r} is already the app's key for {taken[key]}; "
        "choose another" + (f" (free digits: {' '.join(free)})" if free else "")
    )
