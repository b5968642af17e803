"""Remembered decisions on suggestions: a rejected suggestion does not come back.

Keyed by the document's text (its SHA-256) and the annotator, so a changed article is
offered its suggestions afresh, and one annotator's rejection does not hide a
suggestion from another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.times import now

if TYPE_CHECKING:
    from reader.core.store.database import Store


def reject_suggestion(store: Store, document: str, start: int, end: int, label: str) -> None:
    with store.transaction():
        latest = store._latest_text(document)
        if latest is None:
            from reader.core.errors import NotFoundError

            raise NotFoundError(f"no document {document!r} in {store.path}")
        store.conn.execute(
            'INSERT OR IGNORE INTO suggestion_decisions (document, document_sha256, start, "end", label, '
            "annotator, decision, at) VALUES (?, ?, ?, ?, ?, ?, 'rejected', ?)",
            (document, latest[0], start, end, label, store.annotator, now()),
        )


def rejected_suggestions(store: Store, document: str) -> set[tuple[int, int, str]]:
    latest = store._latest_text(document)
    if latest is None:
        return set()
    rows = store.conn.execute(
        'SELECT start, "end", label FROM suggestion_decisions WHERE document = ? AND document_sha256 = ? '
        "AND annotator = ?",
        (document, latest[0], store.annotator),
    )
    return {(r[0], r[1], r[2]) for r in rows}


def rejected_texts(store: Store) -> list[tuple[str, str]]:
    """(text, label) of every suggestion this annotator rejected, once per rejection:
    what the string recommender counts against a text (SQLite's substr counts code
    points, as offsets do)."""
    rows = store.conn.execute(
        'SELECT substr(d.text, s.start + 1, s."end" - s.start), s.label '
        "FROM suggestion_decisions s JOIN documents d "
        "ON d.id = s.document AND d.sha256 = s.document_sha256 "
        "WHERE s.annotator = ? AND s.decision = 'rejected'",
        (store.annotator,),
    )
    return [(r[0], r[1]) for r in rows]
