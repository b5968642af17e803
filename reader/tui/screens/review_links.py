"""The review screen's links: ``k`` lists the compared annotators' links on the
document, where they differ first, and Enter settles one into gold (its spans settled
before); Enter on a link disagreement reached with ``n``/``N`` does the same, and the
decision keys decide it as for spans: ``a``/``b``/``c``/``t`` keep it in gold when a
chosen annotator made it, with that annotator's attributes and note, and leave it out
otherwise, ``0`` leaves it out (``reader.core.adjudication.links``). Gold's own links
of the gold span at the gold pane's cursor are named on a line under the panes, as
the annotate screen's status line names a span's links."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from reader.core.adjudication.links import (
    LinkItem,
    chosen_values,
    leave_out,
    link_items,
    put_link,
    wanted,
)
from reader.core.display import inert
from reader.tui.article_view import ArticleView
from reader.tui.keys import bindings
from reader.tui.screens.link_picker import link_ends_text


def item_text(item: LinkItem, annotators: tuple[str, ...]) -> Text:
    """Who made it (A, B, …), its type and ends, and whether gold has it."""
    letters = "".join(
        "ABC"[i] if name in item.holders else "·" for i, name in enumerate(annotators)
    )
    line = Text.assemble(
        (f"{letters:<3} ", "bold" if not item.agreed(annotators) else "dim"),
        (item.type, "bold"),
        " '" + inert(item.source_text[:25], keep_newlines=False) + "' → '",
        inert(item.target_text[:25], keep_newlines=False) + "'",
    )
    if item.source[0] != item.target[0]:
        line.append(f" ({inert(item.source[0])} / {inert(item.target[0])})", "italic")
    if item.values_differ:
        line.append("  ≠ values", "bold yellow")
    if item.settled:
        line.append(f"  {item.gold_state}", "bold green" if item.in_gold else "green")
    return line


class LinkReview(ModalScreen[int | None]):
    """Returns the index of the link to settle into gold, or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("link-review")
    """Escape closes; Enter settles the link into gold."""

    def __init__(self, items: list[LinkItem], annotators: tuple[str, ...]):
        super().__init__()
        self.items = items
        self.annotators = annotators

    def compose(self) -> ComposeResult:
        with Vertical(id="link-list"):
            yield Label("Links (disagreements first): Enter puts one in gold")
            yield OptionList(
                *(
                    Option(item_text(i, self.annotators), id=str(n))
                    for n, i in enumerate(self.items)
                ),
                id="link-options",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewLinks:
    """Part of AdjudicationScreen; relies on its store, gold store and commit()."""

    def settle(self, item: LinkItem, advance: bool, chosen: tuple[str, ...] = ()) -> None:
        """Put ``item``'s link in gold with ``chosen``'s values (none chosen: the first
        who made it's), or give gold's copy those values: one decision, one undo."""
        if item.in_gold and not chosen:
            self.notify("That link is already in gold", severity="information")
            return
        values = chosen_values(item, chosen)
        done: list[int] = []

        def settle() -> int:
            done.append(self.put_link(item, *values))
            return done[-1]

        if self.commit(settle, advance=advance):
            if done[-1]:
                self.notify(f"The {item.type} link is in gold", markup=False)
            else:
                self.notify("Already decided so", severity="information")

    def put_link(self, item: LinkItem, attributes: Mapping, note: str) -> int:
        """Gold holds ``item``'s link with these values, and the agreed spans at its ends
        it lacked (``DocumentReview.agreed_ends``): the store actions, for one undo."""
        copied = self.apply_steps(self.review.agreed_ends(item)) if not item.in_gold else 0
        return copied + put_link(self.gold, item, attributes, note)

    def decide_link(self, item: LinkItem, chosen: list[str] | tuple[str, ...]) -> None:
        """A decision key on a link disagreement: keep it in gold or leave it out."""
        if wanted(item, chosen):
            self.settle(item, advance=True, chosen=tuple(chosen))
        elif item.left_out and not item.in_gold:
            self.notify("Already decided so", severity="information")
        elif self.commit(lambda: leave_out(self.gold, item)):
            self.notify(f"The {item.type} link is left out of gold", markup=False)

    def gold_links_line(self) -> Text:
        """Gold's links of the gold span at the gold pane's cursor ("" when none)."""
        view = self.gold_pane.view
        found = view.annotation_at(view.cursor)
        here = next((a for a in self.review.gold if a.id == found), None) if self.review else None
        ends = self.gold.links_of(here.id) if here is not None else []
        if not ends:
            return Text("")
        return link_ends_text("gold links: ", ends, self.store.schema, self.document)

    def update_gold_links(self) -> None:
        line = self.gold_links_line()
        panel = self.query_one("#gold-links", Static)
        panel.display = bool(line)
        panel.update(line)

    def on_article_view_cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        """Follow the gold pane's cursor with the line of gold's links."""
        if self.review is not None and event.view is self.gold_pane.view:
            self.update_gold_links()

    def action_settle_link(self) -> None:
        """Enter on a link disagreement reached with n/N: as Enter in the k list."""
        if (link := self.current_link) is not None:
            self.settle(link, advance=True)
        elif self.current is not None:
            self.notify("Enter puts a link in gold; a span: a, b, t or 0", severity="information")
        else:
            self.notify("No disagreement in this document", severity="information")

    def action_links(self) -> None:
        items = link_items(self.gold, self.annotators, self.document, self.gold.annotator)
        if not items:
            self.notify("No links on this document", severity="information")
            return

        def done(index: int | None) -> None:
            if index is not None:
                self.settle(items[index], advance=False)

        self.app.push_screen(LinkReview(items, self.annotators), done)
