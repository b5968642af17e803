"""Settling one document: each annotator's pane beside the gold pane, one key a decision.

``n``/``N`` step through every disagreement in text order, span and link ones alike
(``reader.core.adjudication``). The current one is selected in every pane (each
annotator's own extent of it; a link's end here), its kind is named above the panes
and in the list on the right; Enter puts a link disagreement in gold, as under ``k``. Each decision
goes through ``reader.core.adjudication`` and the gold store, then everything is
redrawn from the database, so the screen never shows a decision that was not saved.
Spans the annotators agree on are drawn muted, so disagreements stand out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from reader.core import adjudication as adj
from reader.core import history
from reader.core.annotation_set import AnnotationSet, span_row
from reader.core.display import inert
from reader.core.errors import ReaderError
from reader.core.model import Annotation
from reader.core.store import SpanRow, Store
from reader.keys import gold_label_keys
from reader.tui.keys import bindings, with_label_keys
from reader.tui.pane import Pane
from reader.tui.screens.review_gold import GoldEditing
from reader.tui.screens.review_links import ReviewLinks
from reader.tui.screens.review_nav import ReviewNavigation
from reader.tui.screens.review_values import ValueTaking

LETTERS = "ABC"
LIST_FROM = 120  # columns from which the disagreement list is shown beside the panes
KIND_TITLES = {
    adj.ONLY_IN_A: "only in A",
    adj.ONLY_IN_B: "only in B",
    adj.ONLY_IN_SOME: "only in some",
    adj.DIFFERENT_LABEL: "label",
    adj.DIFFERENT_BOUNDARIES: "boundaries",
    adj.DIFFERENT_ATTRIBUTES: "attributes",
    adj.LINK: "link",
    adj.LINK_ATTRIBUTES: "link attrs",
}


class AdjudicationScreen(ReviewLinks, GoldEditing, ValueTaking, ReviewNavigation, Screen[None]):
    """A document's disagreements, settled into gold one key at a time."""

    CSS_PATH = "review.tcss"

    BINDINGS: ClassVar[list[BindingType]] = bindings("review")
    """Decisions act on the current disagreement (``reader.keys``, "review"); in the gold
    pane the label keys tag, bound by ``for_store``."""

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (LIST_FROM, "-wide")]
    """Below ``LIST_FROM`` columns the disagreement list is hidden (review.tcss): the line
    above the panes names the current disagreement anyway."""

    @classmethod
    def for_store(
        cls, store: Store, gold: Store, annotators: Sequence[str], document: str
    ) -> AdjudicationScreen:
        """The screen with the store's label keys bound: open it this way."""
        keyed = with_label_keys(cls, gold_label_keys(store.schema))
        return keyed(store, gold, annotators, document)

    def __init__(self, store: Store, gold: Store, annotators: Sequence[str], document: str):
        super().__init__()
        self.store = store
        self.gold = gold
        self.annotators = tuple(annotators)
        self.document = document
        self.index = 0
        self.undo_sizes: list[int] = []  # store actions per decision, so undo reverts a whole one
        self.review: adj.DocumentReview | None = None

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="review-current")
        with Horizontal(id="review-panes"):
            for index in range(len(self.annotators) + 1):
                yield Pane(index)
            yield OptionList(id="disagreement-list")
        yield Static("", id="attribute-table")
        yield Static("", id="gold-links")
        yield Static("", id="review-status")
        yield Footer()

    def on_mount(self) -> None:
        document = self.store.document(self.document)
        for pane in self.panes:
            pane.show(self.document, document.text, document.sha256)
        self.reload()
        self.panes[0].view.focus()
        self.show_current()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (
            action in ("take", "take_value")
            and parameters
            and parameters[0] >= len(self.annotators)
        )

    @property
    def panes(self) -> list[Pane]:
        return list(self.query(Pane))

    @property
    def gold_pane(self) -> Pane:
        return self.panes[-1]

    @property
    def items(self) -> tuple[adj.Disagreement | adj.LinkItem, ...]:
        """What ``n``/``N`` step through: every disagreement, span and link, in text order."""
        return self.review.items if self.review else ()

    @property
    def item(self) -> adj.Disagreement | adj.LinkItem | None:
        return self.items[self.index] if self.items else None

    @property
    def current(self) -> adj.Disagreement | None:
        """The current span disagreement (None on a link one)."""
        item = self.item
        return item if isinstance(item, adj.Disagreement) else None

    @property
    def current_link(self) -> adj.LinkItem | None:
        item = self.item
        return item if isinstance(item, adj.LinkItem) else None

    # -- drawing ------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the document's state again and redraw every pane, list and title."""
        before = adj.item_key(self.item) if self.item else None
        self.review = adj.load_document(
            self.store, self.document, self.annotators, self.gold.annotator
        )
        found = [i for i, d in enumerate(self.items) if adj.item_key(d) == before]
        self.index = found[0] if found else min(self.index, max(0, len(self.items) - 1))
        colors = {label.name: label.color for label in self.store.schema.labels}

        def spans(pane: Pane, pairs: list[tuple[Annotation, bool]]) -> None:
            muted = {a.id for a, agreed in pairs if agreed}  # agreements: drawn muted

            def look(row: SpanRow) -> tuple[str, None, bool]:
                return colors.get(row.label, "magenta"), None, row.id in muted

            pane.draw(AnnotationSet(span_row(a) for a, _ in pairs), look)

        comparison = self.review.comparison
        for i, pane in enumerate(self.panes[:-1]):
            agreed = [(ag.annotations[i], True) for ag in comparison.agreements]
            disputed = [(a, False) for d in comparison.disagreements for a in d.versions[i]]
            spans(pane, agreed + disputed)
        spans(self.gold_pane, [(a, False) for a in self.review.gold])
        self.refresh_list()
        self.update_titles()

    def refresh_list(self) -> None:
        panel = self.query_one("#disagreement-list", OptionList)
        panel.clear_options()
        text = self.gold_pane.view.text
        for i, d in enumerate(self.items):
            settled = self.review.settled(d)
            line = Text.assemble(
                ("✔ " if settled else "• ", "green" if settled else "bold red"),
                (f"{KIND_TITLES[d.kind]:<11}", "dim" if settled else "bold"),
                inert(text[d.start : d.end][:24], keep_newlines=False),
            )
            panel.add_option(Option(line, id=str(i)))
        if self.items:
            panel.highlighted = self.index

    def update_titles(self) -> None:
        d, link = self.current, self.current_link
        for i, (pane, name) in enumerate(zip(self.panes, self.annotators)):
            title = Text.assemble(
                (f" {LETTERS[i]} ", "bold reverse"), " ", (inert(name, keep_newlines=False), "bold")
            )
            if d is not None:
                title.append(
                    f"  {len(d.versions[i])} here" if d.versions[i] else "  nothing here", "italic"
                )
            elif link is not None:
                title.append("  made it" if name in link.holders else "  did not", "italic")
            pane.set_title(title)
        gold = Text.assemble(
            (" gold ", "bold reverse"),
            " ",
            (inert(self.gold.annotator, keep_newlines=False), "bold"),
        )
        if self.item is not None:
            settled = self.review.settled(self.item)
            gold.append("  settled" if settled else "  open", "green" if settled else "bold red")
        self.gold_pane.set_title(gold)
        current = Text.assemble((f" {self.document} ", "bold reverse"), "  ")
        if self.item is None:
            current.append("no disagreements", "green")
        else:
            current.append(f"{self.index + 1}/{len(self.items)}  ", "bold")
            line = adj.describe(d) if d else adj.describe_link(link, self.annotators)
            current.append(inert(line, keep_newlines=False), "bold yellow")
        self.query_one("#review-current", Static).update(current)
        self.query_one("#review-status", Static).update(self.status_line())
        self.update_attribute_table()
        self.update_gold_links()

    def status_line(self) -> Text:
        """What is left, span and link disagreements counted apart (a link is settled
        only by putting it in gold), and on a link what settles it."""
        review = self.review
        spans = len(review.comparison.disagreements)
        remaining = len(review.remaining)
        status = Text.assemble(
            (f"{remaining} of {spans} disagreements remain", "bold red" if remaining else "green")
        )
        if links := len(review.link_disagreements):
            open_links = len(review.remaining_links)
            status.append(
                f", {open_links} of {links} link{'s' if links > 1 else ''} open",
                "bold red" if open_links else "green",
            )
        if (link := self.current_link) is not None:
            if link.settled:
                hint = f"link: {link.gold_state}"
            elif link.values_differ:
                hint = "a/b: whose values, 0: leave out"
            else:
                hint = "enter: into gold, 0: leave out"
            status.append("   " + hint, "bold")
        else:
            pending = len(review.pending_agreements)
            status.append(
                f"   agreements not in gold: {pending}" + ("  (m copies them)" if pending else "")
            )
        return status

    def show_current(self) -> None:
        """Select the current disagreement in every pane: each annotator's own extent."""
        self.gold_armed = False  # g arms one tag, on the disagreement it was pressed on
        d = self.current
        if d is None:
            self._show_link()
            return
        for pane, version in zip(self.panes, d.versions):
            start, end = (
                (min(a.start for a in version), max(a.end for a in version))
                if version
                else (d.start, d.end)
            )
            pane.view.select_range(start, end)
            pane.view.show_span(start, end)  # whole, not cut at the pane's edge
        mine = [g for g in self.review.gold if g.start < d.end and d.start < g.end]
        self._select_gold(
            min([d.start] + [g.start for g in mine]), max([d.end] + [g.end for g in mine])
        )
        panel = self.query_one("#disagreement-list", OptionList)
        panel.highlighted = self.index
        self.update_titles()

    def _select_gold(self, start: int, end: int) -> None:
        """Select [start, end) in the gold pane with the cursor at its start: on the gold
        span there, which ``e`` edits and whose links the line under the panes names."""
        self.gold_pane.view.move_to(end)
        self.gold_pane.view.move_to(start, extend=True)
        self.gold_pane.view.show_span(start, end)

    def _show_link(self) -> None:
        """Select the current link's end here in every pane."""
        link = self.current_link
        if link is None:
            return
        for pane in self.panes[:-1]:
            pane.view.select_range(link.start, link.end)
            pane.view.show_span(link.start, link.end)
        self._select_gold(link.start, link.end)
        self.query_one("#disagreement-list", OptionList).highlighted = self.index
        self.update_titles()

    # -- deciding -----------------------------------------------------------------------

    def commit(self, action: Callable[[], int], advance: bool = True) -> bool:
        """Run store actions, remember how many for undo, redraw from the database;
        True once they are committed."""
        done, saved = 0, False
        try:
            with self.gold.transaction():  # a decision is saved whole or not at all
                count = action()
            done, saved = count, True  # only now: the commit itself may fail
        except ReaderError as exc:
            self.notify(inert(str(exc)), title="Not saved", severity="error", markup=False)
        if done:
            self.undo_sizes.append(done)
        self.reload()
        if advance and done:
            self._advance()
        self.show_current()
        return saved

    def apply_steps(self, steps: tuple[adj.Step, ...]) -> int:
        return sum(1 for _ in adj.apply(self.gold, steps))

    def _advance(self) -> None:
        """Move to the next open disagreement after the current one, wrapping."""
        n = len(self.items)
        for k in range(1, n + 1):
            i = (self.index + k) % n
            if not self.review.settled(self.items[i]):
                self.index = i
                return

    def decide(self, chosen: Sequence[str]) -> None:
        d = self.current
        if (link := self.current_link) is not None:
            self.decide_link(link, chosen)
            return
        if d is None:
            self.notify("No disagreement in this document", severity="information")
            return
        steps = adj.take(d, chosen, self.review.gold, self.review.covered)
        if not steps:
            self.notify("Already decided so", severity="information")
            self._advance()
            self.show_current()
            return
        self.commit(lambda: self.apply_steps(steps))

    def action_take(self, index: int) -> None:
        if index < len(self.annotators):
            self.decide([self.annotators[index]])

    def action_take_all(self) -> None:
        self.decide(self.annotators)

    def action_neither(self) -> None:
        self.decide(())

    def action_copy_agreements(self) -> None:
        steps = tuple(
            s for ag in self.review.pending_agreements for s in adj.accept(ag, self.review.covered)
        )
        if not steps:
            self.notify("Every agreement is already in gold", severity="information")
            return
        self.commit(lambda: self.apply_steps(steps), advance=False)
        self.notify(f"{len(steps)} agreements copied to gold")

    def action_undo(self) -> None:
        size = self.undo_sizes[-1] if self.undo_sizes else 1

        def undo() -> int:
            for step in range(size):
                if history.undo(self.gold) is None:
                    if step == 0:
                        self.notify("Nothing to undo", severity="information")
                    break
            return 0  # undoing adds nothing to the undo stack

        if self.commit(undo, advance=False) and self.undo_sizes:
            self.undo_sizes.pop()  # kept while the undo was not saved: it may be retried

    # -- navigation ---------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        if not self.items:
            self.notify("No disagreement in this document", severity="information")
            return
        self.index = (self.index + step) % len(self.items)
        self.show_current()

    def action_toggle_list(self) -> None:
        """Show the list if it is hidden, else hide it, whatever the width says."""
        panel = self.query_one("#disagreement-list", OptionList)
        shown = not panel.display
        self.set_class(shown, "-list-shown")
        self.set_class(not shown, "-list-hidden")
        if not shown and self.focused is panel:
            self.panes[0].view.focus()

    @on(OptionList.OptionSelected, "#disagreement-list")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        self.index = int(event.option.id or 0)
        self.show_current()

    def action_back(self) -> None:
        self.dismiss(None)
