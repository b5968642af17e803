"""Merging other annotators' databases into this one.

Annotation ids are UUIDs, so rows from different machines never collide by accident:
an id present on both sides is the same annotation, and the side updated last wins.
Links merge the same way, by id, after the annotations they join. Events are merged by
their own ids and sessions by theirs, so merging the same file twice changes nothing.
Every version of their documents that we lack is stored as a new version and the
annotations on it are re-anchored, exactly as when a corpus file changes.
Assignments follow their logs (``merge_assignments``).

Another database is outside input like an import file: each row passes the checks an
imported one does (``incoming.check_draft``, the link rules, the status check), and the
first bad row refuses the whole file in one line naming the file, the row and what is
wrong. All of it happens in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from reader.core.errors import NotFoundError, StoreError, ValidationError
from reader.core.links.rules import check_link
from reader.core.links.values import Link
from reader.core.model import (
    Annotation,
    AnnotationDraft,
    Document,
    DocumentStatus,
    check_annotator,
    check_origin,
    check_row_id,
    context,
    usable_name,
)
from reader.core.store import migrations
from reader.core.store.assignment_merge import merge_assignments
from reader.core.store.faults import check_sqlite_file
from reader.core.store.incoming import check_draft, check_snapshot, check_status
from reader.core.store.links import LINK_COLUMNS, link_content, link_row, row_to_link
from reader.core.store.rows import _COLUMNS, _annotation_row, _row_to_annotation, content_of
from reader.core.text import check_text, normalize, sha256
from reader.core.times import check_timestamp, instant

if TYPE_CHECKING:
    from reader.core.store.database import Store

#: (document id, sha256) -> (sha256, text) of that version here, or None.
VersionOf = Callable[[Any, Any], "tuple[str, str] | None"]


def _owner(row: Any) -> tuple[str, str | None]:
    """Who made an annotation or link, and on which document: the same id on both sides
    is the same row, so these never differ, however its content was edited."""
    return row.annotator, getattr(row, "document", None)


def _owned(row: Any) -> str:
    document = getattr(row, "document", None)
    return f"{row.annotator}'s" + (f" on {document}" if document else "")


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
    assignments_added: int = 0
    assignments_removed: int = 0


def _open_other(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise StoreError(f"{path}: no such database file")
    if not path.is_file():
        raise StoreError(f"{path}: not a regular file, so not a database")
    check_sqlite_file(path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read database: {exc}") from None
    if version == 0:
        conn.close()
        raise StoreError(f"{path}: not a reader database (it holds no reader tables)")
    if version != migrations.VERSION:
        conn.close()
        raise StoreError(
            f"{path}: schema version {version}, this reader writes {migrations.VERSION}; "
            "open it once with this reader to migrate it first"
        )
    return conn


def merge_database(store: Store, path: str | Path) -> MergeSummary:
    """Bring another database's documents, annotations, links, events, statuses and
    assignments in; refuse the whole file at its first bad row."""
    path = Path(path)
    if path.resolve() == Path(store.path).resolve():
        raise StoreError(f"{path}: is the database being merged into")
    other = _open_other(path)
    source = str(path)
    counts: Counter[str] = Counter()
    try:
        with store.transaction():
            doc_ids = _merge_documents(store, other, source, counts)
            _merge_names(store, other, source)
            store.schema = store._schema_with_extra_labels()
            version_of = _versions(store)
            for table, kind in (("annotations", _ANNOTATIONS), ("links", _LINKS)):
                _merge_rows(store, other, table, kind, counts, source, version_of)
            # Their annotations may have been made on a text we now hold as another version.
            for doc_id in doc_ids:
                sha, text = store._latest_text(doc_id)
                store._reanchor_document(Document(doc_id, text, sha))
            _merge_log(store, other, source, counts)
            _merge_statuses(store, other, source, counts)
            merge_assignments(store, other, source, counts)
    finally:
        other.close()
        store.schema = store._schema_with_extra_labels()  # as committed, or as before
    return MergeSummary(source=source, **counts)


def _merge_documents(
    store: Store, other: sqlite3.Connection, source: str, counts: Counter[str]
) -> list[str]:
    """Every version of theirs whose text we lack, in their order, checked as every
    way text comes in: their latest becomes ours unless we already hold it, and a row
    of theirs made on an older version finds that text here. Returns their ids."""
    ids: list[str] = []
    rows = other.execute(
        "SELECT id, sha256, text, source, meta, added_at FROM documents ORDER BY id, version"
    )
    for doc_id, sha, text, doc_source, meta, added_at in rows:
        where = f"{source}: document {doc_id!r}"
        if not ids or ids[-1] != doc_id:
            ids.append(doc_id)
        if not isinstance(text, str):
            raise ValidationError(f"{where}: text: not text")
        check_text(text, where)
        if normalize(text) != text or sha256(text) != sha:
            raise ValidationError(
                f"{where}: sha256: the stored text is not the normalized text of that SHA-256"
            )
        added_at = check_timestamp(added_at, f"{where}: added_at")
        if not isinstance(doc_source, str):
            raise ValidationError(f"{where}: source: {doc_source!r} is not text")
        try:
            meta = json.loads(meta)
        except (TypeError, ValueError):
            meta = None
        if not isinstance(meta, dict):
            raise ValidationError(f"{where}: meta: not a JSON object")
        held = store.conn.execute(
            "SELECT 1 FROM documents WHERE id = ? AND sha256 = ?", (doc_id, sha)
        ).fetchone()
        if held is None:
            doc = Document(doc_id, text, sha, doc_source, MappingProxyType(meta), added_at=added_at)
            synced = store._sync([doc])  # checks the id
            counts["documents_added"] += len(synced.added)
            counts["documents_versioned"] += len(synced.versioned)
    return ids


def _merge_names(store: Store, other: sqlite3.Connection, source: str) -> None:
    """Labels and link types their imports added (--add-labels), before the rows using them."""
    for table, what in (("extra_labels", "label"), ("extra_link_types", "link type")):
        for name, added_at in other.execute(f"SELECT name, added_at FROM {table}"):
            if not usable_name(name):
                raise ValidationError(f"{source}: {table}: {name!r} is not a usable {what} name")
            added_at = check_timestamp(added_at, f"{source}: {table} {name!r}: added_at")
            store.conn.execute(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", (name, added_at))


def _versions(store: Store) -> VersionOf:
    cache: dict[tuple[Any, Any], tuple[str, str] | None] = {}

    def version_of(doc_id: Any, sha: Any) -> tuple[str, str] | None:
        if (doc_id, sha) not in cache:
            row = store.conn.execute(
                "SELECT sha256, text FROM documents WHERE id = ? AND sha256 = ? LIMIT 1",
                (doc_id, sha),
            ).fetchone()
            cache[doc_id, sha] = None if row is None else (row[0], row[1])
        return cache[doc_id, sha]

    return version_of


def _loaded(load: Callable[[tuple], Any], row: tuple, where: str) -> Any:
    try:
        return load(row)
    except (TypeError, ValueError, AttributeError):  # attributes that are not a JSON object
        raise ValidationError(f"{where}: attributes: not a JSON object") from None


def _times(row: Annotation | Link, where: str) -> Annotation | Link:
    """``row`` with its times checked and in the form reader stores (``check_timestamp``:
    ISO 8601, UTC), as an import's: merge and every export compare them."""
    times = {n: getattr(row, n) for n in ("created_at", "updated_at", "deleted_at")}
    stored = {n: check_timestamp(v, f"{where}: {n}") for n, v in times.items() if v is not None}
    if all(times[n] == v for n, v in stored.items()):
        return row  # as a database reader wrote it (replace() costs a tenth of a merge)
    return replace(row, **stored)


