"""The bulk import path: checks every item, stages annotations, inserts set-based.

It runs inside the Store's transaction, so the first bad item aborts everything and
the database is left as it was. Rows go straight into the annotations table with
``executemany`` in batches, as an upsert whose conflict branch only fires when an id
is already stored with *different* content, and then deliberately breaks the table's
CHECK constraint: an identical re-import is a no-op, a clash aborts the batch. Only
then is the batch (rolled back to its savepoint) examined row by row to name the
offending line. No staging copy, no million ids held in Python.

An import writes one ``import`` event naming its source and count rather than one
event per annotation: the annotations themselves carry their origin and timestamps,
and a million-row import should cost what its rows cost.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from reader.core.anchor import changed_region
from reader.core.errors import ValidationError
from reader.core.links.values import LinkDraft
from reader.core.model import (
    CONTEXT,
    STATUSES,
    AnnotationDraft,
    Document,
    DocumentStatus,
    Label,
    check_annotator,
    check_document_id,
    check_origin,
    check_row_id,
    check_timestamp,
    new_id,
    now,
    stable_id,
    usable_name,
)
from reader.core.store.link_import import LinkImporter
from reader.core.store.rows import MAX_NOTE, ImportSummary
from reader.core.text import is_grapheme_boundary

if TYPE_CHECKING:
    from reader.core.store.database import Store

BATCH = 10_000
_REMEMBERED = 100_000  # entries per cache of checks already passed

_COLUMNS = (
    'id, document, document_sha256, start, "end", text, prefix, suffix, label, attributes, '
    "note, annotator, origin, created_at, updated_at, deleted_at, orphaned"
)
_CONTENT = ("document", "start", '"end"', "label", "annotator", "attributes", "note")
# A row is inserted unless the annotator already has a live span with the same document,
# offsets and label under another id: the same annotations imported again through
# another format (brat after jsonl, Prodigy after W3C) are already present, not twice.
# (An id already stored always reaches the conflict clause, to be compared there; an
# orphaned span keeps offsets its text has left, so it is no twin.)
_NEW_SPAN = (
    f"INSERT INTO annotations ({_COLUMNS}) SELECT {', '.join(f'?{n}' for n in range(1, 18))} "
    "WHERE EXISTS (SELECT 1 FROM annotations WHERE id = ?1) OR NOT EXISTS (SELECT 1 FROM "
    'annotations a WHERE a.document = ?2 AND a.start = ?4 AND a."end" = ?5 AND a.label = ?9 '
    "AND a.annotator = ?12 AND a.deleted_at IS NULL AND a.orphaned = 0) ON CONFLICT (id) "
)
# An id from the file is the annotation's identity: stored with other content, a clash.
_CLASH = "DO UPDATE SET start = -1 WHERE " + " OR ".join(
    f"annotations.{c} IS NOT excluded.{c}" for c in _CONTENT
)
_UPSERT = _NEW_SPAN + _CLASH
# An id reader made from document, offsets, label and annotator (the format has none):
# the same id is the same span, whatever attributes a poorer format left out. (When the
# annotation under that id has since moved or been relabelled, ``_row`` gives the new
# span an id of its own.)
_INSERT_SPAN = _NEW_SPAN + "DO NOTHING"
# The same two without the search for a twin: for rows whose annotator had no live span
# in their document before this import (twins within the file are caught in memory).
_PLAIN = f"INSERT INTO annotations ({_COLUMNS}) VALUES ({', '.join(f'?{n}' for n in range(1, 18))}) ON CONFLICT (id) "
_PLAIN_UPSERT = _PLAIN + _CLASH
_PLAIN_INSERT = _PLAIN + "DO NOTHING"


def check_draft(
    store: Store, d: AnnotationDraft, where: str, version: tuple[str, str] | None = None
) -> tuple[str, str, dict]:
    """The checks every annotation from outside passes, an import file's line or a merged
    database's row (its label is checked first, by the caller): safe document id and
    annotator, a known origin, offsets inside the text (``version``, (sha256, text),
    default the latest) on grapheme boundaries, the covered text equal to that slice,
    attributes and note as the schema allows, a usable id and ISO 8601 times. Returns
    the text's (sha256, text) and the attributes in their stored form."""
    check_document_id(d.document, f"{where}: document")
    check_annotator(d.annotator, f"{where}: annotator")
    check_origin(d.origin, where)
    sha, text = store._check_span(d.document, d.start, d.end, where, version=version)
    if d.document_sha256 is not None and d.document_sha256 != sha:
        raise ValidationError(
            f"{where}: document_sha256: the annotation was made on another version of "
            f"{d.document} (its SHA-256 {d.document_sha256[:12]}… is not the stored {sha[:12]}…)"
        )
    covered = text[d.start : d.end]
    if d.text is not None and d.text != covered:
        raise ValidationError(
            f"{where}: text: {d.text[:40]!r} does not match the document at "
            f"[{d.start}, {d.end}): {covered[:40]!r}"
        )
    clean = store._check_fields(d.label, d.attributes, d.note, f"{where}: attributes")
    if d.id is not None:  # an id reader derives is always usable
        check_row_id(d.id, "annotation", where)
    for name in ("created_at", "updated_at"):
        if getattr(d, name):  # absent or empty: stamped now
            check_timestamp(getattr(d, name), f"{where}: {name}")
    return sha, text, clean


