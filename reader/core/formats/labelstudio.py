"""Label Studio JSON: the project export, a list of tasks with their annotations.

Definition: Label Studio's "JSON" export (https://labelstud.io/guide/task_format, "Label
Studio JSON format of annotated tasks") for a ``<Text>`` object tag labelled with
``<Labels>``: a JSON array of tasks ``{"id", "data": {"text"}, "annotations": [{"id",
"completed_by", "result": [...], "was_cancelled", "created_at", "updated_at"}],
"predictions": [...]}``. A span is a result ``{"id", "type": "labels", "from_name",
"to_name", "value": {"start", "end", "text", "labels": [...]}}``; a relation is a result
``{"type": "relation", "from_id", "to_id", "direction", "labels"}``, a link here (its
first label is the link type; ``direction: "left"`` swaps the ends). Per-region
classifications (``perRegion="true"``) are results of type ``choices``, ``number`` or
``textarea`` that share their region's ``id``: reader writes each attribute as one, with
the attribute's name as ``from_name`` (and the note as ``textarea`` ``note``), and reads
them back the same way.

Offsets: Label Studio counts code points of ``data.text``, ``end`` exclusive (its front
end stores code points since label-studio pull request #1559 / label-studio-frontend
#308; before that it stored JavaScript string indices, so an emoji before a span shifted
it, label-studio issue #1347). ``--offsets utf16`` reads and writes files of those older
versions. Every span's ``value.text`` is checked against the text at its offsets, so a
file in the other unit is refused with a hint, never imported shifted.

Annotators: ``completed_by`` is a user id in a plain export (``labelstudio-user-<id>``
here) or an object with ``email`` when the export includes users; reader writes
``{"email": <annotator>}``. A task's document is ``data.document`` (reader writes it),
else a name from the text's SHA-256. Cancelled (skipped) annotations and predictions
are not imported; they are counted in one line, as are results of other types and
relations without a label.

Carried: document, start, end, label, annotator, attributes, note, created_at,
updated_at, links. Not carried: ids (derived), origin, status.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from reader.core.errors import FormatError
from reader.core.formats.fields import (
    annotator_name,
    attribute_types,
    carried_text,
    codepoint_span,
    document_id,
    fail,
    get_int,
    get_list,
    get_str,
    typed_value,
)
from reader.core.formats.offsets import (
    UNIT_NAMES,
    OffsetError,
    chosen_unit,
    unit_index,
)
from reader.core.formats.output import dumps, text_destination
from reader.core.formats.reading import MAX_LINE_BYTES, loads
from reader.core.formats.registry import FORMATS, ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import documents_with_annotations
from reader.core.links.values import Link, LinkDraft
from reader.core.model import Annotation, AnnotationDraft, Document
from reader.core.paths import regular_file
from reader.core.schema import SYSTEM_ATTRIBUTES, Schema
from reader.core.times import instant

#: The control and object tag names reader writes (and a label config must use).
FROM_NAME = "label"
TO_NAME = "text"
NOTE = "note"
#: Per-region result type -> the key of its value in `value`.
_PER_REGION = {"choices": "choices", "number": "number", "textarea": "text"}


def _unit(options: FormatOptions) -> str:
    try:
        return chosen_unit(options.offsets, FORMATS["labelstudio"].units, "Label Studio")
    except OffsetError as exc:
        raise FormatError(str(exc)) from None


# -- reading ------------------------------------------------------------------------------


def _tasks(path: Path) -> list:
    regular_file(path)
    try:
        size = path.stat().st_size
        if size > MAX_LINE_BYTES:
            raise FormatError(f"{path}: larger than the limit of {MAX_LINE_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not UTF-8: invalid byte at byte offset {exc.start}") from None
    value = loads(text, str(path))
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise FormatError(f"{path}: expected a JSON list of Label Studio tasks")
    return value


def annotator_of(completed_by: Any, where: str, options: FormatOptions) -> str:
    """The annotator an annotation's ``completed_by`` names."""
    if isinstance(completed_by, dict):
        for key in ("email", "username"):
            if isinstance(completed_by.get(key), str) and completed_by[key]:
                return annotator_name(completed_by[key], where, f"completed_by.{key}")
        completed_by = completed_by.get("id")
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        return f"labelstudio-user-{completed_by}"
    if isinstance(completed_by, str) and completed_by:
        return annotator_name(completed_by, where, "completed_by")
    if options.annotator is not None:
        return annotator_name(options.annotator, where, "--annotator")
    raise fail(where, "completed_by", "missing (or pass --annotator NAME)")


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[Document | AnnotationDraft]:
    unit = _unit(options)
    types = attribute_types(schema)
    skipped: dict[str, int] = {}
    for number, task in enumerate(_tasks(path)):
        yield from _task_items(task, f"{path}: task {number}", path, unit, types, skipped, options)
    options.advance(path.stat().st_size)
    if skipped:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(skipped.items()))
        options.warning(f"{path}: skipped {counts}")


