"""Soft wrapping by terminal cells, and the map between cells and offsets.

This is the pure half of ``ArticleView``: no Textual, no styles, only text, widths and
offsets, so that it can be tested (and property-tested) alone.

Blocks. The text is cut into *blocks*: a line, or, for a line longer than ``BLOCK``
code points, pieces of it cut after a space near every ``BLOCK`` code points. A block
is wrapped on its own, so wrapping what is on screen never needs the rows before it:
a 10 MB article on a single line costs as little to show at its end as at its start.
The price is a row a little shorter than the pane where a long line is cut.

Rows. A block wraps into rows of at most ``width - 1`` cells; the last cell of the
pane is kept for the cursor at the end of a line, and for one space hanging at a soft
break. Rows break after a space where possible and otherwise between two grapheme
clusters, never inside one. Until a block has been wrapped its row count is an
estimate from its length; the view wraps what is on screen and the estimates above
and below are refined as they are reached (``Layout.wrap`` returns the change).

Display. Every code point shows as exactly one display code point, so that offsets
map 1:1: C0/C1 controls and bidirectional controls are replaced by a visible stand-in
(``␛`` for ESC, ``␀``-``␟`` for the other C0 codes, ``␡`` for DEL, ``�`` for C1 and
bidi controls), U+2028/U+2029 show as a space, and a tab stays one code point that
the renderer draws as ``TAB_CELLS`` spaces. A zero-width joiner that joins nothing
inside its cluster shows as U+200B, because Rich would otherwise count the next
cluster as joined and disagree with the cells counted here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

import regex
from rich.cells import cell_len

from reader.core.text import snap_back

BLOCK = 2048
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
            if (
                cluster == " "
                and cells == limit
                and not (line_end and match.end() == end)
            ):
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


def split_blocks(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every block (see the module docstring)."""
    starts = [0]
    append = starts.append
    find = text.find
    pos = find("\n")
    while pos != -1:
        append(pos + 1)
        pos = find("\n", pos + 1)
    ends = [start - 1 for start in starts[1:]]
    ends.append(len(text))
    if max(map(int.__sub__, ends, starts)) <= BLOCK:
        return starts, ends
    out_starts: list[int] = []
    out_ends: list[int] = []
    for line_start, line_end in zip(starts, ends):
        piece = line_start
        while line_end - piece > BLOCK:
            space = text.rfind(" ", piece + BLOCK // 2, piece + BLOCK)
            cut = space + 1 if space != -1 else snap_back(text, piece + BLOCK)
            if cut <= piece:
                cut = piece + BLOCK
            out_starts.append(piece)
            out_ends.append(cut)
            piece = cut
        out_starts.append(piece)
        out_ends.append(line_end)
    return out_starts, out_ends


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


class Layout:
    """The wrapped shape of one text at one width: blocks, rows, and cells.

    Exact wraps are computed on demand and kept in a small LRU keyed by
    ``(block, width)``; a block's row count is an estimate until it is wrapped once.
    """

    def __init__(self, text: str, width: int = 80, *, eager_limit: int = 262_144):
        self.text = text
        self.block_starts, self.block_ends = split_blocks(text)
        self.eager_limit = eager_limit
        self._wraps: OrderedDict[tuple[int, int], list[int]] = OrderedDict()
        self.width = 0
        self.set_width(width)

    @property
    def block_count(self) -> int:
        return len(self.block_starts)

    def set_width(self, width: int) -> None:
        """Re-estimate every block for a new pane width (wraps of old widths stay cached)."""
        width = max(1, width)
        if width == self.width:
            return
        self.width = width
        lengths = list(map(int.__sub__, self.block_ends, self.block_starts))
        self.rows = RowIndex(estimate_rows(lengths, width))
        self.exact = bytearray(self.block_count)
        if len(self.text) <= self.eager_limit:
            for block in range(self.block_count):
                self.wrap(block)

    def line_end(self, block: int) -> bool:
        """True if ``block`` ends a line (its end is a ``\\n`` or the end of the text)."""
        return block + 1 == self.block_count or self.block_starts[block + 1] != self.block_ends[block]

    def wrap(self, block: int) -> list[int]:
        """Row starts of ``block`` at the current width; makes its row count exact."""
        key = (block, self.width)
        rows = self._wraps.get(key)
        if rows is None:
            rows = wrap_block(
                self.text,
                self.block_starts[block],
                self.block_ends[block],
                self.width,
                self.line_end(block),
            )
            self._wraps[key] = rows
            if len(self._wraps) > 4096:
                self._wraps.popitem(last=False)
        else:
            self._wraps.move_to_end(key)
        if not self.exact[block]:
            self.exact[block] = 1
            self.rows.set(block, len(rows))
        return rows

    @property
    def total_rows(self) -> int:
        return self.rows.total

    def row_span(self, block: int, row: int) -> tuple[int, int]:
        """[start, end) of one row (the end excludes the ``\\n``)."""
        rows = self.wrap(block)
        start = rows[row]
        end = rows[row + 1] if row + 1 < len(rows) else self.block_ends[block]
        return start, end

    def is_last_row_of_line(self, block: int, row: int) -> bool:
        return row + 1 == len(self.wrap(block)) and self.line_end(block)

    def block_of(self, offset: int) -> int:
        return max(0, bisect_right(self.block_starts, offset) - 1)

    def position(self, offset: int) -> tuple[int, int]:
        """(block, row) that shows ``offset``; an offset at a soft break opens the next row."""
        block = self.block_of(offset)
        rows = self.wrap(block)
        return block, bisect_right(rows, offset) - 1

    def y_of(self, block: int, row: int) -> int:
        return self.rows.start(block) + row

    def next_row(self, block: int, row: int, step: int) -> tuple[int, int] | None:
        """The row ``step`` (±1) rows away, or ``None`` past either end."""
        if step > 0:
            if row + 1 < len(self.wrap(block)):
                return block, row + 1
            if block + 1 < self.block_count:
                return block + 1, 0
            return None
        if row > 0:
            return block, row - 1
        if block > 0:
            return block - 1, len(self.wrap(block - 1)) - 1
        return None

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

    Sorted by start, with the largest end of each chunk of 64 and its running maximum,
    so that a query walks back from the first span starting after the range only as
    far as some earlier span can still reach into it: no scan over all 100k spans per
    row, and building it is one sort plus one pass in C.
    """

    def __init__(self, spans: Iterable[Sequence]):
        self.spans: list = sorted(spans, key=_START)
        items = self.spans
        self._chunk_end = [max(map(_END, items[i : i + _CHUNK])) for i in range(0, len(items), _CHUNK)]
        self._reach = list(accumulate(self._chunk_end, max))

    def __len__(self) -> int:
        return len(self.spans)

    def overlapping(self, start: int, end: int) -> list:
        """Spans with ``span.start < end`` and ``span.end > start``, sorted by start."""
        items = self.spans
        top = bisect_left(items, end, key=_START)
        chunks: list[list] = []
        chunk = (top - 1) // _CHUNK
        while chunk >= 0 and self._reach[chunk] > start:
            if self._chunk_end[chunk] > start:
                first = chunk * _CHUNK
                found = [s for s in items[first : min(top, first + _CHUNK)] if s[2] > start]
                if found:
                    chunks.append(found)
            chunk -= 1
        return [span for found in reversed(chunks) for span in found]

    def first_after(self, offset: int) -> Sequence | None:
        """The span starting first after ``offset``."""
        index = bisect_right(self.spans, offset, key=_START)
        return self.spans[index] if index < len(self.spans) else None

    def last_before(self, offset: int) -> Sequence | None:
        """The span starting last before ``offset``."""
        index = bisect_left(self.spans, offset, key=_START)
        return self.spans[index - 1] if index else None
