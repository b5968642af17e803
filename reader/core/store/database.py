"""The annotation store: the only module that speaks SQL.

Every user action is one ``BEGIN IMMEDIATE`` transaction, committed with WAL and
``synchronous=FULL`` before the caller gets its result back, so whatever the screen
shows as saved survives a crash or a power cut. Writes are validated before anything
is written; a failed write rolls back and leaves the database as it was.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

import sqlite_utils

from reader.core.store import migrations
from reader.core.anchor import reanchor
from reader.core.errors import ConflictError, NotFoundError, StoreError, ValidationError
from reader.core.model import (
    ORIGINS,
    STATUSES,
    Annotation,
    AnnotationDraft,
    Document,
    DocumentStatus,
    Label,
    check_annotator,
    check_document_id,
    context,
    new_id,
    now,
    stable_id,
)
from reader.core.schema import Schema, default_schema
from reader.core.text import is_grapheme_boundary

BUSY_TIMEOUT_MS = 30_000
MAX_NOTE = 10_000
_SQLITE_MAGIC = b"SQLite format 3\x00"
_COLUMNS = (
    "id, document, document_sha256, start, \"end\", text, prefix, suffix, label, attributes, "
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


@dataclass(frozen=True)
class Event:
    """One row of the append-only log: an action on one annotation, before and after."""

    seq: int
    id: str
    annotation: str
    action: str
    before: Annotation | None
    after: Annotation | None
    annotator: str
    session: str
    at: str
    reverts: str | None


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
        attributes=MappingProxyType(json.loads(row[9])),
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


def _load(raw: str | None) -> Annotation | None:
    return None if raw is None else Annotation.from_record(json.loads(raw))


def content_of(a: Annotation) -> tuple:
    """What an annotation says, without when it said it: undo checks and merges compare this."""
    return (
        a.document, a.document_sha256, a.start, a.end, a.label, a.annotator,
        json.dumps(dict(a.attributes), sort_keys=True), a.note, a.deleted_at is not None,
        a.orphaned,
    )  # fmt: skip


def _check_file(path: Path) -> None:
    """Refuse a file that is not SQLite before sqlite3 touches (and maybe changes) it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read database: {exc.strerror}") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path}: not a reader database (not an SQLite file)")


