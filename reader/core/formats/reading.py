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

_PROGRESS_EVERY = 1 << 20  # report progress about once a megabyte

#: Longest JSON line read: a by-document line holds a whole article (at most
#: MAX_DOCUMENT_BYTES, a little more once JSON-escaped) and its annotations.
MAX_LINE_BYTES = 2 * MAX_DOCUMENT_BYTES + 8 * 1024 * 1024


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


def json_lines(path: Path, options: FormatOptions) -> Iterator[tuple[str, Any]]:
    """(``file:line``, parsed value) for each non-blank line, streamed."""
    pending = 0
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
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise FormatError(
                    f"{where}: not UTF-8: invalid byte {exc.start + 1} of the line"
                ) from None
            try:
                value = json.loads(line)
            except ValueError as exc:
                raise FormatError(f"{where}: not valid JSON: {exc}") from None
            if "\\ud" in line or "\\uD" in line:  # a \uXXXX surrogate escape: paired?
                try:
                    dumps(value).encode("utf-8")
                except UnicodeEncodeError:
                    raise FormatError(
                        f"{where}: a \\ud800-\\udfff escape without its pair is not text"
                    ) from None
            yield where, value
    options.advance(pending)


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
