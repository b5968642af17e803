"""Searching ArticleView: every match of a term highlighted, and the cursor moved from
one to the next. A match is selected when reached, so a label key tags exactly what was
searched for. The ``regex`` package (its REVERSE flag finds the previous match without
scanning from the start) is imported on the first search, not at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.text import normalize

if TYPE_CHECKING:
    import regex


class SearchMixin:
    """``ArticleView``'s search: the compiled term (``_search``, ``_search_back``), the
    match the cursor is on (``_current_match``) and the moves between matches."""

    def set_search(self, term: str) -> None:
        """Highlight every match of ``term`` (case-insensitive unless it has capitals)."""
        self._whole()
        term = normalize(term)
        if term:
            import regex  # on first search: not at start (tests/tui/test_startup.py)

            flags = 0 if any(c.isupper() for c in term) else regex.IGNORECASE
            self._search = regex.compile(regex.escape(term), flags)
            self._search_back = regex.compile(regex.escape(term), flags | regex.REVERSE)
        else:
            self._search = self._search_back = None
        self._current_match = None
        self._search_generation += 1
        self.refresh()

    def next_match(self) -> bool:
        """Move the cursor to the next match, wrapping at the end; ``False`` if none."""
        self._whole()
        if self._search is None:
            return False
        found = self._search.search(self._text, self._cursor + 1) or self._search.search(self._text)
        return self._go_to_match(found)

    def previous_match(self) -> bool:
        """Move the cursor to the previous match, wrapping at the start."""
        self._whole()
        if self._search_back is None:
            return False
        found = self._search_back.search(self._text, 0, self._cursor)
        if found is None:
            found = self._search_back.search(self._text)
        return self._go_to_match(found)

    def _go_to_match(self, found: regex.Match | None) -> bool:
        if found is None:
            self.app.bell()
            return False
        previous = self._current_match
        self._current_match = found.span()
        if previous is not None:
            self._refresh_between(*previous)
        # The match is selected, so a label key tags exactly what was searched for.
        self.move_to(found.end())
        self.move_to(found.start(), extend=True)  # cursor at the match's start, as before
        return True
