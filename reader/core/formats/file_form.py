"""A document's own file, remembered: how its normalized offsets map back to it.

reader stores normalized text (no BOM, NFC, ``\\n``). A format whose offsets point into
the peer's own copy of the text (PTC's ``article<ID>.txt``) must export in that file's
units, or its scorer sees every span after a BOM or a CRLF one character early. So a
document read from such a file keeps, in its ``meta["file_form"]``, what normalizing
changed: whether a BOM was dropped, and each piece of the file whose normalized form
differs (a CRLF, an NFD letter with its marks) as ``[start, end, file text]`` in
normalized offsets. From that the file's text and every offset in it are rebuilt
exactly. A file that already was normalized keeps nothing.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

import regex

from reader.core.formats.offsets import is_normalized
from reader.core.text import BOM

KEY = "file_form"
_CLUSTER = regex.compile(r"\X")


def _normalized(piece: str) -> str:
    return unicodedata.normalize("NFC", piece.replace("\r\n", "\n").replace("\r", "\n"))


def file_form(raw: str) -> dict[str, Any] | None:
    """What normalizing ``raw`` changed, or None when it changed nothing (or when the
    changes do not stay within grapheme clusters, which NFC and line ends always do)."""
    if is_normalized(raw):
        return None
    bom = raw.startswith(BOM)
    body = raw[1:] if bom else raw
    pieces: list[list[Any]] = []
    position = 0
    out: list[str] = []
    for match in _CLUSTER.finditer(body):
        cluster = match.group()
        norm = _normalized(cluster)
        if norm != cluster:
            pieces.append([position, position + len(norm), cluster])
        out.append(norm)
        position += len(norm)
    if "".join(out) != _normalized(body):
        return None
    return {"bom": bom, "pieces": pieces}


class FileForm:
    """Normalized offsets -> the offsets of the file a document was read from."""

    def __init__(self, meta: Mapping[str, Any] | None):
        form = (meta or {}).get(KEY) or {}
        self.bom = bool(form.get("bom"))
        self.pieces = [(int(s), int(e), str(t)) for s, e, t in form.get("pieces", [])]
        self._ends = [e for _, e, _ in self.pieces]
        self._shift = [0]
        for s, e, t in self.pieces:
            self._shift.append(self._shift[-1] + len(t) - (e - s))

    @property
    def identity(self) -> bool:
        return not self.bom and not self.pieces

    def to_file(self, offset: int) -> int:
        """The file offset of a normalized offset (on a grapheme boundary)."""
        return offset + self.bom + self._shift[bisect_right(self._ends, offset)]

    def text(self, normalized: str) -> str:
        """The file's own text, rebuilt from the normalized text."""
        if self.identity:
            return normalized
        out, position = [BOM] if self.bom else [], 0
        for s, e, t in self.pieces:
            out += [normalized[position:s], t]
            position = e
        out.append(normalized[position:])
        return "".join(out)
