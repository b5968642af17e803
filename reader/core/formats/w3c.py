"""W3C Web Annotation Data Model (JSON-LD), one ``Annotation`` per line.

Definition: W3C Recommendation "Web Annotation Data Model" (23 February 2017,
https://www.w3.org/TR/annotation-model/) with its JSON-LD context
``http://www.w3.org/ns/anno.jsonld``. Each span is an ``Annotation`` whose ``target``
is a ``SpecificResource`` on the document with two selectors: a
``TextPositionSelector`` (``start``, ``end``) and a ``TextQuoteSelector`` (``exact``,
``prefix``, ``suffix``). The label is a ``TextualBody`` with purpose ``tagging``; each
attribute is a ``TextualBody`` with purpose ``classifying`` and the value
``name=value``; the note is a ``TextualBody`` with purpose ``commenting``. ``creator``
(a ``Person`` with a ``name``), ``created`` and ``modified`` carry the annotator and
the timestamps; ``id`` is ``urn:uuid:<id>``; the document is the target's ``source``,
``urn:x-reader:document:<id>``.

Offsets: the model counts the characters of the text, position 0 before the first
one, ``end`` exclusive; a "character" is a Unicode code point (the spec's
TextPositionSelector section), as in reader, over reader's normalized text.

Written as JSON Lines (one Annotation a line) so that it streams; a single JSON
document (an ``AnnotationPage`` or ``AnnotationCollection`` with ``items``, or a list)
is read as well, whole. An annotation from another tool keeps an id derived from its
own ``id`` IRI, so importing it twice adds nothing; one without a
``TextPositionSelector`` is refused (reader does not guess a place from a quote).

Links: a linking annotation, ``"motivation": "linking"``, whose ``target`` is the
two annotations' ids in order (from, to), its type a ``TextualBody`` with purpose
``tagging`` (the W3C model's own example of linking two resources). They follow the
span annotations; on import their targets resolve within the file or the database.

Carried: id, document, start, end, label, attributes, note, annotator, created_at,
updated_at, links. Not carried: origin (imported ones are "imported"), status.
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
    document_id,
    fail,
    typed_value,
)
from reader.core.formats.linked import exported_links
from reader.core.formats.output import dumps, text_destination, write_lines
from reader.core.formats.reading import json_lines, loads
from reader.core.formats.registry import ExportFilters, ExportSource, FormatOptions
from reader.core.formats.selection import warn_orphaned
from reader.core.links.values import Link, LinkDraft
from reader.core.model import Annotation, AnnotationDraft, stable_id
from reader.core.paths import regular_file
from reader.core.schema import SYSTEM_ATTRIBUTES, Schema

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SOURCE_PREFIX = "urn:x-reader:document:"
UUID_PREFIX = "urn:uuid:"
_BATCH = 2048


def annotation_json(a: Annotation) -> dict[str, Any]:
    body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": a.label}]
    for name, value in a.attributes.items():
        if name in SYSTEM_ATTRIBUTES or not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        body.append({"type": "TextualBody", "purpose": "classifying", "value": f"{name}={value}"})
    if a.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": a.note,
                "format": "text/plain",
            }
        )
    return {
        "@context": CONTEXT,
        "id": UUID_PREFIX + a.id,
        "type": "Annotation",
        "motivation": "tagging",
        "creator": {"type": "Person", "name": a.annotator},
        "created": a.created_at,
        "modified": a.updated_at,
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": SOURCE_PREFIX + a.document,
            "selector": [
                {"type": "TextPositionSelector", "start": a.start, "end": a.end},
                {
                    "type": "TextQuoteSelector",
                    "exact": a.text,
                    "prefix": a.prefix,
                    "suffix": a.suffix,
                },
            ],
        },
    }


# -- reading ------------------------------------------------------------------------------


def link_json(link: Link) -> dict[str, Any]:
    """A link as a linking annotation whose targets are its two annotations."""
    return {
        "@context": CONTEXT,
        "id": UUID_PREFIX + link.id,
        "type": "Annotation",
        "motivation": "linking",
        "creator": {"type": "Person", "name": link.annotator},
        "created": link.created_at,
        "modified": link.updated_at,
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": link.type}],
        "target": [UUID_PREFIX + link.source, UUID_PREFIX + link.target],
    }


def read(
    path: Path, *, schema: Schema, options: FormatOptions
) -> Iterator[AnnotationDraft | LinkDraft]:
    types = attribute_types(schema)
    for where, value in _items(path, options):
        if isinstance(value, dict) and value.get("motivation") == "linking":
            yield _link(value, where, options)
        else:
            yield from _drafts(value, where, types, options)


def _local_id(raw: str) -> str:
    """The annotation id an IRI stands for (as ``_draft`` derives it)."""
    return raw[len(UUID_PREFIX) :] if raw.startswith(UUID_PREFIX) else stable_id("w3c", raw)


def _link(value: dict, where: str, options: FormatOptions) -> LinkDraft:
    targets = value.get("target")
    if not (isinstance(targets, list) and len(targets) == 2):
        raise fail(where, "target", "a linking annotation needs two targets (from, to)")
    ends = []
    for i, target in enumerate(targets):
        if isinstance(target, dict):
            target = target.get("id")
        if not isinstance(target, str) or not target:
            raise fail(where, f"target[{i}]", f"expected an annotation's IRI, got {target!r}")
        ends.append(_local_id(target))
    types = [
        b.get("value") for b in _as_list(value.get("body"))
        if isinstance(b, dict) and b.get("purpose") == "tagging" and isinstance(b.get("value"), str)
    ]  # fmt: skip
    if len(types) != 1:
        raise fail(where, "body", f"expected one tagging body (the link type), found {len(types)}")
    raw_id = value.get("id")
    return LinkDraft(
        types[0], ends[0], ends[1], _creator(value, where, options),
        id=_local_id(raw_id) if isinstance(raw_id, str) and raw_id else None,
        created_at=_time(value, "created", where), updated_at=_time(value, "modified", where),
        where=where,
    )  # fmt: skip


def _items(path: Path, options: FormatOptions) -> Iterator[tuple[str, Any]]:
    with regular_file(path).open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    whole = head.startswith(b"[")
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0]
        try:
            json.loads(first)
        except (ValueError, RecursionError):
            whole = True  # a pretty-printed JSON document, not JSON Lines
    if not whole:
        for where, value in json_lines(path, options):
            if isinstance(value, dict) and value.get("type") in (
                "AnnotationPage",
                "AnnotationCollection",
            ):
                yield from _container(value, where)
            else:
                yield where, value
        return
    try:
        raw = path.read_bytes()
        options.advance(len(raw))
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path}: not UTF-8: invalid byte at byte offset {exc.start}") from None
    yield from _container(loads(text, str(path)), str(path))


def _container(value: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict) and value.get("type") == "Annotation":
        items = [value]
    elif isinstance(value, dict):
        first = value.get("first")
        items = value.get("items") or (first.get("items") if isinstance(first, dict) else None)
        if not isinstance(items, list):
            raise fail(
                where, "items", "expected an Annotation, a list of them, or a page with items"
            )
    else:
        raise fail(where, None, "expected a JSON object or list")
    for i, item in enumerate(items):
        yield f"{where}: items[{i}]", item


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _drafts(
    value: Any, where: str, types: dict[tuple[str, str], str], options: FormatOptions
) -> Iterator[AnnotationDraft]:
    """One draft per tag of an Annotation (several tags: several spans on one target)."""
    if not isinstance(value, dict) or "Annotation" not in _as_list(value.get("type")):
        raise fail(where, "type", 'expected an object with "type": "Annotation"')
    raw_id = value.get("id")
    if raw_id is not None and not isinstance(raw_id, str):
        raise fail(where, "id", f"expected an IRI, got {raw_id!r}")
    targets = [t for t in _as_list(value.get("target")) if isinstance(t, dict)]
    if not targets:
        raise fail(where, "target", "expected a SpecificResource with selectors")
    target = targets[0]
    source = target.get("source")
    if not isinstance(source, str) or not source:
        raise fail(where, "target.source", f"expected the document's IRI, got {source!r}")
    doc = (
        source[len(SOURCE_PREFIX) :]
        if source.startswith(SOURCE_PREFIX)
        else source.rstrip("/").rsplit("/", 1)[-1].split("#")[0]
    )
    doc = doc.removesuffix(".txt")
    doc = document_id(doc, where, "target.source")
    position = quote = None
    for selector in _as_list(target.get("selector")):
        if isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
            position = selector
        elif isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            quote = selector
    exact = quote.get("exact") if quote else None
    if exact is not None and not isinstance(exact, str):
        raise fail(where, "target.selector.exact", "expected text")
    if position is not None:
        offsets = []
        for key in ("start", "end"):
            number = position.get(key)
            if isinstance(number, bool) or not isinstance(number, int):
                raise fail(
                    where, f"target.selector.{key}", f"expected a whole number, got {number!r}"
                )
            offsets.append(number)
    elif quote is not None:
        offsets = list(_anchor(quote, doc, where, options))
    else:
        raise fail(where, "target.selector", "no TextPositionSelector or TextQuoteSelector")
    labels, note, attributes = _bodies(value, where, types)
    for n, label in enumerate(labels):
        ann_id = None
        if raw_id:
            ann_id = _local_id(raw_id) if n == 0 else stable_id("w3c", raw_id, label)
        yield AnnotationDraft(
            document=doc, start=offsets[0], end=offsets[1], label=label,
            annotator=_creator(value, where, options), id=ann_id,
            attributes=MappingProxyType(
                {k: typed_value(types, label, k, v) for k, v in attributes.items()}
            ),
            note=note,
            created_at=_time(value, "created", where), updated_at=_time(value, "modified", where),
            text=exact, where=where,
        )  # fmt: skip


def _anchor(quote: dict, doc: str, where: str, options: FormatOptions) -> tuple[int, int]:
    """Where a TextQuoteSelector's exact text stands in the stored document: the one
    occurrence, or the one its prefix and suffix single out; otherwise refused."""
    exact = quote.get("exact")
    if not isinstance(exact, str) or not exact:
        raise fail(where, "target.selector.exact", "a quote-only target needs its exact text")
    text = options.document_text(doc) if options.document_text else None
    if text is None:
        raise fail(
            where, "target.source", f"a quote-only target needs document {doc!r} in the database"
        )
    prefix, suffix = quote.get("prefix") or "", quote.get("suffix") or ""
    found, start = [], text.find(exact)
    while start != -1:
        found.append(start)
        start = text.find(exact, start + 1)
    if not found:
        raise fail(where, "target.selector.exact", f"{exact[:40]!r} is not in document {doc!r}")
    fitting = [
        s for s in found
        if text[:s].endswith(prefix) and text[s + len(exact) :].startswith(suffix)
    ]  # fmt: skip
    if len(fitting) != 1:
        raise fail(
            where, "target.selector",
            f"{exact[:40]!r} occurs {len(found)} times in {doc!r} and its prefix and suffix "
            f"fit {len(fitting)} of them: add a TextPositionSelector",
        )  # fmt: skip
    return fitting[0], fitting[0] + len(exact)


def _bodies(
    value: dict, where: str, types: dict[tuple[str, str], str]
) -> tuple[list[str], str, dict[str, Any]]:
    """The labels (tagging bodies), the note (commenting ones) and the attributes
    (classifying ``name=value``) of an Annotation. A body without a purpose takes the
    annotation's motivation; an annotation with no tag at all is labelled by its
    motivation ("commenting"), which --add-labels may take."""
    motivation = value.get("motivation")
    motivation = motivation if isinstance(motivation, str) else None
    labels, notes, attributes = [], [], {}
    for i, body in enumerate(_as_list(value.get("body")) or _as_list(value.get("bodyValue"))):
        if isinstance(body, str) and value.get("bodyValue") is not None:
            body = {"type": "TextualBody", "value": body}  # bodyValue: a plain comment
        if isinstance(body, str):
            continue  # an IRI body: nothing reader can hold
        if not isinstance(body, dict):
            raise fail(where, f"body[{i}]", "expected an object")
        purpose = body.get("purpose") or motivation or "commenting"
        text = body.get("value")
        if not isinstance(text, str):
            continue
        if purpose == "tagging":
            labels.append(text)
        elif purpose == "classifying" and "=" in text:
            name, _, raw = text.partition("=")
            attributes[name] = _value(name, raw)
        elif purpose in ("commenting", "describing", "replying", "assessing", "questioning"):
            notes.append(text)
    if not labels:
        labels = [motivation or "commenting"]
    return list(dict.fromkeys(labels)), "\n".join(notes), attributes


def _value(name: str, raw: str) -> Any:
    """A classifying body's value: JSON where reader wrote JSON (system attributes, and a
    list of several enum values), else the text as written."""
    if name in SYSTEM_ATTRIBUTES or raw.startswith('["'):
        try:
            return loads(raw, "")
        except FormatError:
            return raw
    return raw


def _creator(value: dict, where: str, options: FormatOptions) -> str:
    creator = value.get("creator")
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    if isinstance(creator, dict):
        creator = creator.get("name") or creator.get("nickname") or creator.get("id")
    if creator is None:
        creator = options.annotator
    if creator is None:
        raise fail(where, "creator", "missing (or pass --annotator NAME)")
    if isinstance(creator, str) and "/" in creator:
        creator = creator.rstrip("/").rsplit("/", 1)[-1]
    return annotator_name(creator, where, "creator")


def _time(value: dict, key: str, where: str) -> str | None:
    stamp = value.get(key)
    if stamp is not None and not isinstance(stamp, str):
        raise fail(where, key, f"expected an xsd:dateTime, got {stamp!r}")
    return stamp or None


# -- writing ------------------------------------------------------------------------------


def write(
    source: ExportSource, dest: Path | TextIO, *, filters: ExportFilters, options: FormatOptions
) -> int:
    if filters.document is not None and not any(
        d.id == filters.document for d in source.documents()
    ):
        raise FormatError(f"no document {filters.document!r} in the database")
    orphaned = 0

    def lines() -> Iterator[str]:
        nonlocal orphaned
        for a in source.iter_annotations(
            document=filters.document, annotator=filters.annotator, label=filters.label
        ):
            if a.orphaned:
                orphaned += 1
            else:
                yield dumps(annotation_json(a))

    links = exported_links(source, filters, options)
    with text_destination(dest) as out:
        count = write_lines(out, lines(), options, _BATCH)
        for own in links.values():
            out.write("".join(dumps(link_json(link)) + "\n" for link in own))
    warn_orphaned(options, orphaned)
    return count
