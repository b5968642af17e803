"""ArticleView: a virtual view of one article, with its own cursor and selection.

A ``ScrollView`` on Textual's Line API: ``render_line(y)`` draws one wrapped row, and
only rows on screen are ever wrapped or styled (see ``reader.tui.layout`` for how
wrapping stays local on a 10 MB line). ``TextArea`` was measured at 1.4 s to first
paint a 5 MB article; this view costs about as much as an empty app.

Offsets are code points into the document text, as everywhere in reader; the cursor
sits before the character at its offset.

The widget is assembled from one mixin per concern: ``CursorMixin`` (keys and mouse,
``reader.tui.article_cursor``), ``ScrollMixin`` (the scroll anchor,
``reader.tui.article_scroll``), ``SearchMixin`` (matches and moving between them,
``reader.tui.article_search``) and ``PaintMixin`` (rows and their caches,
``reader.tui.article_paint``). This module holds the state they share and the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, NamedTuple, Protocol

from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.span_index import SpanIndex
from reader.tui.article_cursor import CursorMixin
from reader.tui.article_paint import PaintMixin, _Paint, field_look
from reader.tui.article_scroll import ScrollMixin
from reader.tui.article_search import SearchMixin
from reader.tui.keys import bindings
from reader.tui.layout import Layout

if TYPE_CHECKING:
    import regex

GUTTER = 1  # cells left of the text for side marks (shared passages), when enabled
#: Seconds between the first frame drawn from a big text's start and reading the whole text.
WHOLE_TEXT_DELAY = 0.1


class Spans(Protocol):
    """What the view draws from: the spans overlapping a range, in start order."""

    def overlapping(self, start: int, end: int) -> list: ...


#: How a span is drawn: (colour, layer or None to stack, drawn as another annotator's).
Look = Callable[[tuple], tuple[str, "int | None", bool]]


class AnnotationSpan(NamedTuple):
    """An annotation as the view draws it: the caller decides labels and colours."""

    id: str
    start: int
    end: int
    label: str
    color: str
    layer: int | None = None  # None: the view stacks overlapping spans itself
    other: bool = False  # another annotator's span: drawn muted and italic


class ArticleView(
    CursorMixin,
    ScrollMixin,
    SearchMixin,
    PaintMixin,
    ScrollView,
    can_focus=True,
    inherit_bindings=False,
):
    """A soft-wrapped, read-only article with cursor, selection, annotations and search."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("view")
    """Standard editor movement; shift extends the selection (``reader.keys``, "view").
    The screen adds the rest."""

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
        """A click (not a drag) landed on an annotation (``ctrl`` held: a link starts)."""

        def __init__(self, view: ArticleView, annotation_id: str, ctrl: bool = False) -> None:
            super().__init__()
            self.view = view
            self.annotation_id = annotation_id
            self.ctrl = ctrl

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
        self._block_marks: LRUCache[tuple[int, int, int], list] = LRUCache(256)
        self._block_styles: LRUCache[tuple, tuple] = LRUCache(256)
        self._block_matches: LRUCache[tuple[int, int], list[tuple[int, int]]] = LRUCache(256)
        self._marks = SpanIndex(())
        self._look: Look = field_look
        self._marks_generation = 0
        self._block_generation: dict[int, int] = {}  # blocks whose spans changed since
        self._mark_styles: dict[tuple, Style] = {}
        self._hints = SpanIndex(())  # dim ranges under the annotations: tokens, suggestions
        self._gutter = SpanIndex(())  # ranges marked in the left column: shared passages
        self._gutter_style = Style()
        self._search: regex.Pattern | None = None
        self._search_back: regex.Pattern | None = None
        self._search_generation = 0
        self._current_match: tuple[int, int] | None = None
        self._paint: _Paint | None = None
        self._paint_focus = False
        self._pass_width: int | None = None  # the text's width during one render_lines
        self._rest: Callable[[], str] | None = None
        self._dragging = False
        self._dragged = False
        self._scrolling = False
        self.load(text, document_id)

    # -- the document -------------------------------------------------------------

    def load(self, text: str, document_id: str, rest: Callable[[], str] | None = None) -> None:
        """Show another document: cursor at 0, nothing selected, no annotations.

        With ``rest``, ``text`` is only the start of the document and ``rest()`` returns
        the whole of it: the first screen is drawn from the start (reading and decoding
        10 MB costs 30-80 ms before the first frame, its start under 1 ms), and the
        whole text comes in right after the first frame, or before anything needs more
        than the start (``_whole``)."""
        self._text = text
        self._rest = rest
        self.document_id = document_id
        self._layout: Layout | None = None
        self._layout_unsized = False
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
        self._block_generation.clear()
        self._current_match = None
        self._search_generation += 1
        if self.is_mounted:
            self._settle(notify=False)
            self.refresh()
        if rest is not None:
            # Not at once after the refresh: decoding 10 MB holds the GIL for tens of
            # milliseconds, and Textual's writer thread would get the first frame to the
            # terminal only after it. Anything needing more than the start reads it first.
            self.call_after_refresh(self.set_timer, WHOLE_TEXT_DELAY, self._whole)

    def _whole(self) -> None:
        """Take in the whole text if only its start is here yet. The start is a prefix
        of it, so offsets, the cursor, the selection and the scroll all stay; rows are
        wrapped and drawn again from the whole text. Everything that could reach past
        the start calls this first (moves, search, scrolling, ``text``); drawing does
        only when the screen would show more than the start (``_start_suffices``)."""
        rest, self._rest = self._rest, None
        if rest is None:
            return
        self._text = rest()
        self._layout = None
        self._generation_key = object()
        self._marks_generation += 1
        self._block_generation.clear()
        self._search_generation += 1
        if self.is_mounted:
            self._settle(notify=False)
            self.refresh()

    def _start_suffices(self) -> bool:
        """Whether the screen drawn from the start alone is the screen the whole text
        draws: at the top, every row on screen before the start's last block (which
        the whole text may wrap otherwise), and rows enough that the scrollbar's thumb
        is already its smallest, as it is for the whole text."""
        layout = self._layout
        if layout is None or round(self.scroll_y) != 0:
            return False
        height = self._height()
        tall = max(height, self.size.height)
        if layout.total_rows < tall * tall:
            return False
        return layout.locate(height)[0] < layout.last_block()

    @property
    def text(self) -> str:
        """The whole text (read now if only its start was shown so far)."""
        self._whole()
        return self._text

    def opening(self, length: int) -> str:
        """The first ``length`` code points, from what is read so far (a title needs no
        more than the start, and must not wait for the whole text)."""
        return self._text[:length]

    def cursor_row(self) -> tuple[int, int]:
        """[start, end) of the wrapped row the cursor is on."""
        self._whole()
        layout = self._ensure_layout()
        if layout is None:
            return self._cursor, self._cursor + 1
        start, end = layout.row_span(*layout.position(self._cursor))
        return start, max(end, start + 1)

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
        sized = self.scrollable_content_region.width > 0
        if self._layout is None or (sized and self._layout_unsized):
            # A start read ahead of the whole text is no small document: never wrap it
            # whole. Nor one opened before the view is laid out (in the screen's
            # on_mount): at width 1 that wrapped it whole a row per character, only to
            # wrap it again at the first resize; that layout is replaced once sized.
            eager = {} if self._rest is None and sized else {"eager_limit": -1}
            self._layout = Layout(self._text, width, **eager)
            self._layout_unsized = not sized
        else:
            self._layout.set_width(width)
        return self._layout

    # -- annotations and search ---------------------------------------------------

    def set_annotations(
        self, spans: Spans | list[AnnotationSpan] | list[tuple], look: Look | None = None
    ) -> None:
        """Draw these spans from now on: tuples with id, start and end first, in
        ``AnnotationSpan`` field order, or any rows with ``look(row)`` giving (colour,
        layer, other) when drawn. Anything with ``overlapping(start, end)`` (a
        ``SpanIndex``, an ``AnnotationSet``) is asked for the spans of each block as it
        is drawn, never copied: a pane hands over its ``AnnotationSet``, which reads
        the store by range, changes it there, and calls ``spans_changed``."""
        self._look = look or field_look
        self._marks = spans if hasattr(spans, "overlapping") else SpanIndex(spans)
        self._marks_generation += 1
        self._block_generation.clear()
        self.refresh()

    def spans_changed(self, removed: tuple | None, added: tuple | None) -> None:
        """One span left the drawn index and another came in (either may be None):
        only the blocks they touch are drawn again, so a tag among 100k spans costs
        what one span costs."""
        touched = [span for span in (removed, added) if span is not None]
        layout = self._layout
        if layout is None or self._paint is None:
            self._marks_generation += 1
            self.refresh()
            return
        blocks: set[int] = set()
        for span in touched:
            block, last = layout.block_of(span[1]), layout.block_of(max(span[1], span[2] - 1))
            while block is not None:
                blocks.add(block)
                block = layout.next_block(block) if block != last else None
        for block in blocks:
            key = (block, self._marks_generation, self._block_generation.get(block, 0))
            before = (self._block_marks.get(key) or (None,))[0]
            self._block_generation[block] = key[2] + 1
            if before is None:
                self._refresh_between(*layout.block_span(block))
                continue
            # Repaint the rows whose drawing changed: the span itself, and any whose
            # layer (fill or underline) moved because of it.
            moved = set(before).symmetric_difference(self._placed(block))
            if moved:
                self._refresh_between(min(s[1] for s, _ in moved), max(s[2] for s, _ in moved))

    def set_hints(
        self,
        hints: list[tuple[str, int, int, Style]],
        gutter: list[tuple[str, int, int]] = (),
        gutter_style: Style | None = None,
    ) -> None:
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

    def annotations_at(self, offset: int) -> list[str]:
        """The ids of every annotation drawn over ``offset``, innermost first."""
        found = [s for s in self._marks.overlapping(offset, offset + 1) if s[2] > s[1]]
        return [s[0] for s in sorted(found, key=lambda s: (s[2] - s[1], -s[1]))]

    def annotation_at(self, offset: int) -> str | None:
        """The id of the innermost annotation covering ``offset``, if any."""
        found = [s for s in self._marks.overlapping(offset, offset + 1) if s[2] > s[1]]
        if not found:
            return None
        return min(found, key=lambda s: (s[2] - s[1], -s[1]))[0]

    # Textual calls the ``on_*`` handler of every class in the MRO, so a handler patched
    # onto ArticleView (bench/view.py times these two) must not have a twin in a mixin.

    def on_resize(self, event: events.Resize) -> None:
        self._settle(notify=False)
        self.refresh()

    def on_mount(self) -> None:
        self._settle(notify=False)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
