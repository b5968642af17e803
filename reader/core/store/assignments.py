"""Assignments as the store keeps them: who should annotate which document.

An assignment names a document id, not a version: a changed article stays with the
annotator it was given to. Every change is one transaction and leaves a row in the
append-only ``assignment_events`` log, naming who made it and with which command.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from reader.core.errors import NotFoundError
from reader.core.model import check_annotator
from reader.core.times import now


class AssignmentEvent(NamedTuple):
    seq: int
    action: str
    document: str
    annotator: str
    by: str
    via: str
    at: str


class Assignments:
    """Part of Store; relies on its connection, transaction() and documents()."""

    def assignments(self) -> dict[str, tuple[str, ...]]:
        """Document id -> its annotators (sorted), for every document assigned to anyone."""
        table: dict[str, list[str]] = {}
        for document, annotator in self.conn.execute(
            "SELECT document, annotator FROM assignments ORDER BY document, annotator"
        ):
            table.setdefault(document, []).append(annotator)
        return {doc: tuple(who) for doc, who in table.items()}

    def assigned_documents(self, annotator: str | None = None) -> list[str]:
        """The documents assigned to ``annotator`` (default: the store's), by id."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT document FROM assignments WHERE annotator = ? ORDER BY document",
                (annotator or self.annotator,),
            )
        ]

    def done_documents(self, annotator: str | None = None) -> list[str]:
        """The documents ``annotator`` (default: the store's) marked done, by id."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT document FROM document_status WHERE annotator = ? AND status = 'done' "
                "ORDER BY document",
                (annotator or self.annotator,),
            )
        ]

    def document_ids(self) -> list[str]:
        """Every document id, in order, without reading any text (a queue needs no more)."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT id FROM documents ORDER BY id")]

    def change_assignments(
        self,
        add: Iterable[tuple[str, str]] = (),
        remove: Iterable[tuple[str, str]] = (),
        *,
        via: str,
    ) -> tuple[int, int]:
        """Assign and unassign ``(document, annotator)`` pairs in one transaction.

        Pairs already as asked change nothing and log nothing, so running the same
        command twice leaves the table and the log as they were. Returns (added, removed).

        Raises:
            NotFoundError: a document the database does not hold (nothing is changed).
            ValidationError: an annotator name that is not allowed.
        """
        add, remove = list(add), list(remove)
        known = {d.id for d in self.documents()}
        for document, annotator in add + remove:
            if document not in known:
                raise NotFoundError(f"no document {document!r} in {self.path}")
            check_annotator(annotator, "annotator")
        added = removed = 0
        with self.transaction():
            stamp = now()
            for document, annotator in add:
                cursor = self.conn.execute(
                    "INSERT INTO assignments (document, annotator, assigned_at) VALUES (?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (document, annotator, stamp),
                )
                if cursor.rowcount:
                    added += 1
                    self._log_assignment("assign", document, annotator, via, stamp)
            for document, annotator in remove:
                cursor = self.conn.execute(
                    "DELETE FROM assignments WHERE document = ? AND annotator = ?",
                    (document, annotator),
                )
                if cursor.rowcount:
                    removed += 1
                    self._log_assignment("unassign", document, annotator, via, stamp)
        return added, removed

    def _log_assignment(
        self, action: str, document: str, annotator: str, via: str, stamp: str
    ) -> None:
        self.conn.execute(
            "INSERT INTO assignment_events (action, document, annotator, by, via, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (action, document, annotator, self.annotator, via, stamp),
        )

    def assignment_events(self) -> list[AssignmentEvent]:
        return [
            AssignmentEvent(*r)
            for r in self.conn.execute(
                "SELECT seq, action, document, annotator, by, via, at FROM assignment_events "
                "ORDER BY seq"
            )
        ]

    def work_counts(self) -> list[tuple[str, str, str, int]]:
        """``(annotator, document, label, live annotations)``: what progress counts,
        grouped by SQLite rather than by reading every annotation."""
        return self.conn.execute(
            "SELECT annotator, document, label, count(*) FROM annotations "
            "WHERE deleted_at IS NULL GROUP BY annotator, document, label "
            "ORDER BY annotator, document, label"
        ).fetchall()
