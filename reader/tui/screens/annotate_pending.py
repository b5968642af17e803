"""Writes that wait for the database instead of making the annotator wait.

A long import or merge holds SQLite's write lock for as long as it runs (it is all or
nothing, so one transaction). A tag pressed meanwhile must neither be lost (the store's
own wait would give up after 30 s with "database is locked") nor freeze the screen
while it waits. So the app's store waits only briefly (``WAIT_MS``, enough for another
annotator's commit); past that the write is queued, the screen says it is pending and
keeps answering keys, and a timer retries the queue in order until each is saved (a
retry first asks the store whether the lock is still taken, which costs next to
nothing, and runs the writes only once it is free).
Later writes queue behind earlier ones, so the database sees them in the order pressed.
Closing the screen saves whatever is still pending, waiting as long as it takes.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from reader.core.errors import BusyError, ReaderError
from reader.core.store.database import BUSY_TIMEOUT_MS

WAIT_MS = 100  # a first try waits this long: another annotator's commit takes a few ms
RETRY_WAIT_MS = 5  # a retry runs on the screen's thread: it must not hold up the keys
RETRY_SECONDS = 0.2

Write = tuple[Callable[[], Any], str | None]


class PendingWrites:
    """Part of AnnotateScreen: the queue of writes the database could not take yet."""

    def start_pending(self) -> None:
        self.pending: deque[Write] = deque()
        self.last_pending = False
        self.store.wait_for_writers(WAIT_MS)
        self._retry = self.set_interval(RETRY_SECONDS, self.retry_pending, pause=True)

    def queue_write(self, action: Callable[[], Any], document_id: str | None) -> None:
        """Keep a write for later; say so once per wait, not once per key."""
        self.last_pending = True
        if not self.pending:
            self._retry.resume()
        self.pending.append((action, document_id))
        self.notify(
            f"Waiting for the database (another program is writing): {len(self.pending)} "
            "change(s) pending; they will be saved in order, keep working",
            title="Pending",
            severity="warning",
        )

    def retry_pending(self) -> None:
        """Save what the database takes now, in order; stop at the first that must wait.
        While another program still holds the lock, a retry is only the store's probe:
        re-running the first write just to be refused would cost a tag's work (its span,
        its attributes from the text, its checks) on the screen's thread, every time."""
        if self.store.others_writing():
            return
        saved = 0
        self.store.wait_for_writers(RETRY_WAIT_MS)
        try:
            while self.pending:
                action, document_id = self.pending[0]
                try:
                    result = action()
                except BusyError:
                    break
                except ReaderError as exc:
                    self.pending.popleft()
                    self.show_failure(exc)
                    continue
                self.pending.popleft()
                saved += 1
                self.show_saved(result, document_id)
        finally:
            self.store.wait_for_writers(WAIT_MS)
        if not self.pending:
            self._retry.pause()
        if saved:
            left = f"; {len(self.pending)} still pending" if self.pending else ""
            self.notify(f"Saved {saved} pending change(s){left}", title="Saved")

    def flush_pending(self) -> None:
        """Save everything still pending before the screen goes, however long it takes."""
        if not getattr(self, "pending", None):
            return
        self.store.wait_for_writers(BUSY_TIMEOUT_MS)
        while self.pending:
            action, _ = self.pending[0]
            try:
                action()
            except BusyError:
                time.sleep(RETRY_SECONDS)
                continue
            except ReaderError:
                pass  # nothing more can be done for it: the screen is going
            self.pending.popleft()