def _checked_annotation(store: Store, row: tuple, source: str, version_of: VersionOf) -> Annotation:
    """Their annotation row, checked as an imported line is (``check_draft``) against the
    version of the text it was made on; prefix and suffix taken from that text."""
    where = f"{source}: annotation {check_row_id(row[0], 'annotation', f'{source}: annotations')}"
    theirs = _loaded(_row_to_annotation, row, where)
    theirs = _times(theirs, where)
    if row[16] not in (0, 1):
        raise ValidationError(f"{where}: orphaned: {row[16]!r} is not 0 or 1")
    if theirs.label not in store.schema.names:
        raise ValidationError(
            f"{where}: label: unknown label {theirs.label!r} "
            f"(known here: {', '.join(store.schema.names)}); merge into a database with its labels.toml"
        )
    version = version_of(theirs.document, theirs.document_sha256)
    if version is None and store._latest_text(theirs.document) is not None:
        raise ValidationError(
            f"{where}: document_sha256: {theirs.document_sha256!r} is no version of "
            f"{theirs.document} in either database"
        )
    draft = AnnotationDraft(
        theirs.document, theirs.start, theirs.end, theirs.label, theirs.annotator,
        id=theirs.id, attributes=theirs.attributes, note=theirs.note, origin=theirs.origin,
        text=theirs.text,
    )  # fmt: skip
    _sha, text, clean = check_draft(store, draft, where, version)
    prefix, suffix = context(text, theirs.start, theirs.end)
    if (clean, prefix, suffix) == (dict(theirs.attributes), theirs.prefix, theirs.suffix):
        return theirs  # as a database reader wrote it (replace() costs a tenth of a merge)
    return replace(theirs, attributes=MappingProxyType(clean), prefix=prefix, suffix=suffix)


