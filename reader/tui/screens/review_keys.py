"""The review screen's keys, apart from its code: the app checks label keys against them
at start-up without loading the review screen itself."""

from __future__ import annotations

from textual.binding import Binding

REVIEW_BINDINGS = [
    Binding("n", "step(1)", "Next"),
    Binding("N", "step(-1)", "Previous", key_display="N"),
    Binding("a", "take(0)", "Take A's"),
    Binding("b", "take(1)", "Take B's"),
    Binding("c", "take(2)", "Take C's"),
    Binding("t", "take_all", "Take both"),
    Binding("0,backspace", "neither", "Take neither", key_display="0"),
    Binding("e", "edit", "Edit in gold"),
    Binding("m", "copy_agreements", "Copy agreements"),
    Binding("x,delete", "delete", "Delete gold span", show=False),
    Binding("l", "relabel", "Change gold label", show=False),
    Binding("ctrl+z", "undo", "Undo"),
    Binding("escape", "back", "Back", priority=True),
]
