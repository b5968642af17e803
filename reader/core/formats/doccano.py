"""doccano sequence-labeling JSONL, one file per annotator.

Definition: doccano's dataset import/export for sequence labeling
(https://doccano.github.io/doccano/ , "Import Dataset" / "Export Dataset"): one example
per line, ``{"id", "text", "label": [[start, end, label], ...], "Comments": [...]}``;
the relation-free ``entities`` variant ``{"text", "entities": [{"id", "label",
"start_offset", "end_offset"}]}`` is read as well, and newer doccano's ``labels`` key.
doccano exports one ``<username>.jsonl`` per annotator; so does reader, into a folder,
and on import a file's name (without ``.jsonl``) is its annotator unless ``--annotator``
names one (for a single file).

Offsets: doccano's front end computes them with JavaScript string indices, i.e. UTF-16
code units (doccano pull request #99 describes the emoji shift this causes), half open
[start, end). reader converts both ways, so an emoji before a span does not move it;
``--offsets codepoint`` keeps code points, for files made by tools that count those,
and ``--offsets grapheme`` counts grapheme clusters, for a doccano project whose
"grapheme mode" is on (an emoji sequence or a letter with its marks counts one).
A text that is not in normalized form (CRLF, NFD) is normalized and its offsets mapped.

Relations: doccano's relation extraction format, ``{"text", "entities": [{"id",
"label", "start_offset", "end_offset"}], "relations": [{"id", "from_id", "to_id",
"type"}]}``, is read with its relations as links. An export that holds links is written
in that format (every line, so one file has one shape), with entity ids counted from 1
in each file; links across documents cannot be written (a doccano relation joins
entities of one example) and are counted in a warning.

Carried: document, start, end, label, annotator, links within a document. Not carried:
ids (a stable id is derived, so importing twice adds nothing), attributes, notes,
timestamps, status.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from reader.core.errors import FormatError
from reader.core.formats.fields import (
    annotator_name,
    carried_text,
    codepoint_span,
    document_id,
    fail,
    get_str,
)
from reader.core.formats.folder import OutputFolder
from reader.core.formats.layout import by_annotator
from reader.core.formats.linked import exported_links
from reader.core.formats.offsets import (
    OffsetError,
    UnitIndex,
    chosen_unit,
    mapped_drafts,
    unit_index,
)
from reader.core.formats.output import dumps, text_destination
from reader.core.formats.reading import json_lines, name_from_path
from reader.core.formats.registry import FORMATS, ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import documents_with_annotations
from reader.core.links.values import Link, LinkDraft
from reader.core.model import AnnotationDraft, Document
from reader.core.paths import entries
from reader.core.schema import Schema


def _unit(options: FormatOptions) -> str:
    try:
        return chosen_unit(options.offsets, FORMATS["doccano"].units, "doccano")
    except OffsetError as exc:
        raise FormatError(str(exc)) from None


# -- reading ------------------------------------------------------------------------------


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[Document | AnnotationDraft]:
    unit = _unit(options)
    if path.is_dir():
        if options.annotator is not None:
            options.warning(
                f"{path}: --annotator ignored: in a folder, each file's name is its annotator"
            )
        files = entries(path, suffix=".jsonl")
        if not files:
            raise FormatError(f"{path}: no .jsonl files in the folder")
        for file in files:
            annotator = annotator_name(
                name_from_path(file.stem), str(file), "file name (the annotator)"
            )
            yield from _read_file(file, annotator, unit, options)
    else:
        name = options.annotator if options.annotator is not None else name_from_path(path.stem)
        annotator = annotator_name(
            name, str(path), "annotator" if options.annotator else "file name (the annotator)"
        )
        yield from _read_file(path, annotator, unit, options)


def _spans(value: dict, where: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, field) in the file's own unit."""
    spans = []
    if "entities" in value:
        entities = value["entities"]
        if not isinstance(entities, list):
            raise fail(where, "entities", "expected a list")
        for i, e in enumerate(entities):
            field = f"entities[{i}]"
            if not isinstance(e, dict):
                raise fail(where, field, "expected an object with start_offset, end_offset, label")
            start, end, label = e.get("start_offset"), e.get("end_offset"), e.get("label")
            spans.append(_checked(start, end, label, where, field))
        return spans
    key = "label" if "label" in value else "labels"
    items = value.get(key) or []
    if not isinstance(items, list):
        raise fail(where, key, "expected a list of [start, end, label]")
    for i, item in enumerate(items):
        field = f"{key}[{i}]"
        if not isinstance(item, list) or len(item) != 3:
            raise fail(where, field, f"expected [start, end, label], got {item!r}")
        spans.append(_checked(*item, where, field))
    return spans


