"""The Claims screen: the claims of the open documents with their sources, and a bar
for each document's figure in every (outcome, victim_group) group, so differing
reports stand out. Enter on a claim goes to it.

The bars are text (block characters in a ``rich.text.Text``), not a plotting widget.
Measured in one run (four documents' figures, median of 7 x 50 builds): the text bars
take about 18 µs, a plotext horizontal bar chart of the same figures about 21-25 ms
(some 1,200 times as long), and importing plotext another 90-180 ms; textual-plotext
would add two packages for a chart that says no more than one bar per document.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from reader.core.claims import Group, claims, summary
from reader.core.display import inert
from reader.core.store import Store
from reader.core.vnnumbers import grouped
from reader.tui.keys import bindings

BAR_WIDTH = 40


def figure_bars(groups: list[Group], width: int = BAR_WIDTH) -> Text:
    """One block per group: its title, then a bar per document for each figure, scaled
    to the group's highest figure."""
    chart = Text()
    for group in groups:
        record = group.record()
        title = f"{record['outcome'] or '?'} / {record['victim_group'] or '?'}"
        chart.append(inert(title, keep_newlines=False), "bold")
        if record["disagree"]:
            chart.append("  figures differ", "bold red")
        chart.append("\n")
        highest = record["highest"] or 0
        for document, found in record["documents"].items():
            for claim in found:
                figure = claim["figure"]
                chart.append(f"  {inert(document, keep_newlines=False)[:12]:<12} ")
                if figure is None:
                    chart.append("no figure\n", "dim")
                    continue
                filled = max(1, round(width * figure / highest)) if highest else 1
                chart.append("█" * filled, "red" if record["disagree"] else "green")
                chart.append(f" {grouped(figure)}\n")
    return chart


class ClaimsScreen(ModalScreen[tuple[str, int] | None]):
    """Returns (document, offset) of the chosen claim, or None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("claims")
    """Escape goes back; Enter on a claim goes to it."""

    def __init__(self, store: Store, documents: list[str]):
        super().__init__()
        self.store = store
        self.documents = list(dict.fromkeys(documents))
        self.found = claims(store, annotator=store.annotator, documents=self.documents)

    def compose(self) -> ComposeResult:
        with Vertical(id="claims"):
            yield Label(
                Text.assemble(
                    ("Claims", "bold"),
                    f" in {', '.join(inert(d) for d in self.documents) or 'no document'}"
                    f" by {inert(self.store.annotator)}: {len(self.found)}",
                )
            )
            table: DataTable = DataTable(id="claims-table", cursor_type="row")
            yield table
            with VerticalScroll(id="claims-chart"):
                yield Static(figure_bars(summary(self.found)) or Text("No casualty figures"))
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("document", "label", "claim", "figure", "sources")
        for claim in self.found:
            a = claim.annotation
            sources = ", ".join(s.source or s.text for s in claim.sources) or "—"
            table.add_row(
                Text(inert(a.document)),
                Text(a.label),
                Text(inert(a.text[:50], keep_newlines=False)),
                Text("" if claim.figure is None else grouped(claim.figure), justify="right"),
                Text(inert(sources[:40], keep_newlines=False)),
                key=a.id,
            )
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        for claim in self.found:
            if claim.annotation.id == event.row_key.value:
                self.dismiss((claim.annotation.document, claim.annotation.start))
                return

    def action_back(self) -> None:
        self.dismiss(None)
