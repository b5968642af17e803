"""Charts both front ends draw with Rich: ``reader progress`` prints them, the app's
Progress screen shows the same renderables. (Neither core, which never imports Rich,
nor one front end, which the other must not import.)

Annotator names, labels and document ids come from users: they are always built into
``rich.text.Text`` after ``inert``, never into markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from reader.core.display import inert

#: Width of a full bar, in cells.
BAR_WIDTH = 32

#: Bar colours, dark enough for white text on them, in a terminal and in a browser.
DONE = "on #2e7d32"
STARTED = "on #7a6400"
LOW = "on #a4451c"
TRACK = "on #37474f"


def captioned_bar(
    parts: list[tuple[float, str]], caption: str, *, width: int = BAR_WIDTH, color: bool = True
) -> Text:
    """A horizontal bar of ``width`` cells made of ``(fraction, style)`` parts, one after
    the other, with ``caption`` written on it.

    In colour the caption sits on the bar and its cells take the parts' backgrounds.
    Without colour (a pipe, NO_COLOR) backgrounds would vanish, so the parts are drawn
    as block characters (█ for the first, ▒ after) and the caption follows the bar.
    """
    edges: list[tuple[int, int, str]] = []
    start = 0
    for fraction, style in parts:
        end = min(width, start + round(max(0.0, fraction) * width))
        edges.append((start, end, style))
        start = end
    if not color:
        blocks = "".join("█▒"[min(k, 1)] * (e - s) for k, (s, e, _) in enumerate(edges))
        return Text(blocks + "·" * (width - len(blocks)) + "  " + caption)
    fits = len(caption) + 1 <= width
    text = Text((" " + caption if fits else "").ljust(width), style=f"white {TRACK}")
    for s, e, style in edges:
        if e > s:
            text.stylize(f"bold white {style}", s, e)
    if not fits:
        text.append(" " + caption)
    return text


def _value(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}".replace("-0.000", "0.000")


def render_progress(report: dict[str, Any], *, color: bool = True) -> list[RenderableType]:
    """Done per annotator as bars, their annotations per label, agreement per label as
    bars with the spans each value rests on, and who has done each document."""
    parts = [
        _annotators(report, color),
        _annotations(report),
        _agreement(report, color),
        _documents(report),
    ]
    return [item for part in parts for item in (part, Text(""))][:-1]


def _annotators(report: dict[str, Any], color: bool) -> Table:
    table = Table(
        title="Done per annotator", title_justify="left", show_edge=False, min_width=BAR_WIDTH
    )
    table.add_column("annotator", no_wrap=True)
    table.add_column("", no_wrap=True)
    total_documents = len(report["documents"])
    for name, row in report["annotators"].items():
        scope = row["assigned"] or total_documents
        caption = (
            f"{row['done']} of {row['assigned']} done"
            if row["assigned"]
            else f"{row['done']} done, none assigned"
        )
        if row["in_progress"]:
            caption += f", {row['in_progress']} started"
        parts = [
            (row["done"] / scope if scope else 0.0, DONE),
            (row["in_progress"] / scope if scope else 0.0, STARTED),
        ]
        table.add_row(
            Text(inert(name, keep_newlines=False)), captioned_bar(parts, caption, color=color)
        )
    if not report["annotators"]:
        table.add_row(Text("nobody yet"), Text(""))
    return table


def _annotations(report: dict[str, Any]) -> Table:
    labels = sorted(
        {label for row in report["annotators"].values() for label in row["annotations"]}
    )
    table = Table(
        title="Annotations per label", title_justify="left", show_edge=False, min_width=BAR_WIDTH
    )
    table.add_column("annotator", no_wrap=True)
    for label in labels:
        table.add_column(Text(inert(label, keep_newlines=False)), justify="right")
    for name, row in report["annotators"].items():
        table.add_row(
            Text(inert(name, keep_newlines=False)),
            *(f"{row['annotations'].get(label, 0):,}" for label in labels),
        )
    return table


def _agreement(report: dict[str, Any], color: bool) -> RenderableType:
    agreement = report["agreement"]
    documents = len(agreement["documents"])
    title = (
        f"Agreement so far (Krippendorff α, characters) on {documents} shared "
        f"document{'s' if documents != 1 else ''} done by two or more"
    )
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("label", no_wrap=True)
    table.add_column("", no_wrap=True)
    rows = [("overall", agreement["overall"])] + list(agreement["labels"].items())
    for name, values in rows:
        alpha = values["char_krippendorff_alpha"]
        spans = values["spans"]
        caption = f"{_value(alpha)} · {spans} span{'' if spans == 1 else 's'}"
        style = DONE if alpha is not None and alpha >= 0.8 else LOW
        table.add_row(
            Text(inert(name, keep_newlines=False)),
            captioned_bar([(alpha or 0.0, style)], caption, color=color),
        )
    if not documents:
        return Group(
            table,
            Text("No document is done by two annotators it was assigned to yet.", style="dim"),
        )
    return table


def _documents(report: dict[str, Any]) -> Table:
    table = Table(title="Documents", title_justify="left", show_edge=False)
    for column in ("document", "characters", "assigned", "done by"):
        table.add_column(column, justify="right" if column == "characters" else "left")
    for doc, row in report["documents"].items():
        table.add_row(
            Text(inert(doc)),
            f"{row['characters']:,}",
            Text(inert(", ".join(row["assigned"]), keep_newlines=False) or "-"),
            Text(inert(", ".join(sorted(row["done"])), keep_newlines=False) or "-"),
        )
    return table
