"""Tagging: which span a label key tags, and the tag itself, for every screen that tags.

The span rule: the selection, or else the word at the cursor (``segments.word_at``),
trimmed of surrounding spaces, ``,.;:`` and quotes (``segments.trim_span``) and snapped
to whole grapheme clusters (``text.snap_span``); nothing left means nothing to tag.
The annotate screen and the review's gold pane both tag through it, so a key tags the
same characters wherever it is pressed.

The twin rule (one live mark per annotator, span and label) belongs to the store,
which checks it inside the transaction that would break it and raises ``TwinError``;
no screen checks it again. What a saved tag changes on screen is
``AnnotationSet.apply`` (``reader.core.annotation_set``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reader.core.errors import NothingToTagError
from reader.core.model import Annotation
from reader.core.segments import trim_span, word_at
from reader.core.text import snap_span

if TYPE_CHECKING:
    from reader.core.store import Store

NOTHING_TO_TAG = "Nothing to tag here: select a span or put the cursor on a word"


def span_to_tag(text: str, cursor: int, selection: tuple[int, int] | None) -> tuple[int, int]:
    """[start, end) a label key tags: the selection, else the word at ``cursor``,
    trimmed and snapped. Raises ``NothingToTagError`` when nothing is left."""
    found = selection if selection is not None else word_at(text, cursor)
    if found is not None:
        start, end = snap_span(text, *trim_span(text, *found))
        if start < end:
            return start, end
    raise NothingToTagError(NOTHING_TO_TAG)


def tag(
    store: Store,
    document: str,
    text: str,
    cursor: int,
    selection: tuple[int, int] | None,
    label: str,
    *,
    attributes: Mapping[str, Any] | None = None,
    origin: str = "manual",
) -> Annotation:
    """Tag what the span rule finds in ``text`` (the document as the screen shows it,
    which ``cursor`` and ``selection`` point into) with ``label``, as the store's
    annotator, with the attributes the span's text determines (``core.prefill``) unless
    ``attributes`` are given; the annotation once it is committed. Raises ``NothingToTagError``, or
    ``TwinError`` when this annotator has tagged that span so already."""
    start, end = span_to_tag(text, cursor, selection)
    if attributes is None:  # what the text itself states: figures, outcome, source
        from reader.core.prefill import prefill  # at the first tag, not at start-up

        attributes = prefill(text, start, end, label, store.schema)
    return store.create(document, start, end, label, attributes=attributes, origin=origin)