def _task_items(
    task: Any, where: str, path: Path, unit: str, types: dict, skipped: dict[str, int],
    options: FormatOptions,
) -> Iterator[Any]:  # fmt: skip
    if not isinstance(task, dict):
        raise fail(where, None, "expected a task object")
    data = task.get("data") if isinstance(task.get("data"), dict) else task
    raw = get_str(data, "text", where, "data.text")
    if task.get("predictions"):
        skipped["prediction(s)"] = skipped.get("prediction(s)", 0) + len(task["predictions"])
    annotations = get_list(task, "annotations", where) or get_list(task, "completions", where)
    index = unit_index(raw, unit)
    mapping, digest = carried_text(raw, f"{where}: data.text")
    regions: list[tuple] = []
    relations: list[tuple[str, str, str, str, str]] = []
    for i, annotation in enumerate(annotations):
        at = f"{where}: annotations[{i}]"
        if not isinstance(annotation, dict):
            raise fail(at, None, "expected an annotation object")
        if annotation.get("was_cancelled"):
            skipped["cancelled annotation(s)"] = skipped.get("cancelled annotation(s)", 0) + 1
            continue
        annotator = annotator_of(annotation.get("completed_by"), at, options)
        stamps = {
            key: annotation[key]
            for key in ("created_at", "updated_at")
            if isinstance(annotation.get(key), str)
        }
        regions += _regions(annotation, at, raw, index, unit, annotator, stamps, skipped, relations)
    try:
        mapping.prepare(o for r in regions for o in (r[2], r[3]))
    except OffsetError as exc:
        raise fail(where, "data.text", str(exc)) from None
    doc_id = (
        document_id(data["document"], where, "data.document")
        if data.get("document") is not None
        else f"labelstudio-{digest[:16]}"
    )
    yield Document(id=doc_id, text=mapping.text, sha256=digest, source=str(path))
    for field, annotator, start, end, labels, attributes, note, stamps, key in regions:
        try:
            s, e = mapping.to_normalized(start), mapping.to_normalized(end)
        except OffsetError as exc:
            raise fail(where, field, str(exc)) from None
        for n, label in enumerate(labels):
            yield AnnotationDraft(
                document=doc_id, start=s, end=e, label=label, annotator=annotator,
                attributes=MappingProxyType(
                    {n: typed_value(types, label, n, v) for n, v in attributes.items()}
                ),
                note=note, created_at=stamps.get("created_at"),
                updated_at=stamps.get("updated_at"), where=f"{where}: {field}",
                key=key if n == 0 else None,  # a link names the region's first label
            )  # fmt: skip
    for at, link_type, source, target, annotator in relations:
        yield LinkDraft(type=link_type, source=source, target=target, annotator=annotator, where=at)


