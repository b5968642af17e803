"""Normalized text and the offsets that count in it.

Every offset reader stores is a code point index into the *normalized* text: strict
UTF-8, BOM dropped, NFC, line ends folded to ``\\n``. Normalizing once, before anything
is stored, is what lets an annotation made on an NFD or CRLF file keep its offsets when
the same article arrives again in another encoding form.

Line breaks are ``\\n`` only. U+2028/U+2029 and other characters that
``str.splitlines`` would split on are kept as data (they are rare in news text, and
treating them as breaks would make line numbers disagree with every other tool).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from reader.core.errors import DecodeError, ValidationError

if TYPE_CHECKING:
    import regex

BOM = "\ufeff"

# How far back a grapheme lookup starts. Segmentation resynchronises after one
# cluster, so starting this far before the offset is exact unless a single cluster
# (a "Zalgo" pile of marks) is longer than this.
_GRAPHEME_WINDOW = 512


@cache
def graphemes() -> regex.Pattern[str]:
    """``regex``'s grapheme cluster pattern (``\\X``), compiled on first use: text made
    only of simple code points (most news text) never needs it, and importing ``regex``
    is some 9 ms of the annotator's start (bench/RESULTS.md, 2026-11-30)."""
    import regex

    return regex.compile(r"\X")


def decode(raw: bytes, source: str) -> str:
    """Decode strict UTF-8, naming the file and the byte offset of the first bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"{source}: not UTF-8: byte offset {exc.start}: invalid byte 0x{raw[exc.start]:02x}"
        ) from None
    return text


def normalize(text: str) -> str:
    """NFC, BOM dropped, CRLF and lone CR folded to LF."""
    if text.startswith(BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def normalize_bytes(raw: bytes, source: str) -> str:
    """The stored form of a file's bytes."""
    return normalize(decode(raw, source))


#: Largest document text accepted, however it comes in. The view and the store handle
#: 10 MB articles at full speed; beyond 20 MiB a text is almost always a dump or a
#: mistake, and holding it whole would stall the app.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def check_text(text: str, where: str) -> None:
    """The checks every document's text passes, however it comes in: an article file or
    the text a brat, PTC, doccano, Prodigy or ``--by-document`` file carries. Refused:
    text over MAX_TEXT_BYTES as UTF-8, empty (or only white space), holding NUL, or not
    encodable as UTF-8 (a lone surrogate from a ``\\ud800`` JSON escape)."""
    if len(text) * 4 > MAX_TEXT_BYTES:  # else it cannot be over, whatever it holds
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_TEXT_BYTES:
            raise ValidationError(
                f"{where}: text is {size} bytes, over the limit of {MAX_TEXT_BYTES} bytes"
            )
    if not text.strip():
        raise ValidationError(f"{where}: text is empty")
    nul = text.find("\x00")
    if nul != -1:
        raise DecodeError(f"{where}: text holds a NUL character at offset {nul}; binary data?")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DecodeError(
            f"{where}: text holds a lone surrogate at offset {exc.start} (a \\ud800-\\udfff "
            "escape without its pair), not UTF-8 text"
        ) from None


def sha256(text: str) -> str:
    """The hex SHA-256 of normalized text, encoded as UTF-8: a document's identity.
    (``hashlib`` loads OpenSSL, 2 ms: not at start, where an unchanged corpus is not read.)"""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LineIndex:
    """Start offsets of every line, so offset <-> (line, column) costs O(log n)."""

    starts: tuple[int, ...]
    length: int

    @classmethod
    def build(cls, text: str) -> LineIndex:
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return cls(tuple(starts), len(text))

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_span(self, line: int) -> tuple[int, int]:
        """[start, end) of a line, without its ``\\n``."""
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else self.length
        return start, end

    def to_line_col(self, offset: int) -> tuple[int, int]:
        """0-based (line, column in code points) of an offset in [0, len(text)]."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} outside text of length {self.length}")
        line = bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def to_offset(self, line: int, col: int) -> int:
        """Offset of a 0-based (line, column); the column may point at the line end."""
        if not 0 <= line < len(self.starts):
            raise ValueError(f"line {line} outside 0..{len(self.starts) - 1}")
        start, end = self.line_span(line)
        if not 0 <= col <= end - start:
            raise ValueError(f"column {col} outside line {line} of length {end - start}")
        return start + col


def _clusters_around(text: str, offset: int) -> tuple[int, int]:
    """[start, end) of the grapheme cluster containing ``offset`` (offset < len)."""
    window = max(0, offset - _GRAPHEME_WINDOW)
    newline = text.rfind("\n", window, offset)
    if newline != -1:
        window = newline + 1  # a line start is always a boundary after normalization
    for match in graphemes().finditer(text, window, min(len(text), offset + _GRAPHEME_WINDOW)):
        if match.end() > offset:
            return match.start(), match.end()
    return offset, offset + 1


def _simple(code: int) -> bool:
    """Characters that never join a neighbour into one cluster: Latin (with precomposed
    Vietnamese letters), dashes, curly quotes and the ellipsis (U+2010-U+2027, which
    holds no joiner or mark), and CJK ideographs."""
    return (
        code < 0x300
        or 0x1E00 <= code < 0x2000
        or 0x2010 <= code < 0x2028
        or 0x4E00 <= code < 0xA000
    )


# Any character ``_simple`` does not let through: a text without one has a grapheme
# boundary at every offset (each neighbouring pair is simple).
_NOT_SIMPLE = re.compile("[^\x00-\u02ff\u1e00-\u1fff\u2010-\u2027\u4e00-\u9fff]")


def every_offset_a_boundary(text: str) -> bool:
    """True when no offset of ``text`` can split a grapheme cluster (Latin and
    Vietnamese news text usually): checks of its span edges may then be skipped."""
    return _NOT_SIMPLE.search(text) is None


def is_grapheme_boundary(text: str, offset: int) -> bool:
    """True where a span may start or end without splitting a user-perceived character."""
    if offset <= 0 or offset >= len(text):
        return 0 <= offset <= len(text)
    if _simple(ord(text[offset - 1])) and _simple(ord(text[offset])):
        return True  # the common case, without running the segmenter
    return _clusters_around(text, offset)[0] == offset


def snap_back(text: str, offset: int) -> int:
    """The grapheme boundary at or before ``offset`` (for span starts)."""
    if offset <= 0 or offset >= len(text):
        return max(0, min(offset, len(text)))
    return _clusters_around(text, offset)[0]


def snap_forward(text: str, offset: int) -> int:
    """The grapheme boundary at or after ``offset`` (for span ends)."""
    if offset <= 0 or offset >= len(text):
        return max(0, min(offset, len(text)))
    start, end = _clusters_around(text, offset)
    return offset if start == offset else end


def next_boundary(text: str, offset: int) -> int:
    """The boundary after the cluster that starts at ``offset``: one step right."""
    if offset >= len(text):
        return len(text)
    after = offset + 1
    if offset >= 0 and (
        after == len(text) or _simple(ord(text[offset])) and _simple(ord(text[after]))
    ):
        return after  # the common case (the cursor's cell), without the segmenter
    return _clusters_around(text, offset)[1]


def previous_boundary(text: str, offset: int) -> int:
    """The start of the cluster that ends at ``offset``: one step left."""
    if offset <= 0:
        return 0
    return _clusters_around(text, offset - 1)[0]


def snap_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to grapheme boundaries, never narrowing it."""
    return snap_back(text, start), snap_forward(text, end)
