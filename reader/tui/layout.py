"""Layout: the wrapped shape of one text at one width, found only as far as it is shown.

Pages and blocks. Nothing is scanned ahead of need. The text is cut into *pages* of
about ``PAGE`` code points (a few ``find`` calls, even for 10 MB); a page is split
into *blocks* the first time one of its rows is asked for. A block is a line or, for a
line longer than ``BLOCK`` code points, a piece of it cut after a space. A block is
wrapped on its own, so wrapping what is on screen never needs the rows before it: a
10 MB article on a single line costs as little to show at its end as at its start.
The price is a row a little shorter than the pane where a long line is cut.

Rows. Until a page is split and a block wrapped, row counts are estimates from
lengths; the view wraps what is on screen and keeps its anchored row in place while
estimates above it turn exact. How one block wraps is ``reader.tui.wrap``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from itertools import accumulate, pairwise

from reader.core.text import snap_back
from reader.tui.wrap import Cluster, is_simple, row_clusters, wrap_block

BLOCK = 8192  # long enough that news paragraphs are never cut (a cut leaves one short row)
PAGE = 65536
# Block ids are page * STRIDE + index: a page spans at most PAGE + BLOCK code points,
# so it never holds more blocks than this.
STRIDE = PAGE + BLOCK + 2
_GROUP = 256


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
