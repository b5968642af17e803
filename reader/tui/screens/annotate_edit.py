"""The annotate screen's edits of one annotation: the attribute editor (e, or the
palette's "Edit FIELD"), another label (r), and deletion (x). Only the annotator's own
annotation at the cursor can be changed; each change is one store call through the
screen's save(), so a refusal is shown and the panes redrawn from the database."""

from __future__ import annotations

from collections.abc import Callable

from reader.core.display import inert
from reader.core.model import Annotation


class EditActions:
    """Part of AnnotateScreen; relies on its store, pane, save() and notify."""

    def annotation_under_cursor(self) -> Annotation | None:
        """The innermost of the annotator's own annotations at the cursor; where none is
        theirs (others' spans shown, o), the innermost of anyone's, for the refusal to
        name whose it is. Another annotator's span on the same words, or inside theirs,
        must not stand in the way of their own."""
        view = self.pane.view
        found = [self.store.annotation(i) for i in view.annotations_at(view.cursor)]
        mine = [a for a in found if a.annotator == self.store.annotator]
        return (mine or found or [None])[0]

    def mine_under_cursor(self) -> Annotation | None:
        annotation = self.annotation_under_cursor()
        if annotation is None:
            self.notify("No annotation under the cursor", severity="warning")
            return None
        if annotation.annotator != self.store.annotator:
            self.notify(
                f"That annotation is {inert(annotation.annotator)}'s, not yours",
                severity="warning",
                markup=False,
            )
            return None
        return annotation

    def same_span_at_cursor(self, annotation: Annotation) -> list[Annotation]:
        """The annotations at the cursor on exactly ``annotation``'s span by its
        annotator, itself among them: one span carrying several of their labels."""
        view = self.pane.view
        span = (annotation.start, annotation.end, annotation.annotator)
        return [
            a
            for a in map(self.store.annotation, view.annotations_at(view.cursor))
            if (a.start, a.end, a.annotator) == span
        ]

    def with_mine_under_cursor(
        self, then: Callable[[Annotation], None], besides: Annotation | None = None
    ) -> None:
        """Call ``then`` with the annotator's annotation at the cursor. Where one span
        carries several of their labels, ask which one (by its label key): the innermost
        rule alone would always give the same one, and the others could never be edited,
        relabelled, linked or removed. ``besides`` is left out (a link's own start)."""
        annotation = self.mine_under_cursor()
        if annotation is None:
            return
        twins = {
            a.label: a
            for a in self.same_span_at_cursor(annotation)
            if besides is None or a.id != besides.id
        }
        if len(twins) < 2:
            then(next(iter(twins.values()), annotation))
            return

        def chosen(name: str | None) -> None:
            if name in twins:
                then(twins[name])

        from reader.tui.screens.label_picker import LabelPicker

        self.app.push_screen(
            LabelPicker(
                self.store.schema,
                annotation.label,
                annotation.text,
                only=tuple(twins),
                question="Which annotation on ",
            ),
            chosen,
        )

    def edit_field(self, label: str, attribute: str) -> None:
        """Open the editor on ``attribute`` of the annotation at the cursor (the palette's
        "Edit FIELD"), if it is the annotator's and has that label."""
        annotation = self.annotation_under_cursor()
        if annotation is None or annotation.label != label:
            title = self.store.schema.label(label).title
            self.notify(
                f"Put the cursor on your {title} annotation to edit its {attribute}",
                severity="warning",
                markup=False,
            )
            return
        self.action_edit(attribute)

    def action_edit(self, focus: str | None = None) -> None:
        self.with_mine_under_cursor(lambda annotation: self._edit(annotation, focus))

    def _edit(self, annotation: Annotation, focus: str | None) -> None:
        label = self.store.schema.label(annotation.label)

        def done(values: dict | None) -> None:
            if values is not None:
                self.save(
                    lambda: self.store.update(
                        annotation.id, attributes=values["attributes"], note=values["note"]
                    ),
                    annotation.document,
                )

        from reader.tui.screens.attributes import AttributeEditor

        self.app.push_screen(AttributeEditor(label, annotation, focus), done)

    def action_relabel(self) -> None:
        self.with_mine_under_cursor(self._relabel)

    def _relabel(self, annotation: Annotation) -> None:
        def done(name: str | None) -> None:
            if name and name != annotation.label:
                self.save(lambda: self.store.update(annotation.id, label=name), annotation.document)

        from reader.tui.screens.label_picker import LabelPicker

        self.app.push_screen(
            LabelPicker(self.store.schema, annotation.label, annotation.text), done
        )

    def action_delete(self) -> None:
        self.with_mine_under_cursor(
            lambda annotation: self.save(
                lambda: self.store.delete(annotation.id), annotation.document
            )
        )
