"""Where each annotator stands with each document: new, in progress or done.

One row per (document, annotator), replaced when it changes (its time is what
merge's "newer wins" compares); the queue, the progress report and which done marks
agreement counts all read it. Kept apart from the event log: a status is a mark on
the work, not a change to annotations that undo would take back.
"""

from __future__ import annotations

from reader.core.errors import NotFoundError, ValidationError
from reader.core.model import STATUSES, DocumentStatus
from reader.core.times import now


class Statuses:
    """Part of Store: the document_status table."""

    def set_status(
        self, document: str, status: str, annotator: str | None = None
    ) -> DocumentStatus:
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
        return [
            DocumentStatus(*r)
            for r in self.conn.execute(sql + " ORDER BY document, annotator", args)
        ]

    def status(self, document: str, annotator: str | None = None) -> str:
        row = self.conn.execute(
            "SELECT status FROM document_status WHERE document = ? AND annotator = ?",
            (document, annotator or self.annotator),
        ).fetchone()
        return row[0] if row else "new"
