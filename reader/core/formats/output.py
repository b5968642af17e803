"""Atomic output: a file an export writes appears whole or not at all.

A single-file export is written to a temporary file beside the destination and renamed
into place, so a failed export never leaves half a file where the last good one was.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from reader.core.errors import FormatError
from reader.core.formats.destinations import check_special
from reader.core.formats.registry import FormatOptions

#: JSON as reader writes it: UTF-8 text (not \\u-escaped), compact, keys in given order.
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def write_lines(
    out: TextIO, lines: Iterable[str], options: FormatOptions, batch: int = 4096
) -> int:
    """Write one line per item in batches (one write call per batch); returns the count."""
    count = 0
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= batch:
            out.write("\n".join(chunk) + "\n")
            count += len(chunk)
            options.advance(len(chunk))
            chunk = []
    if chunk:
        out.write("\n".join(chunk) + "\n")
        count += len(chunk)
        options.advance(len(chunk))
    return count


def _umask() -> int:
    """The process umask, read without changing it (os.umask sets it, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


@contextmanager
def atomic_text(path: Path, *, newline: str = "") -> Iterator[TextIO]:
    """A text file written in full or not at all.

    A FIFO or a character device (``/dev/stdout``, a terminal, a pipe someone reads) is
    opened and written into: renaming a file over it would replace the device itself.
    A symlink is followed, never replaced: the file it names is (``-o /dev/stdout``
    redirected to a file must not rename a file over ``/dev/stdout``). A write that
    fails (a full disk, a file size limit) removes the partial file and leaves the
    destination as it was.
    """
    shown = path = Path(path)
    if path.is_dir():
        raise FormatError(f"{path}: is a folder; this format writes one file")
    if check_special(path):
        try:
            with path.open("w", encoding="utf-8", newline=newline) as handle:
                yield handle
        except OSError as exc:
            raise FormatError(f"{path}: cannot write: {exc.strerror or exc}") from None
        return
    if path.is_symlink():
        path = path.resolve()
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    except OSError as exc:
        raise FormatError(f"{shown}: cannot write: {exc.strerror}") from None
    try:
        # mkstemp makes the file private (0600); an export is an ordinary file, readable
        # by whoever the user's umask lets read the files they make.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
        os.replace(temp, path)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise FormatError(
                f"{shown}: cannot write: {exc.strerror or exc}; nothing was written"
            ) from None
        raise


@contextmanager
def text_destination(dest: Path | TextIO, *, newline: str = "") -> Iterator[TextIO]:
    """A file path (written atomically) or an open text stream (left open)."""
    if isinstance(dest, (str, os.PathLike)):
        with atomic_text(Path(dest), newline=newline) as handle:
            yield handle
    else:
        yield dest
