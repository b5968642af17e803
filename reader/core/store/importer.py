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

import gc
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from reader.core.anchor import changed_region
from reader.core.errors import ValidationError
from reader.core.links.values import LinkDraft
from reader.core.model import (
    CONTEXT,
    ORIGINS,
    AnnotationDraft,
    Document,
    DocumentStatus,
    DraftRecords,
    Label,
    new_id,
    stable_id,
    usable_name,
)
from reader.core.store.incoming import check_draft, check_status
from reader.core.store.link_import import LinkImporter
from reader.core.store.rows import MAX_NOTE, ImportSummary
from reader.core.text import every_offset_a_boundary, is_grapheme_boundary
from reader.core.times import now

if TYPE_CHECKING:
    from reader.core.store.database import Store

BATCH = 10_000
_REMEMBERED = 100_000  # entries per cache of checks already passed

_COLUMNS = (
    'id, document, document_sha256, start, "end", text, prefix, suffix, label, attributes, '
    "note, annotator, origin, created_at, updated_at, deleted_at, orphaned"
)
_CONTENT = ("document", "start", '"end"', "label", "annotator", "attributes", "note")
# A row's values as given, but its times (?14, ?15, checked by then) in the form reader
# stores (``times.check_timestamp``; the store's ``utc_timestamp`` SQL function): one
# GLOB in C per time when a file already writes them so, as reader's own exports do.
_UTC = (
    "CASE WHEN ?{0} GLOB '????-??-??T??:??:??.??????+00:00' THEN ?{0} ELSE utc_timestamp(?{0}) END"
)
_VALUES = ", ".join(_UTC.format(n) if n in (14, 15) else f"?{n}" for n in range(1, 18))
# A row is inserted unless the annotator already has a live span with the same document,
# offsets and label under another id: the same annotations imported again through
# another format (brat after jsonl, Prodigy after W3C) are already present, not twice.
# (An id already stored always reaches the conflict clause, to be compared there; an
# orphaned span keeps offsets its text has left, so it is no twin.)
_NEW_SPAN = (
    f"INSERT INTO annotations ({_COLUMNS}) SELECT {_VALUES} "
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
_PLAIN = f"INSERT INTO annotations ({_COLUMNS}) VALUES ({_VALUES}) ON CONFLICT (id) "
_PLAIN_UPSERT = _PLAIN + _CLASH
_PLAIN_INSERT = _PLAIN + "DO NOTHING"


def _attributes_key(label: str, values: Mapping[str, Any]) -> tuple:
    """The label and attributes with each value's type (1, 1.0 and True are equal keys
    otherwise, and not the same to the schema); TypeError for a list or object value."""
    return label, tuple(values.items()), tuple(map(type, values.values()))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while rows are staged: a million records and
    rows are made and dropped, none in a cycle (reference counting frees each), yet the
    collector would scan the ones waiting in a batch again and again (about 6% of an
    import's CPU at 300k lines). Left as it was found, on error too."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


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
        self.batch: list[tuple] = []  # rows as inserted: the table's 17 columns
        # Each row's (where, (explicit id, twin search)): which statement inserts it.
        self.staged_meta: list[tuple[str, tuple[bool, bool]]] = []
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
        # What earlier rows passed (see ``_checked``): documents with their latest text
        # (sha256, text, whether every offset is a grapheme boundary), annotators,
        # labels, timestamps, stored attributes by (label, items, types).
        self._documents: dict[str, tuple[str, str, bool]] = {}
        self._annotators: set[str] = set()
        self._labels: set[str] = set()
        self._times: set[str] = set()
        self._attributes: dict[tuple, str] = {}
        self.links = LinkImporter(store, source=source, add_labels=add_labels)

    def run(
        self, items: Iterable[Document | AnnotationDraft | DocumentStatus | LinkDraft]
    ) -> ImportSummary:
        self.stamp = now()
        self.added = 0
        with _collector_paused():
            self._take(items)
        return self._finish()

    def _take(
        self, items: Iterable[Document | AnnotationDraft | DocumentStatus | LinkDraft]
    ) -> None:
        for item in items:
            if isinstance(item, DraftRecords):
                for where, record in item.records:
                    row = self._checked(record, where)
                    if row is None:  # not the common case: a draft, to name the fault
                        row = self._row(item.draft(where, record))
                    self._stage(row, where, record["id"] is not None, None)
            elif isinstance(item, AnnotationDraft):
                where = item.where or self.source
                self._stage(self._row(item), where, item.id is not None, item.key)
            elif isinstance(item, Document):
                self._flush()
                self._documents.clear()  # a new version changes what offsets mean
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

    def _stage(self, row: tuple, where: str, explicit: bool, key: str | None) -> None:
        """Queue a checked row for the next batch, marked for the twin search if its
        annotator had live spans in its document, or the file repeats its span."""
        search = bool(self.had_spans) and (row[1], row[11]) in self.had_spans
        if not search:
            seen = hash((row[1], row[3], row[4], row[8], row[11]))
            if seen in self.seen:
                self._flush()  # the earlier row must be in the table to be found
                search = True
            self.seen.add(seen)
        if search or key is not None:  # the rest can never need resolving
            self.links.saw_annotation(key, where, row, search)
        self.batch.append(row)
        self.staged_meta.append((where, (explicit, search)))
        if len(self.batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.batch:
            return
        rows, meta = self.batch, self.staged_meta
        self.batch, self.staged_meta = [], []
        kinds = {kind for _, kind in meta}
        before = self.conn.total_changes
        self.conn.execute("SAVEPOINT import_batch")
        try:
            for kind, statement in (
                ((True, True), _UPSERT), ((False, True), _INSERT_SPAN),
                ((True, False), _PLAIN_UPSERT), ((False, False), _PLAIN_INSERT),
            ):  # fmt: skip
                if kind in kinds:
                    chosen = rows if len(kinds) == 1 else (
                        r for r, (_, k) in zip(rows, meta, strict=True) if k == kind
                    )  # fmt: skip
                    self.conn.executemany(statement, chosen)
        except sqlite3.IntegrityError:
            self.conn.execute("ROLLBACK TO import_batch")
            self.conn.execute("RELEASE import_batch")
            self._explain_clash(rows, meta)
            raise
        self.conn.execute("RELEASE import_batch")
        self.added += self.conn.total_changes - before
        self.staged += len(rows)

    def _explain_clash(self, rows: list[tuple], meta: list[tuple[str, tuple]]) -> None:
        """Name the line whose id is already stored, or repeated, with other content."""
        seen: dict[str, tuple] = {}
        for row, (where, _) in zip(rows, meta, strict=True):
            content = (row[1], row[3], row[4], row[8], row[11], row[9], row[10])
            stored = self.conn.execute(
                'SELECT document, start, "end", label, annotator, attributes, note FROM annotations '
                "WHERE id = ?",
                (row[0],),
            ).fetchone()
            if stored is not None and tuple(stored) != content:
                raise ValidationError(
                    f"{where}: id: annotation {row[0]} is already stored with different content"
                )
            if seen.get(row[0], content) != content:
                raise ValidationError(
                    f"{where}: id: annotation {row[0]} appears twice with different content"
                )
            seen[row[0]] = content

    def _label(self, name: str, where: str) -> None:
        schema = self.store.schema
        if name in schema.names:
            self._labels.add(name)
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
        self._labels.add(name)

    def _row(self, d: AnnotationDraft) -> tuple:
        """The row of a draft from any format: by ``_checked`` when earlier rows already
        passed what it needs, else through every check, each naming its field."""
        where = d.where or self.source
        row = self._checked(d.__dict__, where)  # a draft's fields, by name
        if row is not None:
            return row
        self._label(d.label, where)
        sha, text, clean = check_draft(self.store, d, where)
        attributes = json.dumps(clean, ensure_ascii=False, sort_keys=True) if clean else "{}"
        self._remember(d, attributes)
        return self._assemble(d.__dict__, sha, text, attributes)

    def _assemble(self, f: Mapping[str, Any], sha: str, text: str, attributes: str) -> tuple:
        """The table's row for checked fields ``f`` (a draft's or a record's, by name)."""
        start, end, created, stamp = f["start"], f["end"], f["created_at"], self.stamp
        before = start - CONTEXT if start > CONTEXT else 0
        return (
            f["id"] or self._derived_id(f), f["document"], sha, start, end, text[start:end],
            text[before:start], text[end : end + CONTEXT], f["label"], attributes, f["note"],
            f["annotator"], f["origin"], created or stamp, f["updated_at"] or created or stamp,
            None, 0,
        )  # fmt: skip

    def _checked(self, f: Mapping[str, Any], where: str) -> tuple | None:
        """The row of fields ``f`` (a record's, or a draft's by name) that ``check_draft``
        would pass, without re-running what this import already passed (a known label,
        document, annotator, attributes, timestamp): None when anything is new or off,
        and the full checks then run and name the fault. Offsets, grapheme boundaries,
        the covered text, the SHA, the note and the id are checked on every row."""
        doc, start, end, label = f["document"], f["start"], f["end"], f["label"]
        known = self._documents.get(doc)
        if (
            known is None
            or type(start) is not int
            or type(end) is not int
            or label not in self._labels
            or f["annotator"] not in self._annotators
            or f["origin"] not in ORIGINS
        ):
            return None
        sha, text, every = known
        stated, carried = f["document_sha256"], f["text"]
        if not (0 <= start < end <= len(text)) or (stated is not None and stated != sha):
            return None
        if not every and not (
            is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
        ):
            return None
        if carried is not None and carried != text[start:end]:
            return None
        note, ann_id, created, updated = f["note"], f["id"], f["created_at"], f["updated_at"]
        if type(note) is not str or len(note) > MAX_NOTE:
            return None
        if ann_id is not None and not (
            type(ann_id) is str and 0 < len(ann_id) <= 128 and ann_id.isprintable()
        ):
            return None
        times = self._times
        if (created and created not in times) or (updated and updated not in times):
            return None
        values = f["attributes"]
        try:
            attributes = self._attributes.get(_attributes_key(label, values) if values else label)
        except TypeError:  # an unhashable value (a list): checked in full
            return None
        if attributes is None:
            return None
        return self._assemble(f, sha, text, attributes)

    def _remember(self, d: AnnotationDraft, attributes: str) -> None:
        """What a row that passed every check lets later rows skip (bounded caches)."""
        latest = self.store._latest_text(d.document)
        if latest is not None:
            if len(self._documents) > _REMEMBERED:
                self._documents.clear()
            self._documents[d.document] = (*latest, every_offset_a_boundary(latest[1]))
        if len(self._annotators) > _REMEMBERED:
            self._annotators.clear()
        self._annotators.add(d.annotator)
        for stamp in (d.created_at, d.updated_at):
            if stamp:
                if len(self._times) > _REMEMBERED:
                    self._times.clear()
                self._times.add(stamp)
        try:
            key = _attributes_key(d.label, d.attributes) if d.attributes else d.label
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

    def _derived_id(self, f: Mapping[str, Any]) -> str:
        """The stable id of an id-less span, unless the annotation stored under it has
        moved (re-anchored) or changed label since: then this span is another one."""
        content = (f["document"], f["start"], f["end"], f["label"], f["annotator"])
        ann_id = stable_id(*content)
        stored = self.conn.execute(
            'SELECT document, start, "end", label, annotator FROM annotations WHERE id = ?',
            (ann_id,),
        ).fetchone()
        if stored is not None and tuple(stored) != content:
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
