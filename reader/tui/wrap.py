"""Soft wrapping by terminal cells: how wide each cluster is and where a row breaks.

The bottom of ``ArticleView``: no Textual, no styles, only text, widths and offsets, so
that it can be tested (and property-tested) alone. ``reader.tui.layout`` cuts the text
into blocks and wraps each one with :func:`wrap_block`.

Rows. A block wraps into rows of at most ``width - 1`` cells; the last cell of the
pane is kept for the cursor at the end of a line, and for one space hanging at a soft
break. Rows break after a space where possible and otherwise between two grapheme
clusters, never inside one.

Display. Every code point shows as exactly one display code point, so that offsets
map 1:1: C0/C1 controls and bidirectional controls are replaced by a visible stand-in
(``␛`` for ESC, ``␀``-``␟`` for the other C0 codes, ``␡`` for DEL, ``�`` for C1,
bidi controls and zero-width characters such as U+200B), U+2028/U+2029 show as a space, and a tab stays one code point that
the renderer draws as ``TAB_CELLS`` spaces. A zero-width joiner that joins nothing
inside its cluster shows as U+200B, because Rich would otherwise count the next
cluster as joined and disagree with the cells counted here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rich.cells import cell_len

from reader.core.text import graphemes

TAB_CELLS = 4

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Invisible characters that stand alone as a cluster: zero width space, word joiner,
# invisible operators, zero width no-break space (a BOM inside the text), Mongolian
# vowel separator. (ZWJ and ZWNJ stay: they build emoji sequences and shape scripts.)
ZERO_WIDTH = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"
_DISPLAY: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_DISPLAY[0x7F] = "\u2421"
_DISPLAY.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_DISPLAY.update({ord(char): "\ufffd" for char in BIDI_CONTROLS + ZERO_WIDTH})
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
_NOT_SIMPLE = re.compile("[^" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in SIMPLE_RANGES) + "]")
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
        for m in graphemes().finditer(text, start, end)
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
    for match in graphemes().finditer(text, start, end):
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
