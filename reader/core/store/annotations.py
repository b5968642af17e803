"""Reading and writing annotations: each write validated, then one row and one event."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from reader.core.errors import ConflictError, NotFoundError, TwinError, ValidationError
from reader.core.model import ORIGINS, Annotation, context, new_id
from reader.core.schema import SYSTEM_ATTRIBUTES
from reader.core.store.events import this_process
from reader.core.store.rows import (
    _COLUMNS,
    _ORDER,
    MAX_NOTE,
    SpanRow,
    _annotation_row,
    _dump,
    _row_to_annotation,
    content_of,
)
from reader.core.text import is_grapheme_boundary
from reader.core.times import now

#: What ``iter_records`` may be asked for: the annotation's own fields.
_RECORD_FIELDS = frozenset(
    {"id", "document", "document_sha256", "start", "end", "text", "prefix", "suffix", "label",
     "attributes", "note", "annotator", "origin", "created_at", "updated_at"}
)  # fmt: skip


class Annotations:
    """Part of Store; relies on its connection, transaction() and schema."""

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

    def iter_records(
        self,
        fields: Sequence[str],
        *,
        document: str | None = None,
        annotator: str | None = None,
        label: str | None = None,
    ) -> Iterator[tuple]:
        """Live, non-orphaned annotations in export order, each as the values of
        ``fields`` (annotation field names, ``attributes`` as a dict), straight from the
        rows: a bulk export skips building Annotation values."""
        unknown = set(fields) - _RECORD_FIELDS
        if unknown:
            raise ValueError(f"not an annotation field: {', '.join(sorted(unknown))}")
        where, args = ["deleted_at IS NULL", "orphaned = 0"], []
        for column, value in (("document", document), ("annotator", annotator), ("label", label)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        columns = ", ".join(f'"{f}"' for f in fields)
        cursor = self.conn.execute(
            f"SELECT {columns} FROM annotations WHERE {' AND '.join(where)} ORDER BY {_ORDER}",
            args,
        )
        if "attributes" not in fields:
            yield from cursor
            return
        i = list(fields).index("attributes")
        loads = json.loads
        for r in cursor:
            raw = r[i]
            yield (*r[:i], {} if raw == "{}" else loads(raw), *r[i + 1 :])

    def iter_spans(
        self, *, document: str | None = None, annotator: str | None = None
    ) -> Iterator[SpanRow]:
        """Live annotations as light rows (id, start, end, label, annotator, orphaned,
        document), ordered by position: what drawing needs, without building full
        values or parsing attributes."""
        where, args = ["deleted_at IS NULL"], []
        for column, value in (("document", document), ("annotator", annotator)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        cursor = self.conn.execute(
            f'SELECT id, start, "end", label, annotator, orphaned, document FROM annotations '
            f'WHERE {" AND ".join(where)} ORDER BY document, start, "end"',
            args,
        )
        return map(SpanRow._make, cursor)

    def span_tuples(
        self, *, document: str | None = None
    ) -> Iterator[tuple[str, str, int, int, str]]:
        """Live, anchored annotations as plain ``(annotator, document, start, end, label)``
        tuples straight from SQLite: agreement reads a million of them, and any object
        built per row would cost more than the measures themselves."""
        where, args = "deleted_at IS NULL AND orphaned = 0", ()
        if document is not None:
            where, args = where + " AND document = ?", (document,)
        return self.conn.execute(
            f'SELECT annotator, document, start, "end", label FROM annotations WHERE {where} '
            'ORDER BY document, start, "end"',
            args,
        )

    def attribute_tuples(
        self, *, document: str | None = None
    ) -> Iterator[tuple[str, str, int, int, str, str]]:
        """As :meth:`span_tuples`, with the attributes as their stored JSON text last:
        agreement on attributes parses only the spans annotators matched."""
        where, args = "deleted_at IS NULL AND orphaned = 0", ()
        if document is not None:
            where, args = where + " AND document = ?", (document,)
        return self.conn.execute(
            f'SELECT annotator, document, start, "end", label, attributes FROM annotations '
            f"WHERE {where}",
            args,
        )

    def adjudicated_documents(self, annotator: str) -> set[str]:
        """Documents where ``annotator`` settled something in review (a gold annotation or
        its tombstone, origin ``adjudicated``): what a gold reference covers."""
        rows = self.conn.execute(
            "SELECT DISTINCT document FROM annotations WHERE annotator = ? AND origin = ?",
            (annotator, "adjudicated"),
        )
        return {doc for (doc,) in rows}

    def count_orphaned(
        self, *, document: str | None = None, annotator: str | None = None, label: str | None = None
    ) -> int:
        where, args = ["deleted_at IS NULL", "orphaned = 1"], []
        for column, value in (("document", document), ("annotator", annotator), ("label", label)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        return self.conn.execute(
            f"SELECT count(*) FROM annotations WHERE {' AND '.join(where)}", args
        ).fetchone()[0]

    # -- writing annotations --------------------------------------------------------------

    def _check_span(
        self, doc_id: str, start: int, end: int, where: str = "",
        version: tuple[str, str] | None = None,
    ) -> tuple[str, str]:  # fmt: skip
        """Offsets inside the latest text (or ``version``, (sha256, text): a merged row
        made on an older one), start < end, both on grapheme boundaries; the message
        names the field (document, start, end) after ``where``."""
        prefix = f"{where}: " if where else ""
        latest = version or self._latest_text(doc_id)
        if latest is None:
            raise ValidationError(
                f"{prefix}document: {doc_id!r} is not in the database (import its article first: "
                "reader import FILE.txt)"
            )
        sha, text = latest
        for field, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValidationError(f"{prefix}{field}: {value!r} is not a whole number")
        if start < 0 or start >= len(text):
            raise ValidationError(
                f"{prefix}start: {start} is not inside document {doc_id} (length {len(text)})"
            )
        if end > len(text) or start >= end:
            raise ValidationError(
                f"{prefix}end: span [{start}, {end}) is not inside document {doc_id} "
                f"(length {len(text)}) with start < end"
            )
        for field, offset in (("start", start), ("end", end)):
            if not is_grapheme_boundary(text, offset):
                raise ValidationError(
                    f"{prefix}{field}: offset {offset} splits a character (grapheme cluster) in {doc_id}"
                )
        return sha, text

    def _refuse_twin(
        self, document: str, start: int, end: int, label: str, covered: str, other: str = ""
    ) -> None:
        """One live mark per annotator, span and label: a second would count twice in
        span F1 and in every count of the status line."""
        twin = self.conn.execute(
            'SELECT 1 FROM annotations WHERE document = ? AND start = ? AND "end" = ? AND label = ? '
            "AND annotator = ? AND deleted_at IS NULL AND orphaned = 0 AND id != ? LIMIT 1",
            (document, start, end, label, self.annotator, other),
        ).fetchone()
        if twin is not None:
            raise TwinError(f"{covered[:40]!r} is already tagged {label} by {self.annotator}")

    def _check_fields(
        self, label: str, attributes: Mapping[str, Any], note: str, where: str = ""
    ) -> dict:
        prefix = f"{where}: " if where else ""
        try:
            clean = self.schema.check_attributes(label, attributes)
        except ValidationError as exc:
            raise ValidationError(f"{prefix}{exc}") from None
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise ValidationError(f"{prefix}note must be text of at most {MAX_NOTE} characters")
        return clean

    def _open_session(self) -> None:
        """Record this session before its first write, naming the session it resumes."""
        if self._session_written:
            return
        self.conn.execute(
            "INSERT INTO sessions (id, annotator, started_at, resumes, host, pid) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (self.session, self.annotator, now(), self.resumable_session(), *this_process()),
        )

    def _write(
        self, before: Annotation | None, after: Annotation, action: str, *,
        reverts: str | None = None, session: str | None = None, annotator: str | None = None,
    ) -> None:  # fmt: skip
        """Write the row and its event in the caller's transaction."""
        session = session or self.session
        if session == self.session:
            self._open_session()
        row = _annotation_row(after)
        if before is None:
            self.conn.execute(
                f"INSERT INTO annotations ({_COLUMNS}) VALUES ({', '.join('?' * 17)})", row
            )
        else:
            self.conn.execute(
                'UPDATE annotations SET document=?, document_sha256=?, start=?, "end"=?, text=?, '
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
            self._refuse_twin(document, start, end, label, text[start:end])
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
        self,
        annotation_id: str,
        *,
        label: Any = _UNSET,
        attributes: Any = _UNSET,
        note: Any = _UNSET,
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
                new_attrs = {
                    k: v
                    for k, v in old.attributes.items()
                    if target.attribute(k) or k in SYSTEM_ATTRIBUTES
                }
            new_note = old.note if note is self._UNSET else note
            clean = self._check_fields(new_label, new_attrs, new_note)
            if new_label != old.label and not old.orphaned:
                self._refuse_twin(old.document, old.start, old.end, new_label, old.text, old.id)
            new = replace(
                old,
                label=new_label,
                attributes=MappingProxyType(clean),
                note=new_note,
                updated_at=now(),
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