def _checked(start: Any, end: Any, label: Any, where: str, field: str) -> tuple[int, int, str, str]:
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(where, f"{field}.{name}", f"expected a whole number, got {value!r}")
    if not isinstance(label, str):
        raise fail(where, f"{field}.label", f"expected a label name, got {label!r}")
    return start, end, label, field


def _read_file(path: Path, annotator: str, unit: str, options: FormatOptions) -> Iterator[Any]:
    for where, value in json_lines(path, options):
        if not isinstance(value, dict):
            raise fail(where, None, "expected a JSON object")
        raw = get_str(value, "text", where)
        spans = _spans(value, where)
        mapping, digest = carried_text(raw, where)
        doc_id = (
            document_id(value["id"], where)
            if value.get("id") is not None
            else f"doccano-{digest[:16]}"
        )
        index = unit_index(raw, unit)
        converted = []
        for start, end, label, field in spans:
            start, end = codepoint_span(
                index, unit, start, end, where, field,
                hint="; if this file counts code points, use --offsets codepoint",
            )  # fmt: skip
            converted.append((start, end, label, field))
        try:
            mapping.prepare(o for s, e, _, _ in converted for o in (s, e))
        except OffsetError as exc:
            raise fail(where, "text", str(exc)) from None
        yield Document(id=doc_id, text=mapping.text, sha256=digest, source=str(path))
        drafts = mapped_drafts(mapping, converted, doc_id, annotator, where)
        relations = value.get("relations") or []
        if not relations:
            yield from drafts
            continue
        ids = _entity_ids(value, where)
        for draft, entity in zip(drafts, ids, strict=True):
            yield replace(draft, key=f"{where}#{entity}")
        yield from _relations(relations, ids, annotator, where)


def _entity_ids(value: dict, where: str) -> list[str]:
    """The ``entities``' ids, which ``relations`` name."""
    if "entities" not in value:
        raise fail(where, "relations", "relations need entities with ids (the entities format)")
    ids = []
    for i, e in enumerate(value["entities"]):
        entity = e.get("id")
        if isinstance(entity, bool) or not isinstance(entity, (int, str)):
            raise fail(where, f"entities[{i}].id", f"expected an id, got {entity!r}")
        if str(entity) in ids:
            raise fail(where, f"entities[{i}].id", f"{entity!r} names two entities")
        ids.append(str(entity))
    return ids


def _relations(relations: Any, ids: list[str], annotator: str, where: str) -> Iterator[LinkDraft]:
    if not isinstance(relations, list):
        raise fail(where, "relations", "expected a list")
    for i, r in enumerate(relations):
        field = f"relations[{i}]"
        if not isinstance(r, dict):
            raise fail(where, field, "expected an object with from_id, to_id and type")
        ends = []
        for key in ("from_id", "to_id"):
            entity = r.get(key)
            if isinstance(entity, bool) or str(entity) not in ids:
                raise fail(where, f"{field}.{key}", f"{entity!r} names no entity of this line")
            ends.append(f"{where}#{entity}")
        yield LinkDraft(
            get_str(r, "type", where, f"{field}.type"), ends[0], ends[1], annotator,
            where=f"{where}: {field}",
        )  # fmt: skip


# -- writing ------------------------------------------------------------------------------


