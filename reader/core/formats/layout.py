"""Folder layouts: which annotator a peer's file belongs to, and how exports group by one.

reader writes folder formats as ``DIR/<annotator>/<files>``; reading accepts that, a
flat folder, or a single file (the last two take ``--annotator``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.errors import FormatError
from reader.core.formats.fields import annotator_name, need_annotator
from reader.core.formats.reading import name_from_path
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.model import Annotation, Document
from reader.core.paths import entries, regular_file, subfolders

if TYPE_CHECKING:
    from reader.core.formats.folder import OutputFolder
    from reader.core.links.values import Link


def annotator_layout(
    path: Path, suffix: str, options: FormatOptions, format_name: str
) -> Iterator[tuple[str, list[Path]]]:
    """(annotator, files) for a file, a flat folder, or a folder of per-annotator folders.

    A subfolder's name is its annotator. Files directly in the folder (or a single
    file) take ``--annotator``.
    """
    if not path.exists():
        raise FormatError(f"{path}: no such file or folder")
    if not path.is_dir():
        yield need_annotator(options, str(path), f"{format_name} files"), [regular_file(path)]
        return
    flat = entries(path, suffix=suffix)
    if flat:
        yield need_annotator(options, str(path), f"{format_name} files"), flat
    found = bool(flat)
    for sub in subfolders(path):
        files = entries(sub, path, suffix)
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


def by_annotator(annotations: list[Annotation]) -> dict[str, list[Annotation]]:
    groups: dict[str, list[Annotation]] = defaultdict(list)
    for a in annotations:
        groups[a.annotator].append(a)
    return dict(sorted(groups.items()))


def document_groups(
    source: ExportSource, filters: ExportFilters, options: FormatOptions, folder: OutputFolder
) -> Iterator[tuple[Document, str, list[Annotation], list[Link]]]:
    """(document, annotator, annotations, that annotator's links in the document) for a
    folder laid out as INCEpTION lays out a project export, ``DIR/<document>/<annotator>.*``
    (TSV, XMI): each document's folder is made before its files are written."""
    from reader.core.formats.selection import documents_with_annotations

    iter_links = getattr(source, "iter_links", None)
    for doc, marked in documents_with_annotations(source, filters, options):
        folder.path(doc.id).mkdir(exist_ok=True)
        links = list(iter_links(document=doc.id)) if iter_links else []
        for annotator, group in by_annotator(marked).items():
            yield doc, annotator, group, [link for link in links if link.annotator == annotator]
        options.advance(len(marked))
