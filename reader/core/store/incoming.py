"""The checks every row from outside passes, whichever way it comes in: an import
file's line (``importer``) or another database's row (``merge``). One place, so that a
merge can never take what an import refuses (the trial turned a span into gold's
through a merge that checked less)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from reader.core.errors import ValidationError
from reader.core.model import (
    STATUSES,
    AnnotationDraft,
    DocumentStatus,
    check_annotator,
    check_document_id,
    check_origin,
    check_row_id,
)
from reader.core.times import check_timestamp

if TYPE_CHECKING:
    from reader.core.store.database import Store


def check_draft(
    store: Store, d: AnnotationDraft, where: str, version: tuple[str, str] | None = None
) -> tuple[str, str, dict]:
    """The checks every annotation from outside passes, an import file's line or a merged
    database's row (its label is checked first, by the caller): safe document id and
    annotator, a known origin, offsets inside the text (``version``, (sha256, text),
    default the latest) on grapheme boundaries, the covered text equal to that slice,
    attributes and note as the schema allows, a usable id and ISO 8601 times. Returns
    the text's (sha256, text) and the attributes in their stored form."""
    check_document_id(d.document, f"{where}: document")
    check_annotator(d.annotator, f"{where}: annotator")
    check_origin(d.origin, where)
    sha, text = store._check_span(d.document, d.start, d.end, where, version=version)
    if d.document_sha256 is not None and d.document_sha256 != sha:
        raise ValidationError(
            f"{where}: document_sha256: the annotation was made on another version of "
            f"{d.document} (its SHA-256 {d.document_sha256[:12]}… is not the stored {sha[:12]}…)"
        )
    covered = text[d.start : d.end]
    if d.text is not None and d.text != covered:
        raise ValidationError(
            f"{where}: text: {d.text[:40]!r} does not match the document at "
            f"[{d.start}, {d.end}): {covered[:40]!r}"
        )
    clean = store._check_fields(d.label, d.attributes, d.note, f"{where}: attributes")
    if d.id is not None:  # an id reader derives is always usable
        check_row_id(d.id, "annotation", where)
    for name in ("created_at", "updated_at"):
        if getattr(d, name):  # absent or empty: stamped now
            check_timestamp(getattr(d, name), f"{where}: {name}")
    return sha, text, clean


def check_status(store: Store, s: DocumentStatus, where: str) -> DocumentStatus:
    """A document status from outside: safe names, a known status, a stored document."""
    check_document_id(s.document, where)
    check_annotator(s.annotator, where)
    if s.status not in STATUSES:
        raise ValidationError(f"{where}: {s.status!r} is not one of {', '.join(STATUSES)}")
    if store._latest_text(s.document) is None:
        raise ValidationError(f"{where}: document is not in the database")
    if s.updated_at:  # absent: stamped now
        s = replace(s, updated_at=check_timestamp(s.updated_at, f"{where}: updated_at"))
    return s


#: The times an annotation's or a link's record holds (``to_record``), as an event's
#: before and after snapshot it.
_RECORD_TIMES = ("created_at", "updated_at", "deleted_at")


def check_snapshot(raw: Any, where: str) -> str | None:
    """An event's before or after from outside (another database's log): NULL, or JSON
    of an object whose times are taken to the form reader stores (``check_timestamp``)
    as the rows' own are, since undo puts a snapshot back as the row, and merge and the
    history compare its times. A time absent, null or empty is left so. Returns the JSON
    to store: theirs as written when no time changes, else written as reader writes a
    snapshot (``rows._dump``)."""
    if raw is None:
        return None
    try:
        state = json.loads(raw)
    except (TypeError, ValueError):
        raise ValidationError(f"{where}: not JSON") from None
    if not isinstance(state, dict):
        raise ValidationError(f"{where}: not a JSON object")
    stored = {
        name: check_timestamp(state[name], f"{where}: {name}")
        for name in _RECORD_TIMES
        if state.get(name) not in (None, "")
    }
    if all(state[name] == value for name, value in stored.items()):
        return raw
    return json.dumps(state | stored, ensure_ascii=False, sort_keys=True)
