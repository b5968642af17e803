"""Review's attribute table: for two spans that match but differ in attributes or note
(or one link all made with different attributes or note), each attribute with A's and
B's values side by side (``≠`` marks a difference) and gold's, and keys that take one
annotator's value of the highlighted attribute into gold
(``reader.core.adjudication.values``): ``v``/``V`` move between the attributes,
``A``/``B``/``C`` take that annotator's value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from reader.core.adjudication import values as av
from reader.core.display import inert
from reader.core.errors import ReaderError

if TYPE_CHECKING:
    from reader.tui.screens.review_document import AdjudicationScreen

    _Base = AdjudicationScreen
else:
    _Base = object

LETTERS = "ABC"


def _shown(value: Any) -> Text:
    if value is None:
        return Text("–", style="dim")
    return Text(inert(str(value), keep_newlines=False)[:40])


class ValueTaking(_Base):
    """The attribute table of ``AdjudicationScreen`` (a mixin: it uses its state)."""

    attribute_index = 0

    def attribute_rows(self) -> list[av.AttributeRow]:
        item = self.item
        return av.attribute_rows(item, self.store.schema) if item is not None else []

    def update_attribute_table(self) -> None:
        """Draw the current disagreement's attribute table (hidden when it has none)."""
        panel = self.query_one("#attribute-table", Static)
        rows = self.attribute_rows()
        panel.display = bool(rows)
        if not rows:
            return
        self.attribute_index = min(self.attribute_index, len(rows) - 1)
        gold = av.gold_version(self.item, self.review.gold)
        taken = av.value_sources(gold)
        ids = [a.id if a is not None else None for a in av.single_versions(self.item)]
        table = Table(expand=True, padding=(0, 1), show_edge=False)
        table.add_column("", width=1)
        table.add_column("attribute", no_wrap=True)
        for i, name in enumerate(self.annotators):
            table.add_column(Text(f"{LETTERS[i]} {inert(name, keep_newlines=False)}"), ratio=1)
        table.add_column(Text(f"gold {inert(self.gold.annotator, keep_newlines=False)}"), ratio=1)
        for k, row in enumerate(rows):
            gold_value = av.value_of(gold, row.name)
            source = taken.get(row.name)
            origin = f" ({LETTERS[ids.index(source)]})" if source in ids else ""
            table.add_row(
                Text("≠", style="bold yellow") if row.differs else Text(""),
                Text(row.name, style="bold" if row.differs else ""),
                *(_shown(v) for v in row.values),
                Text.assemble(_shown(gold_value), (origin, "italic")),
                style="reverse" if k == self.attribute_index else None,
            )
        panel.update(table)

    def action_attribute_step(self, step: int) -> None:
        rows = self.attribute_rows()
        if not rows:
            self.notify("No attributes to settle here", severity="information")
            return
        self.attribute_index = (self.attribute_index + step) % len(rows)
        self.update_attribute_table()

    def action_take_value(self, index: int) -> None:
        rows = self.attribute_rows()
        if not rows or index >= len(self.annotators):
            self.notify("No attributes to settle here", severity="information")
            return
        name = rows[min(self.attribute_index, len(rows) - 1)].name
        link = self.current_link
        try:
            if link is not None:
                planned = av.take_link_value(link, self.annotators, index, name)
                action = (lambda: self.put_link(link, *planned)) if planned else None
            else:
                steps = av.take_value(self.current, index, name, self.review.gold)
                action = (lambda: self.apply_steps(steps)) if steps else None
        except ReaderError as exc:
            self.notify(inert(str(exc)), severity="warning", markup=False)
            return
        if action is None:
            self.notify("Gold already has that value", severity="information")
            return
        self.commit(action, advance=False)
