"""Editing in the gold pane of the review: the lead's own version of a disagreement.

``g`` puts the keyboard in the gold pane, on the current disagreement, and arms it for
one tag: the next label key tags the gold pane's selection (or the word at its cursor)
as the gold annotator, origin ``adjudicated``, with the source ids of every
disagreement the new span overlaps as its provenance, so tagging there settles them. A
label key pressed without ``g`` first tags nothing: a stray digit never reaches gold.
``e`` has one meaning: edit the attributes and note of gold's version of the current
disagreement (on a link one, gold's link: its type's attributes and its note). In the gold pane ``l`` changes the label, ``x`` deletes (a deliberate
delete: "none of these").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.core import adjudication as adj
from reader.core.errors import NothingToTagError
from reader.core.model import Annotation
from reader.core.tagging import span_to_tag
from reader.tui.screens.attributes import AttributeEditor
from reader.tui.screens.label_picker import LabelPicker

if TYPE_CHECKING:
    from reader.tui.screens.review_document import AdjudicationScreen

    _Base = AdjudicationScreen
else:
    _Base = object


class GoldEditing(_Base):
    """The gold-pane actions of ``AdjudicationScreen`` (a mixin: it uses its state)."""

    gold_armed = False  # g was pressed: the next label key tags in gold

    def _in_gold(self) -> bool:
        if self.focused is self.gold_pane.view:
            return True
        self.notify("Press g to work in the gold pane first", severity="warning")
        return False

    def action_gold(self) -> None:
        """Focus the gold pane on the disagreement; the next label key tags there."""
        self.gold_pane.view.focus()
        self.show_current()
        self.gold_armed = True
        self.notify("Gold: a label key tags the selection; l relabels, x deletes")

    def _gold_under_cursor(self) -> Annotation | None:
        view = self.gold_pane.view
        found = view.annotation_at(view.cursor)
        annotation = next((a for a in self.review.gold if a.id == found), None)
        if annotation is None:
            self.notify("No gold annotation under the cursor", severity="warning")
        return annotation

    def _gold_here(self) -> Annotation | None:
        """Gold's version of the current disagreement, else the gold span at the gold
        pane's cursor (one the lead tagged there)."""
        d = self.current
        if d is not None:
            sources = set(d.sources)
            found = [g for g in self.review.gold if g.live and sources & set(adj.provenance(g))]
            if found:
                return found[0]
        view = self.gold_pane.view
        at = view.annotation_at(view.cursor)
        return next((a for a in self.review.gold if a.id == at), None)

    def action_edit(self) -> None:
        """Edit the attributes and note of gold's version here (one meaning, anywhere)."""
        if (item := self.current_link) is not None:
            self._edit_gold_link(item)
            return
        annotation = self._gold_here()
        if annotation is None:
            self.notify(
                "Gold has nothing here yet: take a side (a, b, t) or tag in gold (g)",
                severity="warning",
            )
            return

        self.app.push_screen(
            AttributeEditor(self.store.schema.label(annotation.label), annotation),
            self._saving(self.gold.update, annotation.id),
        )

    def _edit_gold_link(self, item: adj.LinkItem) -> None:
        """The span editor's form for gold's copy of the current link, as ``L`` then
        ``e`` opens it for one's own link when annotating."""
        link = item.gold_link
        if link is None:
            self.notify(
                "Gold has no such link yet: enter (or a side's key) puts it there",
                severity="warning",
            )
            return
        from reader.tui.screens.link_picker import link_heading

        link_type = self.store.schema.link_type(link.type)
        end = next(e for e in self.gold.links_of(link.source) if e.link.id == link.id)
        heading = link_heading(link_type, self.gold.annotation(link.source).text, end)

        self.app.push_screen(
            AttributeEditor(link_type, link, heading=heading),
            self._saving(self.gold.update_link, link.id),
        )

    def _saving(self, update: Callable[..., Any], target: str) -> Callable[[dict | None], None]:
        """The editor's callback: its attributes and note saved through ``update`` (of
        an annotation or a link) as one decision, which undo reverts whole."""

        def done(values: dict | None) -> None:
            if values is not None:
                self.commit(
                    lambda: self._one(
                        update, target, attributes=values["attributes"], note=values["note"]
                    ),
                    advance=False,
                )

        return done

    def _one(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        call(*args, **kwargs)
        return 1

    def action_tag(self, label: str) -> None:
        if not self.gold_armed or self.focused is not self.gold_pane.view:
            self.gold_armed = False
            self.notify("Label keys tag in gold only after g", severity="warning")
            return
        self.gold_armed = False
        view = self.gold_pane.view
        try:
            start, end = span_to_tag(view.text, view.cursor, view.selection)
        except NothingToTagError as exc:
            self.notify(str(exc), severity="warning")
            return
        sources = adj.edit_provenance(self.review.comparison.disagreements, start, end)
        attributes = {adj.PROVENANCE: sources} if sources else {}
        self.commit(
            lambda: self._one(
                self.gold.create,
                self.document,
                start,
                end,
                label,
                attributes=attributes,
                origin=adj.ADJUDICATED,
            ),
            advance=False,
        )

    def action_delete(self) -> None:
        if self._in_gold() and (annotation := self._gold_under_cursor()) is not None:
            self.commit(lambda: self._one(self.gold.delete, annotation.id), advance=False)

    def action_relabel(self) -> None:
        if not self._in_gold() or (annotation := self._gold_under_cursor()) is None:
            return

        def done(name: str | None) -> None:
            if name and name != annotation.label:
                self.commit(
                    lambda: self._one(self.gold.update, annotation.id, label=name), advance=False
                )

        self.app.push_screen(
            LabelPicker(self.store.schema, annotation.label, annotation.text), done
        )
