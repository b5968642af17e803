"""Scrolling ArticleView by an anchor, so that the text on screen does not jump.

Scrolling keeps an *anchor*: an offset whose row stays at a given screen row while
row-count estimates above it are replaced by exact counts, so that the text on
screen does not jump when a block is wrapped for the first time.
"""

from __future__ import annotations

from textual.geometry import Size

from reader.tui.layout import Layout


class ScrollMixin:
    """``ArticleView``'s scrolling: the anchor (``_top_offset``, ``_top_dy``) and the
    wrapping of what comes on screen before it is drawn."""

    @property
    def relative_scroll(self) -> float:
        """Where the top row starts, as a fraction of the text: for synchronized panes
        (posted only once the whole text is in: drawing from the start stays at the top)."""
        return self._top_offset / len(self._text) if self._text else 0.0

    def scroll_to_relative(self, relative: float) -> None:
        """Show the row holding ``relative * len(text)`` at the top."""
        self._whole()
        self._anchor_top(round(max(0.0, min(1.0, relative)) * len(self._text)), 0, notify=False)

    def scroll_to_offset(self, offset: int, center: bool = True) -> None:
        """Bring ``offset``'s row on screen, centred or at the top."""
        self._whole()
        self._anchor_top(max(0, min(offset, len(self._text))), self._height() // 2 if center else 0)

    def show_span(self, start: int, end: int) -> None:
        """Scroll so that [start, end) is on screen whole, moving as little as possible;
        a span taller than the pane starts at its top."""
        self._whole()
        layout = self._ensure_layout()
        if layout is None:
            return
        height = self._height()
        first = layout.y_of(*layout.position(start))
        last = layout.y_of(*layout.position(max(start, end - 1)))
        top = round(self.scroll_y)
        if first < top or last - first >= height:
            self._anchor_top(start, 0)
        elif last >= top + height:
            self._anchor_top(start, height - 1 - (last - first))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        layout = self._ensure_layout()
        if layout is None:
            self._top_offset, self._top_dy = self._cursor, 0
            return
        height = self._height()
        y = layout.y_of(*layout.position(self._cursor))
        top = round(self.scroll_y)
        if center:
            screen_row = height // 2
        elif y < top:
            screen_row = 0
        elif y >= top + height:
            screen_row = height - 1
        else:
            screen_row = y - top
        self._anchor_top(self._cursor, screen_row)

    def _anchor_top(self, offset: int, screen_row: int, notify: bool = True) -> None:
        self._top_offset = offset
        self._top_dy = -screen_row
        self._settle(notify)

    def watch_scroll_y(self, old: float, new: float) -> None:
        if not self._scrolling and round(old) != round(new):
            self._top_dy += round(new) - round(old)  # a wheel or scrollbar: move off the anchor
        super().watch_scroll_y(old, new)

    def _settle(self, notify: bool = True) -> None:
        """Wrap what will be on screen, then put the anchored row where it belongs."""
        layout = self._ensure_layout()
        if layout is None:
            return
        height = self._height()
        for _ in range(16):
            total = layout.total_rows
            top = layout.y_of(*layout.position(self._top_offset)) + self._top_dy
            top = max(0, min(top, total - height))
            if not self._make_exact(layout, top, height):
                break
        total = layout.total_rows
        top = max(0, min(top, total - height))
        block, row = layout.locate(top)
        self._top_offset = layout.row_span(block, row)[0]
        self._top_dy = 0
        # A new virtual size costs Textual a layout pass. Estimates turning exact move
        # the total by a row or two per page: let that wait until it is 1% off, or
        # until the end of the text comes into reach.
        width = self._width()
        known = self.virtual_size
        near_end = top + 2 * height >= min(total, known.height)
        if known.width != width or (
            known.height != total and (near_end or abs(total - known.height) * 100 > total)
        ):
            self.virtual_size = Size(width, total)
        if round(self.scroll_y) != top:
            self._scrolling = True
            try:
                self.scroll_target_y = self.scroll_y = top
            finally:
                self._scrolling = False
        if self._top_offset != self._last_top:
            self._last_top = self._top_offset
            if notify:  # not when following another pane: that would echo back
                self.post_message(self.Scrolled(self, self.relative_scroll))

    @staticmethod
    def _make_exact(layout: Layout, top: int, height: int) -> bool:
        """Wrap every block shown in rows [top, top + height); True if a count changed."""
        block: int | None
        block, row = layout.locate(top)
        changed = False
        left = height + row
        while left > 0 and block is not None:
            if not layout.is_exact(block):
                before = layout.row_count(block)
                layout.wrap(block)
                changed |= layout.row_count(block) != before
            left -= layout.row_count(block)
            block = layout.next_block(block)
        return changed
