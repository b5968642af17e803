"""Moving about the review's panes: they show one document, so they scroll together
(``y`` turns it off and on), ``/`` searches all of them, ``]``/``[`` step through the
matches, and the current disagreement is scrolled whole into view in every pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.tui.article_view import ArticleView

if TYPE_CHECKING:
    from reader.tui.screens.review_document import AdjudicationScreen

    _Base = AdjudicationScreen
else:
    _Base = object


class ReviewNavigation(_Base):
    """The scrolling and searching of ``AdjudicationScreen`` (a mixin: it uses its state)."""

    sync_scroll = True

    def action_toggle_sync(self) -> None:
        self.sync_scroll = not self.sync_scroll
        self.notify("Panes scroll together" if self.sync_scroll else "Panes scroll on their own")

    def on_article_view_scrolled(self, event: ArticleView.Scrolled) -> None:
        if not self.sync_scroll:
            return
        for pane in self.panes:
            if pane.view is not event.view:
                pane.view.scroll_to_relative(event.relative)

    def _searched_view(self) -> ArticleView:
        focused = self.focused
        return focused if isinstance(focused, ArticleView) else self.panes[0].view

    def action_search(self) -> None:
        def done(term: str | None) -> None:
            if term is None:
                return
            for pane in self.panes:
                pane.view.set_search(term)
            if term and not self._searched_view().next_match():
                self.notify("No match in this document", severity="warning")

        from reader.tui.screens.search import SearchPrompt

        self.app.push_screen(SearchPrompt(), done)

    def action_next_match(self) -> None:
        if not self._searched_view().next_match():
            self.notify("No search: press / first", severity="information")

    def action_previous_match(self) -> None:
        if not self._searched_view().previous_match():
            self.notify("No search: press / first", severity="information")