def _regions(
    annotation: dict, at: str, raw: str, index: Any, unit: str, annotator: str,
    stamps: dict, skipped: dict[str, int], relations: list,
) -> list[tuple]:  # fmt: skip
    """The labelled regions of one annotation, their per-region values folded in; its
    labelled relations are added to ``relations`` with their ends named by region key."""
    results = get_list(annotation, "result", at)
    spans: dict[str, list] = {}
    extras: list[tuple[str, dict, str]] = []
    for j, result in enumerate(results):
        field = f"result[{j}]"
        if not isinstance(result, dict):
            raise fail(at, field, "expected a result object")
        kind = result.get("type")
        if kind == "labels":
            value = result.get("value")
            if not isinstance(value, dict):
                raise fail(at, f"{field}.value", "expected an object with start, end, labels")
            start = get_int(value, "start", at, f"{field}.value.start")
            end = get_int(value, "end", at, f"{field}.value.end")
            labels = get_list(value, "labels", at)
            if not labels or not all(isinstance(label, str) for label in labels):
                raise fail(at, f"{field}.value.labels", f"expected label names, got {labels!r}")
            cp_start, cp_end = codepoint_span(index, unit, start, end, at, field)
            quoted = get_str(value, "text", at, f"{field}.value.text", optional=True)
            if quoted is not None and quoted != raw[cp_start:cp_end]:
                other = "utf16" if unit == "codepoint" else "codepoint"
                raise fail(
                    at, f"{field}.value.text",
                    f"{quoted[:40]!r} does not match the text at [{start}, {end}): "
                    f"{raw[cp_start:cp_end][:40]!r} (if the file counts {UNIT_NAMES[other]}, "
                    f"use --offsets {other})",
                )  # fmt: skip
            key = str(result.get("id", f"#{j}"))
            spans[key] = [field, annotator, cp_start, cp_end, labels, {}, "", stamps, f"{at}#{key}"]
        elif kind in _PER_REGION and "id" in result:
            extras.append((str(result["id"]), result, field))
        elif kind == "relation" and result.get("labels"):
            names = result["labels"]
            ends = (str(result.get("from_id")), str(result.get("to_id")))
            if result.get("direction") == "left":
                ends = ends[::-1]
            if not isinstance(names, list) or not isinstance(names[0], str):
                raise fail(at, f"{field}.labels", f"expected link type names, got {names!r}")
            relations.append(
                (f"{at}: {field}", names[0], f"{at}#{ends[0]}", f"{at}#{ends[1]}", annotator)
            )
        else:
            what = "unlabelled relation(s)" if kind == "relation" else f"{kind!r} result(s)"
            skipped[what] = skipped.get(what, 0) + 1
    for key, result, field in extras:
        region = spans.get(key)
        name = result.get("from_name")
        value = result.get("value") if isinstance(result.get("value"), dict) else {}
        if region is None or not isinstance(name, str):
            skipped[f"{result['type']!r} result(s)"] = (
                skipped.get(f"{result['type']!r} result(s)", 0) + 1
            )
            continue
        got = value.get(_PER_REGION[result["type"]])
        if result["type"] == "choices":
            got = got[0] if isinstance(got, list) and len(got) == 1 else got
        elif result["type"] == "textarea":
            got = "\n".join(got) if isinstance(got, list) else got
        if name == NOTE and result["type"] == "textarea":
            region[6] = got if isinstance(got, str) else ""
        elif name not in SYSTEM_ATTRIBUTES:
            region[5][name] = got
    return [tuple(r) for r in spans.values()]


# -- writing ------------------------------------------------------------------------------