def _line(doc: Document, annotations: list, index: UnitIndex) -> tuple[str, int]:
    """The example's line, and how many spans the unit cannot express (an edge inside
    a grapheme cluster, in grapheme mode): those are left out."""
    labels, missed = [], 0
    for a in annotations:
        try:
            labels.append([index.to_unit(a.start), index.to_unit(a.end), a.label])
        except OffsetError:
            missed += 1
    return dumps({"id": doc.id, "text": doc.text, "label": labels, "Comments": []}) + "\n", missed


def _relation_line(
    doc: Document, annotations: list, index: UnitIndex, links: list[Link], first: int
) -> tuple[str, int]:
    """The relation extraction shape: entities with ids from ``first`` on, and relations;
    and how many spans the unit cannot express (left out, with their links)."""
    numbers = {a.id: n for n, a in enumerate(annotations, first)}
    entities, missed = [], 0
    for a in annotations:
        try:
            start, end = index.to_unit(a.start), index.to_unit(a.end)
        except OffsetError:
            missed += 1
            del numbers[a.id]
            continue
        entities.append(
            {"id": numbers[a.id], "label": a.label, "start_offset": start, "end_offset": end}
        )
    relations = [
        {"id": n, "from_id": numbers[l.source], "to_id": numbers[l.target], "type": l.type}
        for n, l in enumerate(
            (l for l in links if l.source in numbers and l.target in numbers), first
        )
    ]
    line = {"id": doc.id, "text": doc.text, "entities": entities, "relations": relations}
    return dumps({**line, "Comments": []}) + "\n", missed


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    unit = _unit(options)
    single = not (isinstance(dest, Path) and (dest.is_dir() or dest.suffix != ".jsonl"))
    if single and filters.annotator is None:
        raise FormatError(
            "doccano keeps one file per annotator: give -o FOLDER, or --annotator NAME for one file"
        )
    done: dict[str, set[str]] = {}
    for s in source.statuses():
        if filters.annotator in (None, s.annotator):
            done.setdefault(s.document, set()).add(s.annotator)
    count = dropped = missed = across = 0
    links = exported_links(source, filters, options)
    numbers: dict[str, int] = {}  # the next entity id in each annotator's file
    with ExitStack() as stack:
        folder = None
        if not single:
            folder = stack.enter_context(
                OutputFolder(dest, overwrite=options.overwrite, format_name="doccano")
            )
        handles: dict[str, TextIO] = {}

        def handle(annotator: str) -> TextIO:
            if annotator not in handles:
                target = dest if folder is None else folder.path(f"{annotator}.jsonl")
                handles[annotator] = stack.enter_context(text_destination(target))
            return handles[annotator]

        for doc, annotations in documents_with_annotations(
            source, filters, options, all_documents=True
        ):
            groups = by_annotator(annotations)
            for annotator in sorted(done.get(doc.id, set()) - set(groups)):
                groups[annotator] = []
            if not groups:
                continue
            index = unit_index(doc.text, unit)
            for annotator, group in sorted(groups.items()):
                if not links:
                    line, left_out = _line(doc, group, index)
                else:
                    here = {a.id for a in group}
                    own = [l for a in group for l in links.get(a.id, ())]
                    kept = [l for l in own if l.target in here]
                    across += len(own) - len(kept)
                    first = numbers.get(annotator, 1)
                    line, left_out = _relation_line(doc, group, index, kept, first)
                    numbers[annotator] = first + max(len(group), len(kept))
                handle(annotator).write(line)
                count += len(group) - left_out
                missed += left_out
                dropped += sum(1 for a in group if a.attributes or a.note)
            options.advance(len(annotations))
        if single and not handles:
            handle(filters.annotator or "")  # an empty file, not a missing one
    if missed:
        options.warning(
            f"left out {missed} span(s) whose edge falls inside a grapheme cluster: "
            "--offsets grapheme cannot place them"
        )
    if across:
        options.warning(
            f"doccano relations stay within one example: {across} link(s) across documents "
            "were not written"
        )
    if dropped:
        options.warning(
            f"doccano carries spans and labels only: attributes or notes of {dropped} annotation(s) were not written"
        )
    return count
