"""Which formats exist, what each can carry, and how a file's format is guessed.

Every format module has the same two functions (a format that is export-only has no
``read``)::

    read(path, *, schema, options) -> Iterator[Document | AnnotationDraft | DocumentStatus]
    write(source, dest, *, filters, options) -> int

Readers stream: they yield a Document before the drafts on it, and never hold a whole
file. The store takes the stream in one transaction (all or nothing). Writers take any
``ExportSource`` (the Store is one) and return how many annotations they wrote.

Format modules are imported on first use, so ``reader --help`` stays fast and a format
module may import this one without a cycle.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TextIO

from reader.core.errors import FormatError
from reader.core.formats.destinations import Protected
from reader.core.model import Annotation, Document, DocumentStatus
from reader.core.schema import Schema

#: The fields of an annotation that a round trip can preserve.
ALL_FIELDS = frozenset(
    {"id", "document", "start", "end", "label", "annotator", "attributes", "note", "origin",
     "created_at", "updated_at"}
)  # fmt: skip
SPAN_FIELDS = frozenset({"document", "start", "end", "label", "annotator"})


class DocumentInfoLike(Protocol):
    id: str
    sha256: str
    version: int
    length: int
    source: str
    meta: Mapping[str, Any]


class ExportSource(Protocol):
    """What a writer reads from. ``reader.core.store.Store`` is one; tests may fake it."""

    schema: Schema

    def documents(self) -> list[DocumentInfoLike]: ...

    def document(self, doc_id: str) -> Document: ...

    def iter_annotations(
        self,
        *,
        document: str | None = None,
        annotator: str | None = None,
        label: str | None = None,
        include_deleted: bool = False,
    ) -> Iterator[Annotation]: ...

    def iter_records(
        self,
        fields: Sequence[str],
        *,
        document: str | None = None,
        annotator: str | None = None,
        label: str | None = None,
    ) -> Iterator[tuple]:
        """Live, anchored annotations in export order (document, start, end, label,
        annotator, id), each as the tuple of its ``fields`` (``attributes`` a dict). A
        format names the fields, so the record's shape is the format's alone."""
        ...

    def count_orphaned(
        self, *, document: str | None = None, annotator: str | None = None, label: str | None = None
    ) -> int: ...

    def statuses(self) -> list[DocumentStatus]: ...

    def protected_paths(self) -> Protected:
        """The files and folders an export must never write over: the database, its
        side files, the articles and corpus folders it knows."""
        ...


@dataclass(frozen=True)
class ExportFilters:
    """Which annotations to export; None means all."""

    annotator: str | None = None
    label: str | None = None
    document: str | None = None


@dataclass(frozen=True)
class FormatOptions:
    """Choices a user makes on the command line, shared by readers and writers.

    ``annotator`` names who made the annotations of a file that does not say (brat,
    PTC, a flat doccano file); ``offsets`` overrides a format's counting unit
    ("utf16", "codepoint", "grapheme"); ``texts`` are folders of article files named
    beside the annotation files (PTC's ``train-articles``); ``task`` picks a PTC
    export ("tc" or "si"); ``warn`` receives one line per thing skipped;
    ``progress`` receives how much more was done (bytes read, annotations written).
    """

    annotator: str | None = None
    offsets: str | None = None
    texts: tuple[Path, ...] = ()
    task: str | None = None
    #: The stored text of a document (None if absent): W3C places a quote-only target in it.
    document_text: Callable[[str], str | None] | None = None
    by_document: bool = False
    overwrite: bool = False  # a folder export may replace an earlier reader export
    warn: Callable[[str], None] | None = None
    progress: Callable[[int], None] | None = None

    def warning(self, message: str) -> None:
        if self.warn is not None:
            self.warn(message)

    def advance(self, amount: int) -> None:
        if self.progress is not None and amount:
            self.progress(amount)


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    module: str
    reads: bool = True
    writes: bool = True
    folder: bool = False  # export writes a folder of files
    carries: frozenset[str] = field(default=ALL_FIELDS)
    statuses: bool = False  # carries documents' done status
    texts: bool = False  # carries the documents' text
    #: The units its offsets may count in (``--offsets``), the default first.
    units: tuple[str, ...] = ("codepoint",)

    @property
    def offsets(self) -> str:
        return self.units[0]

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)

    def export(
        self,
        source: ExportSource,
        dest: Path | TextIO,
        *,
        filters: ExportFilters,
        options: FormatOptions,
    ) -> int:
        """Write ``source`` to ``dest``, once the destination is known not to be the
        database, one of its side files, an article or a corpus folder."""
        if isinstance(dest, (str, os.PathLike)):
            protected = source.protected_paths()
            (protected.check_folder if self.folder else protected.check_file)(Path(dest))
        return self.load().write(source, dest, filters=filters, options=options)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("jsonl", "reader's own JSON Lines (one annotation a line; --by-document: one document a line)",
               "reader.core.formats.jsonl", statuses=True),  # texts and status: --by-document
        Format("doccano", "doccano sequence labeling JSONL, one file per annotator",
               "reader.core.formats.doccano", folder=True, carries=SPAN_FIELDS, texts=True,
               units=("utf16", "codepoint", "grapheme")),
        Format("prodigy", "Prodigy spans JSONL (spans_manual)", "reader.core.formats.prodigy",
               carries=SPAN_FIELDS, texts=True),
        Format("brat", "brat standoff: <doc>.txt + <doc>.ann per document", "reader.core.formats.brat",
               folder=True, carries=SPAN_FIELDS | {"attributes", "note"}, texts=True),
        Format("ptc", "SemEval-2020 Task 11 PTC: article<ID>.txt + article<ID>.labels",
               "reader.core.formats.ptc", folder=True, carries=SPAN_FIELDS | {"attributes"},
               texts=True),
        Format("w3c", "W3C Web Annotation (JSON-LD), one Annotation a line", "reader.core.formats.w3c",
               carries=ALL_FIELDS - {"origin"}),
        Format("labelstudio", "Label Studio JSON export: tasks with data.text and labels results",
               "reader.core.formats.labelstudio",
               carries=SPAN_FIELDS | {"attributes", "note", "created_at", "updated_at"},
               texts=True, units=("codepoint", "utf16")),
        Format("webanno", "INCEpTION / WebAnno TSV 3.3: <document>/<annotator>.tsv",
               "reader.core.formats.webanno", folder=True,
               carries=SPAN_FIELDS | {"attributes", "note"}, texts=True, units=("utf16",)),
        Format("xmi", "UIMA CAS XMI (INCEpTION, via dkpro-cassis): <document>/<annotator>.xmi + TypeSystem.xml",
               "reader.core.formats.xmi", folder=True,
               carries=SPAN_FIELDS | {"attributes", "note"}, texts=True, units=("utf16",)),
        Format("csv", "CSV for spreadsheets, attributes as attr.<name> columns (export only)",
               "reader.core.formats.csv", reads=False),
    )
}  # fmt: skip

#: Not an annotation format: plain article files, imported as documents.
ARTICLES = "articles"


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise FormatError(f"unknown format {name!r} (known: {', '.join(FORMATS)})") from None


def _first_json_line(path: Path) -> Any:
    """The first non-blank line's JSON value, or None if it is not JSON. JSON that no
    reader would read (too deep, a duplicate key, not UTF-8) is refused here with its reason, not
    left to "cannot tell the format". A line over the line limit is not read whole to
    guess from."""
    from reader.core.formats.reading import MAX_LINE_BYTES, JSONRefused, loads

    with path.open("rb") as handle:
        for number in range(1, 51):
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            if raw.strip():
                try:
                    return loads(raw.decode("utf-8-sig"), f"{path}:{number}")
                except JSONRefused:
                    raise
                except UnicodeDecodeError as exc:  # no reader reads it: say why, not "format"
                    raise FormatError(
                        f"{path}:{number}: not UTF-8: invalid byte {exc.start + 1} of the line"
                    ) from None
                except FormatError:
                    return None
    return None


def _guess_json(record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    keys = set(record)
    if record.get("type") == "Annotation" or "@context" in keys:
        return "w3c"
    if {"annotations", "text"} <= keys:
        return "jsonl"
    if {"document", "start", "end", "label"} <= keys:
        return "jsonl"
    if keys & {"spans", "_input_hash", "_task_hash", "tokens"}:
        return "prodigy"
    if "text" in keys and keys & {"label", "labels", "entities"}:
        return "doccano"
    return None


def _looks_like_label_studio(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(1 << 16).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    return (
        head.startswith("[")
        and '"data"' in head
        and ('"annotations"' in head or '"predictions"' in head or '"completions"' in head)
    )


def guess_format(path: Path) -> tuple[str, str]:
    """(format name, why) from a path and the start of its content, or FormatError."""
    from reader.core.paths import check_input

    check_input(path)
    if path.is_dir():
        # Where the readers look: the folder and its subfolders (DIR/<annotator>/ or
        # DIR/<document>/), no deeper; a guess from further down names a format whose
        # reader then finds nothing.
        top = [p for p in path.iterdir() if p.is_file()]
        names = top + [p for d in path.iterdir() if d.is_dir() for p in d.iterdir() if p.is_file()]
        suffixes = {p.suffix for p in names}
        if ".ann" in suffixes:
            return "brat", "the folder holds .ann files"
        if ".labels" in suffixes:
            return "ptc", "the folder holds .labels files"
        if ".tsv" in suffixes:
            return "webanno", "the folder holds .tsv files"
        if ".xmi" in suffixes:
            return "xmi", "the folder holds .xmi files"
        if ".jsonl" in {p.suffix for p in top}:  # doccano's files sit in the folder itself
            sample = check_input(next(p for p in sorted(top) if p.suffix == ".jsonl"), path)
            name = _guess_json(_first_json_line(sample))
            if name == "doccano":
                return name, f"the folder holds .jsonl files like {sample.name}"
            if name:
                raise FormatError(f"{path}: a folder of {name} files; name the files to import")
        if {p.suffix for p in top} == {".txt"}:  # articles: the folder's own files
            return ARTICLES, "the folder holds only .txt files"
        raise FormatError(f"{path}: cannot tell the format of this folder; give --format")
    suffix = path.suffix.lower()
    if suffix == ".ann":
        return "brat", "the file ends in .ann"
    if suffix == ".labels":
        return "ptc", "the file ends in .labels"
    if suffix == ".tsv":
        return "webanno", "the file ends in .tsv"
    if suffix == ".xmi":
        return "xmi", "the file ends in .xmi"
    if suffix == ".txt":
        return ARTICLES, "the file ends in .txt"
    if suffix == ".csv":
        raise FormatError(f"{path}: CSV is an export format only; it cannot be imported")
    try:
        record = _first_json_line(path)
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror}") from None
    name = _guess_json(record)
    if name:
        return name, "from the keys of its first line"
    if _looks_like_label_studio(path):  # by content: `-o tasks.out` is the same file
        return "labelstudio", "a JSON list of tasks with data and annotations"
    if suffix in (".json", ".jsonld"):
        return "w3c", f"the file ends in {suffix}"
    raise FormatError(f"{path}:1: cannot tell the format from the first line; give --format")
