"""What every format module needs from the file system, done once and safely.

- Reading JSON Lines as a stream, with ``file:line`` in every error.
- Writing a single file atomically (a temporary file renamed into place), so a failed
  export never leaves half a file where the last good one was.
- Writing a folder of files without ever leaving it: every name built from a document
  id or an annotator is checked, then resolved and checked again against the folder.
- Keeping a terminal safe when an export goes to it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TextIO

from reader.core.corpus import MAX_DOCUMENT_BYTES, read_bounded
from reader.core.errors import FormatError, ReaderError
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.model import (
    Annotation,
    AnnotationDraft,
    Document,
    check_annotator,
    check_document_id,
)
from reader.core.schema import Schema

_PROGRESS_EVERY = 1 << 20  # report progress about once a megabyte

#: JSON as reader writes it: UTF-8 text (not \\u-escaped), compact, keys in given order.
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def fail(where: str, field: str | None, reason: str) -> FormatError:
    """The one shape of a format error: ``file:line: field: reason``."""
    return FormatError(f"{where}: {field}: {reason}" if field else f"{where}: {reason}")


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


def warn_orphaned(options: FormatOptions, orphaned: int) -> None:
    if orphaned:
        options.warning(
            f"left out {orphaned} orphaned annotation(s): their text is no longer in the document"
        )


def mapped_drafts(
    mapping: Any,
    spans: Iterable[tuple[int, int, str, str]],
    doc_id: str,
    annotator: str,
    where: str,
) -> Iterator[AnnotationDraft]:
    """Drafts for (start, end, label, field) counted in a peer's text, moved to the
    normalized text through ``mapping``; an offset that does not map names its field."""
    from reader.core.formats.offsets import OffsetError

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


def read_text_file(path: Path, options: FormatOptions | None = None) -> str:
    """A peer's text file, decoded strictly; offsets count in what this returns."""
    raw = read_bounded(path, FormatError)
    if options is not None:
        options.advance(len(raw))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not UTF-8: invalid byte at byte offset {exc.start}") from None


# -- checked values -----------------------------------------------------------------------


def get_int(record: dict, key: str, where: str, field: str | None = None) -> int:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(where, field or key, f"expected a whole number, got {value!r}")
    return value


def get_str(
    record: dict, key: str, where: str, field: str | None = None, *, optional: bool = False
) -> str | None:
    value = record.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise fail(where, field or key, f"expected text, got {value!r}")
    return value


def get_list(record: dict, key: str, where: str) -> list:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(where, key, f"expected a list, got {type(value).__name__}")
    return value


def document_id(value: Any, where: str, field: str = "id") -> str:
    """A document id from a file, refused (with where and field) unless safe as a file name."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    try:
        return check_document_id(value)
    except ReaderError as exc:
        raise fail(where, field, str(exc)) from None


def annotator_name(value: Any, where: str, field: str = "annotator") -> str:
    try:
        return check_annotator(value)
    except ReaderError as exc:
        raise fail(where, field, str(exc)) from None


def need_annotator(options: FormatOptions, where: str, format_name: str) -> str:
    if options.annotator is None:
        raise FormatError(
            f"{where}: {format_name} files do not say who annotated; pass --annotator NAME"
        )
    return annotator_name(options.annotator, where, "--annotator")


_WHOLE_NUMBER = re.compile(r"[+-]?\d{1,18}")


def attribute_types(schema: Schema) -> dict[tuple[str, str], str]:
    """(label, attribute) -> type: built once per file, looked up once per value."""
    return {(label.name, a.name): a.type for label in schema.labels for a in label.attributes}


def typed_value(types: dict[tuple[str, str], str], label: str, name: str, value: Any) -> Any:
    """A format's text value as the schema types it: whole numbers for int attributes."""
    if (
        isinstance(value, str)
        and types.get((label, name)) == "int"
        and _WHOLE_NUMBER.fullmatch(value)
    ):
        return int(value)
    return value


# -- exporting ----------------------------------------------------------------------------


