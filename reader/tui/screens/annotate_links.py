"""The annotate screen's links: make one from the keyboard (k on a span, move, in this
pane or another, Enter) or the mouse (ctrl+click one end, then click the other), see
the links of the span at the cursor on the status line, follow one (f), list them (L)
to follow, edit (the attributes its type declares, and its note) or remove one, and
open the claims ledger (C). With suggestions shown (u), a
suggested link of the span at the cursor is named there too, and + / - accept or reject
it, as for suggested spans.

Which types may join two spans is the core's rule (``fitting_types``); the screen only
offers them, and the store refuses what breaks the rules with a reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from reader.core.display import inert
from reader.core.links.rules import fitting_types
from reader.core.links.values import LinkEnd, LinkType
from reader.core.model import Annotation
from reader.tui.article_view import ArticleView

if TYPE_CHECKING:  # suggested links load when suggestions are first shown (u)
    from reader.core.links.suggest import LinkSuggestion


class LinkActions:
    """Part of AnnotateScreen; relies on its store, panes, save() and status line."""

    link_from: Annotation | None = None
    _link_cursor: tuple[str | None, str | None] = (None, None)  # (pane document, span id)
    _jump_index = 0

    # -- what the status line shows -------------------------------------------------------

    def links_here(self) -> tuple[Annotation | None, list[LinkEnd]]:
        """The span at the cursor and its links (only the annotator's own span: links
        join one annotator's spans), with those of the same span's other labels."""
        view = self.pane.view
        found = view.annotation_at(view.cursor)
        if found is None:
            return None, []
        annotation = self.store.annotation(found)
        ends = {
            end.link.id: end
            for same in self.same_span_at_cursor(annotation)
            for end in self.store.links_of(same.id)
        }
        return annotation, list(ends.values())

    def link_status(self) -> Text:
        """The status line's part for links: the link being made, or the links of the
        span at the cursor."""
        if self.link_from is not None:
            line = Text("linking from ", "bold yellow")
            line.append("'" + inert(self.link_from.text[:30], keep_newlines=False) + "'", "bold")
            line.append(": Enter on the other end (k cancels)", "yellow")
            return line
        annotation, ends = self.links_here()
        suggestion = self.link_suggestion_here()
        if suggestion is not None:
            other = (
                suggestion.target if suggestion.source.id == annotation.id else suggestion.source
            )
            line = Text("suggested link: ", "italic")
            line.append(suggestion.type, "bold")
            line.append(" '" + inert(other.text[:30], keep_newlines=False) + "'")
            line.append(f" ({suggestion.reason}; + accepts, - rejects)", "italic dim")
            return line
        if not ends:
            return Text("")
        from reader.tui.screens.link_picker import link_ends_text

        return link_ends_text("links: ", ends, self.store.schema, annotation.document)

    def link_suggestion_here(self) -> LinkSuggestion | None:
        """A suggested link of the span at the cursor, while suggestions are shown (u)."""
        if not self.assist.show_suggestions:
            return None
        view = self.pane.view
        found = view.annotation_at(view.cursor)
        if found is None:
            return None
        from reader.core.links.suggest import suggest_links

        documents = [p.document_id for p in self.panes if p.document_id is not None]
        for suggestion in suggest_links(self.store, list(dict.fromkeys(documents))):
            if found in (suggestion.source.id, suggestion.target.id):
                return suggestion
        return None

    def accept_link_suggestion(self, suggestion: LinkSuggestion) -> None:
        from reader.core.links.suggest import accept

        self.save(lambda: accept(self.store, suggestion), None)
        self.update_status()

    def reject_link_suggestion(self, suggestion: LinkSuggestion) -> None:
        from reader.core.links.suggest import reject

        self.save(lambda: reject(self.store, suggestion), None)
        self.update_status()

    def on_article_view_cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        """Follow the cursor with the status line's links, when it enters another span."""
        view = event.view
        here = (getattr(self.pane, "document_id", None), view.annotation_at(event.cursor))
        if here != self._link_cursor:
            self._link_cursor = here
            self._jump_index = 0
            self.update_status()

    # -- making a link --------------------------------------------------------------------

    def action_link(self) -> None:
        """Start a link from the span at the cursor; pressed again, cancel it."""
        if self.link_from is not None:
            self.link_from = None
            self.notify("Link cancelled", severity="information")
            self.update_status()
            return
        if not self.store.schema.links:
            self.notify("The schema has no link types", severity="warning")
            return

        def start(annotation: Annotation) -> None:
            self.link_from = annotation
            self.update_status()

        self.with_mine_under_cursor(start)

    def action_finish_link(self) -> None:
        """Enter: end the link being made at the span at the cursor."""
        if self.link_from is None:
            return
        self.with_mine_under_cursor(self.link_to, besides=self.link_from)

    def link_to(self, target: Annotation) -> None:
        """Link the span the link started from to ``target``: directly when one type
        fits, through a choice when several do."""
        source = self.link_from
        if source is None:
            return
        if source.id == target.id:
            self.notify("That is the span the link starts from", severity="warning")
            return
        types = self.store.schema.links
        choices: list[tuple[LinkType, Annotation, Annotation]] = [
            (t, source, target) for t in fitting_types(types, source, target)
        ]
        # A directed type that fits the other way round (attribution last): offer it too.
        choices += [
            (t, target, source)
            for t in fitting_types(types, target, source)
            if t.directed and all(t is not c[0] for c in choices)
        ]
        if not choices:
            self.notify(
                f"No link type joins {source.label} and {target.label}"
                + ("" if source.document == target.document else " across documents"),
                severity="warning",
                markup=False,
            )
            return
        if len(choices) == 1:
            self._make_link(*choices[0])
            return

        def done(index: int | None) -> None:
            if index is not None:
                self._make_link(*choices[index])

        from reader.tui.screens.link_picker import LinkTypePicker

        self.app.push_screen(LinkTypePicker([(t, a.text, b.text) for t, a, b in choices]), done)

    def _make_link(self, link_type: LinkType, source: Annotation, target: Annotation) -> None:
        made = self.save(lambda: self.store.create_link(source.id, target.id, link_type.name), None)
        if made is not None:
            self.link_from = None
            self.notify(
                f"Linked {link_type.title}: '{inert(source.text[:25], keep_newlines=False)}' "
                f"{'→' if link_type.directed else '↔'} "
                f"'{inert(target.text[:25], keep_newlines=False)}'",
                markup=False,
            )
        self.update_status()

    def link_click(self, event: ArticleView.AnnotationClicked) -> bool:
        """The mouse: ctrl+click a span starts a link, a click on another ends it.
        Returns whether the click was the link's (not a selection)."""
        if self.link_from is None and not event.ctrl:
            return False
        annotation = self.store.annotation(event.annotation_id)
        if annotation.annotator != self.store.annotator:
            return False
        if self.link_from is None:
            self.link_from = annotation
            self.update_status()
        else:
            self.link_to(annotation)
        return True

    # -- following and removing -----------------------------------------------------------

    def _go_to(self, end: LinkEnd) -> None:
        """Show the other end: in a pane that has its document, else the focused one."""
        for pane in self.panes:
            if pane.document_id == end.other_document:
                pane.view.move_to(end.other_start, center=True)
                pane.view.focus()
                return
        self.open_at(end.other_document, end.other_start)

    def action_jump_link(self) -> None:
        """Go to the other end of the span's links, one after another."""
        _, ends = self.links_here()
        if not ends:
            self.notify("No links on the span at the cursor", severity="information")
            return
        end = ends[self._jump_index % len(ends)]
        self._jump_index += 1
        self._go_to(end)

    def action_links(self) -> None:
        """List the span's links: Enter follows one, x removes it."""
        annotation, ends = self.links_here()
        if annotation is None or not ends:
            self.notify("No links on the span at the cursor", severity="information")
            return
        by_id = {e.link.id: e for e in ends}

        def done(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            what, link_id = choice
            if what == "jump":
                self._go_to(by_id[link_id])
            elif what == "edit":
                self.edit_link(annotation, by_id[link_id])
            else:
                self.save(lambda: self.store.delete_link(link_id), None)
                self.notify(f"Removed the {by_id[link_id].link.type} link", markup=False)
                self.update_status()

        from reader.tui.screens.link_picker import LinkList

        directed = {t.name: t.directed for t in self.store.schema.links}
        self.app.push_screen(LinkList(annotation.text, ends, directed, annotation.document), done)

    def edit_link(self, here: Annotation, end: LinkEnd) -> None:
        """The span editor's form for a link: the attributes its type declares, and its
        note; saved as one change (undo reverts it)."""
        link = end.link
        if link.annotator != self.store.annotator:
            self.notify(
                f"That link is {inert(link.annotator)}'s: you edit only your own",
                severity="warning",
                markup=False,
            )
            return
        link_type = self.store.schema.link_type(link.type)

        def done(values: dict | None) -> None:
            if values is not None:
                self.save(
                    lambda: self.store.update_link(
                        link.id, attributes=values["attributes"], note=values["note"]
                    ),
                    None,
                )
                self.update_status()

        from reader.tui.screens.attributes import AttributeEditor
        from reader.tui.screens.link_picker import link_heading

        heading = link_heading(link_type, here.text, end)
        self.app.push_screen(AttributeEditor(link_type, link, heading=heading), done)

    def action_claims(self) -> None:
        """The claims ledger of the open documents; Enter goes to a claim."""
        documents = [p.document_id for p in self.panes if p.document_id is not None]

        def done(target: tuple[str, int] | None) -> None:
            if target is not None:
                self.open_at(*target)

        from reader.tui.screens.claims import ClaimsScreen

        self.app.push_screen(ClaimsScreen(self.store, documents), done)
