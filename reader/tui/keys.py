"""Label keys against the app's own keys: a labels file may give a label any printable
key, but one the app already uses (``a`` lists annotations, takes A's in review) would
either never tag or silently shadow the app's action. Checked before the app opens."""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.keys import _character_to_key, key_to_character

from reader.core.errors import SchemaError
from reader.core.schema import Schema

# Key names Textual gives printable characters ("slash", "plus"), back to the character.
_NAMED = {_character_to_key(chr(c)): chr(c) for c in range(0x21, 0x7F)}


def _characters(bindings: Iterable, where: str) -> dict[str, str]:
    found = {}
    for binding in bindings:
        if isinstance(binding, tuple):
            binding = Binding(*binding)
        for key in binding.key.split(","):
            key = key.strip()
            character = _NAMED.get(key) or key_to_character(key)
            if character is not None and character.isprintable() and not character.isspace():
                found[character] = f"{binding.description or binding.action} ({where})"
    return found


def app_keys() -> dict[str, str]:
    """Every printable key the app binds, with what it does and where."""
    from reader.tui.app import ReaderApp
    from reader.tui.article_view import ArticleView
    from reader.tui.screens.annotate import AnnotateScreen
    from reader.tui.screens.review_keys import REVIEW_BINDINGS

    keys: dict[str, str] = {}
    for bindings, where in (
        (ArticleView.BINDINGS, "article pane"),
        (REVIEW_BINDINGS, "review"),
        (AnnotateScreen.BINDINGS, "annotator"),
        (ReaderApp.BINDINGS, "everywhere"),
    ):
        keys.update(_characters(bindings, where))
    return keys


def check_label_keys(schema: Schema) -> None:
    """Refuse a schema whose label keys the app already uses, naming label, key and use."""
    taken = app_keys()
    clashes = [(label, taken[label.key]) for label in schema.labels if label.key in taken]
    if not clashes:
        return
    label, use = clashes[0]
    free = [c for c in "123456789" if c not in taken and schema.by_key(c) is None]
    raise SchemaError(
        f"{schema.source}: label {label.name}: key {label.key!r} is already the app's key for "
        f"{use}; choose another" + (f" (free digits: {' '.join(free)})" if free else "")
    )
