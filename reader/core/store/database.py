"""The Store: opening a database (refusing what is not one, migrating it), closing it,
and the transaction every write goes through; its tables' methods come from the
mixins it is made of (documents, annotations, spans, links, events, assignments,
statuses, reports).

Every user action is one ``BEGIN IMMEDIATE`` transaction, committed with WAL and
``synchronous=FULL`` before the caller gets its result back, so whatever the screen
shows as saved survives a crash or a power cut. Writes are validated before anything
is written; a failed write rolls back and leaves the database as it was.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Self

from reader.core.errors import BusyError, StoreError
from reader.core.labels_file import default_schema
from reader.core.links.values import LinkDraft
from reader.core.model import (
    AnnotationDraft,
    Document,
    DocumentStatus,
    Label,
    check_annotator,
    new_id,
)
from reader.core.schema import Schema
from reader.core.store import migrations
from reader.core.store.annotations import Annotations
from reader.core.store.assignments import Assignments
from reader.core.store.documents import Documents
from reader.core.store.events import LIVE_SESSIONS, EventLog
from reader.core.store.faults import (
    IntactCheck,
    SideFiles,
    check_intact,
    check_sqlite_file,
    store_error,
)
from reader.core.store.link_import import extra_link_type
from reader.core.store.links import Links
from reader.core.store.reports import Reports
from reader.core.store.rows import ImportSummary
from reader.core.store.spans import Spans
from reader.core.store.statuses import Statuses
from reader.core.times import now, utc_timestamp

BUSY_TIMEOUT_MS = 30_000
#: Databases this process has open, by real path: see Store.open.
_OPEN: dict[str, int] = {}


class Store(Documents, Annotations, Spans, Links, EventLog, Assignments, Statuses, Reports):
    """An open annotations database, bound to one annotator and one session."""

    def __init__(self, conn: sqlite3.Connection, path: Path, schema: Schema, annotator: str):
        self.conn = conn
        self.path = path
        self.file_schema = schema
        self.annotator = annotator
        self.session = new_id()
        LIVE_SESSIONS.add(self.session)
        self._session_written = False
        self.closed = False
        self._key = os.path.realpath(path)
        _OPEN[self._key] = _OPEN.get(self._key, 0) + 1
        self._texts: dict[str, tuple[str, str]] = {}  # id -> (sha256, text) of latest version
        self.side_files = SideFiles(path)
        self.side_files.remember()
        self._intact = False  # quick_check passed (see faults.py)
        self._check: IntactCheck | None = None  # quick_check running in a thread
        self._refusal: StoreError | None = None  # once the WAL is gone, every write is refused
        self.schema = self._schema_with_extra_labels()

    @property
    def db(self):
        """The same connection through sqlite-utils, for scripts and ad-hoc inspection.

        The store itself writes plain SQL on the stdlib connection: it needs explicit
        ``BEGIN IMMEDIATE`` transactions and upserts that sqlite-utils' helpers would
        commit or shape on their own. Imported on first use: sqlite-utils loads numpy
        and pandas when they are installed, which would cost every start-up ~0.4 s.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        schema: Schema | None = None,
        *,
        annotator: str = "reader",
        create: bool = True,
    ) -> Store:
        """Open (with ``create``, make) the database at ``path``. Without ``create``, an
        empty file, or SQLite without reader's tables, is refused: a command that only
        reads must not turn a stray file into a database."""
        path = Path(path)
        check_annotator(annotator, "--annotator")
        if path.is_dir():
            raise StoreError(f"{path}: is a folder, not a database file")
        key = os.path.realpath(path)
        if not _OPEN.get(key):
            # Never while this process holds the file open through SQLite: closing any
            # descriptor of a file drops the process's POSIX locks on it, and another
            # process could then delete the WAL under the open connection.
            check_sqlite_file(path)
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
            if version == 0 and not create:
                raise StoreError(f"{path}: not a reader database (it holds no reader tables)")
            if version < migrations.VERSION:
                migrations.migrate(conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # opens the WAL
            # Imports store times in one form (store/importer.py): the SQL side of it.
            conn.create_function("utc_timestamp", 1, utc_timestamp, deterministic=True)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise store_error(path, exc) from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, schema or default_schema(), annotator)

    def close(self) -> None:
        """End the session (so the next one may resume its undo history) and close."""
        if self.closed:
            return
        replaced = self.side_files.replaced()
        try:
            if self._session_written and replaced is None and self._refusal is None:
                with self.transaction():
                    self.conn.execute(
                        "UPDATE sessions SET ended_at = ? WHERE id = ?", (now(), self.session)
                    )
        finally:
            if self._check is not None:
                self._check.cancel()
            if replaced is None:
                self.conn.close()
            else:
                self._close_beside_new_side_files()
            self.closed = True
            _OPEN[self._key] -= 1
            LIVE_SESSIONS.discard(self.session)

    def _close_beside_new_side_files(self) -> None:
        """Close a connection whose WAL was deleted without letting it delete the new one.

        The last connection to close checkpoints and deletes ``-wal`` by name, which is now
        another file, holding other processes' commits. A second connection opened on
        the current files holds the database's shared lock while the first closes, so
        the first cannot take the exclusive lock it would delete under; the second then
        closes normally, checkpointing what the current WAL holds."""
        current = sqlite3.connect(self.path, isolation_level=None)
        try:
            current.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            self.conn.close()
        finally:
            current.close()

    def data_version(self) -> int:
        """A number that changes when another connection commits (``PRAGMA data_version``):
        how a long-lived view notices other writers without reading anything else."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def change_mark(self) -> tuple:
        """What moves when annotations, links or statuses change (the event log's last
        entry, the latest status change), and not when a cache does (passages)."""
        return self.conn.execute(
            "SELECT (SELECT max(seq) FROM events), (SELECT max(updated_at) FROM document_status)"
        ).fetchone()

    def wait_for_writers(self, milliseconds: int) -> None:
        """How long a write waits for another connection's write to end before it fails
        with BusyError (default BUSY_TIMEOUT_MS). The app waits briefly and queues the
        write instead, so that a long import never stops it answering keys."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def others_writing(self) -> bool:
        """Whether another connection holds the write lock now, found without waiting
        and without doing any write's work: a ``BEGIN IMMEDIATE`` that waits for nothing
        and is rolled back at once. The app asks this before retrying its queued writes,
        so that while an import runs a retry costs one statement, not a tag's checks and
        a wait. A true answer may be stale by the time a write starts, and a false
        one too: the write itself still decides (BusyError)."""
        if self.conn.in_transaction:  # ours: nobody else can hold the lock meanwhile
            return False
        wait = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY"):
                return True
            raise store_error(self.path, exc, "cannot write") from None
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(wait)}")
        self.conn.execute("ROLLBACK")
        return False

    def check_intact(self) -> None:
        """Refuse a damaged database before anything is written (once per store); if
        the check runs in the background, wait for its verdict."""
        if self._intact:
            return
        if self._check is not None:
            check, self._check = self._check, None
            check.verdict()
        else:
            check_intact(self.conn, self.path)
        self._intact = True

    def check_intact_later(self) -> None:
        """Start the damage check in a thread: the app's first paint need not wait for a
        read of the whole file (seconds at 1.6M annotations); its first write will."""
        if not self._intact and self._check is None:
            self._check = IntactCheck(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One durable unit of work; any exception rolls everything back.

        Nested in another, it is a savepoint of the outer one: what several store calls
        do together (a review decision that writes two annotations) commits as one, and
        an error inside rolls back only the inner part for a caller that handles it."""
        written = self._session_written  # what a rollback must also take back
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT nested")
            try:
                yield self.conn
            except BaseException:
                self._undo(written, "ROLLBACK TO nested", "RELEASE nested")
                raise
            self.conn.execute("RELEASE nested")
            return
        if self._refusal is not None:
            raise self._refusal
        self.check_intact()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_BUSY"):
                raise BusyError(
                    f"{self.path}: another program is writing (an import or a merge?): "
                    "nothing was written yet"
                ) from None
            raise store_error(self.path, exc, "cannot write") from None
        try:
            yield self.conn
        except sqlite3.Error as exc:
            self._undo(written, "ROLLBACK")
            raise store_error(self.path, exc, "nothing was saved") from None
        except BaseException:
            self._undo(written, "ROLLBACK")
            raise
        replaced = self.side_files.replaced()
        if replaced is not None:  # committing now would write where nobody reads
            self._undo(written, "ROLLBACK")
            self._refusal = self.side_files.refusal(replaced)
            raise self._refusal
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._undo(written, "ROLLBACK")
            raise store_error(self.path, exc, "commit failed, nothing was saved") from None

    def _undo(self, written: bool, *statements: str) -> None:
        """Roll back, unless SQLite already did (some errors end the transaction
        themselves, and a second ROLLBACK would hide the error that matters)."""
        if self.conn.in_transaction:
            for statement in statements:
                self.conn.execute(statement)
        self._session_written = written
        self._texts.clear()

    # -- labels ---------------------------------------------------------------------------

    def _schema_with_extra_labels(self) -> Schema:
        names = [r[0] for r in self.conn.execute("SELECT name FROM extra_labels ORDER BY name")]
        known = set(self.file_schema.names)
        extra = tuple(
            Label(name=n, title=n, key="", color="magenta", extra=True)
            for n in names
            if n not in known
        )
        known_links = {t.name for t in self.file_schema.links}
        extra_links = tuple(
            extra_link_type(r[0])
            for r in self.conn.execute("SELECT name FROM extra_link_types ORDER BY name")
            if r[0] not in known_links
        )
        return replace(
            self.file_schema,
            labels=self.file_schema.labels + extra,
            links=self.file_schema.links + extra_links,
        )

    # -- bulk import ----------------------------------------------------------------------

    def import_items(
        self,
        items: Iterable[Document | AnnotationDraft | DocumentStatus | LinkDraft],
        *,
        source: str,
        add_labels: bool = False,
        new_versions: bool | Callable[[Document], bool] = True,
    ) -> ImportSummary:
        """Bring in documents, annotations, statuses and links, all or nothing, in one
        transaction. Links are written last, once every end they name is in
        (see link_import).

        Annotations go through a temporary staging table, then one set-based insert:
        duplicates (same id twice, or an id already stored) are found by SQL instead of a
        Python set of a million ids, and re-importing the same file adds nothing.
        A document whose text differs from the stored one becomes its next version only
        where ``new_versions`` allows it (a predicate decides per document); otherwise
        it is refused (an annotation file's copy of an article must not silently
        re-anchor everyone's spans).
        """
        from reader.core.store.importer import Importer  # the staging logic, kept apart

        with self.transaction():
            summary = Importer(
                self, source=source, add_labels=add_labels, new_versions=new_versions
            ).run(items)
        self.schema = self._schema_with_extra_labels()
        return summary