def documents_with_annotations(
    source: ExportSource,
    filters: ExportFilters,
    options: FormatOptions,
    *,
    all_documents: bool = False,
) -> Iterator[tuple[Document, list[Annotation]]]:
    """Each exported document with its live, anchored annotations, one document at a time.

    Orphaned annotations (their text is gone from the latest version) are left out and
    counted: their offsets no longer point at their text.
    """
    infos = source.documents()
    if filters.document is not None:
        infos = [info for info in infos if info.id == filters.document]
        if not infos:
            raise FormatError(f"no document {filters.document!r} in the database")
    orphaned = 0
    for info in infos:
        annotations = []
        for a in source.iter_annotations(
            document=info.id, annotator=filters.annotator, label=filters.label
        ):
            if a.orphaned:
                orphaned += 1
            else:
                annotations.append(a)
        if annotations or all_documents:
            yield source.document(info.id), annotations
    if orphaned:
        options.warning(
            f"left out {orphaned} orphaned annotation(s): their text is no longer in the "
            "document (see `reader stats`)"
        )


def by_annotator(annotations: list[Annotation]) -> dict[str, list[Annotation]]:
    groups: dict[str, list[Annotation]] = defaultdict(list)
    for a in annotations:
        groups[a.annotator].append(a)
    return dict(sorted(groups.items()))


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
    """A text file written in full or not at all."""
    path = Path(path)
    if path.is_dir():
        raise FormatError(f"{path}: is a folder; this format writes one file")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    except OSError as exc:
        raise FormatError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        # mkstemp makes the file private (0600); an export is an ordinary file, readable
        # by whoever the user's umask lets read the files they make.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


@contextmanager
def text_destination(dest: Path | TextIO, *, newline: str = "") -> Iterator[TextIO]:
    """A file path (written atomically) or an open text stream (left open)."""
    if isinstance(dest, (str, os.PathLike)):
        with atomic_text(Path(dest), newline=newline) as handle:
            yield handle
    else:
        yield dest


# -- terminals ----------------------------------------------------------------------------

# C0 controls but newline, DEL, C1 controls, bidi embeddings/overrides/isolates: the
# characters that make a terminal act (ESC[2J, OSC 52) or disguise what it shows.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class TerminalSafe:
    """A text stream for a terminal: control characters are written as ``\\uXXXX``.

    Inside JSON strings that is the same value, so JSON exports stay exact; in CSV it is
    a visible stand-in (write to a file or a pipe for the raw bytes).
    """

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(_UNSAFE.sub(_escape, text))

    def flush(self) -> None:
        self.stream.flush()


# -- folders of per-document files --------------------------------------------------------


def annotator_layout(
    path: Path, suffix: str, options: FormatOptions, format_name: str
) -> Iterator[tuple[str, list[Path]]]:
    """(annotator, files) for a file, a flat folder, or a folder of per-annotator folders.

    reader writes folder formats as ``DIR/<annotator>/<files>``; a subfolder's name is
    its annotator. Files directly in the folder (or a single file) take ``--annotator``.
    """
    if path.is_file():
        yield need_annotator(options, str(path), format_name), [path]
        return
    if not path.is_dir():
        raise FormatError(f"{path}: no such file or folder")
    flat = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(suffix))
    if flat:
        yield need_annotator(options, str(path), format_name), flat
    found = bool(flat)
    for sub in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(p for p in sub.iterdir() if p.is_file() and p.name.endswith(suffix))
        if files:
            found = True
            name = annotator_name(name_from_path(sub.name), str(sub), "folder name (the annotator)")
            if options.annotator is not None and options.annotator != name:
                options.warning(
                    f"{sub}: annotator {name!r} taken from the folder name; --annotator "
                    f"{options.annotator} applies only to files that name no annotator"
                )
            yield name, files
    if not found:
        raise FormatError(f"{path}: no {suffix} files in the folder or its subfolders")


def name_from_path(name: str) -> str:
    """A name read back from the file system, in NFC: macOS may hand names back in NFD."""
    return unicodedata.normalize("NFC", name)


def numbered_lines(path: Path, options: FormatOptions) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) of a small UTF-8 text file, CRLF tolerated."""
    text = read_text_file(path)
    options.advance(path.stat().st_size)
    text = text.removeprefix("\ufeff")
    for number, line in enumerate(text.split("\n"), 1):
        yield number, line.removesuffix("\r")
