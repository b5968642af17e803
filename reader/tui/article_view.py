"""ArticleView: a virtual view of one article, with its own cursor and selection.

A ``ScrollView`` on Textual's Line API: ``render_line(y)`` draws one wrapped row, and
only rows on screen are ever wrapped or styled (see ``reader.tui.wrap`` for how
wrapping stays local on a 10 MB line). ``TextArea`` was measured at 1.4 s to first
paint a 5 MB article; this view costs about as much as an empty app.

Offsets are code points into the document text, as everywhere in reader; the cursor
sits before the character at its offset. The text is data: rows are built as
``Segment``s from the text (with controls made inert by ``wrap.display``), never
parsed as markup.

Three caches, keyed so that a change misses by itself (as in Textualize/toolong):
wrapped rows by ``(block, width)`` in the layout, annotations and search matches by
``(block, generation)``, and finished strips by row plus everything drawn on that
row (cursor, selection, match, generations, focus). Nothing is cleared by hand
except on a theme change.

Scrolling keeps an *anchor*: an offset whose row stays at a given screen row while
row-count estimates above it are replaced by exact counts, so that the text on
screen does not jump when a block is wrapped for the first time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import pairwise
from typing import ClassVar, NamedTuple

import regex
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color, ColorParseError
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.segments import next_word_end, previous_word_start, sentence_at, word_at
from reader.core.text import next_boundary, normalize, previous_boundary
from reader.tui.wrap import SUBSTITUTED, TAB_CELLS, Layout, SpanIndex, display_cluster, is_simple

GUTTER = 1  # cells left of the text for side marks (shared passages), when enabled
MAX_LAYERS = 3  # background, underline, double underline: deeper overlaps are not drawn


class AnnotationSpan(NamedTuple):
    """An annotation as the view draws it: the caller decides labels and colours."""

    id: str
    start: int
    end: int
    label: str
    color: str
    layer: int | None = None  # None: the view stacks overlapping spans itself
    other: bool = False  # another annotator's span: drawn muted and italic


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """A soft-wrapped, read-only article with cursor, selection, annotations and search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move('grapheme', -1)", "Left", show=False),
        Binding("right", "move('grapheme', 1)", "Right", show=False),
        Binding("shift+left", "move('grapheme', -1, True)", "Extend left", show=False),
        Binding("shift+right", "move('grapheme', 1, True)", "Extend right", show=False),
        Binding("ctrl+left", "move('word', -1)", "Word left", show=False),
        Binding("ctrl+right", "move('word', 1)", "Word right", show=False),
        Binding("ctrl+shift+left", "move('word', -1, True)", "Extend word left", show=False),
        Binding("ctrl+shift+right", "move('word', 1, True)", "Extend word right", show=False),
        Binding("up", "move('row', -1)", "Up", show=False),
        Binding("down", "move('row', 1)", "Down", show=False),
        Binding("shift+up", "move('row', -1, True)", "Extend up", show=False),
        Binding("shift+down", "move('row', 1, True)", "Extend down", show=False),
        Binding("pageup", "move('page', -1)", "Page up", show=False),
        Binding("pagedown", "move('page', 1)", "Page down", show=False),
        Binding("shift+pageup", "move('page', -1, True)", "Extend page up", show=False),
        Binding("shift+pagedown", "move('page', 1, True)", "Extend page down", show=False),
        Binding("home", "move('row_end', -1)", "Row start", show=False),
        Binding("end", "move('row_end', 1)", "Row end", show=False),
        Binding("shift+home", "move('row_end', -1, True)", "Extend to row start", show=False),
        Binding("shift+end", "move('row_end', 1, True)", "Extend to row end", show=False),
        Binding("ctrl+home", "move('document', -1)", "Document start", show=False),
        Binding("ctrl+end", "move('document', 1)", "Document end", show=False),
        Binding("ctrl+shift+home", "move('document', -1, True)", "Extend to start", show=False),
        Binding("ctrl+shift+end", "move('document', 1, True)", "Extend to end", show=False),
        Binding("escape", "clear_selection", "Clear selection", show=False),
    ]
    """Standard editor movement; shift extends the selection. The screen adds the rest."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--cursor",
        "article-view--cursor-blurred",
        "article-view--selection",
        "article-view--match",
        "article-view--match-current",
        "article-view--control",
    }

    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        color: $foreground;
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        pointer: text;
        & > .article-view--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .article-view--cursor-blurred { text-style: underline; }
        & > .article-view--selection { text-style: reverse; }
        & > .article-view--match { background: $warning 40%; }
        & > .article-view--match-current { background: $warning; color: auto 90%; }
        & > .article-view--control { color: $text-error; text-style: italic; }
    }
    """
    """The cursor is the theme's block cursor, the selection is reversed, matches are warm."""

    class CursorMoved(Message):
        """The cursor moved to ``cursor``."""

        def __init__(self, view: ArticleView, cursor: int) -> None:
            super().__init__()
            self.view = view
            self.cursor = cursor

        @property
        def control(self) -> ArticleView:
            return self.view

    class SelectionChanged(Message):
        """The selection is now ``selection`` (``None``: nothing selected)."""

        def __init__(self, view: ArticleView, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view = view
            self.selection = selection

        @property
        def control(self) -> ArticleView:
            return self.view

    class AnnotationClicked(Message):
        """A click (not a drag) landed on an annotation."""

        def __init__(self, view: ArticleView, annotation_id: str) -> None:
            super().__init__()
            self.view = view
            self.annotation_id = annotation_id

        @property
        def control(self) -> ArticleView:
            return self.view

    class Scrolled(Message):
        """The top row moved; ``relative`` is its offset over the text length."""

        def __init__(self, view: ArticleView, relative: float) -> None:
            super().__init__()
            self.view = view
            self.relative = relative

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(
        self,
        text: str = "",
        document_id: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
        gutter: bool = False,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._gutter_cells = GUTTER if gutter else 0
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._block_marks: LRUCache[tuple[int, int], list] = LRUCache(256)
        self._block_matches: LRUCache[tuple[int, int], list[tuple[int, int]]] = LRUCache(256)
        self._marks = SpanIndex(())
        self._marks_generation = 0
        self._mark_styles: dict[tuple, Style] = {}
        self._hints = SpanIndex(())  # dim ranges under the annotations: tokens, suggestions
        self._gutter = SpanIndex(())  # ranges marked in the left column: shared passages
        self._gutter_style = Style()
        self._search: regex.Pattern | None = None
        self._search_back: regex.Pattern | None = None
        self._search_generation = 0
        self._current_match: tuple[int, int] | None = None
        self._paint: _Paint | None = None
        self._dragging = False
        self._dragged = False
        self._scrolling = False
        self.load(text, document_id)

    # -- the document -------------------------------------------------------------

    def load(self, text: str, document_id: str) -> None:
        """Show another document: cursor at 0, nothing selected, no annotations."""
        self._text = text
        self.document_id = document_id
        self._layout: Layout | None = None
        self._generation_key = object()
        self._cursor = 0
        self._anchor: int | None = None
        self._goal_x: int | None = None
        self._top_offset = 0  # the anchor: this offset's row is drawn at screen row _top_dy
        self._top_dy = 0
        self._last_top = 0
        self._marks = SpanIndex(())
        self._hints = SpanIndex(())
        self._gutter = SpanIndex(())
        self._marks_generation += 1
        self._current_match = None
        self._search_generation += 1
        if self.is_mounted:
            self._settle(notify=False)
            self.refresh()

    @property
    def text(self) -> str:
        return self._text

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def selection(self) -> tuple[int, int] | None:
        """[start, end) selected, or ``None``; the cursor is at one of its ends."""
        if self._anchor is None or self._anchor == self._cursor:
            return None
        return min(self._anchor, self._cursor), max(self._anchor, self._cursor)

    def _width(self) -> int:
        """Cells for text: with a gutter, its column is taken from the content area."""
        return max(1, self.scrollable_content_region.width - self._gutter_cells)

    def _height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _ensure_layout(self) -> Layout | None:
        width = self._width()
        if width <= 0:
            return None
        if self._layout is None:
            self._layout = Layout(self._text, width)
        else:
            self._layout.set_width(width)
        return self._layout

    # -- annotations and search ---------------------------------------------------

    def set_annotations(self, spans: list[AnnotationSpan] | list[tuple]) -> None:
        """Draw these spans (tuples in ``AnnotationSpan`` field order) from now on."""
        self._marks = SpanIndex(spans)
        self._marks_generation += 1
        self.refresh()

    def set_hints(self, hints: list[tuple[str, int, int, Style]], gutter: list[tuple[str, int, int]] = (),
                  gutter_style: Style | None = None) -> None:
        """Dim ranges drawn under the annotations (lexer tokens, suggestions), and ranges
        marked with a bar in the gutter (shared passages). Neither counts as an annotation."""
        self._hints = SpanIndex(hints)
        self._gutter = SpanIndex(gutter)
        self._gutter_style = gutter_style or Style(color="cyan", bold=True)
        self._marks_generation += 1
        self.refresh()

    def hints_at(self, offset: int) -> list[tuple]:
        """The hints covering ``offset``, innermost first."""
        found = self._hints.overlapping(offset, offset + 1)
        return sorted(found, key=lambda h: h[2] - h[1])

    def gutter_at(self, offset: int) -> list[tuple]:
        return self._gutter.overlapping(offset, offset + 1)

    def annotation_at(self, offset: int) -> str | None:
        """The id of the innermost annotation covering ``offset``, if any."""
        found = [s for s in self._marks.overlapping(offset, offset + 1) if s[2] > s[1]]
        if not found:
            return None
        return min(found, key=lambda s: (s[2] - s[1], -s[1]))[0]

    def set_search(self, term: str) -> None:
        """Highlight every match of ``term`` (case-insensitive unless it has capitals)."""
        term = normalize(term)
        if term:
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
        if self._search is None:
            return False
        found = self._search.search(self._text, self._cursor + 1) or self._search.search(self._text)
        return self._go_to_match(found)

    def previous_match(self) -> bool:
        """Move the cursor to the previous match, wrapping at the start."""
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
        self.move_to(found.start())
        return True

    # -- movement -------------------------------------------------------------------

    def move_to(self, offset: int, extend: bool = False, *, center: bool = False) -> None:
        """Put the cursor at ``offset`` (clamped), extending the selection or clearing it."""
        self._place(offset, extend)
        self._scroll_cursor_into_view(center=center)

    def select_range(self, start: int, end: int) -> None:
        """Select [start, end) with the cursor at ``end``."""
        self._place(start, False)
        self._place(end, True)
        self._scroll_cursor_into_view()

    def clear_selection(self) -> None:
        self._place(self._cursor, False)

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def select_word(self) -> bool:
        """Select the word under the cursor; ``False`` (and nothing changes) if none."""
        span = word_at(self._text, self._cursor)
        if span is None:
            return False
        self.select_range(*span)
        return True

    def select_sentence(self) -> bool:
        """Select the sentence under the cursor; ``False`` on an empty line."""
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

    def _refresh_between(self, start: int, end: int) -> None:
        """Repaint only the screen rows showing [start, end]: a key redraws one or two rows."""
        layout = self._layout
        if layout is None or self._paint is None:
            self.refresh()
            return
        top = round(self.scroll_y)
        height = self._height()
        first = layout.y_of(*layout.position(start)) - top
        last = layout.y_of(*layout.position(end)) - top
        first, last = max(0, first), min(height - 1, last)
        if first <= last:
            self.refresh_lines(top + first, last - first + 1)

    # -- scrolling ------------------------------------------------------------------

    @property
    def relative_scroll(self) -> float:
        """Where the top row starts, as a fraction of the text: for synchronized panes."""
        return self._top_offset / len(self._text) if self._text else 0.0

    def scroll_to_relative(self, relative: float) -> None:
        """Show the row holding ``relative * len(text)`` at the top."""
        self._anchor_top(round(max(0.0, min(1.0, relative)) * len(self._text)), 0, notify=False)

    def scroll_to_offset(self, offset: int, center: bool = True) -> None:
        """Bring ``offset``'s row on screen, centred or at the top."""
        self._anchor_top(max(0, min(offset, len(self._text))), self._height() // 2 if center else 0)

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

    def on_resize(self, event: events.Resize) -> None:
        self._settle(notify=False)
        self.refresh()

    def on_mount(self) -> None:
        self._settle(notify=False)

    # -- mouse ----------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int:
        """The offset drawn at cell (x, y) of the content area (y counts screen rows)."""
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
                self.post_message(self.AnnotationClicked(self, clicked))

    def on_click(self, event: events.Click) -> None:
        """A double click selects the word, a triple click the sentence."""
        if event.chain == 2:
            self.select_word()
        elif event.chain >= 3:
            self.select_sentence()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        self._paint = None
        self._mark_styles.clear()
        super().notify_style_update()

    # -- drawing --------------------------------------------------------------------

    def _paint_styles(self) -> _Paint:
        """The styles of this paint pass, looked up once (a CSS lookup costs ~0.1 ms)."""
        get = self.get_component_rich_style
        paint = _Paint(
            self.rich_style,
            get("article-view--cursor")
            if self.has_focus
            else get("article-view--cursor-blurred", partial=True),
            get("article-view--selection", partial=True),
            get("article-view--match"),
            get("article-view--match-current"),
            get("article-view--control", partial=True),
        )
        if paint != self._paint:
            self._paint = paint
            self._mark_styles.clear()
        return self._paint

    def render_lines(self, crop: Region) -> list[Strip]:
        self._settle()
        self._paint_styles()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        layout = self._layout
        width = self._width()
        paint = self._paint
        if layout is None or paint is None:
            return Strip.blank(width + self._gutter_cells, self.rich_style)
        row_y = round(self.scroll_y) + y
        if row_y >= layout.total_rows:
            return Strip.blank(width + self._gutter_cells, paint.base)
        block, row = layout.locate(row_y)
        start, end = layout.row_span(block, row)
        last = layout.is_last_row_of_line(block, row)
        cursor = (
            self._cursor if start <= self._cursor < end or (last and self._cursor == end) else None
        )
        selection = self.selection
        if selection is not None:
            selection = (max(start, selection[0]), min(end, selection[1]))
            if selection[0] >= selection[1]:
                selection = None
        match = self._current_match
        if match is not None and not (match[0] < end and match[1] > start):
            match = None
        key = (
            self._generation_key,
            start,
            end,
            width,
            last,
            cursor,
            selection,
            match,
            self._marks_generation,
            self._search_generation,
            paint,
        )
        marked = bool(self._gutter_cells and self._gutter.overlapping(start, max(end, start + 1)))
        key += (marked,)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._build_strip(block, row, start, end, last, cursor, selection, match, width)
            if self._gutter_cells:
                bar = Segment("▌", paint.base + self._gutter_style) if marked else Segment(" ", paint.base)
                strip = Strip([bar, *strip], width + self._gutter_cells)
            self._strips[key] = strip
        return strip

    def _build_strip(
        self,
        block: int,
        row: int,
        start: int,
        end: int,
        last: bool,
        cursor: int | None,
        selection: tuple[int, int] | None,
        match: tuple[int, int] | None,
        width: int,
    ) -> Strip:
        text = self._text
        paint = self._paint
        spans: list[tuple[int, int, Style]] = []  # later entries draw on top
        if is_simple(text, start, end):
            shown = text[start:end]
            bounds = None
        else:
            clusters = self._layout.clusters(block, row)
            shown = "".join(display_cluster(text[c.start : c.end]) for c in clusters)
            bounds = {c.start for c in clusters}
            for offset, char in enumerate(text[start:end], start):
                if char in SUBSTITUTED:
                    spans.append((offset, offset + 1, paint.control))
        for hint in self._hints.overlapping(start, end):
            spans.append((hint[1], hint[2], hint[3]))
        spans.extend(self._mark_spans(block, start, end))
        for m_start, m_end in self._matches(block):
            if m_start < end and m_end > start:
                spans.append((m_start, m_end, paint.match))
        if match is not None:
            spans.append((*match, paint.match_current))
        if selection is not None:
            spans.append((*selection, paint.selection))
        if cursor is not None and cursor < end:
            spans.append((cursor, next_boundary(text, cursor), paint.cursor))
        segments = _segments(shown, start, end, paint.base, spans, bounds)
        cells = end - start if bounds is None else sum(c.cells for c in clusters)
        if cursor is not None and cursor == end:
            segments.append(Segment(" ", paint.base + paint.cursor))
            cells += 1
        if cells > width:  # one cluster wider than a very narrow pane
            return Strip(segments).adjust_cell_length(width, paint.base)
        if cells < width:
            segments.append(Segment(" " * (width - cells), paint.base))
        # Rich would measure every character again; the widths are known here.
        return Strip(segments, width)

    def _mark_spans(self, block: int, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Annotation styles on [start, end): layer 0 fills, higher layers underline."""
        placed = self._block_marks.get((block, self._marks_generation))
        if placed is None:
            layout = self._layout
            placed = _stack(self._marks.overlapping(*layout.block_span(block)))
            self._block_marks[(block, self._marks_generation)] = placed
        fills, lines = [], []
        for span, layer in placed:
            if span[1] < end and span[2] > start:
                other = span[6] if len(span) > 6 else False
                (lines if layer else fills).append(
                    (span[1], span[2], self._mark_style(span[4], layer, other))
                )
        return fills + lines

    def _mark_style(self, color: str, layer: int, other: bool) -> Style:
        key = (color, layer, other)
        style = self._mark_styles.get(key)
        if style is None:
            try:
                label = Color.parse(color)
            except ColorParseError:
                label = Color.parse("magenta")  # a schema colour Textual cannot read
            if layer == 0:
                fill = self.background_colors[1].blend(label, 0.45) if other else label
                style = Style(
                    bgcolor=fill.rich_color,
                    color=fill.get_contrast_text(1.0).rich_color,
                    italic=other,
                )
            else:
                style = Style(bold=True, underline=layer == 1, underline2=layer > 1, italic=other)
            self._mark_styles[key] = style
        return style

    def _matches(self, block: int) -> list[tuple[int, int]]:
        if self._search is None:
            return []
        key = (block, self._search_generation)
        found = self._block_matches.get(key)
        if found is None:
            layout = self._layout
            start, end = layout.block_span(block)
            reach = len(self._search.pattern)
            found = [
                m.span()
                for m in self._search.finditer(
                    self._text, max(0, start - reach), min(len(self._text), end + reach)
                )
                if m.end() > start and m.start() < end
            ]
            self._block_matches[key] = found
        return found


class _Paint(NamedTuple):
    """The styles one paint pass draws with; part of every strip's cache key."""

    base: Style
    cursor: Style
    selection: Style
    match: Style
    match_current: Style
    control: Style


def _stack(spans: list) -> list[tuple[tuple, int]]:
    """Each span with its layer: the given one, or the lowest free one in start order.

    Spans that would need a fourth layer are not drawn. One pass and no sort (spans
    come sorted by start), and a span is dropped with one comparison once all three
    layers are busy, so a pile of thousands of overlapping spans stays cheap.
    """
    ends = [-1, -1, -1]
    busy_until = -1  # every layer is taken before this offset
    placed = []
    for span in spans:
        start = span[1]
        layer = span[5] if len(span) > 5 else None
        if layer is None:
            if start < busy_until or span[2] <= start:
                continue  # the common case in a pile: one comparison
            layer = 0 if ends[0] <= start else 1 if ends[1] <= start else 2
        elif not 0 <= layer < MAX_LAYERS or span[2] <= start:
            continue
        if span[2] > ends[layer]:
            ends[layer] = span[2]
            busy_until = min(ends)
        placed.append((span, layer))
    return placed


def _segments(
    shown: str,
    start: int,
    end: int,
    base: Style,
    spans: list[tuple[int, int, Style]],
    bounds: set[int] | None,
) -> list[Segment]:
    """Cut the row where styles change (only between clusters) and style each piece."""
    cuts = {start, end}
    for s, e, _ in spans:
        if s > start:
            cuts.add(min(s, end))
        if e < end:
            cuts.add(max(e, start))
    if bounds is not None:
        cuts = {c for c in cuts if c in bounds or c == end}
    points = sorted(cuts)
    # Each span adds its style to the pieces it covers, in order: later spans on top.
    layered: list[Style] = [base] * (len(points) - 1)
    for s, e, extra in spans:
        first = max(0, bisect_right(points, s) - 1)
        for piece in range(first, min(bisect_left(points, e, first), len(layered))):
            layered[piece] = layered[piece] + extra
    segments = []
    for (a, b), style in zip(pairwise(points), layered, strict=True):
        piece = shown[a - start : b - start]
        if "\t" in piece:
            piece = piece.replace("\t", " " * TAB_CELLS)
        segments.append(Segment(piece, style))
    return segments