class Store:
    """An open annotations database, bound to one annotator and one session."""

    def __init__(self, conn: sqlite3.Connection, path: Path, schema: Schema, annotator: str):
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.path = path
        self.file_schema = schema
        self.annotator = annotator
        self.session = new_id()
        self._session_written = False
        self.closed = False
        self._texts: dict[str, tuple[str, str]] = {}  # id -> (sha256, text) of latest version
        self.schema = self._schema_with_extra_labels()

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, schema: Schema | None = None, *, annotator: str = "reader"
    ) -> "Store":
        path = Path(path)
        check_annotator(annotator, "--annotator")
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a database file")
        _check_file(path)
        try:
            conn = sqlite3.connect(
                path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open database: {exc}") from None
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > migrations.VERSION:
                raise StoreError(
                    f"{path}: database schema version {version} is newer than this reader "
                    f"understands ({migrations.VERSION}); upgrade reader. The file was not changed."
                )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if version < migrations.VERSION:
                cls._migrate(conn, version)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{path}: cannot use database: {exc}") from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, schema or default_schema(), annotator)

    @staticmethod
    def _migrate(conn: sqlite3.Connection, version: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            for step in migrations.STEPS[current:]:
                for statement in _statements(step):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migrations.VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """End the session (so the next one may resume its undo history) and close."""
        if self.closed:
            return
        if self._session_written:
            with self.transaction():
                self.conn.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (now(), self.session))
        self.conn.close()
        self.closed = True

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One durable unit of work; any exception rolls everything back."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot write: {exc}") from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._texts.clear()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            self._texts.clear()
            raise StoreError(f"{self.path}: commit failed, nothing was saved: {exc}") from None

    # -- labels ---------------------------------------------------------------------------

    def _schema_with_extra_labels(self) -> Schema:
        names = [r[0] for r in self.conn.execute("SELECT name FROM extra_labels ORDER BY name")]
        known = set(self.file_schema.names)
        extra = tuple(
            Label(name=n, title=n, key="", color="magenta", extra=True) for n in names if n not in known
        )
        return replace(self.file_schema, labels=self.file_schema.labels + extra)

    # -- documents ------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        rows = self.conn.execute(
            "SELECT id, sha256, version, length(text), source, meta FROM documents d "
            "WHERE version = (SELECT max(version) FROM documents WHERE id = d.id) ORDER BY id"
        )
        return [DocumentInfo(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    def document(self, doc_id: str, version: int | None = None) -> Document:
        sql = "SELECT id, text, sha256, source, meta, version, added_at FROM documents WHERE id = ?"
        args: tuple = (doc_id,)
        if version is not None:
            sql += " AND version = ?"
            args += (version,)
        row = self.conn.execute(sql + " ORDER BY version DESC LIMIT 1", args).fetchone()
        if row is None:
            raise NotFoundError(f"no document {doc_id!r} in {self.path}")
        return Document(row[0], row[1], row[2], row[3], MappingProxyType(json.loads(row[4])), row[5], row[6])

    def _latest_text(self, doc_id: str) -> tuple[str, str] | None:
        cached = self._texts.get(doc_id)
        if cached is None:
            row = self.conn.execute(
                "SELECT sha256, text FROM documents WHERE id = ? ORDER BY version DESC LIMIT 1",
                (doc_id,),
            ).fetchone()
            if row is None:
                return None
            cached = self._texts[doc_id] = (row[0], row[1])
        return cached

    def sync_documents(self, documents: Iterable[Document]) -> SyncSummary:
        """Add new documents, skip unchanged ones, version changed ones and re-anchor."""
        with self.transaction():
            return self._sync(documents)

    def _sync(self, documents: Iterable[Document]) -> SyncSummary:
        added, unchanged, versioned = [], [], []
        moved = orphaned = 0
        for doc in documents:
            check_document_id(doc.id, doc.source or "document")
            row = self.conn.execute(
                "SELECT sha256, version FROM documents WHERE id = ? ORDER BY version DESC LIMIT 1",
                (doc.id,),
            ).fetchone()
            if row and row[0] == doc.sha256:
                unchanged.append(doc.id)
                continue
            version = row[1] + 1 if row else 1
            self.conn.execute(
                "INSERT INTO documents (id, version, sha256, text, source, meta, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc.id, version, doc.sha256, doc.text, doc.source,
                 json.dumps(dict(doc.meta), ensure_ascii=False), doc.added_at or now()),
            )  # fmt: skip
            self._texts[doc.id] = (doc.sha256, doc.text)
            if row:
                versioned.append(doc.id)
                m, o = self._reanchor_document(doc)
                moved, orphaned = moved + m, orphaned + o
            else:
                added.append(doc.id)
        return SyncSummary(tuple(added), tuple(unchanged), tuple(versioned), moved, orphaned)

    def _reanchor_document(self, doc: Document) -> tuple[int, int]:
        moved = orphaned = 0
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE document = ? AND deleted_at IS NULL "
            "AND document_sha256 != ?",
            (doc.id, doc.sha256),
        ).fetchall()
        for old in map(_row_to_annotation, rows):
            place = reanchor(doc.text, old.text, old.prefix, old.suffix, old.start)
            if place is None:
                if old.orphaned:
                    continue
                new = replace(old, orphaned=True, updated_at=now())
                orphaned += 1
            else:
                prefix, suffix = context(doc.text, *place)
                new = replace(
                    old, start=place[0], end=place[1], prefix=prefix, suffix=suffix,
                    document_sha256=doc.sha256, orphaned=False, updated_at=now(),
                )  # fmt: skip
                moved += 1
            self._write(old, new, "reanchor", session="system", annotator="system")
        return moved, orphaned

    # -- reading annotations --------------------------------------------------------------

    def annotation(self, annotation_id: str) -> Annotation:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE id = ?", (annotation_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no annotation {annotation_id}")
        return _row_to_annotation(row)

    def iter_annotations(
        self,
        *,
        document: str | None = None,
        annotator: str | None = None,
        label: str | None = None,
        include_deleted: bool = False,
        include_orphaned: bool = True,
    ) -> Iterator[Annotation]:
        """Annotations in export order, streamed from a cursor (never a whole list)."""
        where, args = [], []
        for column, value in (("document", document), ("annotator", annotator), ("label", label)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if not include_deleted:
            where.append("deleted_at IS NULL")
        if not include_orphaned:
            where.append("orphaned = 0")
        sql = f"SELECT {_COLUMNS} FROM annotations"
        if where:
            sql += " WHERE " + " AND ".join(where)
        cursor = self.conn.execute(sql + f" ORDER BY {_ORDER}", args)
        for row in cursor:
            yield _row_to_annotation(row)

    # -- writing annotations --------------------------------------------------------------

    def _check_span(self, doc_id: str, start: int, end: int, where: str = "") -> tuple[str, str]:
        prefix = f"{where}: " if where else ""
        latest = self._latest_text(doc_id)
        if latest is None:
            raise ValidationError(f"{prefix}document {doc_id!r} is not in the database")
        sha, text = latest
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
            raise ValidationError(f"{prefix}offsets must be whole numbers")
        if start < 0 or end > len(text) or start >= end:
            raise ValidationError(
                f"{prefix}span [{start}, {end}) is not inside document {doc_id} "
                f"(length {len(text)}) with start < end"
            )
        for offset in (start, end):
            if not is_grapheme_boundary(text, offset):
                raise ValidationError(
                    f"{prefix}offset {offset} splits a character (grapheme cluster) in {doc_id}"
                )
        return sha, text

    def _check_fields(self, label: str, attributes: Mapping[str, Any], note: str, where: str = "") -> dict:
        prefix = f"{where}: " if where else ""
        try:
            clean = self.schema.check_attributes(label, attributes)
        except ValidationError as exc:
            raise ValidationError(f"{prefix}{exc}") from None
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise ValidationError(f"{prefix}note must be text of at most {MAX_NOTE} characters")
        return clean

    def _write(
        self, before: Annotation | None, after: Annotation, action: str, *,
        reverts: str | None = None, session: str | None = None, annotator: str | None = None,
    ) -> None:  # fmt: skip
        """Write the row and its event in the caller's transaction."""
        session = session or self.session
        if session == self.session and not self._session_written:
            previous = self.conn.execute(
                "SELECT id FROM sessions WHERE annotator = ? AND ended_at IS NOT NULL AND id NOT IN "
                "(SELECT resumes FROM sessions WHERE resumes IS NOT NULL) "
                "ORDER BY ended_at DESC LIMIT 1",
                (self.annotator,),
            ).fetchone()
            self.conn.execute(
                "INSERT INTO sessions (id, annotator, started_at, resumes) VALUES (?, ?, ?, ?)",
                (self.session, self.annotator, now(), previous[0] if previous else None),
            )
        row = _annotation_row(after)
        if before is None:
            self.conn.execute(f"INSERT INTO annotations ({_COLUMNS}) VALUES ({', '.join('?' * 17)})", row)
        else:
            self.conn.execute(
                "UPDATE annotations SET document=?, document_sha256=?, start=?, \"end\"=?, text=?, "
                "prefix=?, suffix=?, label=?, attributes=?, note=?, annotator=?, origin=?, "
                "created_at=?, updated_at=?, deleted_at=?, orphaned=? WHERE id=?",
                row[1:] + (after.id,),
            )
        self.conn.execute(
            "INSERT INTO events (id, annotation, action, before, after, annotator, session, at, reverts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_id(), after.id, action, _dump(before), _dump(after),
             annotator or self.annotator, session, now(), reverts),
        )  # fmt: skip
        if session == self.session:
            self._session_written = True

    def create(
        self,
        document: str,
        start: int,
        end: int,
        label: str,
        *,
        attributes: Mapping[str, Any] | None = None,
        note: str = "",
        origin: str = "manual",
    ) -> Annotation:
        """Tag a span; returns the annotation once it is durably committed."""
        if origin not in ORIGINS:
            raise ValidationError(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
        with self.transaction():
            sha, text = self._check_span(document, start, end)
            clean = self._check_fields(label, attributes or {}, note)
            prefix, suffix = context(text, start, end)
            stamp = now()
            annotation = Annotation(
                id=new_id(), document=document, document_sha256=sha, start=start, end=end,
                text=text[start:end], label=label, annotator=self.annotator,
                attributes=MappingProxyType(clean), note=note, prefix=prefix, suffix=suffix,
                origin=origin, created_at=stamp, updated_at=stamp,
            )  # fmt: skip
            self._write(None, annotation, "create")
        return annotation

    _UNSET: Any = object()

    def update(
        self, annotation_id: str, *, label: Any = _UNSET, attributes: Any = _UNSET, note: Any = _UNSET
    ) -> Annotation:
        """Change label, attributes or note. Attributes replace the whole set."""
        with self.transaction():
            old = self.annotation(annotation_id)
            if old.deleted_at is not None:
                raise ConflictError(f"annotation {annotation_id} was deleted")
            new_label = old.label if label is self._UNSET else label
            new_attrs = old.attributes if attributes is self._UNSET else attributes
            if label is not self._UNSET and attributes is self._UNSET:
                # A label change keeps only the attributes the new label has.
                target = self.schema.label(new_label)
                new_attrs = {k: v for k, v in old.attributes.items() if target.attribute(k) or k == "provenance"}
            new_note = old.note if note is self._UNSET else note
            clean = self._check_fields(new_label, new_attrs, new_note)
            new = replace(
                old, label=new_label, attributes=MappingProxyType(clean), note=new_note, updated_at=now()
            )
            if content_of(new) != content_of(old):
                self._write(old, new, "update")
        return new

    def delete(self, annotation_id: str) -> Annotation:
        """Tombstone an annotation: it stays in the database and the log, hidden from views."""
        with self.transaction():
            old = self.annotation(annotation_id)
            if old.deleted_at is not None:
                return old
            stamp = now()
            new = replace(old, deleted_at=stamp, updated_at=stamp)
            self._write(old, new, "delete")
        return new

    # -- the event log --------------------------------------------------------------------

    def session_scope(self) -> list[str]:
        """This session and the earlier sessions it resumes: what undo may reach."""
        scope = [self.session]
        row = self.conn.execute(
            "SELECT resumes FROM sessions WHERE id = ?", (self.session,)
        ).fetchone()
        previous = row[0] if row else None
        if row is None:  # not yet written: find what it will resume
            found = self.conn.execute(
                "SELECT id FROM sessions WHERE annotator = ? AND ended_at IS NOT NULL AND id NOT IN "
                "(SELECT resumes FROM sessions WHERE resumes IS NOT NULL) "
                "ORDER BY ended_at DESC LIMIT 1",
                (self.annotator,),
            ).fetchone()
            previous = found[0] if found else None
        seen = set(scope)
        while previous and previous not in seen:
            scope.append(previous)
            seen.add(previous)
            row = self.conn.execute("SELECT resumes FROM sessions WHERE id = ?", (previous,)).fetchone()
            previous = row[0] if row else None
        return scope

    def events(self, *, sessions: Iterable[str] | None = None, annotation: str | None = None) -> list[Event]:
        where, args = [], []
        if sessions is not None:
            sessions = list(sessions)
            where.append(f"session IN ({', '.join('?' * len(sessions))})")
            args.extend(sessions)
        if annotation is not None:
            where.append("annotation = ?")
            args.append(annotation)
        sql = "SELECT seq, id, annotation, action, before, after, annotator, session, at, reverts FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            Event(r[0], r[1], r[2], r[3], _load(r[4]), _load(r[5]), r[6], r[7], r[8], r[9])
            for r in self.conn.execute(sql + " ORDER BY seq", args)
        ]

    def restore(self, event: Event, target: Annotation, expected: Annotation, action: str) -> Annotation:
        """Put an annotation back to ``target`` if it still is ``expected`` (undo and redo)."""
        with self.transaction():
            current = self.annotation(event.annotation)
            if content_of(current) != content_of(expected):
                raise ConflictError(
                    f"annotation {event.annotation} changed since (by {current.annotator} or a "
                    "re-anchoring); nothing was undone"
                )
            new = replace(target, updated_at=now())
            self._write(current, new, action, reverts=event.id)
        return new

    # -- document status ------------------------------------------------------------------

    def set_status(self, document: str, status: str, annotator: str | None = None) -> DocumentStatus:
        if status not in STATUSES:
            raise ValidationError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        annotator = annotator or self.annotator
        with self.transaction():
            if self._latest_text(document) is None:
                raise NotFoundError(f"no document {document!r} in {self.path}")
            stamp = now()
            self.conn.execute(
                "INSERT INTO document_status (document, annotator, status, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (document, annotator) DO UPDATE SET status = excluded.status, "
                "updated_at = excluded.updated_at",
                (document, annotator, status, stamp),
            )
        return DocumentStatus(document, annotator, status, stamp)

    def statuses(self, document: str | None = None) -> list[DocumentStatus]:
        sql = "SELECT document, annotator, status, updated_at FROM document_status"
        args: tuple = ()
        if document is not None:
            sql += " WHERE document = ?"
            args = (document,)
        return [DocumentStatus(*r) for r in self.conn.execute(sql + " ORDER BY document, annotator", args)]

    def status(self, document: str, annotator: str | None = None) -> str:
        row = self.conn.execute(
            "SELECT status FROM document_status WHERE document = ? AND annotator = ?",
            (document, annotator or self.annotator),
        ).fetchone()
        return row[0] if row else "new"

    # -- bulk import ----------------------------------------------------------------------

    def import_items(
        self,
        items: Iterable[Document | AnnotationDraft | DocumentStatus],
        *,
        source: str,
        add_labels: bool = False,
    ) -> ImportSummary:
        """Bring in documents, annotations and statuses, all or nothing, in one transaction.

        Annotations go through a temporary staging table, then one set-based insert:
        duplicates (same id twice, or an id already stored) are found by SQL instead of a
        Python set of a million ids, and re-importing the same file adds nothing.
        """
        from reader.core.store.importer import Importer  # the staging logic, kept apart

        with self.transaction():
            summary = Importer(self, source=source, add_labels=add_labels).run(items)
        self.schema = self._schema_with_extra_labels()
        return summary

    # -- reports --------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        q = self.conn.execute
        labels = dict(q("SELECT label, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY label ORDER BY label"))
        annotators = dict(
            q("SELECT annotator, count(*) FROM annotations WHERE deleted_at IS NULL GROUP BY annotator ORDER BY annotator")
        )
        orphaned = [
            {"id": r[0], "document": r[1], "start": r[2], "end": r[3], "text": r[4], "annotator": r[5]}
            for r in q(
                'SELECT id, document, start, "end", text, annotator FROM annotations '
                "WHERE deleted_at IS NULL AND orphaned = 1 ORDER BY document, start"
            )
        ]
        status: dict[str, dict[str, str]] = {}
        for s in self.statuses():
            status.setdefault(s.document, {})[s.annotator] = s.status
        return {
            "database": str(self.path),
            "documents": [
                {"id": d.id, "version": d.version, "length": d.length, "sha256": d.sha256,
                 "status": status.get(d.id, {})}
                for d in self.documents()
            ],  # fmt: skip
            "annotators": annotators,
            "labels": labels,
            "annotations": sum(labels.values()),
            "orphaned": orphaned,
        }


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements; triggers hold ';' inside BEGIN ... END."""
    buffer = ""
    for line in script.strip().splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
