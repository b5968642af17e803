"""The database schema, one step per version. ``PRAGMA user_version`` says which ran.

Steps only ever go forward and each runs in the transaction that opens the database,
so a crash mid-migration leaves the previous version intact. Never edit a released
step: add a new one, and keep a database made by the old one under tests/data/.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

STEPS: tuple[str, ...] = (
    # 1: documents with versions, annotations with tombstones, the append-only event log.
    """
    CREATE TABLE documents (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        meta TEXT NOT NULL DEFAULT '{}',
        added_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
    );
    CREATE TABLE annotations (
        id TEXT PRIMARY KEY,
        document TEXT NOT NULL,
        document_sha256 TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        label TEXT NOT NULL,
        attributes TEXT NOT NULL DEFAULT '{}',
        note TEXT NOT NULL DEFAULT '',
        annotator TEXT NOT NULL,
        origin TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT,
        orphaned INTEGER NOT NULL DEFAULT 0,
        CHECK (start >= 0 AND start < "end")
    );
    CREATE INDEX annotations_by_position ON annotations (document, start, "end");
    CREATE INDEX annotations_by_annotator ON annotations (annotator, document);
    CREATE TRIGGER annotations_never_deleted BEFORE DELETE ON annotations
    BEGIN SELECT RAISE(ABORT, 'annotations are never deleted: set deleted_at'); END;
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        annotation TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT,
        after TEXT,
        annotator TEXT NOT NULL,
        session TEXT NOT NULL,
        at TEXT NOT NULL,
        reverts TEXT
    );
    CREATE INDEX events_by_session ON events (session, seq);
    CREATE INDEX events_by_annotation ON events (annotation, seq);
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TABLE document_status (
        document TEXT NOT NULL,
        annotator TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'done')),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (document, annotator)
    );
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        annotator TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        resumes TEXT
    );
    CREATE TABLE extra_labels (
        name TEXT PRIMARY KEY,
        added_at TEXT NOT NULL
    );
    """,
    # 2: suggestions an annotator rejected (so they do not come back), and shared
    # passages between documents, cached per pair of document texts.
    """
    CREATE TABLE suggestion_decisions (
        document TEXT NOT NULL,
        document_sha256 TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        label TEXT NOT NULL,
        annotator TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('rejected')),
        at TEXT NOT NULL,
        PRIMARY KEY (document, document_sha256, start, "end", label, annotator)
    );
    CREATE TABLE passages (
        a_document TEXT NOT NULL,
        a_sha256 TEXT NOT NULL,
        a_start INTEGER NOT NULL,
        a_end INTEGER NOT NULL,
        b_document TEXT NOT NULL,
        b_sha256 TEXT NOT NULL,
        b_start INTEGER NOT NULL,
        b_end INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
        score REAL NOT NULL
    );
    CREATE INDEX passages_by_a ON passages (a_document, a_sha256);
    CREATE INDEX passages_by_b ON passages (b_document, b_sha256);
    CREATE TABLE aligned_pairs (
        a_sha256 TEXT NOT NULL,
        b_sha256 TEXT NOT NULL,
        settings TEXT NOT NULL,
        PRIMARY KEY (a_sha256, b_sha256, settings)
    );
    """,
    # 3: the size and modification time of each corpus file when it was last read, so a
    # start-up reads, normalizes and hashes only the files that changed since.
    """
    CREATE TABLE corpus_files (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        document TEXT NOT NULL,
        sha256 TEXT NOT NULL
    );
    """,
    # 4: who should annotate which document (`reader assign`), and the append-only log
    # of every change to that, so a lead can see who was given what and when.
    """
    CREATE TABLE assignments (
        document TEXT NOT NULL,
        annotator TEXT NOT NULL,
        assigned_at TEXT NOT NULL,
        PRIMARY KEY (document, annotator)
    );
    CREATE INDEX assignments_by_annotator ON assignments (annotator, document);
    CREATE TABLE assignment_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        action TEXT NOT NULL CHECK (action IN ('assign', 'unassign')),
        document TEXT NOT NULL,
        annotator TEXT NOT NULL,
        by TEXT NOT NULL,
        via TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TRIGGER assignment_events_append_only_update BEFORE UPDATE ON assignment_events
    BEGIN SELECT RAISE(ABORT, 'the assignment log is append-only'); END;
    CREATE TRIGGER assignment_events_append_only_delete BEFORE DELETE ON assignment_events
    BEGIN SELECT RAISE(ABORT, 'the assignment log is append-only'); END;
    """,
    # 5: links between annotations, kept like annotations (tombstones, events, UUIDs);
    # the event log says whose state each event holds; link types an import added.
    """
    CREATE TABLE links (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        source TEXT NOT NULL REFERENCES annotations (id),
        target TEXT NOT NULL REFERENCES annotations (id),
        attributes TEXT NOT NULL DEFAULT '{}',
        note TEXT NOT NULL DEFAULT '',
        annotator TEXT NOT NULL,
        origin TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT,
        CHECK (source != target)
    );
    CREATE INDEX links_by_source ON links (source);
    CREATE INDEX links_by_target ON links (target);
    CREATE TRIGGER links_never_deleted BEFORE DELETE ON links
    BEGIN SELECT RAISE(ABORT, 'links are never deleted: set deleted_at'); END;
    ALTER TABLE events ADD COLUMN subject TEXT NOT NULL DEFAULT 'annotation';
    CREATE TABLE extra_link_types (
        name TEXT PRIMARY KEY,
        added_at TEXT NOT NULL
    );
    """,
    # 6: the machine and process a session runs in: a session killed before it could
    # close (SIGKILL, a power cut) is over once its process is gone, and the next
    # session of its annotator resumes its undo history as after a clean quit.
    """
    ALTER TABLE sessions ADD COLUMN host TEXT;
    ALTER TABLE sessions ADD COLUMN pid INTEGER;
    """,
    # 7: a pane reads only the spans of the rows on screen (``store/spans.py``): spans
    # longer than LONG_SPAN code points sit in an index of their own, so a range is one
    # bounded scan of annotations_by_position plus a few long ones; live counts per
    # document, annotator, label and orphaned come from an index alone.
    """
    CREATE INDEX annotations_long ON annotations (document, start)
        WHERE "end" - start > 1024;
    CREATE INDEX annotations_live_counts ON annotations (document, annotator, label, orphaned)
        WHERE deleted_at IS NULL;
    """,
)

VERSION = len(STEPS)


def migrate(conn: sqlite3.Connection) -> None:
    """Run the steps this database lacks, in one transaction (the opening's)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
        for step in STEPS[current:]:
            for statement in _statements(step):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


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
