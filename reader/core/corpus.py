"""Reading article files into Documents, refusing bad ones with a reason each.

Every file is checked before any is returned, so an import either takes all files or
none, and the user sees every problem at once instead of fixing them one run at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from reader.core.errors import CorpusError, DecodeError, ReaderError, ValidationError
from reader.core.model import Document, check_document_id, now
from reader.core.text import normalize_bytes, sha256

#: Largest article accepted, checked with stat() before the file is read. The view and
#: the store handle 10 MB articles at full speed; beyond 20 MiB a file is almost always
#: a dump or a mistake, and reading it whole would stall the app.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def read_bounded(path: Path, error: type[ReaderError] = ValidationError) -> bytes:
    """A text file's bytes, refused by size (stat) before it is read whole."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise error(f"{path}: file is {size} bytes, over the limit of {MAX_DOCUMENT_BYTES} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None


def read_document(path: Path) -> Document:
    """One article; raises ReaderError naming the file and the reason."""
    doc_id = path.stem
    check_document_id(doc_id, f"{path}: file name")
    if path.suffix != ".txt":
        raise ValidationError(f"{path}: not a .txt file")
    raw = read_bounded(path)
    if not raw.strip():
        raise ValidationError(f"{path}: file is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeError(f"{path}: UTF-16 text (byte order mark at offset 0); save it as UTF-8")
    nul = raw.find(b"\x00")
    if nul != -1:
        raise DecodeError(f"{path}: binary file: NUL byte at byte offset {nul}")
    text = normalize_bytes(raw, str(path))
    return Document(id=doc_id, text=text, sha256=sha256(text), source=str(path), added_at=now())


def article_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The .txt files named, folders expanded (sorted, not recursive)."""
    found: list[Path] = []
    problems: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
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


def read_corpus(folder: str | Path) -> list[Document]:
    """The articles of a corpus folder; a missing or empty folder is an error."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError([f"{folder}: corpus folder not found"])
    documents = read_paths([folder])
    if not documents:
        raise CorpusError([f"{folder}: no .txt articles in the corpus folder"])
    return documents
