"""What an export writes: each chosen document with its live, anchored annotations."""

from __future__ import annotations

from collections.abc import Iterator

from reader.core.errors import FormatError
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.model import Annotation, Document


def warn_orphaned(options: FormatOptions, orphaned: int) -> None:
    """Say how many annotations were left out because their text is gone."""
    if orphaned:
        options.warning(
            f"left out {orphaned} orphaned annotation(s): their text is no longer in the "
            "document (see `reader stats`)"
        )


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
    warn_orphaned(options, orphaned)
