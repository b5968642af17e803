"""Painting ArticleView's rows: one ``Strip`` per wrapped row on screen.

The text is data: rows are built as ``Segment``s from the text (with controls made
inert by ``wrap.display``), never parsed as markup.

Three caches, keyed so that a change misses by itself (as in Textualize/toolong):
wrapped rows by ``(block, width)`` in the layout, annotations and search matches by
``(block, generation)``, and finished strips by row plus everything drawn on that
row (cursor, selection, match, generations, focus). Nothing is cleared by hand
except on a theme change.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import pairwise
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.color import Color, ColorParseError
from textual.geometry import Region
from textual.strip import Strip

from reader.core.text import next_boundary
from reader.tui.wrap import SUBSTITUTED, TAB_CELLS, display_cluster, is_simple

MAX_LAYERS = 3  # background, underline, double underline: deeper overlaps are not drawn


class PaintMixin:
    """The drawing half of ``ArticleView``: rows drawn from the view's state (text,
    layout, marks, hints, search, cursor, selection) through the caches above."""

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

    def notify_style_update(self) -> None:
        self._paint = None
        self._mark_styles.clear()
        super().notify_style_update()

    # -- drawing --------------------------------------------------------------------

    def _paint_styles(self) -> _Paint:
        """The styles of this paint pass, looked up once per style change (six CSS
        lookups cost ~0.5 ms, a tenth of a page-down): ``notify_style_update`` drops
        them when the theme or CSS changes, and focus is part of the key."""
        if self._paint is not None and self._paint_focus == self.has_focus:
            return self._paint
        self._paint_focus = self.has_focus
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
        if self._rest is not None:  # only the text's start is read: is it enough?
            self._settle(notify=False)
            if not self._start_suffices():
                self._whole()
        self._settle()
        self._paint_styles()
        # The width asked for once a pass: Textual works it out anew on every call.
        self._pass_width = self._width()
        try:
            return super().render_lines(crop)
        finally:
            self._pass_width = None

    def render_line(self, y: int) -> Strip:
        layout = self._layout
        width = self._pass_width or self._width()
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
            self._block_generation.get(block, 0),
            self._search_generation,
            paint,
        )
        marked = bool(self._gutter_cells and self._gutter.overlapping(start, max(end, start + 1)))
        key += (marked,)
        strip = self._strips.get(key)
        if strip is None:
            gutter = []
            if self._gutter_cells:
                gutter = [
                    Segment("▌", paint.base + self._gutter_style)
                    if marked
                    else Segment(" ", paint.base)
                ]
            strip = self._build_strip(
                block, row, start, end, last, cursor, selection, match, width, gutter
            )
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
        gutter: list[Segment],
    ) -> Strip:
        """One row: the gutter's segments, then the text with every style on it (one
        Strip per row: Textual gives each Strip its own caches)."""
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
        segments = gutter + _segments(shown, start, end, paint.base, spans, bounds)
        cells = end - start if bounds is None else sum(c.cells for c in clusters)
        if cursor is not None and cursor == end:
            segments.append(Segment(" ", paint.base + paint.cursor))
            cells += 1
        if cells > width:  # one cluster wider than a very narrow pane
            return Strip(segments).adjust_cell_length(width + self._gutter_cells, paint.base)
        if cells < width:
            segments.append(Segment(" " * (width - cells), paint.base))
        # Rich would measure every character again; the widths are known here.
        return Strip(segments, width + self._gutter_cells)

    def _mark_spans(self, block: int, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Annotation styles on [start, end): layer 0 fills, higher layers underline."""
        fills, lines = [], []
        marks, starts, longest = self._styled_marks(block)
        # Only spans starting in [start - longest, end) can reach this row: a page of
        # rows then looks at a few spans each, not at the block's hundred.
        low, high = bisect_left(starts, start - longest), bisect_left(starts, end)
        for mark in marks[low:high]:
            if mark[1] > start:
                (lines if mark[3] else fills).append(mark[:3])
        return fills + lines

    def _styled_marks(self, block: int) -> tuple[list[tuple[int, int, Style, int]], list[int], int]:
        """The block's placed spans as (start, end, style, layer), their starts and the
        longest's length: each span is looked up and styled once per block, not once
        per row it reaches (a crowded row reaches a dozen). Keyed as the placed spans
        are, and by the paint, whose change also changes the styles."""
        key = (block, self._marks_generation, self._block_generation.get(block, 0), self._paint)
        entry = self._block_styles.get(key)
        if entry is None:
            look, style = self._look, self._mark_style
            placed, starts, longest = self._placed_entry(block)
            marks = []
            for span, layer in placed:
                color, _, other = look(span)
                marks.append((span[1], span[2], style(color, layer, other), layer))
            entry = self._block_styles[key] = (marks, starts, longest)
        return entry

    def _placed(self, block: int) -> list[tuple[tuple, int]]:
        """The block's annotations, each with the layer it is drawn on."""
        return self._placed_entry(block)[0]

    def _placed_entry(self, block: int) -> tuple[list[tuple[tuple, int]], list[int], int]:
        """(placed spans in start order, their starts, the longest span's length)."""
        key = (block, self._marks_generation, self._block_generation.get(block, 0))
        entry = self._block_marks.get(key)
        if entry is None:
            placed = _stack(self._marks.overlapping(*self._layout.block_span(block)), self._look)
            starts = [span[1] for span, _ in placed]
            longest = max((span[2] - span[1] for span, _ in placed), default=0)
            entry = self._block_marks[key] = (placed, starts, longest)
        return entry

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


def field_look(span: tuple) -> tuple[str, int | None, bool]:
    """(colour, layer, other) of a span in ``AnnotationSpan`` field order."""
    return span[4], span[5] if len(span) > 5 else None, span[6] if len(span) > 6 else False


def _stack(spans: list, look=field_look) -> list[tuple[tuple, int]]:
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
        layer = look(span)[1]
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


#: Styles added up, by the ids of the styles (kept alive in the value, so an id cannot
#: be reused while its entry stands): Rich's own cache of ``+`` hashes both styles on
#: every call, a dozen times per crowded row.
_STACKED: dict[tuple[int, ...], tuple[Style, Style, tuple[Style, ...]]] = {}


def _stacked(base: Style, stack: tuple[Style, ...]) -> Style:
    """``base + stack[0] + stack[1] + ...``."""
    key = (id(base), *map(id, stack))
    found = _STACKED.get(key)
    if found is None:
        style = base
        for extra in stack:
            style = style + extra
        if style.link:  # Rich gives each linked style its own id: never shared
            return style
        if len(_STACKED) > 4096:
            _STACKED.clear()
        found = _STACKED[key] = (style, base, stack)
    return found[0]


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
    # The styles a piece gets are gathered first and added up once per combination
    # (``_stacked``): a crowded row has a dozen spans but few distinct combinations.
    stacks: list[tuple[Style, ...]] = [()] * (len(points) - 1)
    for s, e, extra in spans:
        first = max(0, bisect_right(points, s) - 1)
        for piece in range(first, min(bisect_left(points, e, first), len(stacks))):
            stacks[piece] += (extra,)
    segments = []
    for (a, b), stack in zip(pairwise(points), stacks, strict=True):
        style = _stacked(base, stack) if stack else base
        piece = shown[a - start : b - start]
        if "\t" in piece:
            piece = piece.replace("\t", " " * TAB_CELLS)
        segments.append(Segment(piece, style))
    return segments
