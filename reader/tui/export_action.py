"""Export your own annotations as reader's JSONL, from inside the app.

The file goes through ``App.deliver_text`` because under ``reader serve`` the app runs on
the server: writing to its disk would hand the annotator nothing. In a browser session
Textual turns the delivery into a download; in a terminal it saves the file in the
downloads folder. One path covers both, and the bytes are those of
``reader export --format jsonl --annotator NAME``.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime

from textual.app import App, SystemCommand

from reader.core.store import Store

TITLE = "Export annotations (JSONL)"
MIME_TYPE = "application/x-ndjson"


def export_filename(annotator: str, when: datetime) -> str:
    """An ASCII file name: textual-serve puts it unquoted in a Content-Disposition header,
    where spaces, quotes and non-Latin-1 letters (a Vietnamese name) would break it."""
    folded = unicodedata.normalize("NFKD", annotator.replace("đ", "d").replace("Đ", "D"))
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", folded.encode("ascii", "ignore").decode()).strip("-")
    return f"reader-{slug or 'annotator'}-{when:%Y%m%d-%H%M%S}.jsonl"


def export_jsonl(store: Store) -> tuple[str, int]:
    """The store's annotator's live annotations in reader's JSONL, and how many there are."""
    from reader.core.formats import jsonl  # the format registry loads on first export
    from reader.core.formats.registry import ExportFilters, FormatOptions

    out = io.StringIO()
    count = jsonl.write(
        store, out, filters=ExportFilters(annotator=store.annotator), options=FormatOptions()
    )
    return out.getvalue(), count


def export_annotations(app: App, store: Store) -> None:
    """Deliver the JSONL to the user and say what was sent (a download is easy to miss).
    In a terminal the file is written by a thread into the downloads folder, which a
    server reached over SSH often lacks: the notice waits for the outcome (``delivered``)
    rather than announcing a file that never comes."""
    text, count = export_jsonl(store)
    filename = export_filename(store.annotator, datetime.now())
    what = "1 annotation" if count == 1 else f"{count} annotations"
    what = f"{what} of {store.annotator}"
    key = app.deliver_text(
        io.StringIO(text),
        save_filename=filename,
        mime_type=MIME_TYPE,
        encoding="utf-8",
    )
    if app.is_web:
        app.notify(f"{what} sent as a download: {filename}", title="Export", markup=False)
    elif key is not None:
        _pending[key] = (what, store.annotator)


_pending: dict[str, tuple[str, str]] = {}  # delivery key -> (what was sent, annotator)


def delivered(app: App, key: str, path: object, error: BaseException | None) -> None:
    """Say where a terminal export went, or that it was not saved and why (other
    deliveries, a screenshot, are not this module's)."""
    what, annotator = _pending.pop(key, ("", ""))
    if not what:
        return
    if error is None:
        app.notify(f"{what} saved to {path}", title="Export", markup=False)
        return
    reason = getattr(error, "strerror", None) or str(error)
    where = getattr(error, "filename", None) or ""
    app.notify(
        f"{what} not saved: {reason}{f': {where}' if where else ''}. "
        f"reader export --annotator {annotator} -o FILE writes them anywhere",
        title="Export",
        severity="error",
        markup=False,
        timeout=30,
    )


def export_command(app: App, store: Store) -> SystemCommand:
    """The palette entry, so the export is one search away like every other action."""
    return SystemCommand(
        TITLE,
        "Your annotations, in reader's own JSON Lines",
        lambda: export_annotations(app, store),
    )