def check_status(store: Store, s: DocumentStatus, where: str) -> DocumentStatus:
    """A document status from outside: safe names, a known status, a stored document."""
    check_document_id(s.document, where)
    check_annotator(s.annotator, where)
    if s.status not in STATUSES:
        raise ValidationError(f"{where}: {s.status!r} is not one of {', '.join(STATUSES)}")
    if store._latest_text(s.document) is None:
        raise ValidationError(f"{where}: document is not in the database")
    return s


def _attributes_key(d: AnnotationDraft) -> tuple:
    """The label and attributes with each value's type (1, 1.0 and True are equal keys
    otherwise, and not the same to the schema); TypeError for a list or object value."""
    values = d.attributes
    return d.label, tuple(values.items()), tuple(map(type, values.values()))


class Importer:
    def __init__(
        self, store: Store, *, source: str, add_labels: bool,
        new_versions: bool | Callable[[Document], bool] = True,
    ) -> None:  # fmt: skip
        self.store = store
        self.new_versions = new_versions
        self.conn = store.conn
        self.source = source
        self.add_labels = add_labels
        self.batch: list[tuple] = []
        self.statuses: list[DocumentStatus] = []
        self.staged = 0
        self.docs_added = 0
        self.docs_versioned = 0
        # Searching the table for a twin costs a third of an import: only (document,
        # annotator) pairs that had live spans before need it. Within the file, keys'
        # hashes are remembered; a repeated hash sends its row to the search too.
        self.had_spans = set(
            self.conn.execute(
                "SELECT DISTINCT document, annotator FROM annotations "
                "WHERE deleted_at IS NULL AND orphaned = 0"
            )
        )
        self.seen: set[int] = set()
        # What earlier rows passed (see ``_checked``): text by (document, annotator,
        # origin, label), timestamps, stored attributes by (label, items).
        self._texts: dict[tuple[str, str, str, str], tuple[str, str]] = {}
        self._times: set[str] = set()
        self._attributes: dict[tuple, str] = {}
        self.links = LinkImporter(store, source=source, add_labels=add_labels)

    def run(
        self, items: Iterable[Document | AnnotationDraft | DocumentStatus | LinkDraft]
    ) -> ImportSummary:
        self.stamp = now()
        self.added = 0
        for item in items:
            if isinstance(item, AnnotationDraft):
                row = self._row(item)
                search = (row[1], row[11]) in self.had_spans
                if not search:
                    key = hash((row[1], row[3], row[4], row[8], row[11]))
                    if key in self.seen:
                        self._flush()  # the earlier row must be in the table to be found
                        search = True
                    self.seen.add(key)
                if search or item.key is not None:  # the rest can never need resolving
                    self.links.saw_annotation(item, row, search)
                self.batch.append(row + (search,))
                if len(self.batch) >= BATCH:
                    self._flush()
            elif isinstance(item, Document):
                self._flush()
                self._texts.clear()  # a new version changes what offsets mean
                allowed = self.new_versions
                if not (allowed(item) if callable(allowed) else allowed):
                    self._same_text(item)
                synced = self.store._sync([item])
                self.docs_added += len(synced.added)
                self.docs_versioned += len(synced.versioned)
            elif isinstance(item, DocumentStatus):
                self.statuses.append(self._status(item))
            elif isinstance(item, LinkDraft):
                self.links.add(item)
            else:
                raise ValidationError(f"{self.source}: cannot import {type(item).__name__}")
        self._flush()
        return self._finish()

    def _flush(self) -> None:
        if not self.batch:
            return
        rows = self.batch
        self.batch = []
        before = self.conn.total_changes
        self.conn.execute("SAVEPOINT import_batch")
        try:
            for explicit, search, statement in (
                (True, True, _UPSERT), (False, True, _INSERT_SPAN),
                (True, False, _PLAIN_UPSERT), (False, False, _PLAIN_INSERT),
            ):  # fmt: skip
                self.conn.executemany(
                    statement, (r[:17] for r in rows if r[18] == explicit and r[19] == search)
                )
        except sqlite3.IntegrityError:
            self.conn.execute("ROLLBACK TO import_batch")
            self.conn.execute("RELEASE import_batch")
            self._explain_clash(rows)
            raise
        self.conn.execute("RELEASE import_batch")
        self.added += self.conn.total_changes - before
        self.staged += len(rows)

    def _explain_clash(self, rows: list[tuple]) -> None:
        """Name the line whose id is already stored, or repeated, with other content."""
        seen: dict[str, tuple] = {}
        for row in rows:
            content = (row[1], row[3], row[4], row[8], row[11], row[9], row[10])
            stored = self.conn.execute(
                'SELECT document, start, "end", label, annotator, attributes, note FROM annotations '
                "WHERE id = ?",
                (row[0],),
            ).fetchone()
            if stored is not None and tuple(stored) != content:
                raise ValidationError(
                    f"{row[17]}: id: annotation {row[0]} is already stored with different content"
                )
            if seen.get(row[0], content) != content:
                raise ValidationError(
                    f"{row[17]}: id: annotation {row[0]} appears twice with different content"
                )
            seen[row[0]] = content

    def _label(self, name: str, where: str) -> None:
        schema = self.store.schema
        if name in schema.names:
            return
        if not self.add_labels:
            raise ValidationError(
                f"{where}: label: unknown label {name!r} (known: {', '.join(schema.names)}; "
                "use --add-labels to add it)"
            )
        if not usable_name(name):
            raise ValidationError(f"{where}: label: {name!r} is not a usable label name")
        self.conn.execute(
            "INSERT OR IGNORE INTO extra_labels (name, added_at) VALUES (?, ?)", (name, now())
        )
        extra = Label(name=name, title=name, key="", color="magenta", extra=True)
        self.store.schema = replace(schema, labels=schema.labels + (extra,))

    def _row(self, d: AnnotationDraft) -> tuple:
        where = d.where or self.source
        checked = self._checked(d)
        if checked is None:  # not the common case: every check, each naming its field
            self._label(d.label, where)
            sha, text, clean = check_draft(self.store, d, where)
            attributes = json.dumps(clean, ensure_ascii=False, sort_keys=True) if clean else "{}"
            self._remember(d, attributes)
        else:
            sha, text, attributes = checked
        ann_id = d.id or self._derived_id(d)
        start, end = d.start, d.end
        stamp = self.stamp
        return (
            ann_id, d.document, sha, start, end, text[start:end], text[max(0, start - CONTEXT) : start],
            text[end : end + CONTEXT], d.label, attributes, d.note, d.annotator, d.origin,
            d.created_at or stamp, d.updated_at or d.created_at or stamp, None, 0, where,
            d.id is not None,
        )  # fmt: skip

    def _checked(self, d: AnnotationDraft) -> tuple[str, str, str] | None:
        """``check_draft``'s verdict without re-running what this import already passed
        (a known label, document, annotator and origin, attributes seen before, a
        timestamp seen before): (sha256, text, stored attributes), or None when anything
        is new or off, and the full checks run and name the fault. Offsets, the covered
        text, the SHA, the note and the id are still checked on every row."""
        doc, start, end = d.document, d.start, d.end
        known = self._texts.get((doc, d.annotator, d.origin, d.label))
        if known is None or type(start) is not int or type(end) is not int:
            return None
        sha, text = known
        if not (0 <= start < end <= len(text)) or (
            d.document_sha256 is not None and d.document_sha256 != sha
        ):
            return None
        if not (is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)):
            return None
        if d.text is not None and d.text != text[start:end]:
            return None
        note, ann_id, times = d.note, d.id, self._times
        if type(note) is not str or len(note) > MAX_NOTE:
            return None
        if ann_id is not None and not (
            type(ann_id) is str and 0 < len(ann_id) <= 128 and ann_id.isprintable()
        ):
            return None
        if (d.created_at and d.created_at not in times) or (
            d.updated_at and d.updated_at not in times
        ):
            return None
        try:
            attributes = self._attributes.get(_attributes_key(d))
        except TypeError:  # an unhashable value (a list): checked in full
            return None
        if attributes is None:
            return None
        return sha, text, attributes

    def _remember(self, d: AnnotationDraft, attributes: str) -> None:
        """What a row that passed every check lets later rows skip (bounded caches)."""
        if len(self._texts) > _REMEMBERED:
            self._texts.clear()
        latest = self.store._latest_text(d.document)
        if latest is not None:
            self._texts[(d.document, d.annotator, d.origin, d.label)] = latest
        for stamp in (d.created_at, d.updated_at):
            if stamp:
                if len(self._times) > _REMEMBERED:
                    self._times.clear()
                self._times.add(stamp)
        try:
            key = _attributes_key(d)
            if len(self._attributes) > _REMEMBERED:
                self._attributes.clear()
            self._attributes[key] = attributes
        except TypeError:
            pass

    def _same_text(self, doc: Document) -> None:
        stored = self.store._latest_text(doc.id)
        if stored is None or stored[0] == doc.sha256:
            return
        at = changed_region(stored[1], doc.text)[0]
        raise ValidationError(
            f"{doc.source or self.source}: the text of document {doc.id!r} differs from the "
            f"stored one from offset {at} on; its annotations were made on another version. "
            "Import the article itself (reader import FILE.txt) to store a new version, or "
            "pass --new-versions"
        )

    def _derived_id(self, d: AnnotationDraft) -> str:
        """The stable id of an id-less span, unless the annotation stored under it has
        moved (re-anchored) or changed label since: then this span is another one."""
        ann_id = stable_id(d.document, d.start, d.end, d.label, d.annotator)
        stored = self.conn.execute(
            'SELECT document, start, "end", label, annotator FROM annotations WHERE id = ?',
            (ann_id,),
        ).fetchone()
        if stored is not None and tuple(stored) != (
            d.document,
            d.start,
            d.end,
            d.label,
            d.annotator,
        ):
            return new_id()
        return ann_id

    def _status(self, s: DocumentStatus) -> DocumentStatus:
        return check_status(self.store, s, f"{self.source}: status of {s.document!r}")

    def _finish(self) -> ImportSummary:
        added = self.added
        links_added, links_unchanged = self.links.finish(self.stamp)
        for s in self.statuses:
            self.conn.execute(
                "INSERT INTO document_status (document, annotator, status, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (document, annotator) DO UPDATE SET "
                "status = excluded.status, updated_at = excluded.updated_at",
                (s.document, s.annotator, s.status, s.updated_at or now()),
            )
        if added or links_added:
            counts = {"source": self.source, "annotations": added}
            if links_added:
                counts["links"] = links_added
            self.conn.execute(
                "INSERT INTO events (id, annotation, action, before, after, annotator, session, at) "
                "VALUES (?, '*', 'import', NULL, ?, ?, ?, ?)",
                (new_id(), json.dumps(counts, ensure_ascii=False),
                 self.store.annotator, self.store.session, now()),
            )  # fmt: skip
        return ImportSummary(
            documents_added=self.docs_added,
            documents_versioned=self.docs_versioned,
            annotations_added=added,
            annotations_unchanged=self.staged - added,
            statuses_set=len(self.statuses),
            links_added=links_added,
            links_unchanged=links_unchanged,
        )
