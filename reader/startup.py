"""The annotator's start without the garbage collector, until its first paint.

Starting the app builds some 60,000 objects that live as long as it does (modules,
classes, the schema, the screen's widgets), and the collector scans them again and
again on the way to the first paint: a dozen young collections and one full one, 40 to
100 ms of a 600 ms start, where the skeleton app of ``bench/skeleton.py`` (the same
layout, drawing from memory) never reaches a full collection (bench/RESULTS.md,
2026-11-30). ``reader`` (``reader.cli.main``) and each browser session of ``reader
serve`` (``reader.cli.serve_session.main``) start inside ``paused_start``; the app
resumes it after its first paint (Textual pauses it while scrolling, for the same
reason), and a command other than the annotator resumes it before it runs.

On resuming, what start-up made is frozen (``gc.freeze``): it stays for the whole
session, so no later collection need scan it, and the first key pressed does not pay
for the full collection the start put off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False


def pause_collection() -> None:
    """Stop the collector for the start (only if it runs: never undo someone else's)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Start the collector again, if ``pause_collection`` stopped it; else do nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


@contextmanager
def paused_start() -> Iterator[None]:
    """A process's start without the collector: the app resumes it after its first
    paint, or, however the start ends (a command, an error, no terminal), this does."""
    pause_collection()
    try:
        yield
    finally:
        resume_collection()
