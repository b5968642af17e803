"""Assignments from another database: its log merged, then the log decides.

A lead assigns in one database and hands copies to the annotators; the copies come back
to be merged, some made before a later ``--add`` or ``--remove``. A plain union would
give back every assignment the lead removed since. So their ``assignment_events`` are
added to ours (an event is its whole row: the same action on the same pair at the same
microsecond by the same person and command is the same event, so merging twice adds
nothing), and for every pair their database names, the latest event in the merged log
says whether it is assigned. A pair with rows but no events (none is ever written so)
is simply kept.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reader.core.errors import ValidationError
from reader.core.model import check_annotator, check_document_id
from reader.core.times import check_timestamp, instant

if TYPE_CHECKING:
    from reader.core.store.database import Store

_EVENT = ("action", "document", "annotator", "by", "via", "at")


def merge_assignments(
    store: Store, other: sqlite3.Connection, source: str, counts: Counter[str]
) -> None:
    """Inside the merge's transaction; counts assignments_added and assignments_removed."""
    pairs: dict[tuple[str, str], str] = {}  # (document, annotator) -> their assigned_at
    for document, annotator, assigned_at in other.execute(
        "SELECT document, annotator, assigned_at FROM assignments ORDER BY document, annotator"
    ):
        where = f"{source}: assignment of {document!r} to {annotator!r}"
        _check_pair(store, document, annotator, where)
        pairs[document, annotator] = check_timestamp(assigned_at, f"{where}: assigned_at")
    for event in other.execute(
        f"SELECT seq, {', '.join(_EVENT)} FROM assignment_events ORDER BY seq"
    ):
        seq, action, document, annotator, by, via, at = event
        where = f"{source}: assignment event {seq}"
        if action not in ("assign", "unassign"):
            raise ValidationError(f"{where}: action: {action!r} is not assign or unassign")
        _check_pair(store, document, annotator, where)
        check_annotator(by, f"{where}: by")
        if not isinstance(via, str) or len(via) > 10_000 or not via.isprintable():
            raise ValidationError(f"{where}: via: not the printable text of a command's options")
        at = check_timestamp(at, f"{where}: at")
        pairs.setdefault((document, annotator), at)
        values = (action, document, annotator, by, via, at)
        known = store.conn.execute(
            f"SELECT 1 FROM assignment_events WHERE {' AND '.join(f'{c} = ?' for c in _EVENT)}",
            values,
        ).fetchone()
        if known is None:
            store.conn.execute(
                f"INSERT INTO assignment_events ({', '.join(_EVENT)}) VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
    for (document, annotator), assigned_at in pairs.items():
        log = store.conn.execute(
            "SELECT at, seq, action FROM assignment_events WHERE document = ? AND annotator = ?",
            (document, annotator),
        ).fetchall()
        # By time, not by text: a copy's times may carry another offset than ours.
        latest = max(log, key=lambda e: (_moment(e[0]), e[1]), default=None)
        if latest is not None and latest[2] == "unassign":
            cursor = store.conn.execute(
                "DELETE FROM assignments WHERE document = ? AND annotator = ?",
                (document, annotator),
            )
            counts["assignments_removed"] += cursor.rowcount
        else:
            cursor = store.conn.execute(
                "INSERT INTO assignments (document, annotator, assigned_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                (document, annotator, assigned_at),
            )
            counts["assignments_added"] += cursor.rowcount


def _moment(at: str) -> datetime:
    try:
        return instant(at)
    except ValueError:  # written before merges checked times: older than any real one
        return datetime.min.replace(tzinfo=UTC)


def _check_pair(store: Store, document: object, annotator: object, where: str) -> None:
    check_document_id(document, f"{where}: document")
    check_annotator(annotator, f"{where}: annotator")
    if store._latest_text(document) is None:
        raise ValidationError(f"{where}: document: {document!r} is in neither database")