def _checked_link(store: Store, row: tuple, source: str, _version_of: VersionOf) -> Link:
    """Their link row: both ends in the merged database (never left dangling), joined by
    the rules a link is made by, attributes as its type allows."""
    where = f"{source}: link {check_row_id(row[0], 'link', f'{source}: links')}"
    theirs = _loaded(row_to_link, row, where)
    theirs = _times(theirs, where)
    check_annotator(theirs.annotator, f"{where}: annotator")
    check_origin(theirs.origin, where)
    try:
        link_type = store.schema.link_type(theirs.type)
    except ValidationError as exc:
        raise ValidationError(f"{where}: type: {exc}") from None
    ends = []
    for field, end in (("from", theirs.source), ("to", theirs.target)):
        try:
            ends.append(store.annotation(end))
        except NotFoundError:
            raise ValidationError(
                f"{where}: {field}: annotation {end!r} is in neither database; "
                "the link would point at nothing"
            ) from None
    # An end deleted or orphaned since the link was made is the link's state, shown as
    # dangling or orphaned like any other link's; only the rules of making one apply.
    made = [replace(a, deleted_at=None, orphaned=False) for a in ends]
    source_id, target_id = check_link(link_type, *made, theirs.annotator, where)
    clean = store._check_link_fields(
        theirs.type, theirs.attributes, theirs.note, f"{where}: attributes"
    )
    return replace(theirs, source=source_id, target=target_id, attributes=MappingProxyType(clean))


@dataclass(frozen=True)
class _Kind:
    """How rows of one table are read, checked, written and compared when merged."""

    columns: str
    load: Callable[[tuple], Any]
    check: Callable[[Store, tuple, str, VersionOf], Any]
    dump: Callable[[Any], tuple]
    content: Callable[[Any], tuple]


_ANNOTATIONS = _Kind(_COLUMNS, _row_to_annotation, _checked_annotation, _annotation_row, content_of)
_LINKS = _Kind(LINK_COLUMNS, row_to_link, _checked_link, link_row, link_content)


