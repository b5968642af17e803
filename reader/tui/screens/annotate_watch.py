"""Other writers: what another app, an import or a merge commits shows up here too.

The same annotator may have the database open twice (two terminals, a browser session
and a terminal); another annotator's spans show with ``o``. The panes draw from the
database, but only when something here asks, so without a look now and then the other
app's new tags never appear and the counts stay wrong. SQLite's ``PRAGMA data_version``
changes exactly when another connection has committed, and costs nothing to read, so a
timer reads it; when it moved, the store's ``change_mark`` says whether annotations,
links or statuses changed (a cache written by the passage worker is no reason to redraw).
"""

from __future__ import annotations

WATCH_SECONDS = 1.0


class OtherWriters:
    """Part of AnnotateScreen: redraw when another connection has committed."""

    def start_watching(self) -> None:
        self.seen_version = self.store.data_version()
        self.seen_mark = self.store.change_mark()
        self.set_interval(WATCH_SECONDS, self.check_other_writers)

    def check_other_writers(self) -> None:
        version = self.store.data_version()
        if version == self.seen_version:
            return
        self.seen_version = version
        mark = self.store.change_mark()
        if mark != self.seen_mark:
            self.seen_mark = mark
            self.redraw_all()
