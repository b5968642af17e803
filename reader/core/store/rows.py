"""Rows and values of the store: how an annotation is laid out in SQL and compared."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from reader.core.links.values import Link
from reader.core.model import (
    Annotation,
)

MAX_NOTE = 10_000
_COLUMNS = (
    'id, document, document_sha256, start, "end", text, prefix, suffix, label, attributes, '
    "note, annotator, origin, created_at, updated_at, deleted_at, orphaned"
)
_ORDER = 'document, start, "end", label, annotator, id'


@dataclass(frozen=True)
class DocumentInfo:
    """A document's latest version without its text: what lists and pickers need."""

    id: str
    sha256: str
    version: int
    length: int
    source: str
    meta: Mapping[str, Any]


class SpanRow(NamedTuple):
    """An annotation as drawing and agreement see it: where, what, whose."""

    id: str
    start: int
    end: int
    label: str
    annotator: str
    orphaned: int
    document: str


@dataclass(frozen=True)
class SyncSummary:
    added: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    versioned: tuple[str, ...] = ()
    reanchored: int = 0
    orphaned: int = 0


@dataclass(frozen=True)
class ImportSummary:
    documents_added: int = 0
    documents_versioned: int = 0
    annotations_added: int = 0
    annotations_unchanged: int = 0
    statuses_set: int = 0
    links_added: int = 0
    links_unchanged: int = 0


@dataclass(frozen=True)
class Event:
    """One row of the append-only log: an action on one annotation or link (``subject``
    says which; ``annotation`` holds its id), before and after."""

    seq: int
    id: str
    annotation: str
    action: str
    before: Annotation | Link | None
    after: Annotation | Link | None
    annotator: str
    session: str
    at: str
    reverts: str | None
    subject: str = "annotation"


def _row_to_annotation(row: tuple) -> Annotation:
    return Annotation(
        id=row[0],
        document=row[1],
        document_sha256=row[2],
        start=row[3],
        end=row[4],
        text=row[5],
        prefix=row[6],
        suffix=row[7],
        label=row[8],
        attributes=MappingProxyType({} if row[9] == "{}" else json.loads(row[9])),
        note=row[10],
        annotator=row[11],
        origin=row[12],
        created_at=row[13],
        updated_at=row[14],
        deleted_at=row[15],
        orphaned=bool(row[16]),
    )


def _annotation_row(a: Annotation) -> tuple:
    return (
        a.id, a.document, a.document_sha256, a.start, a.end, a.text, a.prefix, a.suffix,
        a.label, json.dumps(dict(a.attributes), ensure_ascii=False, sort_keys=True), a.note,
        a.annotator, a.origin, a.created_at, a.updated_at, a.deleted_at, int(a.orphaned),
    )  # fmt: skip


def _dump(a: Annotation | None) -> str | None:
    return None if a is None else json.dumps(a.to_record(), ensure_ascii=False, sort_keys=True)


def _load(raw: str | None, subject: str = "annotation") -> Annotation | Link | None:
    if raw is None:
        return None
    record = json.loads(raw)
    return Link.from_record(record) if subject == "link" else Annotation.from_record(record)


def content_of(a: Annotation) -> tuple:
    """What an annotation says, without when it said it: undo checks and merges compare this."""
    return (
        a.document, a.document_sha256, a.start, a.end, a.label, a.annotator,
        json.dumps(dict(a.attributes), sort_keys=True), a.note, a.deleted_at is not None,
        a.orphaned,
    )  # fmt: skip
