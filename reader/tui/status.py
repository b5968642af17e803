"""The annotate screen's status line and annotation list: what the annotator has in
the focused document, always built as Text (names and values are data)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets.option_list import Option

from reader.core.display import inert
from reader.core.model import Annotation
from reader.core.schema import SYSTEM_ATTRIBUTES, Schema

if TYPE_CHECKING:  # the suggester loads when suggestions are first shown
    from reader.core.suggest import Suggestion


def status_line(
    annotator: str,
    schema: Schema,
    counts: Mapping[str, int],
    orphaned: int,
    sync_scroll: bool,
    queue: str = "",
    suggestion: Suggestion | None = None,
    width: int | None = None,
) -> Text:
    """Annotator, their queue ('3 of 12 done'), label counts and orphans in this
    document, and 'unsaved: 0' (every action is committed before it is shown, so it
    never reads otherwise); with suggestions shown, the one at the cursor and which
    recommender proposes it. Where the label titles would not fit in ``width`` (80
    columns), each count follows its label's key alone, as the footer names the keys."""
    status = _counts(annotator, schema, counts, orphaned, queue, titles=True)
    if width and status.cell_len > width:
        status = _counts(annotator, schema, counts, orphaned, queue, titles=False)
    if sync_scroll:
        status.append("  sync scroll", "italic")
    if suggestion is not None:
        status.append("  suggestion: ", "dim")
        status.append(inert(suggestion.label, keep_newlines=False), "bold")
        status.append(f" from {suggestion.source}", "italic")
        if suggestion.confidence is not None:
            status.append(f" ({suggestion.confidence:.2f})", "dim")
    return status


def _counts(
    annotator: str,
    schema: Schema,
    counts: Mapping[str, int],
    orphaned: int,
    queue: str,
    titles: bool,
) -> Text:
    status = Text.assemble(
        ("annotator ", "dim"), (inert(annotator, keep_newlines=False), "bold"), "  "
    )
    if queue:
        status.append(queue, "bold green")
        status.append("  ")
    for label in schema.labels:
        status.append(f" {label.key or '·'} ", f"bold on {label.color}")
        title = f"{label.title}: " if titles else ""
        status.append(f" {title}{counts.get(label.name, 0)}  ")
    status.append("unsaved: 0  ", "dim")
    status.append(f"orphaned: {orphaned}", "bold red" if orphaned else "dim")
    return status


def others_at(annotations: Iterable[Annotation], me: str) -> Text:
    """Whose the other annotators' spans at the cursor are: name, label and attributes
    of each ("binh: casualty value_best=160 outcome=killed"), for the status line."""
    line = Text()
    for a in annotations:
        if a.annotator == me:
            continue
        attrs = " ".join(f"{k}={v}" for k, v in a.attributes.items() if k not in SYSTEM_ATTRIBUTES)
        if line:
            line.append("  │ ", "dim")
        line.append(inert(a.annotator, keep_newlines=False), "bold italic")
        line.append(f": {inert(a.label, keep_newlines=False)}", "bold")
        if attrs:
            line.append(f" {inert(attrs, keep_newlines=False)}")
    return line


def list_options(annotations: Iterable[Annotation], shown: set[str], me: str) -> list[Option]:
    """One line per shown annotation: label, excerpt, attributes, and whose if not yours."""
    options = []
    for a in annotations:
        if a.id not in shown:
            continue
        attrs = ", ".join(f"{k}={v}" for k, v in a.attributes.items() if k not in SYSTEM_ATTRIBUTES)
        line = Text.assemble(
            (f"{a.label[:4]} ", "bold"),
            inert(a.text[:40], keep_newlines=False),
            (f"  {inert(attrs, keep_newlines=False)}" if attrs else "", "dim"),
            (f"  ({inert(a.annotator)})" if a.annotator != me else "", "italic"),
        )
        options.append(Option(line, id=a.id))
    return options
