"""The annotate screen's moves: from annotation to annotation (n / N), between
documents, selecting a word or sentence, searching within a pane, and opening a
document at an offset (the palette, a followed link, the claims ledger). Moves change
what is shown, never what is stored."""

from __future__ import annotations


class NavigationActions:
    """Part of AnnotateScreen; relies on its pane, open_document and notify."""

    def _jump_annotation(self, forward: bool) -> None:
        view = self.pane.view
        target = self.pane.spans.next_start(view.cursor, forward)
        if target is None:
            self.notify("No more annotations this way", severity="information")
            return
        view.move_to(target)

    def action_next_annotation(self) -> None:
        self._jump_annotation(True)

    def action_previous_annotation(self) -> None:
        self._jump_annotation(False)

    def action_go(self, step: int) -> None:
        self.pane.view.move_document(step)

    def action_select_word(self) -> None:
        self.pane.view.select_word()

    def action_select_sentence(self) -> None:
        self.pane.view.select_sentence()

    def action_search(self) -> None:
        view = self.pane.view

        def done(term: str | None) -> None:
            if term is None:
                return
            view.set_search(term)
            if term and not view.next_match():
                self.notify("No match in this pane", severity="warning")

        from reader.tui.screens.search import SearchPrompt

        self.app.push_screen(SearchPrompt(), done)

    def action_next_match(self) -> None:
        self.pane.view.next_match()

    def action_previous_match(self) -> None:
        self.pane.view.previous_match()

    def open_at(self, document_id: str, offset: int) -> None:
        """Show a document in the focused pane with the cursor at ``offset``."""
        pane = self.pane
        if pane.document_id != document_id:
            self.open_document(pane, document_id)
        pane.view.move_to(offset)
        pane.view.focus()
