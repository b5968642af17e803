"""Helpers shared by the format tests (imported by name: tests have no packages)."""

from __future__ import annotations

from pathlib import Path

from reader.core.formats import ExportFilters, FormatOptions, get_format
from reader.core.model import Document
from reader.core.store import Store
from reader.core.text import normalize, sha256

DATA = Path(__file__).resolve().parents[2] / "data" / "formats"


def document(doc_id: str, text: str) -> Document:
    text = normalize(text)
    return Document(id=doc_id, text=text, sha256=sha256(text))


def read_all(fmt: str, path: Path, store: Store, **options) -> list:
    return list(
        get_format(fmt).load().read(path, schema=store.schema, options=FormatOptions(**options))
    )


def import_file(store: Store, fmt: str, path: Path, *, add_labels: bool = False, **options):
    """Import as the CLI does: the reader's stream straight into one transaction."""
    options.setdefault("document_text", lambda doc: (store._latest_text(doc) or ("", None))[1])
    items = get_format(fmt).load().read(path, schema=store.schema, options=FormatOptions(**options))
    return store.import_items(items, source=str(path), add_labels=add_labels)


def export(store: Store, fmt: str, dest, filters: ExportFilters | None = None, **options) -> int:
    return (
        get_format(fmt)
        .load()
        .write(store, dest, filters=filters or ExportFilters(), options=FormatOptions(**options))
    )


def spans(store: Store) -> list[tuple]:
    """What a round trip must keep, in a comparable shape."""
    return sorted(
        (a.document, a.start, a.end, a.text, a.label, a.annotator) for a in store.iter_annotations()
    )