def _merge_rows(
    store: Store,
    other: sqlite3.Connection,
    table: str,
    kind: _Kind,
    counts: Counter[str],
    source: str,
    version_of: VersionOf,
) -> None:
    """Their rows of ``table`` by id: absent here, added; changed on both sides, the side
    updated last wins. Annotations go first: links point at their ids."""
    names = [c.strip() for c in kind.columns.split(",")]
    insert = f"INSERT INTO {table} ({kind.columns}) VALUES ({', '.join('?' * len(names))})"
    update = f"UPDATE {table} SET {', '.join(f'{c}=?' for c in names[1:])} WHERE id=?"
    for row in other.execute(f"SELECT {kind.columns} FROM {table} ORDER BY id"):
        theirs = kind.check(store, row, source, version_of)
        here = store.conn.execute(
            f"SELECT {kind.columns} FROM {table} WHERE id = ?", (theirs.id,)
        ).fetchone()
        if here is None:
            store.conn.execute(insert, kind.dump(theirs))
            counts[f"{table}_added"] += 1
            continue
        ours = kind.load(here)
        if _owner(ours) != _owner(theirs):
            raise ValidationError(
                f"{source}: {table} {theirs.id}: is {_owned(ours)} here but {_owned(theirs)} "
                f"in {Path(source).name}; refused, since an id never changes hands "
                "(a forged or damaged file)"
            )
        if kind.content(ours) == kind.content(theirs) or not _later(
            theirs.updated_at, ours.updated_at
        ):
            counts[f"{table}_unchanged"] += 1
            continue
        store.conn.execute(update, kind.dump(theirs)[1:] + (theirs.id,))
        counts[f"{table}_updated"] += 1


def _merge_log(store: Store, other: sqlite3.Connection, source: str, counts: Counter[str]) -> None:
    """Their events and sessions, by id: what undo and the history read."""
    before = store.conn.total_changes
    for event in other.execute(
        "SELECT id, annotation, action, before, after, annotator, session, at, reverts, subject "
        "FROM events ORDER BY seq"
    ):
        where = f"{source}: event {check_row_id(event[0], 'event', f'{source}: events')}"
        check_annotator(event[5], f"{where}: annotator")
        at = check_timestamp(event[7], f"{where}: at")
        was = check_snapshot(event[3], f"{where}: before")
        became = check_snapshot(event[4], f"{where}: after")
        store.conn.execute(
            "INSERT OR IGNORE INTO events (id, annotation, action, before, after, annotator, "
            "session, at, reverts, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*event[:3], was, became, *event[5:7], at, *event[8:]),
        )
    counts["events_added"] = store.conn.total_changes - before
    for session in other.execute(
        "SELECT id, annotator, started_at, ended_at, resumes FROM sessions"
    ):
        where = f"{source}: session {session[0]!r}"
        check_annotator(session[1], f"{where}: annotator")
        started = check_timestamp(session[2], f"{where}: started_at")
        ended = session[3]
        if ended is not None:
            ended = check_timestamp(ended, f"{where}: ended_at")
        store.conn.execute(
            "INSERT OR IGNORE INTO sessions (id, annotator, started_at, ended_at, resumes) "
            "VALUES (?, ?, ?, ?, ?)",
            (session[0], session[1], started, ended, session[4]),
        )


def _merge_statuses(
    store: Store, other: sqlite3.Connection, source: str, counts: Counter[str]
) -> None:
    before = store.conn.total_changes
    for row in other.execute("SELECT document, annotator, status, updated_at FROM document_status"):
        where = f"{source}: status of {row[0]!r}"
        if not row[3]:  # an import stamps a status without one; a database has one
            check_timestamp(row[3], f"{where}: updated_at")
        status = check_status(store, DocumentStatus(*row), where)
        ours = store.conn.execute(
            "SELECT status, updated_at FROM document_status WHERE document = ? AND annotator = ?",
            (status.document, status.annotator),
        ).fetchone()
        if ours is not None and (
            ours[0] == status.status or not _later(status.updated_at, ours[1])
        ):
            continue  # the later of the two stays, by time (as for annotations)
        store.conn.execute(
            "INSERT OR REPLACE INTO document_status (document, annotator, status, updated_at) "
            "VALUES (?, ?, ?, ?)",
            (status.document, status.annotator, status.status, status.updated_at),
        )
    counts["statuses_set"] = store.conn.total_changes - before
