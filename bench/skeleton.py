"""The skeleton app: reader's layout with nothing behind it, the seeds' paint baseline.

    python bench/skeleton.py CORPUS_FOLDER

Two panes side by side, each a title row over a Line-API ``ScrollView`` that draws
soft-wrapped rows of an article held in memory, a status row and a footer: the same
layout as reader's annotate screen, drawing the same text (the folder's first two
articles by name, as reader opens them), with no database, no schema and no cursor.
What reader's first paint costs beyond it is reader's own work (issue 14, item 7).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import ClassVar

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Static

CSS = """
#panes { height: 1fr; }
.pane { width: 1fr; border-right: vkey $panel; }
.pane-title { height: 1; background: $panel; }
Rows { height: 1fr; background: $surface; padding: 0 1 0 0; overflow-x: hidden; }
#status { height: 1; background: $panel; }
"""


class Rows(ScrollView):
    """An article's paragraphs wrapped to the width, one row per ``render_line``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.rows: list[str] = []

    def on_resize(self) -> None:
        width = max(1, self.scrollable_content_region.width - 1)
        self.rows = [row for line in self.text.split("\n")
                     for row in (textwrap.wrap(line, width) or [""])]  # fmt: skip
        self.virtual_size = Size(width, len(self.rows))

    def render_line(self, y: int) -> Strip:
        row_y = round(self.scroll_y) + y
        text = self.rows[row_y] if row_y < len(self.rows) else ""
        return Strip([Segment(" " + text)])


class Skeleton(App[None]):
    CSS = CSS
    BINDINGS: ClassVar[list[tuple[str, str, str]]] = [("ctrl+q", "quit", "Quit"), ("1", "bell", "Propaganda"),
                ("2", "bell", "Casualty"), ("3", "bell", "Attribution")]  # fmt: skip
    """The footer shows a few keys, as reader's does."""

    def __init__(self, texts: list[tuple[str, str]]) -> None:
        super().__init__()
        self.texts = texts

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for name, text in self.texts:
                with Vertical(classes="pane"):
                    yield Static(f" {name} ", classes="pane-title")
                    yield Rows(text)
        yield Static("annotator bench", id="status")
        yield Footer()


def main() -> None:
    files = sorted(Path(sys.argv[1]).glob("*.txt"))[:2]
    Skeleton([(f.stem, f.read_text(encoding="utf-8")) for f in files]).run()


if __name__ == "__main__":
    main()
