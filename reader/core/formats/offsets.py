"""Translating offsets between the ways peers count and the way reader counts.

reader counts Unicode code points into *normalized* text (NFC, ``\\n`` line ends, no
BOM). Peers differ twice over:

- the unit: doccano's browser front end counts UTF-16 code units (JavaScript string
  indices), so every astral character (most emoji) counts two;
- the text: a peer's file may hold CRLF line ends, NFD letters or a BOM, and its offsets
  count in that raw text.

- doccano's grapheme mode counts grapheme clusters (what a reader sees as one letter or
  one emoji), as its front end's grapheme splitter does.

Both translations are exact or refused: an offset inside a surrogate pair, or one that
falls between a CR and its LF or between a letter and a mark that NFC composes, has no
place in reader's text, and guessing one would shift a span silently.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Protocol

import regex

from reader.core.model import AnnotationDraft
from reader.core.text import BOM

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetError(ValueError):
    """An offset that cannot be translated; the message says why, the caller says where."""


class Utf16Index:
    """Code point <-> UTF-16 code unit offsets for one text, in O(log n) per offset."""

    __slots__ = ("_astral_cp", "_astral_u16", "length")

    def __init__(self, text: str):
        self._astral_cp = [m.start() for m in _ASTRAL.finditer(text)]
        # The UTF-16 index of each astral character: it sits after i earlier pairs.
        self._astral_u16 = [cp + i for i, cp in enumerate(self._astral_cp)]
        self.length = len(text) + len(self._astral_cp)

    def to_utf16(self, offset: int) -> int:
        if not self._astral_cp:
            return offset
        return offset + bisect_left(self._astral_cp, offset)

    to_unit = to_utf16

    def to_codepoint(self, offset: int) -> int:
        """The code point offset of a UTF-16 offset; refuses one inside a surrogate pair."""
        if not self._astral_u16:
            return offset
        before = bisect_left(self._astral_u16, offset)  # pairs starting before offset
        if before and self._astral_u16[before - 1] + 1 == offset:
            raise OffsetError(
                f"UTF-16 offset {offset} falls inside a surrogate pair (an emoji or other "
                "character outside the Basic Multilingual Plane)"
            )
        return offset - before


#: The units peers count offsets in, as named by ``--offsets``.
UNITS = ("codepoint", "utf16", "grapheme")
UNIT_NAMES = {"codepoint": "code points", "utf16": "UTF-16 units", "grapheme": "grapheme clusters"}

_CLUSTER = regex.compile(r"\X")


class UnitIndex(Protocol):
    """Offsets of one text in a peer's unit <-> code points."""

    length: int

    def to_unit(self, offset: int) -> int: ...

    def to_codepoint(self, offset: int) -> int: ...


class CodepointIndex:
    """The identity: the peer counts code points, as reader does."""

    __slots__ = ("length",)

    def __init__(self, text: str):
        self.length = len(text)

    def to_unit(self, offset: int) -> int:
        return offset

    def to_codepoint(self, offset: int) -> int:
        return offset


class GraphemeIndex:
    """Code point <-> grapheme cluster offsets (UAX #29 extended clusters, ``regex``'s \\X)."""

    __slots__ = ("_starts", "length")

    def __init__(self, text: str):
        self._starts = [m.start() for m in _CLUSTER.finditer(text)] + [len(text)]
        self.length = len(self._starts) - 1

    def to_unit(self, offset: int) -> int:
        """The cluster index at a code point offset; one inside a cluster is refused."""
        i = bisect_left(self._starts, offset)
        if i >= len(self._starts) or self._starts[i] != offset:
            raise OffsetError(f"code point offset {offset} falls inside a grapheme cluster")
        return i

    def to_codepoint(self, offset: int) -> int:
        if not 0 <= offset <= self.length:
            raise OffsetError(f"grapheme offset {offset} is past the end ({self.length} clusters)")
        return self._starts[offset]


def chosen_unit(choice: str | None, allowed: tuple[str, ...], format_name: str) -> str:
    """The unit a ``--offsets`` choice names for a format (its first unit by default)."""
    unit = choice or allowed[0]
    if unit not in allowed:
        raise OffsetError(
            f"--offsets {unit}: {format_name} offsets are one of {', '.join(allowed)}"
        )
    return unit


