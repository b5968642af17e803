"""Reading what a peer wrote: JSON Lines streamed, text files bounded and strictly decoded.

Every error names ``file:line`` (or the byte offset), so a bad line is found at once.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from reader.core.corpus import MAX_DOCUMENT_BYTES, read_bounded
from reader.core.errors import FormatError
from reader.core.formats.output import dumps
from reader.core.formats.registry import FormatOptions
from reader.core.paths import regular_file

_PROGRESS_EVERY = 1 << 20  # report progress about once a megabyte

#: Longest JSON line read: a by-document line holds a whole article (at most
#: MAX_DOCUMENT_BYTES, a little more once JSON-escaped) and its annotations.
MAX_LINE_BYTES = 2 * MAX_DOCUMENT_BYTES + 8 * 1024 * 1024


#: Deepest JSON nesting read. reader's own files nest three levels; a peer's a few more.
#: Far deeper input is an attack on the parser (or on whatever walks the value later).
MAX_JSON_DEPTH = 64


class JSONRefused(FormatError):
    """Valid JSON that no reader of reader's reads (a duplicate key, too deep a nesting, a
    lone surrogate): the format guess reports it as it is, not as an unknown format."""


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused if a key appears twice: which value counts differs from one
    parser to the next, and a hidden second ``"annotator"`` could overrule the first."""
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return value


_decode = json.JSONDecoder(object_pairs_hook=_object).decode


def _deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return False


def loads(text: str, where: str) -> Any:
    """A JSON value, as strict as every reader of peer files needs: a duplicate key, a
    nesting deeper than MAX_JSON_DEPTH, or a lone surrogate escape is refused in one
    line naming ``where``."""
    try:
        value = _decode(text)
    except _DuplicateKey as exc:
        raise JSONRefused(
            f"{where}: key {exc.key!r} appears twice in one object; refused, since "
            "readers disagree about which one counts"
        ) from None
    except RecursionError:
        raise JSONRefused(f"{where}: JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as exc:
        raise FormatError(f"{where}: not valid JSON: {exc}") from None
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and _deeper_than(value, MAX_JSON_DEPTH):
        raise JSONRefused(f"{where}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if "\\ud" in text or "\\uD" in text:  # a \uXXXX surrogate escape: paired?
        try:
            dumps(value).encode("utf-8")
        except UnicodeEncodeError:
            raise JSONRefused(
                f"{where}: not UTF-8 text: a \\ud800-\\udfff escape without its pair"
            ) from None
    return value


def _lines(handle: IO[bytes], path: Path) -> Iterator[tuple[int, bytes]]:
    """Lines of at most MAX_LINE_BYTES, refusing a longer one before it is read whole."""
    number = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise FormatError(
                f"{path}:{number}: line longer than the limit of {MAX_LINE_BYTES} bytes"
            )
        yield number, raw


def raw_json_lines(path: Path, options: FormatOptions) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) for each non-blank line, streamed, BOM dropped, progress
    reported: what ``json_lines`` parses, for a reader with a faster parse of its own."""
    pending = 0
    regular_file(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror}") from None
    with handle:
        for number, raw in _lines(handle, path):
            pending += len(raw)
            if pending >= _PROGRESS_EVERY:
                options.advance(pending)
                pending = 0
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            yield number, raw
    options.advance(pending)


def strict_line(raw: bytes, where: str) -> Any:
    """One line's JSON value, decoded as strict UTF-8 and parsed by ``loads``."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{where}: not UTF-8: invalid byte {exc.start + 1} of the line") from None
    return loads(line, where)


def json_lines(path: Path, options: FormatOptions) -> Iterator[tuple[str, Any]]:
    """(``file:line``, parsed value) for each non-blank line, streamed."""
    for number, raw in raw_json_lines(path, options):
        where = f"{path}:{number}"
        yield where, strict_line(raw, where)


def read_text_file(path: Path, options: FormatOptions | None = None) -> str:
    """A peer's text file, decoded strictly; offsets count in what this returns."""
    raw = read_bounded(path, FormatError)
    if options is not None:
        options.advance(len(raw))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not UTF-8: invalid byte at byte offset {exc.start}") from None


def numbered_lines(path: Path, options: FormatOptions) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) of a small UTF-8 text file, CRLF tolerated."""
    text = read_text_file(path)
    options.advance(path.stat().st_size)
    text = text.removeprefix("\ufeff")
    for number, line in enumerate(text.split("\n"), 1):
        yield number, line.removesuffix("\r")


def name_from_path(name: str) -> str:
    """A name read back from the file system, in NFC: macOS may hand names back in NFD."""
    return unicodedata.normalize("NFC", name)
