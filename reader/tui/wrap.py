"""Soft wrapping by terminal cells, the map between cells and offsets, and span lookup.

This is the pure half of ``ArticleView``: no Textual, no styles, only text, widths and
offsets, so that it can be tested (and property-tested) alone.

Pages and blocks. Nothing is scanned ahead of need. The text is cut into *pages* of
about ``PAGE`` code points (a few ``find`` calls, even for 10 MB); a page is split
into *blocks* the first time one of its rows is asked for. A block is a line or, for a
line longer than ``BLOCK`` code points, a piece of it cut after a space. A block is
wrapped on its own, so wrapping what is on screen never needs the rows before it: a
10 MB article on a single line costs as little to show at its end as at its start.
The price is a row a little shorter than the pane where a long line is cut.

Rows. A block wraps into rows of at most ``width - 1`` cells; the last cell of the
pane is kept for the cursor at the end of a line, and for one space hanging at a soft
break. Rows break after a space where possible and otherwise between two grapheme
clusters, never inside one. Until a page is split and a block wrapped, row counts are
estimates from lengths; the view wraps what is on screen and keeps its anchored row
in place while estimates above it turn exact.

Display. Every code point shows as exactly one display code point, so that offsets
map 1:1: C0/C1 controls and bidirectional controls are replaced by a visible stand-in
(``␛`` for ESC, ``␀``-``␟`` for the other C0 codes, ``␡`` for DEL, ``�`` for C1 and
bidi controls), U+2028/U+2029 show as a space, and a tab stays one code point that
the renderer draws as ``TAB_CELLS`` spaces. A zero-width joiner that joins nothing
inside its cluster shows as U+200B, because Rich would otherwise count the next
cluster as joined and disagree with the cells counted here.

Spans. ``SpanIndex`` finds the annotations overlapping a block by bisection, so that
drawing a row never scans every annotation of the document.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from itertools import accumulate, pairwise
from operator import itemgetter
from typing import NamedTuple

import regex
from rich.cells import cell_len

from reader.core.text import snap_back

BLOCK = 2048
PAGE = 65536
# Block ids are page * STRIDE + index: a page spans at most PAGE + BLOCK code points,
# so it never holds more blocks than this.
STRIDE = PAGE + BLOCK + 2
TAB_CELLS = 4
_GROUP = 256
_GRAPHEME = regex.compile(r"\X")

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DISPLAY: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_DISPLAY[0x7F] = "\u2421"
_DISPLAY.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_DISPLAY.update({ord(char): "\ufffd" for char in BIDI_CONTROLS})
_DISPLAY[0x2028] = " "
_DISPLAY[0x2029] = " "
_DISPLAY[ord("\t")] = "\t"
_DISPLAY[ord("\n")] = " "
SUBSTITUTED = frozenset(chr(code) for code in _DISPLAY if chr(code) not in "\t\u2028\u2029")

# Code points that take one cell, stand alone as a grapheme cluster, and need no
# display substitute: a block made only of these wraps by counting code points.
# (tests/tui/test_article_view.py checks every one against Rich and `regex`.)
SIMPLE_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0xAC),
    (0xAE, 0x2FF),
    (0x370, 0x377),
    (0x37A, 0x37F),
    (0x384, 0x38A),
    (0x38C, 0x38C),
    (0x38E, 0x3A1),
    (0x3A3, 0x482),
    (0x48A, 0x52F),
    (0x1E00, 0x1EFF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x20A0, 0x20C0),
)
_NOT_SIMPLE = regex.compile(
    "[^" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in SIMPLE_RANGES) + "]"
)
_BREAK_AFTER = frozenset(" \t\u2028\u2029\u3000")


def display(text: str) -> str:
    """The characters drawn for ``text``: same length, controls made visible and inert."""
    return text.translate(_DISPLAY)


def is_simple(text: str, start: int = 0, end: int | None = None) -> bool:
    """True if every code point in the range is one cell and its own cluster."""
    return _NOT_SIMPLE.search(text, start, len(text) if end is None else end) is None


_cell_cache: dict[str, int] = {}


def cluster_cells(cluster: str) -> int:
    """Cells one grapheme cluster takes on screen, as Rich will count them."""
    cells = _cell_cache.get(cluster)
    if cells is None:
        if cluster == "\t":
            cells = TAB_CELLS
        else:
            cells = cell_len(display_cluster(cluster))
        if len(_cell_cache) > 65536:
            _cell_cache.clear()
        _cell_cache[cluster] = cells
    return cells


def display_cluster(cluster: str) -> str:
    """The display form of one cluster (see the module docstring on joiners)."""
    shown = cluster.translate(_DISPLAY)
    if shown.endswith("\u200d"):
        shown = shown[:-1] + "\u200b"
    return shown


class Cluster(NamedTuple):
    """One grapheme cluster of a row: where it starts and ends, and its cells."""

    start: int
    end: int
    cells: int


def row_clusters(text: str, start: int, end: int) -> list[Cluster]:
    """The clusters of ``text[start:end]`` with their widths (``start`` on a boundary)."""
    if is_simple(text, start, end):
        return [Cluster(offset, offset + 1, 1) for offset in range(start, end)]
    return [
        Cluster(m.start(), m.end(), cluster_cells(m.group()))
        for m in _GRAPHEME.finditer(text, start, end)
    ]


def wrap_block(text: str, start: int, end: int, width: int, line_end: bool) -> list[int]:
    """Row start offsets for ``text[start:end]`` wrapped to ``width`` cells.

    ``width`` is the pane width; rows hold at most ``width - 1`` cells, plus one space
    hanging into the last cell at a soft break unless that space ends the line
    (``line_end``), where the last cell belongs to the cursor.
    """
    limit = max(1, width - 1)
    if is_simple(text, start, end):
        return _wrap_simple(text, start, end, limit, line_end)
    return _wrap_clusters(text, start, end, limit, line_end)


def _wrap_simple(text: str, start: int, end: int, limit: int, line_end: bool) -> list[int]:
    rows = [start]
    row = start
    rfind = text.rfind
    while end - row > limit:
        cut = row + limit
        if text[cut] == " " and (cut + 1 < end or not line_end):
            row = cut + 1
        else:
            space = rfind(" ", row + 1, cut)
            row = space + 1 if space != -1 else cut
        rows.append(row)
    if rows[-1] == end and len(rows) > 1:
        rows.pop()  # a space hanging at the very end of a block
    return rows


def _wrap_clusters(text: str, start: int, end: int, limit: int, line_end: bool) -> list[int]:
    rows = [start]
    row = start
    cells = 0
    brk = -1  # offset after the last space in this row where it may break
    cells_at_brk = 0
    for match in _GRAPHEME.finditer(text, start, end):
        cluster = match.group()
        at = match.start()
        width = cluster_cells(cluster)
        while cells + width > limit and at > row:
            if cluster == " " and cells == limit and not (line_end and match.end() == end):
                width = -1  # hangs: ends this row
                break
            if brk > row:
                row = brk
                cells -= cells_at_brk
            else:
                row = at
                cells = 0
            rows.append(row)
            brk = -1
        if width == -1:
            row = match.end()
            rows.append(row)
            cells = 0
            brk = -1
            continue
        cells += width
        if cluster in _BREAK_AFTER and at > row:
            brk = match.end()
            cells_at_brk = cells
    if rows[-1] == end and len(rows) > 1:
        rows.pop()
    return rows


def _per_row(width: int) -> int:
    """Code points per row assumed before a block is wrapped.

    Word wrap wastes about half a word per row; news words average ~5 cells.
    """
    limit = max(1, width - 1)
    return max(1, limit - 3) if limit > 12 else limit


def estimate_rows(lengths: list[int], width: int) -> list[int]:
    """Rows blocks of these lengths will likely take: refined once wrapped."""
    per_row = _per_row(width)
    return [(n + per_row - 1) // per_row or 1 for n in lengths]


def split_blocks(text: str, start: int = 0, end: int | None = None) -> tuple[list[int], list[int]]:
    """Start and end offsets of the blocks of one page, ``text[start:end]``.

    ``start`` begins a line or follows a cut; the page's last block ends at ``end``
    (a cut) unless the page ends right after a ``\\n``.
    """
    end = len(text) if end is None else end
    starts: list[int] = []
    ends: list[int] = []
    find = text.find
    pos = start
    while True:
        newline = find("\n", pos, end)
        line_end = end if newline == -1 else newline
        piece = pos
        while line_end - piece > BLOCK:
            space = text.rfind(" ", piece + BLOCK // 2, piece + BLOCK)
            cut = space + 1 if space != -1 else snap_back(text, piece + BLOCK)
            if cut <= piece:
                cut = piece + BLOCK
            starts.append(piece)
            ends.append(cut)
            piece = cut
        starts.append(piece)
        ends.append(line_end)
        if newline == -1:
            break
        pos = newline + 1
        if pos == end and end != len(text):
            break  # the next page starts the next line
    return starts, ends


def page_starts(text: str) -> list[int]:
    """Where each page of about ``PAGE`` code points starts: after a line end if one is
    near, else after a space, else on a grapheme boundary."""
    starts = [0]
    target = PAGE
    while target < len(text):
        newline = text.find("\n", target, target + BLOCK)
        if newline != -1:
            cut = newline + 1
        else:
            space = text.find(" ", target, target + BLOCK)
            cut = space + 1 if space != -1 else snap_back(text, target)
        if cut >= len(text):
            break
        if cut > starts[-1]:
            starts.append(cut)
        target = max(cut, starts[-1]) + PAGE
    return starts


class RowIndex:
    """Row counts per block, with rows-before-block and row-to-block in O(√n).

    Two levels: counts, and sums over groups of ``_GROUP`` blocks whose running total
    is rebuilt (in C, by ``accumulate``) only after a change.
    """

    def __init__(self, counts: list[int]):
        self.counts = counts
        self.groups = [sum(counts[i : i + _GROUP]) for i in range(0, len(counts), _GROUP)]
        self._prefix: list[int] | None = None

    def _group_prefix(self) -> list[int]:
        if self._prefix is None:
            self._prefix = list(accumulate(self.groups, initial=0))
        return self._prefix

    @property
    def total(self) -> int:
        return self._group_prefix()[-1]

    def set(self, block: int, count: int) -> int:
        """Store an exact count; returns the change in rows."""
        delta = count - self.counts[block]
        if delta:
            self.counts[block] = count
            self.groups[block // _GROUP] += delta
            self._prefix = None
        return delta

    def start(self, block: int) -> int:
        """The first row of ``block``."""
        group = block // _GROUP
        return self._group_prefix()[group] + sum(self.counts[group * _GROUP : block])

    def locate(self, y: int) -> tuple[int, int]:
        """(block, row within block) of row ``y``, clamped into the document."""
        prefix = self._group_prefix()
        y = max(0, min(y, prefix[-1] - 1))
        group = bisect_right(prefix, y) - 1
        first = group * _GROUP
        inner = list(accumulate(self.counts[first : first + _GROUP]))
        index = bisect_right(inner, y - prefix[group])
        block = first + index
        row = y - prefix[group] - (inner[index - 1] if index else 0)
        return block, row


class _Page:
    """The blocks of one page, found when the page is first needed."""

    __slots__ = ("ends", "exact", "rows", "starts", "width")

    def __init__(self, starts: list[int], ends: list[int]):
        self.starts = starts
        self.ends = ends
        self.width = 0
        self.rows = RowIndex([])
        self.exact = bytearray()


class Layout:
    """The wrapped shape of one text at one width: pages, blocks, rows, and cells.

    Nothing is scanned ahead of need: the text is split into pages of ``PAGE`` code
    points by a few ``find`` calls, a page is split into blocks the first time a row
    in it is asked for, and a block is wrapped the first time it is drawn; until
    then row counts are estimates from lengths. A block is named by an int,
    ``page * STRIDE + index``, so that caches can key on it. Exact wraps are kept in
    an LRU keyed by ``(block, width)``.
    """

    def __init__(self, text: str, width: int = 80, *, eager_limit: int = 262_144):
        self.text = text
        self.page_starts = page_starts(text)
        self._pages: list[_Page | None] = [None] * len(self.page_starts)
        self.eager_limit = eager_limit
        self._wraps: OrderedDict[tuple[int, int], list[int]] = OrderedDict()
        self.width = 0
        self.set_width(width)

    def set_width(self, width: int) -> None:
        """Re-estimate for a new pane width (wraps at old widths stay in the LRU)."""
        width = max(1, width)
        if width == self.width:
            return
        self.width = width
        per_row = _per_row(width)
        bounds = self.page_starts + [len(self.text)]
        self.pages = RowIndex([(b - a + per_row - 1) // per_row or 1 for a, b in pairwise(bounds)])
        if len(self.text) <= self.eager_limit:
            block: int | None = self.first_block()
            while block is not None:
                self.wrap(block)
                block = self.next_block(block)

    def _page(self, number: int) -> _Page:
        page = self._pages[number]
        if page is None:
            end = (
                self.page_starts[number + 1]
                if number + 1 < len(self.page_starts)
                else len(self.text)
            )
            page = _Page(*split_blocks(self.text, self.page_starts[number], end))
            self._pages[number] = page
        if page.width != self.width:
            page.width = self.width
            page.rows = RowIndex(
                estimate_rows(list(map(int.__sub__, page.ends, page.starts)), self.width)
            )
            page.exact = bytearray(len(page.starts))
            self.pages.set(number, page.rows.total)
        return page

    # blocks

    def first_block(self) -> int:
        return 0

    def last_block(self) -> int:
        number = len(self.page_starts) - 1
        return number * STRIDE + len(self._page(number).starts) - 1

    def next_block(self, block: int) -> int | None:
        number, index = divmod(block, STRIDE)
        if index + 1 < len(self._page(number).starts):
            return block + 1
        return (number + 1) * STRIDE if number + 1 < len(self.page_starts) else None

    def previous_block(self, block: int) -> int | None:
        number, index = divmod(block, STRIDE)
        if index:
            return block - 1
        if not number:
            return None
        return (number - 1) * STRIDE + len(self._page(number - 1).starts) - 1

    def block_span(self, block: int) -> tuple[int, int]:
        number, index = divmod(block, STRIDE)
        page = self._page(number)
        return page.starts[index], page.ends[index]

    def block_of(self, offset: int) -> int:
        number = max(0, bisect_right(self.page_starts, offset) - 1)
        page = self._page(number)
        return number * STRIDE + max(0, bisect_right(page.starts, offset) - 1)

    def line_end(self, block: int) -> bool:
        """True if ``block`` ends a line (at a ``\\n`` or the end of the text)."""
        end = self.block_span(block)[1]
        return end == len(self.text) or self.text[end] == "\n"

    def is_exact(self, block: int) -> bool:
        number, index = divmod(block, STRIDE)
        return bool(self._page(number).exact[index])

    def row_count(self, block: int) -> int:
        """Rows of ``block``: exact once wrapped, an estimate before."""
        number, index = divmod(block, STRIDE)
        return self._page(number).rows.counts[index]

    def wrap(self, block: int) -> list[int]:
        """Row starts of ``block`` at the current width; makes its row count exact."""
        number, index = divmod(block, STRIDE)
        page = self._page(number)
        key = (block, self.width)
        rows = self._wraps.get(key)
        if rows is None:
            start, end = page.starts[index], page.ends[index]
            rows = wrap_block(self.text, start, end, self.width, self.line_end(block))
            self._wraps[key] = rows
            if len(self._wraps) > 4096:
                self._wraps.popitem(last=False)
        else:
            self._wraps.move_to_end(key)
        if not page.exact[index]:
            page.exact[index] = 1
            if page.rows.set(index, len(rows)):
                self.pages.set(number, page.rows.total)
        return rows

    # rows

    @property
    def total_rows(self) -> int:
        return self.pages.total

    def locate(self, y: int) -> tuple[int, int]:
        """(block, row within block) of row ``y``, clamped into the document."""
        while True:
            number, row = self.pages.locate(y)
            before = self.pages.counts[number]
            page = self._page(number)
            if self.pages.counts[number] == before:  # already split at this width
                index, row = page.rows.locate(row)
                return number * STRIDE + index, row

    def y_of(self, block: int, row: int) -> int:
        number, index = divmod(block, STRIDE)
        page = self._page(number)
        return self.pages.start(number) + page.rows.start(index) + row

    def row_span(self, block: int, row: int) -> tuple[int, int]:
        """[start, end) of one row (the end excludes the ``\\n``)."""
        rows = self.wrap(block)
        start = rows[row]
        end = rows[row + 1] if row + 1 < len(rows) else self.block_span(block)[1]
        return start, end

    def is_last_row_of_line(self, block: int, row: int) -> bool:
        return row + 1 == len(self.wrap(block)) and self.line_end(block)

    def position(self, offset: int) -> tuple[int, int]:
        """(block, row) that shows ``offset``; an offset at a soft break opens the next row."""
        block = self.block_of(offset)
        rows = self.wrap(block)
        return block, bisect_right(rows, offset) - 1

    def next_row(self, block: int, row: int, step: int) -> tuple[int, int] | None:
        """The row ``step`` (±1) rows away, or ``None`` past either end."""
        if step > 0:
            if row + 1 < len(self.wrap(block)):
                return block, row + 1
            following = self.next_block(block)
            return None if following is None else (following, 0)
        if row > 0:
            return block, row - 1
        previous = self.previous_block(block)
        return None if previous is None else (previous, len(self.wrap(previous)) - 1)

    # cells

    def clusters(self, block: int, row: int) -> list[Cluster]:
        start, end = self.row_span(block, row)
        return row_clusters(self.text, start, end)

    def x_of(self, offset: int) -> tuple[int, int, int]:
        """(block, row, cell column) where ``offset`` is drawn."""
        block, row = self.position(offset)
        start, end = self.row_span(block, row)
        if is_simple(self.text, start, offset):
            return block, row, offset - start
        cells = 0
        for cluster in row_clusters(self.text, start, end):
            if cluster.end > offset:
                break
            cells += cluster.cells
        return block, row, cells

    def offset_at_x(self, block: int, row: int, x: int) -> int:
        """The offset of the cluster drawn at cell ``x`` of a row.

        Past the end of the text of a row: the end of the line on a line's last row,
        else the last cluster of the row (so the cursor stays on that row).
        """
        start, end = self.row_span(block, row)
        clusters = row_clusters(self.text, start, end)
        cells = 0
        for cluster in clusters:
            cells += cluster.cells
            if x < cells:
                return cluster.start
        if self.is_last_row_of_line(block, row) or not clusters:
            return end
        return clusters[-1].start


_START = itemgetter(1)
_END = itemgetter(2)
_CHUNK = 64


class SpanIndex:
    """Spans (any tuples with start at [1] and end at [2]) found by overlap in O(log n + k).

    Kept sorted by start, with plain lists of starts and ends, the largest end of each
    chunk of 64 spans and its running maximum: a query walks back from the first span
    starting after the range only as far as some earlier span can still reach into
    it. No scan over all 100k spans per row; building is a few passes in C, and the
    sort is skipped when the spans come in document order (as the store gives them).
    """

    def __init__(self, spans: Iterable[Sequence]):
        items = list(spans)
        starts = list(map(_START, items))
        if starts != sorted(starts):  # a sort of sorted ints is one pass in C
            order = sorted(range(len(items)), key=starts.__getitem__)
            items = [items[i] for i in order]
            starts = [starts[i] for i in order]
        self.spans = items
        self.starts = starts
        self.ends = ends = list(map(_END, items))
        self._chunk_end = [max(ends[i : i + _CHUNK]) for i in range(0, len(ends), _CHUNK)]
        self._reach = list(accumulate(self._chunk_end, max))

    def __len__(self) -> int:
        return len(self.spans)

    def overlapping(self, start: int, end: int) -> list:
        """Spans with ``span.start < end`` and ``span.end > start``, sorted by start."""
        items, ends = self.spans, self.ends
        top = bisect_left(self.starts, end)
        chunks: list[list] = []
        chunk = (top - 1) // _CHUNK
        while chunk >= 0 and self._reach[chunk] > start:
            if self._chunk_end[chunk] > start:
                first = chunk * _CHUNK
                found = [
                    items[i] for i in range(first, min(top, first + _CHUNK)) if ends[i] > start
                ]
                if found:
                    chunks.append(found)
            chunk -= 1
        return [span for found in reversed(chunks) for span in found]

    def first_after(self, offset: int) -> Sequence | None:
        """The span starting first after ``offset``."""
        index = bisect_right(self.starts, offset)
        return self.spans[index] if index < len(self.spans) else None

    def last_before(self, offset: int) -> Sequence | None:
        """The span starting last before ``offset``."""
        index = bisect_left(self.starts, offset)
        return self.spans[index - 1] if index else None
