"""The event log as the store exposes it: sessions for undo scope, events, restoring a state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from reader.core.errors import ConflictError
from reader.core.links.values import Link
from reader.core.model import (
    Annotation,
    now,
)
from reader.core.store.rows import (
    Event,
    _load,
    content_of,
)


class EventLog:
    """Part of Store; relies on its connection, transaction() and schema."""

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
            row = self.conn.execute(
                "SELECT resumes FROM sessions WHERE id = ?", (previous,)
            ).fetchone()
            previous = row[0] if row else None
        return scope

    def events(
        self, *, sessions: Iterable[str] | None = None, annotation: str | None = None
    ) -> list[Event]:
        """Annotation events in log order. Bulk ``import`` events (one per file, naming
        its source and count) carry no annotation state and are left out."""
        where, args = ["action != 'import'"], []
        if sessions is not None:
            sessions = list(sessions)
            where.append(f"session IN ({', '.join('?' * len(sessions))})")
            args.extend(sessions)
        if annotation is not None:
            where.append("annotation = ?")
            args.append(annotation)
        sql = (
            "SELECT seq, id, annotation, action, before, after, annotator, session, at, reverts, "
            "subject FROM events"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [
            Event(
                r[0],
                r[1],
                r[2],
                r[3],
                _load(r[4], r[10]),
                _load(r[5], r[10]),
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
            )
            for r in self.conn.execute(sql + " ORDER BY seq", args)
        ]

    def restore(
        self, event: Event, target: Annotation | Link, expected: Annotation | Link, action: str
    ) -> Annotation | Link:
        """Put an annotation or link back to ``target`` if it still is ``expected`` (undo
        and redo)."""
        with self.transaction():
            if event.subject == "link":
                assert isinstance(target, Link) and isinstance(expected, Link)
                return self._restore_link(event.id, target, expected, action)
            current = self.annotation(event.annotation)
            if content_of(current) != content_of(expected):
                raise ConflictError(
                    f"annotation {event.annotation} changed since (by {current.annotator} or a "
                    "re-anchoring); nothing was undone"
                )
            new = replace(target, updated_at=now())
            self._write(current, new, action, reverts=event.id)
        return new
