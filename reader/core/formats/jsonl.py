"""reader's own JSON Lines: the lossless format.

Definition: the foundation issue (issue 2) of this project. One live annotation per
line with the keys ``id, document, document_sha256, start, end, text, label,
attributes, note, annotator, origin, created_at, updated_at``, UTF-8 (not
\\u-escaped), in the stable order (document, start, end, label, annotator, id).

``--by-document`` writes one document per line instead:
``{"id", "sha256", "text", "meta", "annotations": [...], "status": {annotator: status}}``
with the annotations in the same per-annotation form. It carries everything a database
holds about live annotations, so importing it into an empty database gives back the
documents, their done status, and every annotation with its id and timestamps.

Offsets: Unicode code points into the normalized text (NFC, ``\\n`` line ends), half
open [start, end), exactly as reader stores them; ``text`` is ``document[start:end]``.
The reader accepts both shapes, line by line, so one file may mix them.

Links: an annotation's line has ``"links": [{"id", "type", "to"}, ...]`` (with
``attributes`` and ``note`` when they have any) for the links it starts; an undirected
link sits on the end whose id sorts first. ``to`` is an annotation id in the same file
or the database; one that names neither refuses the import. A line without the key has
no links, so files written before links existed stay valid. An export carries a link
only when both its ends are exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from reader.core.errors import FormatError
from reader.core.formats.fields import (
    annotator_name,
    carried_text,
    document_id,
    fail,
    get_int,
    get_str,
    json_kind,
)
from reader.core.formats.linked import exported_links, link_record
from reader.core.formats.offsets import NormalizedText, OffsetError
from reader.core.formats.output import dumps, text_destination, write_lines
from reader.core.formats.quick_json import quick_loads, written_once
from reader.core.formats.reading import raw_json_lines, strict_line
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import documents_with_annotations, warn_orphaned
from reader.core.links.values import LinkDraft
from reader.core.model import (
    STATUSES,
    Annotation,
    AnnotationDraft,
    Document,
    DocumentStatus,
    DraftRecords,
)
from reader.core.schema import Schema

_BATCH = 4096


#: The native record: its keys, in the order issue 2 defines. The store hands rows over
#: in this shape (``ExportSource.iter_records``); nothing else spells it out.
RECORD = ("id", "document", "document_sha256", "start", "end", "text", "label", "attributes",
          "note", "annotator", "origin", "created_at", "updated_at")  # fmt: skip


def record(a: Annotation) -> dict[str, Any]:
    """The native form of one annotation."""
    values = {key: getattr(a, key) for key in RECORD}
    values["attributes"] = a.attributes.copy()  # a mappingproxy or dict: copy() is fast
    return values


# -- reading ------------------------------------------------------------------------------


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[Document | AnnotationDraft | DocumentStatus | DraftRecords]:
    """Every item of the file, in its order. A line in the native shape whose document
    and annotator an earlier line passed goes by the quick path (``_quick_record``);
    the rest, strictly parsed, through ``_items``. Records wait in a batch until a line
    of the strict path comes: it may be refused, and the lines before it must reach the
    store first, so that the first fault in the file is the one reported."""
    documents: set[str] = set()  # document ids and annotator names a line passed
    annotators: set[str] = set()
    pending: list[tuple[str, dict]] = []
    for number, raw in raw_json_lines(path, options):
        where = f"{path}:{number}"
        value = _quick_record(raw, documents, annotators)
        if value is not None:
            pending.append((where, value))
            if len(pending) >= _BATCH:
                yield DraftRecords(pending)
                pending = []
            continue
        if pending:
            yield DraftRecords(pending)
            pending = []
        for item in _items(strict_line(raw, where), where, path, options):
            if isinstance(item, AnnotationDraft):
                documents.add(item.document)
                annotators.add(item.annotator)
            yield item
    if pending:
        yield DraftRecords(pending)


_TEXT_OR_NONE = frozenset((str, type(None)))
_ATTRIBUTE_VALUE = frozenset((str, int, bool))


def _quick_record(raw: bytes, documents: set[str], annotators: set[str]) -> dict | None:
    """The record of a line in the native shape, parsed fast and proved free of repeated
    keys (``quick_json``): exactly the keys of RECORD, of the types an AnnotationDraft
    holds, attribute values text, whole numbers, booleans or lists of text (so three
    levels deep at most), a document and an annotator an earlier line passed. None
    sends the line to the strict loader and ``_items``, which build the same draft or
    name the fault."""
    value = quick_loads(raw)
    if type(value) is not dict or len(value) != len(RECORD):
        return None
    texts = _TEXT_OR_NONE
    try:  # as many keys as RECORD, and each of RECORD's found: exactly its keys
        attributes = value["attributes"]
        shaped = (
            type(value["start"]) is int
            and type(value["end"]) is int
            and type(attributes) is dict
            and type(value["label"]) is str
            and type(value["note"]) is str
            and value["document"] in documents
            and value["annotator"] in annotators
            and type(value["id"]) in texts
            and type(value["origin"]) in texts
            and type(value["text"]) in texts
            and type(value["created_at"]) in texts
            and type(value["updated_at"]) in texts
            and type(value["document_sha256"]) in texts
        )
    except KeyError:
        return None
    if not shaped:
        return None
    if attributes:
        for item in attributes.values():
            if type(item) not in _ATTRIBUTE_VALUE and (
                type(item) is not list or any(type(x) is not str for x in item)
            ):
                return None
    if not written_once(raw, value, len(value) + len(attributes)):
        return None
    if not value["origin"]:
        value["origin"] = "imported"
    return value


def _items(value: Any, where: str, path: Path, options: FormatOptions) -> Iterator[Any]:
    """What one strictly parsed line holds: a document line's document, annotations and
    statuses, or an annotation (with the links it starts)."""
    if not isinstance(value, dict):
        raise fail(where, None, f"expected a JSON object, got {json_kind(value)}")
    if "annotations" in value and "text" in value:
        yield from _document_line(value, where, path, options)
        return
    draft = _draft(value, where, options)
    if draft is None:
        return
    if "links" in value:
        yield from _with_links(draft, value["links"], where, "links")
    else:
        yield draft


def _with_links(
    draft: AnnotationDraft, links: Any, where: str, field: str
) -> Iterator[AnnotationDraft | LinkDraft]:
    """An annotation and the links it starts (``field`` names the key in errors). The
    annotation is named by its id, or by its place in the file when it has none."""
    if not isinstance(links, list):
        raise fail(where, field, "expected a list of links")
    name = draft.id or f"{where}#{field}"
    yield replace(draft, key=name)
    for i, link in enumerate(links):
        at = f"{field}[{i}]"
        if not isinstance(link, dict):
            raise fail(where, at, "expected an object with id, type and to")
        attributes = link.get("attributes") or {}
        if not isinstance(attributes, dict):
            raise fail(where, f"{at}.attributes", "expected a JSON object")
        note = link.get("note") or ""
        if not isinstance(note, str):
            raise fail(where, f"{at}.note", f"expected text, got {note!r}")
        yield LinkDraft(
            type=get_str(link, "type", where, f"{at}.type"),
            source=name,
            target=get_str(link, "to", where, f"{at}.to"),
            annotator=draft.annotator,
            id=get_str(link, "id", where, f"{at}.id", optional=True),
            attributes=MappingProxyType(attributes),
            note=note,
            where=f"{where}: {at}",
        )


def _draft(
    value: Any, where: str, options: FormatOptions, *, document: str | None = None,
    field: str = "", mapping: NormalizedText | None = None,
) -> AnnotationDraft | None:  # fmt: skip
    if not isinstance(value, dict):
        raise fail(where, field or None, "expected a JSON object for an annotation")
    f = (lambda key: f"{field}.{key}") if field else (lambda key: key)
    if value.get("deleted_at") is not None:
        options.warning(f"{where}: {f('deleted_at')}: skipped a deleted annotation")
        return None
    doc = value.get("document", document)
    if doc is None:
        raise fail(where, f("document"), "missing")
    if document is not None and doc != document:
        raise fail(where, f("document"), f"{doc!r} is not this line's document {document!r}")
    doc = document_id(doc, where, f("document"))
    start = get_int(value, "start", where, f("start"))
    end = get_int(value, "end", where, f("end"))
    label = get_str(value, "label", where, f("label"))
    annotator = value.get("annotator", options.annotator)
    if annotator is None:
        raise fail(where, f("annotator"), "missing (or pass --annotator NAME)")
    annotator = annotator_name(annotator, where, f("annotator"))
    ann_id = get_str(value, "id", where, f("id"), optional=True)
    attributes = value.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise fail(where, f("attributes"), "expected a JSON object")
    note = value.get("note") or ""
    if not isinstance(note, str):
        raise fail(where, f("note"), f"expected text, got {note!r}")
    text = get_str(value, "text", where, f("text"), optional=True)
    if mapping is not None and not mapping.identity:
        if text is not None and mapping.raw[start:end] != text:
            raise fail(
                where,
                f("text"),
                f"{text[:40]!r} does not match the line's text at [{start}, {end})",
            )
        try:
            start, end = mapping.to_normalized(start), mapping.to_normalized(end)
        except OffsetError as exc:
            raise fail(where, f("start"), str(exc)) from None
        text = None
    return AnnotationDraft(
        document=doc,
        start=start,
        end=end,
        label=label,
        annotator=annotator,
        id=ann_id,
        attributes=MappingProxyType(attributes),
        note=note,
        origin=get_str(value, "origin", where, f("origin"), optional=True) or "imported",
        created_at=get_str(value, "created_at", where, f("created_at"), optional=True),
        updated_at=get_str(value, "updated_at", where, f("updated_at"), optional=True),
        text=text,
        document_sha256=get_str(
            value, "document_sha256", where, f("document_sha256"), optional=True
        ),
        where=where,
    )


def _document_line(value: dict, where: str, path: Path, options: FormatOptions) -> Iterator[Any]:
    doc_id = document_id(value.get("id"), where, "id")
    raw = get_str(value, "text", where, "text")
    mapping, digest = carried_text(raw, where)
    stated = value.get("sha256")
    if stated is not None and stated != digest:
        raise fail(
            where, "sha256", f"{str(stated)[:12]}… is not the SHA-256 of the line's normalized text"
        )
    meta = value.get("meta") or {}
    if not isinstance(meta, dict):
        raise fail(where, "meta", "expected a JSON object")
    annotations = value.get("annotations") or []
    if not isinstance(annotations, list):
        raise fail(where, "annotations", "expected a list")
    status = value.get("status") or {}
    if not isinstance(status, dict):
        raise fail(where, "status", "expected an object {annotator: status}")
    if not mapping.identity:
        try:
            mapping.prepare(
                o for a in annotations if isinstance(a, dict)
                for o in (a.get("start"), a.get("end")) if isinstance(o, int)
            )  # fmt: skip
        except OffsetError as exc:
            raise fail(where, "text", str(exc)) from None
    yield Document(
        id=doc_id, text=mapping.text, sha256=digest, source=str(path), meta=MappingProxyType(meta)
    )
    for i, item in enumerate(annotations):
        draft = _draft(
            item, where, options, document=doc_id, field=f"annotations[{i}]", mapping=mapping
        )
        if draft is not None:
            if draft.end > len(mapping.text) or draft.start < 0:
                raise fail(
                    where,
                    f"annotations[{i}].end",
                    f"[{draft.start}, {draft.end}) is outside the text (length {len(mapping.text)})",
                )
            if isinstance(item, dict) and "links" in item:
                yield from _with_links(draft, item["links"], where, f"annotations[{i}].links")
            else:
                yield draft
    for annotator, state in status.items():
        name = annotator_name(annotator, where, f"status.{annotator}")
        if state not in STATUSES:
            raise fail(
                where, f"status.{annotator}", f"{state!r} is not one of {', '.join(STATUSES)}"
            )
        yield DocumentStatus(doc_id, name, state)


# -- writing ------------------------------------------------------------------------------


def _linked(values: dict[str, Any], links: dict[str, list]) -> dict[str, Any]:
    """A record with the links it starts, if any (no key otherwise, as before links)."""
    own = links.get(values["id"])
    if own:
        values["links"] = [link_record(link) for link in own]
    return values


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    with text_destination(dest) as out:
        if options.by_document:
            return _write_documents(source, out, filters, options)
        return _write_annotations(source, out, filters, options)


def _write_annotations(
    source: ExportSource, out: TextIO, filters: ExportFilters, options: FormatOptions
) -> int:
    if filters.document is not None and not any(
        d.id == filters.document for d in source.documents()
    ):
        raise FormatError(f"no document {filters.document!r} in the database")
    chosen = {"document": filters.document, "annotator": filters.annotator, "label": filters.label}
    records = (dict(zip(RECORD, row)) for row in source.iter_records(RECORD, **chosen))
    links = exported_links(source, filters, options)
    if links:
        records = (_linked(r, links) for r in records)
    count = write_lines(out, map(dumps, records), options, _BATCH)
    warn_orphaned(options, source.count_orphaned(**chosen))
    return count


def _write_documents(
    source: ExportSource, out: TextIO, filters: ExportFilters, options: FormatOptions
) -> int:
    status: dict[str, dict[str, str]] = {}
    for s in source.statuses():
        if filters.annotator is None or s.annotator == filters.annotator:
            status.setdefault(s.document, {})[s.annotator] = s.status
    count = 0
    links = exported_links(source, filters, options)
    for doc, marked in documents_with_annotations(source, filters, options, all_documents=True):
        line = {
            "id": doc.id,
            "sha256": doc.sha256,
            "text": doc.text,
            "meta": dict(doc.meta),
            "annotations": [_linked(record(a), links) for a in marked],
            "status": status.get(doc.id, {}),
        }
        out.write(dumps(line) + "\n")
        count += len(marked)
        options.advance(len(marked))
    return count
