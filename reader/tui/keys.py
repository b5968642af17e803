"""The key registry (``reader.keys``) as Textual wants it: bindings, help rows, and a
screen class per schema whose label keys are bound.

Nothing here decides a key: add keys in ``reader.keys``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from textual.binding import Binding
from textual.screen import Screen

from reader.keys import HELP_NOTES, SCOPES, Key

S = TypeVar("S", bound=type[Screen])


def binding(key: Key) -> Binding:
    """One registry entry as a Textual binding."""
    return Binding(
        key.keys,
        key.action,
        key.description,
        show=key.footer,
        key_display=key.display,
        priority=key.priority,
    )


def bindings(scope: str) -> list[Binding]:
    """A scope's bindings, for a class's ``BINDINGS``."""
    return [binding(key) for key in SCOPES[scope].keys]


@cache
def with_label_keys(screen: S, labels: tuple[Key, ...]) -> S:
    """``screen`` with the label keys bound first (they lead the footer).

    Textual reads bindings from the class, and the label keys are known only once the
    schema is loaded: so each schema's keys get a subclass (one per schema, cached),
    rather than an instance writing into Textual's private binding map.
    """
    return type(
        screen.__name__,
        (screen,),
        {
            "BINDINGS": [*map(binding, labels), *Screen.BINDINGS, *screen.BINDINGS],
            "__doc__": screen.__doc__,
            "__module__": screen.__module__,
        },
        inherit_bindings=False,
    )


def help_rows(keys: Iterable[Key], shown: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """(keys, what they do) rows; entries with the same line share a row.

    ``shown`` is the app's ``get_key_display``, so help shows keys as the footer does.
    """
    merged: dict[str, list[str]] = {}
    for key in keys:
        text = key.help or key.description or key.action
        display = key.display or ", ".join(
            shown(Binding(name.strip(), key.action)) for name in key.keys.split(",")
        )
        merged.setdefault(text, []).append(display)
    return [(", ".join(displays), text) for text, displays in merged.items()]


def scope_rows(scope: str, shown: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """A scope's help rows, with its notes (keys that are not our bindings)."""
    return help_rows(SCOPES[scope].keys, shown) + list(HELP_NOTES.get(scope, ()))
