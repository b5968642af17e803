"""The event log as the store exposes it: sessions for undo scope, events, restoring a state."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import replace

from reader.core.errors import ConflictError
from reader.core.links.values import Link
from reader.core.model import Annotation
from reader.core.store.rows import (
    Event,
    _load,
    content_of,
)
from reader.core.times import now

#: Sessions of Stores open in this process: a session of this very process is over only
#: once its Store has closed (tests and scripts open several).
LIVE_SESSIONS: set[str] = set()


def this_process() -> tuple[str, int]:
    """(host, pid) as a session records them."""
    return socket.gethostname(), os.getpid()


def process_gone(host: str | None, pid: int | None, session: str) -> bool:
    """Whether the process a session ran in has ended without closing it. Only a process
    of this machine can be checked; any doubt (another machine, a pid now reused by
    another process, another user's) counts as still running: undo never reaches a
    session that may be live, since it could undo someone's work under them."""
    here, me = this_process()
    if host != here or pid is None:
        return False
    if pid == me:
        return session not in LIVE_SESSIONS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


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
            previous = self.resumable_session()
        seen = set(scope)
        while previous and previous not in seen:
            scope.append(previous)
            seen.add(previous)
            row = self.conn.execute(
                "SELECT resumes FROM sessions WHERE id = ?", (previous,)
            ).fetchone()
            previous = row[0] if row else None
        return scope

    def resumable_session(self) -> str | None:
        """The session this one resumes: its annotator's latest that no other session
        resumed and that is over, closed cleanly or killed (its process is gone)."""
        rows = self.conn.execute(
            "SELECT s.id, s.ended_at, s.host, s.pid FROM sessions s "
            "WHERE s.annotator = ? AND s.id != ? AND s.id NOT IN "
            "(SELECT resumes FROM sessions WHERE resumes IS NOT NULL) "
            "ORDER BY COALESCE(s.ended_at, (SELECT max(e.at) FROM events e WHERE e.session = s.id), "
            "s.started_at) DESC",
            (self.annotator, self.session),
        )
        for session, ended_at, host, pid in rows:
            if ended_at is not None or process_gone(host, pid, session):
                return session
        return None

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