def _result(a: Annotation, start: int, end: int) -> list[dict[str, Any]]:
    """The labels result of one annotation and one per-region result per attribute."""
    base = {"id": a.id, "from_name": FROM_NAME, "to_name": TO_NAME, "origin": "manual"}
    value = {"start": start, "end": end, "text": a.text}
    results = [{**base, "type": "labels", "value": {**value, "labels": [a.label]}}]
    for name, got in sorted(a.attributes.items()):
        if name in SYSTEM_ATTRIBUTES:
            continue
        if isinstance(got, int) and not isinstance(got, bool):
            kind, payload = "number", got
        elif isinstance(got, str):
            kind, payload = "choices", [got]
        elif isinstance(got, list) and all(isinstance(v, str) for v in got):
            kind, payload = "choices", got  # a multiple enum: Choices with choice="multiple"
        else:
            kind, payload = "choices", [json.dumps(got, ensure_ascii=False)]
        results.append({**base, "from_name": name, "type": kind, "value": {**value, kind: payload}})
    if a.note:  # a textarea's value is its "text" list: the region's quote makes way
        note = {"start": start, "end": end, "text": [a.note]}
        results.append({**base, "from_name": NOTE, "type": "textarea", "value": note})
    return results


def _relation(link: Link, directed: bool) -> dict[str, Any]:
    return {"from_id": link.source, "to_id": link.target, "type": "relation",
            "direction": "right" if directed else "bi", "labels": [link.type]}  # fmt: skip


def task_json(
    doc: Document, annotations: list[Annotation], number: int, unit: str,
    links: list[tuple[Link, bool]] = (),
) -> dict:  # fmt: skip
    """Task ``number``: the document's text and one annotation per annotator (numbered
    ``number``.1, .2, ... as whole numbers: Label Studio's ids are integers), with the
    annotator's links between its regions as relations."""
    index = unit_index(doc.text, unit)
    grouped: dict[str, list[Annotation]] = {}
    for a in annotations:
        grouped.setdefault(a.annotator, []).append(a)
    items = []
    for k, (annotator, group) in enumerate(sorted(grouped.items()), 1):
        results = [
            r for a in group for r in _result(a, index.to_unit(a.start), index.to_unit(a.end))
        ]
        ids = {a.id for a in group}
        results += [
            _relation(link, directed)
            for link, directed in links
            if link.annotator == annotator and link.source in ids and link.target in ids
        ]
        items.append({
            "id": number * 1000 + k,
            "completed_by": {"email": annotator},
            "result": results,
            "was_cancelled": False,
            "ground_truth": annotator == "gold",
            # By time: a database older than the one stored form may hold offsets.
            "created_at": min((a.created_at for a in group), key=instant),
            "updated_at": max((a.updated_at for a in group), key=instant),
            "task": number,
        })  # fmt: skip
    return {"id": number, "data": {"text": doc.text, "document": doc.id}, "annotations": items}


def label_config(schema: Schema) -> str:
    """A Label Studio labeling config for reader's labels (what a project needs to open
    an export: the ``<Labels>`` names and the ``<Text>`` tag reader writes to)."""
    from xml.sax.saxutils import quoteattr

    labels = "".join(f"<Label value={quoteattr(label.name)}/>" for label in schema.labels)
    return (
        f'<View><Labels name="{FROM_NAME}" toName="{TO_NAME}">{labels}</Labels>'
        f'<Text name="{TO_NAME}" value="$text"/></View>'
    )


def _links(source: ExportSource, doc_id: str, filters: ExportFilters) -> list[tuple[Link, bool]]:
    """The live links with an end in the document (a source without links has none)."""
    iter_links = getattr(source, "iter_links", None)
    if iter_links is None:
        return []
    directed = {t.name: t.directed for t in source.schema.links}
    return [(link, directed.get(link.type, True))
            for link in iter_links(document=doc_id, annotator=filters.annotator)]  # fmt: skip


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    unit = _unit(options)
    if isinstance(dest, Path) and dest.is_dir():
        raise FormatError(f"{dest}: Label Studio writes one JSON file; give a file name")
    count = 0
    with text_destination(dest) as out:
        out.write("[")
        for number, (doc, annotations) in enumerate(
            documents_with_annotations(source, filters, options), 1
        ):
            task = task_json(doc, annotations, number, unit, _links(source, doc.id, filters))
            out.write(("\n" if number == 1 else ",\n") + dumps(task))
            count += len(annotations)
            options.advance(len(annotations))
        out.write("\n]\n")
    return count
