"""CSV for spreadsheets: one row per annotation. Export only.

Definition: RFC 4180 ("Common Format and MIME Type for Comma-Separated Values (CSV)
Files"): comma-separated, fields with commas, quotes or line breaks quoted, quotes
doubled, CRLF between rows (LF when shown on a terminal). UTF-8 with a byte
order mark when written to a file, so that spreadsheet programs do not misread
Vietnamese as a legacy code page.

Columns: ``id, document, start, end, text, label, annotator, note, origin, created_at,
updated_at``, then ``attr.<name>`` for every attribute of the schema (in schema order),
then ``attr.other`` (JSON) for any attribute the schema does not list (provenance,
attributes of labels added on import).

Offsets: Unicode code points into reader's normalized text, half open [start, end).

Spreadsheet safety: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a leading apostrophe, so that a spreadsheet shows it as
text instead of running it as a formula (OWASP's advice on CSV injection). Numbers are
never changed. This is why CSV is export-only: it is for reading, not for coming back.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, TextIO

from reader.core.display import TerminalSafe
from reader.core.errors import FormatError
from reader.core.formats.linked import warn_dropped_links
from reader.core.formats.output import text_destination
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import warn_orphaned
from reader.core.model import Annotation
from reader.core.schema import Schema

BASE_COLUMNS = ("id", "document", "start", "end", "text", "label", "annotator", "note", "origin",
                "created_at", "updated_at")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def attribute_names(schema: Schema) -> list[str]:
    names: list[str] = []
    for label in schema.labels:
        for attribute in label.attributes:
            if attribute.name not in names:
                names.append(attribute.name)
    return names


def header(schema: Schema) -> list[str]:
    return [*BASE_COLUMNS, *(f"attr.{n}" for n in attribute_names(schema)), "attr.other"]


def cell(value: Any) -> Any:
    """A cell a spreadsheet shows as what it is, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, list):  # a multiple enum (two techniques): one cell, "|" between
        value = "|".join(map(str, value))
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def row(a: Annotation, names: list[str]) -> list[Any]:
    attributes = dict(a.attributes)
    values = [a.id, a.document, a.start, a.end, a.text, a.label, a.annotator, a.note, a.origin,
              a.created_at, a.updated_at]  # fmt: skip
    values += [attributes.pop(n, None) for n in names]
    values.append(json.dumps(attributes, ensure_ascii=False, sort_keys=True) if attributes else "")
    return [cell(v) for v in values]


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    if filters.document is not None and not any(
        d.id == filters.document for d in source.documents()
    ):
        raise FormatError(f"no document {filters.document!r} in the database")
    to_file = isinstance(dest, Path)
    # CRLF between rows (RFC 4180), which also makes the writer quote a lone CR in a
    # cell; on a terminal, LF, since there a CR would be shown as an escape anyway.
    newline = "\n" if isinstance(dest, TerminalSafe) else "\r\n"
    names = attribute_names(source.schema)
    count = orphaned = 0
    with text_destination(dest) as out:
        if to_file:
            out.write("\ufeff")
        writer = csv.writer(out, lineterminator=newline)
        writer.writerow(header(source.schema))
        batch = []
        for a in source.iter_annotations(
            document=filters.document, annotator=filters.annotator, label=filters.label
        ):
            if a.orphaned:
                orphaned += 1
                continue
            batch.append(row(a, names))
            if len(batch) >= 2048:
                writer.writerows(batch)
                count += len(batch)
                options.advance(len(batch))
                batch = []
        writer.writerows(batch)
        count += len(batch)
        options.advance(len(batch))
    warn_orphaned(options, orphaned)
    warn_dropped_links(source, filters, options, "csv")
    return count
