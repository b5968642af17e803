"""The review screen: documents by agreement, lowest first, with what is left to settle.

Opening a row shows the document's panes side by side (``review_document``). The
screen owns the gold store: a second connection to the same database, writing as the
gold annotator, closed when the review closes (which ends its undo session).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from reader.core.adjudication import DocumentSummary, load_document, open_gold, summaries
from reader.core.display import inert, plural
from reader.core.errors import ReaderError
from reader.core.store import Store
from reader.tui.keys import bindings
from reader.tui.screens.review_annotators import AnnotatorPicker
from reader.tui.screens.review_document import AdjudicationScreen

if TYPE_CHECKING:
    from textual.app import App

#: (key, title) of each column: titles short enough that a row fits in 80 columns.
COLUMNS = (
    ("Document", "Document"),
    ("Agreement", "Agreement"),
    ("Spans", "Spans"),
    ("Disagreements", "Disagreements"),
    ("Remaining", "Open"),  # disagreements not settled yet
    ("Pending", "To copy"),  # agreements gold has not copied yet (m copies them)
    ("Done by", "Done by"),
)


def start_review(
    app: App, store: Store, gold: str, closed: Callable[[], None] | None = None
) -> None:
    """Ask whom to compare, then open the review; ``closed`` runs when it is left."""
    counts = store.stats()["annotators"]
    names = {s.annotator for s in store.statuses()} | set(counts)
    annotators = sorted(
        ((n, counts.get(n, 0)) for n in names if n != gold), key=lambda p: (-p[1], p[0])
    )
    if len(annotators) < 2:
        app.notify("A review needs two annotators besides the gold one", severity="warning")
        return
    chosen = [name for name, _ in annotators[:2]]

    def picked(result: list[str] | None) -> None:
        if result:
            app.push_screen(
                ReviewScreen(store, result, gold), lambda _: closed() if closed else None
            )

    app.push_screen(AnnotatorPicker(annotators, chosen), picked)


def _agreement(value: float | None) -> Text:
    if value is None:
        return Text("—", style="dim", justify="right")
    style = "bold red" if value < 0.4 else "yellow" if value < 0.8 else "green"
    return Text(f"{value + 0.0:.3f}".replace("-0.000", "0.000"), style=style, justify="right")


def _count(n: int, alarm: bool = False) -> Text:
    return Text(str(n), style="bold red" if alarm and n else "", justify="right")


def _cells(row: DocumentSummary) -> tuple[Text, Text, Text]:
    """Agreement, disagreements and remaining: a document the compared annotators do not
    share names whom it was given to instead, and what remains is its spans not yet
    settled, no alarm (there is no disagreement to settle)."""
    if row.shared:
        return (
            _agreement(row.agreement),
            _count(row.disagreements),
            _count(row.remaining, alarm=True),
        )
    only = (
        "only " + ", ".join(inert(n, keep_newlines=False) for n in row.only)
        if row.only
        else "assigned to none"
    )
    return (
        Text(only, style="dim", justify="right"),
        Text("—", style="dim", justify="right"),
        _count(row.remaining),
    )


def heading(
    annotators: list[str],
    gold: str,
    measure: str,
    remaining: int,
    documents: int,
    width: int,
) -> Text:
    """Whom the review compares, into which gold, the order and what remains; where that
    does not fit in ``width`` (80 columns), the order and the count in fewer words."""
    short = "α" if measure == "Krippendorff's alpha" else measure
    orders = (f"sorted by {measure}, lowest first", f"lowest {short} first", "")
    counts = (
        f"{plural(remaining, 'disagreement')} {'remains' if remaining == 1 else 'remain'} in "
        + plural(documents, "document"),
        f"{remaining} open in {plural(documents, 'doc')}",
    )
    for count in counts:
        for order in orders:
            text = Text.assemble(
                (" Review ", "bold reverse"),
                "  ",
                (" vs ".join(inert(n, keep_newlines=False) for n in annotators), "bold"),
                " → gold: ",
                (inert(gold, keep_newlines=False), "bold"),
                f"   {order}   " if order else "   ",
                (count, "bold red" if remaining else "green"),
            )
            if text.cell_len <= width:
                return text
    return text


class ReviewScreen(Screen[None]):
    """Documents to review; Enter opens one, Escape goes back to annotating."""

    CSS_PATH = "review.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("review-list")
    """Enter on a row opens that document side by side."""

    def __init__(self, store: Store, annotators: list[str], gold: str):
        super().__init__()
        self.store = store
        self.annotators = list(annotators)
        self.gold_name = gold
        self.gold: Store | None = None
        self.rows: list[DocumentSummary] = []
        self.measure = "—"
        self.opened: str | None = None  # the document being adjudicated, if any

    def compose(self) -> ComposeResult:
        yield Static("", id="review-heading")
        yield DataTable(id="review-documents", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, title in COLUMNS:
            table.add_column(title, key=key)
        try:
            self.gold = open_gold(self.store, self.gold_name)
        except ReaderError as exc:
            self.notify(inert(str(exc)), title="Cannot review", severity="error", markup=False)
        self.reload()
        table.focus()

    def on_unmount(self) -> None:
        if self.gold is not None and self.gold is not self.store:
            self.gold.close()

    def on_screen_resume(self) -> None:
        """Back from a document: recount its row only (the annotators' spans did not
        change there, so its agreement stands; a full reload is f5)."""
        if self.opened is None:
            return
        document, self.opened = self.opened, None
        try:
            review = load_document(self.store, document, self.annotators, self.gold_name)
        except ReaderError as exc:
            self.notify(inert(str(exc)), title="Cannot review", severity="error", markup=False)
            return
        table = self.query_one(DataTable)
        for i, row in enumerate(self.rows):
            if row.document == document:
                self.rows[i] = row = replace(
                    row,
                    remaining=len(review.open_items),
                    pending_agreements=len(review.pending_agreements),
                )
                table.update_cell(document, "Remaining", _cells(row)[2])
                table.update_cell(document, "Pending", _count(len(review.pending_agreements)))
        self.update_heading()

    def reload(self) -> None:
        """Recount every document from the database (decisions may have changed it)."""
        try:
            self.rows, self.measure = summaries(self.store, self.annotators, self.gold_name)
        except ReaderError as exc:
            self.notify(inert(str(exc)), title="Cannot review", severity="error", markup=False)
            self.rows, self.measure = [], "—"
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for row in self.rows:
            agreement, disagreements, remaining = _cells(row)
            table.add_row(
                Text(inert(row.document, keep_newlines=False)),
                agreement,
                _count(row.spans),
                disagreements,
                remaining,
                _count(row.pending_agreements),
                Text(", ".join(row.done) or "—", style="" if row.done else "dim"),
                key=row.document,
            )
        if self.rows:
            table.move_cursor(row=min(keep, len(self.rows) - 1))
        self.update_heading()

    def update_heading(self) -> None:
        shared = [r for r in self.rows if r.shared]
        self.query_one("#review-heading", Static).update(
            heading(
                self.annotators,
                self.gold_name,
                self.measure,
                sum(r.remaining for r in shared),
                sum(1 for r in shared if r.remaining),
                self.size.width,
            )
        )

    def on_resize(self) -> None:
        self.update_heading()

    def action_reload(self) -> None:
        self.reload()

    @on(DataTable.RowSelected, "#review-documents")
    def _open(self, event: DataTable.RowSelected) -> None:
        if self.gold is None:
            self.notify("No gold store: see the error above", severity="error")
            return
        document = str(event.row_key.value)
        self.opened = document
        self.app.push_screen(
            AdjudicationScreen.for_store(self.store, self.gold, self.annotators, document)
        )

    def action_back(self) -> None:
        self.dismiss(None)
