"""Undo and redo, read from the event log rather than kept in memory.

Because the stack is rebuilt from the log, it survives a restart: a new session
resumes the last session its annotator closed cleanly. Because it is scoped to
sessions, undo in one process never reaches another process's actions, even by the
same annotator. Links share the stack with annotations. Undo refuses (ConflictError) when the annotation changed since the
action, instead of overwriting someone else's change.
"""

from __future__ import annotations

from dataclasses import replace

from reader.core.errors import ConflictError
from reader.core.links.values import Link
from reader.core.model import Annotation
from reader.core.store import Event, Store
from reader.core.times import now

_ACTIONS = ("create", "update", "delete")


def stacks(events: list[Event]) -> tuple[list[Event], list[Event]]:
    """(done, undone) stacks after replaying a session's events in order."""
    by_id = {e.id: e for e in events}
    done: list[Event] = []
    undone: list[Event] = []
    for event in events:
        if event.action in _ACTIONS:
            done.append(event)
            undone.clear()
        elif event.action == "undo" and event.reverts in by_id:
            target = by_id[event.reverts]
            if done and done[-1].id == target.id:
                undone.append(done.pop())
        elif event.action == "redo" and event.reverts in by_id:
            target = by_id[event.reverts]
            if undone and undone[-1].id == target.id:
                done.append(undone.pop())
    return done, undone


def _stacks(store: Store) -> tuple[list[Event], list[Event]]:
    return stacks(store.events(sessions=store.session_scope()))


def can_undo(store: Store) -> bool:
    return bool(_stacks(store)[0])


def can_redo(store: Store) -> bool:
    return bool(_stacks(store)[1])


def undo(store: Store) -> Annotation | Link | None:
    """Revert the latest action of this session; None when there is nothing to undo."""
    done, _ = _stacks(store)
    if not done:
        return None
    event = done[-1]
    assert event.after is not None
    if event.before is None:  # undo a create: tombstone what was created
        target = replace(event.after, deleted_at=now())
    else:
        target = event.before
    return store.restore(event, target, expected=event.after, action="undo")


def redo(store: Store) -> Annotation | Link | None:
    """Re-apply the latest undone action; None when there is nothing to redo."""
    _, undone = _stacks(store)
    if not undone:
        return None
    event = undone[-1]
    assert event.after is not None
    expected = replace(event.after, deleted_at="undone") if event.before is None else event.before
    try:
        return store.restore(event, event.after, expected=expected, action="redo")
    except ConflictError:
        raise ConflictError(
            f"{event.subject} {event.annotation} changed since it was undone; nothing was redone"
        ) from None
