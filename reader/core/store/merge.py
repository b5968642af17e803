"""Merging other annotators' databases into this one.

Annotation ids are UUIDs, so rows from different machines never collide by accident:
an id present on both sides is the same annotation, and the side updated last wins.
Events are merged by their own ids and sessions by theirs, so merging the same file
twice changes nothing. A document whose text differs from ours is stored as a new
version and every annotation on it is re-anchored, exactly as when a corpus file
changes. All of it happens in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from reader.core.errors import StoreError
from reader.core.model import Document, check_timestamp, instant
from reader.core.store import migrations
from reader.core.store.database import _check_file
from reader.core.store.links import LINK_COLUMNS, link_content, link_row, row_to_link
from reader.core.store.rows import _COLUMNS, _annotation_row, _row_to_annotation, content_of
from reader.core.text import check_text

if TYPE_CHECKING:
    from reader.core.store.database import Store


def _later(theirs: str, ours: str) -> bool:
    """Whether their row was updated after ours, by time, not by text (the offsets may
    differ). Theirs is checked; ours may predate the check, and then text order it is."""
    try:
        return instant(theirs) > instant(ours)
    except ValueError:
        return theirs > ours


@dataclass(frozen=True)
class MergeSummary:
    source: str
    documents_added: int = 0
    documents_versioned: int = 0
    annotations_added: int = 0
    annotations_updated: int = 0
    annotations_unchanged: int = 0
    events_added: int = 0
    statuses_set: int = 0
    links_added: int = 0
    links_updated: int = 0
    links_unchanged: int = 0


def _open_other(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise StoreError(f"{path}: no such database file")
    _check_file(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read database: {exc}") from None
    if version != migrations.VERSION:
        conn.close()
        raise StoreError(
            f"{path}: schema version {version}, this reader writes {migrations.VERSION}; "
            "open it once with this reader to migrate it first"
        )
    return conn


def merge_database(store: Store, path: str | Path) -> MergeSummary:
    """Bring another database's documents, annotations, events and statuses in."""
    path = Path(path)
    if path.resolve() == Path(store.path).resolve():
        raise StoreError(f"{path}: is the database being merged into")
    other = _open_other(path)
    counts = dict.fromkeys(
        ("documents_added", "documents_versioned", "annotations_added", "annotations_updated",
         "annotations_unchanged", "events_added", "statuses_set", "links_added",
         "links_updated", "links_unchanged"), 0,
    )  # fmt: skip
    try:
        with store.transaction():
            latest = other.execute(
                "SELECT id, sha256, text, source, meta, added_at FROM documents d "
                "WHERE version = (SELECT max(version) FROM documents WHERE id = d.id) ORDER BY id"
            )
            for doc_id, sha, text, source, meta, added_at in latest:
                check_text(text, f"{path}: document {doc_id!r}")  # as every way text comes in
                doc = Document(
                    doc_id, text, sha, source, MappingProxyType(json.loads(meta)), added_at=added_at
                )
                synced = store._sync([doc])
                counts["documents_added"] += len(synced.added)
                counts["documents_versioned"] += len(synced.versioned)
            for table, kind in (("annotations", _ANNOTATIONS), ("links", _LINKS)):
                _merge_rows(store, other, table, kind, counts, str(path))
            # Their annotations may have been made on a text we now hold as another version.
            for (doc_id,) in other.execute("SELECT DISTINCT id FROM documents"):
                current = store._latest_text(doc_id)
                if current is not None:
                    sha, text = current
                    store._reanchor_document(Document(doc_id, text, sha))
            before = store.conn.total_changes
            for event in other.execute(
                "SELECT id, annotation, action, before, after, annotator, session, at, reverts, subject "
                "FROM events ORDER BY seq"
            ):
                store.conn.execute(
                    "INSERT OR IGNORE INTO events (id, annotation, action, before, after, annotator, session, at, "
                    "reverts, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    event,
                )
            counts["events_added"] = store.conn.total_changes - before
            for session in other.execute(
                "SELECT id, annotator, started_at, ended_at, resumes FROM sessions"
            ):
                store.conn.execute("INSERT OR IGNORE INTO sessions VALUES (?, ?, ?, ?, ?)", session)
            for table in ("extra_labels", "extra_link_types"):
                for name, added_at in other.execute(f"SELECT name, added_at FROM {table}"):
                    store.conn.execute(
                        f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", (name, added_at)
                    )
            before = store.conn.total_changes
            for status in other.execute(
                "SELECT document, annotator, status, updated_at FROM document_status"
            ):
                store.conn.execute(
                    "INSERT INTO document_status VALUES (?, ?, ?, ?) ON CONFLICT (document, annotator) DO UPDATE "
                    "SET status = excluded.status, updated_at = excluded.updated_at "
                    "WHERE excluded.updated_at > document_status.updated_at",
                    status,
                )
            counts["statuses_set"] = store.conn.total_changes - before
    finally:
        other.close()
    store.schema = store._schema_with_extra_labels()
    return MergeSummary(source=str(path), **counts)


@dataclass(frozen=True)
class _Kind:
    """How rows of one table are read, written and compared when merged."""

    columns: str
    load: Callable[[tuple], Any]
    dump: Callable[[Any], tuple]
    content: Callable[[Any], tuple]


_ANNOTATIONS = _Kind(_COLUMNS, _row_to_annotation, _annotation_row, content_of)
_LINKS = _Kind(LINK_COLUMNS, row_to_link, link_row, link_content)


def _merge_rows(
    store: Store,
    other: sqlite3.Connection,
    table: str,
    kind: _Kind,
    counts: dict[str, int],
    source: str,
) -> None:
    """Their rows of ``table`` by id: absent here, added; changed on both sides, the side
    updated last wins. Annotations go first: links point at their ids."""
    names = [c.strip() for c in kind.columns.split(",")]
    insert = f"INSERT INTO {table} ({kind.columns}) VALUES ({', '.join('?' * len(names))})"
    update = f"UPDATE {table} SET {', '.join(f'{c}=?' for c in names[1:])} WHERE id=?"
    for row in other.execute(f"SELECT {kind.columns} FROM {table} ORDER BY id"):
        theirs = kind.load(row)
        for name in ("created_at", "updated_at"):  # written back into every export
            if getattr(theirs, name, None):
                check_timestamp(getattr(theirs, name), f"{source}: {table} {theirs.id}: {name}")
        here = store.conn.execute(
            f"SELECT {kind.columns} FROM {table} WHERE id = ?", (theirs.id,)
        ).fetchone()
        if here is None:
            store.conn.execute(insert, kind.dump(theirs))
            counts[f"{table}_added"] += 1
            continue
        ours = kind.load(here)
        if kind.content(ours) == kind.content(theirs) or not _later(
            theirs.updated_at, ours.updated_at
        ):
            counts[f"{table}_unchanged"] += 1
            continue
        store.conn.execute(update, kind.dump(theirs)[1:] + (theirs.id,))
        counts[f"{table}_updated"] += 1
