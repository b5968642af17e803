"""A session killed with SIGKILL leaves its undo history to the next one, as a quit does.

Issue 13, finding 9: after a kill the next session said "Nothing to undo", because only a
session that had closed cleanly could be resumed. A session whose process is gone is
over too; one whose process still runs is not, so undo never reaches a live session.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from reader.core import history
from reader.core.store import Store
from tests.helpers import ROOT, VIETNAMESE, make_document

# A session that tags twice, says so, then waits to be killed (or for stdin to close).
SESSION = """
import sys
from reader.core.store import Store
store = Store.open(sys.argv[1], annotator="lan")
store.create("vn1", 0, 4, "casualty")
store.create("vn1", 5, 8, "propaganda")
print("tagged", flush=True)
sys.stdin.read()
"""


def start_session(db) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", SESSION, str(db)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout.readline().strip() == "tagged"
    return process


def live_labels(store: Store) -> list[str]:
    return sorted(a.label for a in store.iter_annotations())


def test_after_sigkill_the_next_session_can_undo_the_killed_ones_actions(tmp_path):
    db = tmp_path / "annotations.db"
    with Store.open(db, annotator="setup") as store:
        store.sync_documents([make_document("vn1", VIETNAMESE)])
    process = start_session(db)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    with Store.open(db, annotator="lan") as store:
        assert history.can_undo(store)
        undone = history.undo(store)
        assert (undone.start, undone.label, undone.deleted_at is not None) == (
            5,
            "propaganda",
            True,
        )
        assert live_labels(store) == ["casualty"]
        history.undo(store)
        assert live_labels(store) == [] and not history.can_undo(store)
        history.redo(store)
        assert live_labels(store) == ["casualty"]


def test_a_session_still_running_is_not_resumed(tmp_path):
    """The same annotator in two terminals: undo in one never reaches the other's tags."""
    db = tmp_path / "annotations.db"
    with Store.open(db, annotator="setup") as store:
        store.sync_documents([make_document("vn1", VIETNAMESE)])
    process = start_session(db)
    try:
        with Store.open(db, annotator="lan") as store:
            assert not history.can_undo(store)
            store.create("vn1", 10, 14, "attribution")
            assert history.undo(store).label == "attribution"
            assert live_labels(store) == ["casualty", "propaganda"]
    finally:
        process.stdin.close()
        process.wait(timeout=30)
