"""Moving ArticleView's cursor and selection, by keys and by mouse.

Keys move by grapheme, word, wrapped row, page, row end or document, and shift extends
the selection; up and down keep a goal column in cells. A click places the cursor, a
drag selects (scrolling past the pane's edges), a double click selects the word and a
triple click the sentence.
"""

from __future__ import annotations

from textual import events

from reader.core.segments import next_word_end, previous_word_start, sentence_at, word_at
from reader.core.text import next_boundary, previous_boundary


class CursorMixin:
    """``ArticleView``'s cursor and selection: every move goes through ``_place``, which
    posts ``CursorMoved`` and ``SelectionChanged`` and repaints the rows it touched."""

    def move_to(self, offset: int, extend: bool = False, *, center: bool = False) -> None:
        """Put the cursor at ``offset`` (clamped), extending the selection or clearing it."""
        self._whole()
        self._place(offset, extend)
        self._scroll_cursor_into_view(center=center)

    def select_range(self, start: int, end: int) -> None:
        """Select [start, end) with the cursor at ``end``."""
        self._whole()
        self._place(start, False)
        self._place(end, True)
        self._scroll_cursor_into_view()

    def clear_selection(self) -> None:
        self._place(self._cursor, False)

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def select_word(self) -> bool:
        """Select the word under the cursor; ``False`` (and nothing changes) if none."""
        self._whole()
        span = word_at(self._text, self._cursor)
        if span is None:
            return False
        self.select_range(*span)
        return True

    def select_sentence(self) -> bool:
        """Select the sentence under the cursor; ``False`` on an empty line."""
        self._whole()
        start, end = sentence_at(self._text, self._cursor)
        if start == end:
            return False
        self.select_range(start, end)
        return True

    def move_grapheme(self, step: int, extend: bool = False) -> None:
        text = self._text
        target = (
            next_boundary(text, self._cursor) if step > 0 else previous_boundary(text, self._cursor)
        )
        self.move_to(target, extend)

    def move_word(self, step: int, extend: bool = False) -> None:
        text = self._text
        if step > 0:
            self.move_to(next_word_end(text, self._cursor), extend)
        else:
            self.move_to(previous_word_start(text, self._cursor), extend)

    def move_row(self, step: int, extend: bool = False) -> None:
        """Up or down one wrapped row, keeping the goal column in cells."""
        layout = self._ensure_layout()
        if layout is None:
            return
        block, row, x = layout.x_of(self._cursor)
        goal = x if self._goal_x is None else self._goal_x
        target = layout.next_row(block, row, step)
        if target is None:
            offset = 0 if step < 0 else len(self._text)
        else:
            offset = layout.offset_at_x(*target, goal)
        self.move_to(offset, extend)
        self._goal_x = goal

    def move_page(self, step: int, extend: bool = False) -> None:
        """A page of rows up or down; the cursor keeps its place on screen."""
        layout = self._ensure_layout()
        if layout is None:
            return
        block, row, x = layout.x_of(self._cursor)
        goal = x if self._goal_x is None else self._goal_x
        screen_row = layout.y_of(block, row) - round(self.scroll_y)
        position: tuple[int, int] | None = (block, row)
        for _ in range(max(1, self._height() - 1)):
            following = layout.next_row(*position, step)
            if following is None:
                break
            position = following
        if position == (block, row):  # already on the first or last row
            offset = 0 if step < 0 else len(self._text)
        else:
            offset = layout.offset_at_x(*position, goal)
        self._place(offset, extend)
        self._goal_x = goal
        self._anchor_top(offset, max(0, min(screen_row, self._height() - 1)))

    def move_row_end(self, step: int, extend: bool = False) -> None:
        """To the start (step < 0) or end (step > 0) of the cursor's wrapped row."""
        layout = self._ensure_layout()
        if layout is None:
            return
        block, row = layout.position(self._cursor)
        if step < 0:
            offset = layout.row_span(block, row)[0]
        else:
            offset = layout.offset_at_x(block, row, 1 << 30)
        self.move_to(offset, extend)

    def move_document(self, step: int, extend: bool = False) -> None:
        self.move_to(0 if step < 0 else len(self._text), extend)

    def action_move(self, unit: str, step: int, extend: bool = False) -> None:
        """Bindings land here: ``unit`` is grapheme, word, row, page, row_end or document."""
        self._whole()
        getattr(self, f"move_{unit}")(step, extend)

    def _place(self, offset: int, extend: bool) -> None:
        offset = max(0, min(offset, len(self._text)))
        before = (self._cursor, self.selection)
        old_match = self._current_match
        if extend:
            if self._anchor is None:
                self._anchor = self._cursor
        else:
            self._anchor = None
        self._cursor = offset
        self._goal_x = None
        if self._current_match and self._current_match[0] != offset:
            self._current_match = None
        if before[0] != offset:
            self.post_message(self.CursorMoved(self, offset))
        if before[1] != self.selection:
            self.post_message(self.SelectionChanged(self, self.selection))
        touched = [before[0], offset]
        for span in (before[1], self.selection, old_match):
            if span is not None:
                touched.extend(span)
        self._refresh_between(min(touched), max(touched))

    # -- mouse ----------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int:
        """The offset drawn at cell (x, y) of the content area (y counts screen rows)."""
        self._whole()
        layout = self._ensure_layout()
        if layout is None:
            return 0
        row_y = round(self.scroll_y) + y
        if row_y >= layout.total_rows:
            return len(self._text)
        if row_y < 0:
            return 0
        return layout.offset_at_x(*layout.locate(row_y), max(0, x - self._gutter_cells))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        where = event.get_content_offset(self)
        if where is None:
            return
        self.focus()
        self._dragging = True
        self._dragged = False
        self.capture_mouse()
        self.move_to(self.offset_at(where.x, where.y), extend=event.shift)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        where = event.get_content_offset_capture(self)
        y = where.y
        if y < 0 or y >= self._height():
            self._top_dy = -1 if y < 0 else 1
            self._settle()
            y = max(0, min(y, self._height() - 1))
        offset = self.offset_at(where.x, y)
        if offset != self._cursor:
            self._dragged = True
            self.move_to(offset, extend=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if not self._dragged:
            clicked = self.annotation_at(self._cursor)
            if clicked is not None:
                self.post_message(self.AnnotationClicked(self, clicked, ctrl=event.ctrl))

    def on_click(self, event: events.Click) -> None:
        """A double click selects the word, a triple click the sentence."""
        if event.chain == 2:
            self.select_word()
        elif event.chain >= 3:
            self.select_sentence()
