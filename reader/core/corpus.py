"""Reading article files into Documents, refusing bad ones with a reason each.

Every file is checked before any is returned, so an import either takes all files or
none, and the user sees every problem at once instead of fixing them one run at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from reader.core.errors import (
    CorpusError,
    DecodeError,
    InputPathError,
    ReaderError,
    ValidationError,
)
from reader.core.model import Document, check_document_id
from reader.core.paths import entries, regular_file
from reader.core.text import MAX_TEXT_BYTES, check_text, normalize_bytes, sha256
from reader.core.times import now

#: Largest article file accepted, checked with stat() before the file is read: the
#: limit every document's text has (``text.MAX_TEXT_BYTES``).
MAX_DOCUMENT_BYTES = MAX_TEXT_BYTES


def read_bounded(path: Path, error: type[ReaderError] = ValidationError) -> bytes:
    """A regular file's bytes, refused by size (stat) before it is read whole."""
    try:
        regular_file(path)
    except InputPathError as exc:
        raise error(str(exc)) from None
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise error(
                f"{path}: file is {size} bytes, over the limit of {MAX_DOCUMENT_BYTES} bytes"
            )
        return path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None


def emptiness(raw: bytes) -> str:
    """What a file with nothing to read holds: nothing, or only spaces and line breaks
    (a file of 9 bytes is not 'empty' to the person who sees its size)."""
    return "file holds only white space" if raw else "file is empty"


def read_document(path: Path) -> Document:
    """One article; raises ReaderError naming the file and the reason."""
    doc_id = path.stem
    check_document_id(doc_id, f"{path}: file name")
    if path.suffix != ".txt":
        raise ValidationError(f"{path}: not a .txt file")
    raw = read_bounded(path)
    if not raw.strip():
        raise ValidationError(f"{path}: {emptiness(raw)}")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{path}: UTF-16 text (byte order mark at offset 0); save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul != -1:
        raise DecodeError(f"{path}: binary file: NUL byte at byte offset {nul}")
    text = normalize_bytes(raw, str(path))
    check_text(text, str(path))  # what every other way in checks too
    return Document(id=doc_id, text=text, sha256=sha256(text), source=str(path), added_at=now())


def article_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The .txt files named, folders expanded (sorted, not recursive). A file in a folder
    must be a regular file inside it (``paths.entries``): no symlink out, no FIFO."""
    found: list[Path] = []
    problems: list[str] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                found.extend(entries(path, suffix=".txt"))
            elif path.exists():
                found.append(regular_file(path))
            else:
                problems.append(f"{path}: no such file or folder")
        except InputPathError as exc:
            problems.append(str(exc))
    if problems:
        raise CorpusError(problems)
    return found


def read_paths(paths: Iterable[str | Path]) -> list[Document]:
    """Documents from files and folders: all of them, or a CorpusError listing every problem."""
    documents: list[Document] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in article_paths(paths):
        try:
            doc = read_document(path)
        except (ValidationError, DecodeError) as exc:
            problems.append(str(exc))
            continue
        if doc.id in seen:
            problems.append(f"{path}: document id {doc.id!r} also comes from {seen[doc.id]}")
            continue
        seen[doc.id] = path
        documents.append(doc)
    if problems:
        raise CorpusError(problems)
    return documents


@dataclass(frozen=True)
class CorpusFile:
    """What stat() said of an article file just before it was read. The same size and
    modification time later mean the same text, as make and rsync assume (an edit that
    keeps the size within the file system's time resolution would be missed)."""

    path: str  # resolved, so the corpus may be named from any working folder
    size: int
    mtime_ns: int


def read_corpus(folder: str | Path) -> list[Document]:
    """The articles of a corpus folder; a missing or empty folder is an error."""
    return read_corpus_changes(folder, {})[0]


def read_corpus_changes(
    folder: str | Path, known: Mapping[str, CorpusFile]
) -> tuple[list[Document], dict[str, CorpusFile], int]:
    """The articles of a corpus folder whose files changed since ``known`` (by resolved
    path), each file's stamp by document id, and how many files were skipped unread: a
    start-up with a large corpus reads only what changed."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError([f"{folder}: corpus folder not found"])
    paths = article_paths([folder])
    if not paths:
        raise CorpusError([f"{folder}: no .txt articles in the corpus folder"])
    changed, files = [], {}
    for path in paths:
        try:
            info = path.stat()
        except OSError as exc:
            raise CorpusError([f"{path}: cannot read: {exc.strerror}"]) from None
        file = CorpusFile(str(path.resolve()), info.st_size, info.st_mtime_ns)
        if known.get(file.path) != file:
            changed.append(path)
            files[path.stem] = file
    return read_paths(changed), files, len(paths) - len(changed)