def unit_index(text: str, unit: str) -> UnitIndex:
    """The offset translator for ``text`` in ``unit`` (one of UNITS)."""
    if unit == "utf16":
        return Utf16Index(text)
    if unit == "grapheme":
        return GraphemeIndex(text)
    return CodepointIndex(text)


def _normalize_piece(piece: str) -> str:
    return unicodedata.normalize("NFC", piece.replace("\r\n", "\n").replace("\r", "\n"))


def is_normalized(raw: str) -> bool:
    """True when ``raw`` already is reader's stored form, so offsets need no mapping."""
    return "\r" not in raw and not raw.startswith(BOM) and unicodedata.is_normalized("NFC", raw)


class NormalizedText:
    """A peer's raw text and its normalized form, with raw -> normalized offset mapping.

    When the raw text already is normalized (the usual case) the mapping is the identity
    and costs nothing. Otherwise each offset the file uses is a cut point. A cut is safe
    when normalizing the text on each side of it separately gives the same result as
    normalizing across it (checked in a window around the cut: NFC and CRLF folding are
    local). Pieces between safe cuts are normalized alone and their lengths added up; an
    unsafe cut split a CRLF pair or a sequence NFC composes, and its offset is refused.
    """

    __slots__ = ("_body", "_identity", "_map", "_shift", "raw", "text")

    _WINDOW = 64

    def __init__(self, raw: str):
        self.raw = raw
        self._identity = is_normalized(raw)
        self._shift = 1 if raw.startswith(BOM) else 0  # offsets count the BOM; the text drops it
        self._body = raw[self._shift :]
        self.text = raw if self._identity else _normalize_piece(self._body)
        self._map: dict[int, int] = {}

    @property
    def identity(self) -> bool:
        return self._identity

    def _safe(self, cut: int) -> bool:
        body = self._body
        lo, hi = max(0, cut - self._WINDOW), min(len(body), cut + self._WINDOW)
        left, right = body[lo:cut], body[cut:hi]
        return _normalize_piece(left) + _normalize_piece(right) == _normalize_piece(left + right)

    def prepare(self, offsets: Iterable[int]) -> None:
        """Compute the mapping for every offset the file uses, all at once."""
        if self._identity:
            return
        body, shift = self._body, self._shift
        wanted = {o for o in offsets if 0 <= o <= len(self.raw)}
        inner = sorted({max(0, o - shift) for o in wanted} - {0, len(body)})
        cuts = [0] + [c for c in inner if self._safe(c)] + [len(body)]
        position = 0
        mapped: dict[int, int] = {0: 0}
        pieces: list[str] = []
        for a, b in pairwise(cuts):
            piece = _normalize_piece(body[a:b])
            pieces.append(piece)
            position += len(piece)
            mapped[b] = position
        if "".join(pieces) != self.text:  # the windowed check missed a long sequence
            raise OffsetError("the text cannot be normalized piece by piece at these offsets")
        for offset in wanted:
            body_offset = max(0, offset - shift)
            if body_offset in mapped:
                self._map[offset] = mapped[body_offset]

    def to_normalized(self, offset: int) -> int:
        if self._identity:
            return offset
        try:
            return self._map[offset]
        except KeyError:
            if not 0 <= offset <= len(self.raw):
                return offset + (len(self.text) - len(self.raw))  # out of range either way
            raise OffsetError(
                f"offset {offset} splits a CR LF line end or a letter from a mark that "
                "normalization (NFC) joins, so it has no place in the normalized text"
            ) from None


def mapped_drafts(
    mapping: NormalizedText,
    spans: Iterable[tuple[int, int, str, str]],
    doc_id: str,
    annotator: str,
    where: str,
) -> Iterator[AnnotationDraft]:
    """Drafts for (start, end, label, field) counted in a peer's text, moved to the
    normalized text through ``mapping``; an offset that does not map names its field."""
    from reader.core.formats.fields import fail

    for start, end, label, field in spans:
        try:
            s, e = mapping.to_normalized(start), mapping.to_normalized(end)
        except OffsetError as exc:
            raise fail(where, field, str(exc)) from None
        yield AnnotationDraft(
            document=doc_id,
            start=s,
            end=e,
            label=label,
            annotator=annotator,
            where=f"{where}: {field}",
        )
