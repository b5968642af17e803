"""The codebook: what each label, attribute and value means, written from the schema.

Annotation guidelines drift from the tool when they live in a separate document, so the
schema carries the descriptions (``description`` on labels and attributes,
``descriptions`` for enum values) and the codebook is printed from it: as records for
tools (``reader schema --json``), as Markdown for written guidelines (``--markdown``),
and, through the command line's table, for the terminal. The app shows the same text
in the editor and in help.

Descriptions come from a user's file, so Markdown output escapes what would break a
table and spells out control characters (:func:`reader.core.display.inert`).
"""

from __future__ import annotations

from typing import Any

from reader.core.display import inert
from reader.core.model import Attribute
from reader.core.schema import Schema


def kind(attribute: Attribute) -> str:
    """The attribute's type as a reader would say it: "one of 6", "whole number ≥ 0"."""
    if attribute.type == "enum":
        many = "one or more" if attribute.multiple else "one"
        return f"{many} of {len(attribute.values)}"
    if attribute.type == "int":
        low, high = attribute.minimum, attribute.maximum
        if low is not None and high is not None:
            return f"whole number {low}–{high}"
        if low is not None:
            return f"whole number ≥ {low}"
        if high is not None:
            return f"whole number ≤ {high}"
        return "whole number"
    return "text"


def records(schema: Schema) -> dict[str, Any]:
    """The codebook as plain data: the shape of ``reader schema --json``."""
    return {
        "source": schema.source,
        "labels": [
            {
                "name": label.name,
                "title": label.title,
                "key": label.key,
                "color": label.color,
                "description": label.description,
                "attributes": [
                    {
                        "name": a.name,
                        "type": a.type,
                        "title": a.title,
                        "description": a.description,
                        "minimum": a.minimum,
                        "maximum": a.maximum,
                        "values": [{"value": v, "description": a.describe(v)} for v in a.values],
                    }
                    for a in label.attributes
                ],
            }
            for label in schema.labels
        ],
        "links": [
            {
                "name": link.name,
                "title": link.title,
                "key": link.key,
                "from": list(link.sources),
                "to": list(link.targets),
                "directed": link.directed,
                "across_documents": link.across_documents,
            }
            for link in schema.links
        ],
    }


def _cell(text: str) -> str:
    """Outside text made safe for one Markdown table cell."""
    return inert(" ".join(text.split()), keep_newlines=False).replace("|", "\\|") or "–"


def _code(text: str) -> str:
    return f"`{_cell(text).replace('`', '')}`"


def markdown(schema: Schema) -> str:
    """The codebook as Markdown guidelines: per label its description, a table of its
    attributes, and a table of each enum's values."""
    lines = ["# Codebook", "", f"Labels from {_code(schema.source)}.", ""]
    for label in schema.labels:
        lines += [f"## {_cell(label.title)} ({_code(label.name)}, key {_code(label.key)})", ""]
        if label.description:
            lines += [_cell(label.description), ""]
        if not label.attributes:
            continue
        lines += ["| attribute | type | what it records |", "|---|---|---|"]
        lines += [
            f"| {_code(a.name)} | {kind(a)} | {_cell(a.description)} |" for a in label.attributes
        ]
        lines.append("")
        for a in label.attributes:
            if a.type != "enum":
                continue
            lines += [f"### {_code(a.name)} values", "", "| value | meaning |", "|---|---|"]
            lines += [f"| {_code(v)} | {_cell(a.describe(v))} |" for v in a.values]
            lines.append("")
    if schema.links:
        lines += ["## Links", "", "| link | key | from | to | directed |", "|---|---|---|---|---|"]
        for link in schema.links:
            ends = [", ".join(_code(n) for n in side) for side in (link.sources, link.targets)]
            lines.append(
                f"| {_cell(link.title)} ({_code(link.name)}) | {_code(link.key)} | "
                f"{ends[0]} | {ends[1]} | {'yes' if link.directed else 'no'} |"
            )
        lines.append("")
    return "\n".join(lines)


def help_rows(schema: Schema) -> list[tuple[str, str]]:
    """(what, meaning) rows for the app's help: each label, its attributes indented
    under it and their values further in, every text made inert."""

    def one_line(text: str) -> str:
        return inert(" ".join(text.split()), keep_newlines=False)

    rows: list[tuple[str, str]] = []
    for label in schema.labels:
        rows.append((one_line(f"{label.key or '·'} {label.name}"), one_line(label.description)))
        for a in label.attributes:
            rows.append(("  " + one_line(a.name), one_line(f"({kind(a)}) {a.description}")))
            rows += [("    " + one_line(v), one_line(a.describe(v))) for v in a.values]
    return rows
