"""The values of the annotation domain: frozen, so a screen or a report never edits
what the store holds behind its back; changes go through the store and come back new."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from reader.core.errors import ValidationError

#: SQLite stores integers in 64 bits; a larger attribute value could never be saved.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

#: How many code points of context an annotation keeps on each side, for re-anchoring.
CONTEXT = 32

#: Who made an annotation: by hand, accepted from a suggestion, copied to a shared
#: passage, imported from a file, settled in adjudication.
ORIGINS = ("manual", "suggested", "propagated", "imported", "adjudicated")

#: The per-annotator status of a document.
STATUSES = ("new", "in_progress", "done")


def check_origin(origin: Any, where: str) -> str:
    """An annotation's or a link's origin from outside: one of ORIGINS."""
    if origin not in ORIGINS:
        raise ValidationError(f"{where}: origin: {origin!r} is not one of {', '.join(ORIGINS)}")
    return origin


def usable_name(name: object) -> bool:
    """A label or link type name an import (or a merged database) may add: short,
    printable text, as it is drawn in the app and written into exports."""
    return isinstance(name, str) and 0 < len(name) <= 64 and name.isprintable()


def check_row_id(row_id: Any, kind: str, where: str) -> str:
    """An annotation's or a link's id from outside: printable text of 1-128 characters
    (it is shown in messages and written into every export)."""
    if not isinstance(row_id, str) or not 0 < len(row_id) <= 128 or not row_id.isprintable():
        raise ValidationError(f"{where}: id: {row_id!r} is not a usable {kind} id")
    return row_id


_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_RESERVED_NAMES = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}


def new_id() -> str:
    """A random UUID: ids from different machines never collide when databases merge."""
    return str(uuid.uuid4())


def check_document_id(doc_id: str, where: str = "") -> str:
    """A document id is used as a file name on export, so only safe names pass."""
    if isinstance(doc_id, str) and _document_id_ok(doc_id):
        return doc_id
    return _check_document_id(doc_id, where)


def _check_document_id(doc_id: str, where: str = "") -> str:
    prefix = f"{where}: " if where else ""
    if not isinstance(doc_id, str) or not _SAFE_ID.fullmatch(doc_id):
        raise ValidationError(
            f"{prefix}document id {doc_id!r} is not a safe name "
            "(1-128 characters from A-Z a-z 0-9 . _ -)"
        )
    if set(doc_id) == {"."} or doc_id.startswith("."):
        raise ValidationError(f"{prefix}document id {doc_id!r} may not start with a dot")
    if doc_id.split(".")[0].lower() in _RESERVED_NAMES:
        raise ValidationError(f"{prefix}document id {doc_id!r} is a reserved device name")
    return doc_id


@lru_cache(maxsize=4096)
def _document_id_ok(doc_id: str) -> bool:
    try:
        _check_document_id(doc_id)
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=4096)
def _annotator_ok(name: str) -> bool:
    try:
        _check_annotator(name)
    except ValidationError:
        return False
    return True


def check_annotator(name: str, where: str = "") -> str:
    """Annotator names appear on screen, in file names and in reports: printable, short,
    no path separators, no control or formatting characters."""
    if isinstance(name, str) and _annotator_ok(name):
        return name
    return _check_annotator(name, where)


def _check_annotator(name: str, where: str = "") -> str:
    prefix = f"{where}: " if where else ""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"{prefix}annotator name is empty")
    if len(name) > 64:
        raise ValidationError(f"{prefix}annotator name is longer than 64 characters")
    for i, ch in enumerate(name):
        category = unicodedata.category(ch)
        if category[0] in "CZ" and ch != " ":
            raise ValidationError(
                f"{prefix}annotator name has a control or invisible character "
                f"U+{ord(ch):04X} at position {i}"
            )
        if ch in '/\\:*?"<>|[]':
            raise ValidationError(f"{prefix}annotator name may not contain {ch!r}")
    if name != name.strip() or name.startswith("."):
        raise ValidationError(
            f"{prefix}annotator name may not start or end with a space or start with a dot"
        )
    return name


@dataclass(frozen=True)
class Document:
    """One article's normalized text, identified by its file stem and the text's SHA-256."""

    id: str
    text: str
    sha256: str
    source: str = ""
    meta: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    version: int = 1
    added_at: str = ""

    def __repr__(self) -> str:  # the text can be megabytes
        return f"Document(id={self.id!r}, sha256={self.sha256[:12]}…, length={len(self.text)})"


@dataclass(frozen=True)
class Attribute:
    """One attribute a label's annotations may carry. Always optional at tagging time."""

    name: str
    type: str  # "enum" | "int" | "text"
    values: tuple[str, ...] = ()
    title: str = ""
    minimum: int | None = None
    maximum: int | None = None
    #: What the attribute records, for the codebook, the editor and help.
    description: str = ""
    #: (value, what it means) for each enum value that has a description.
    value_descriptions: tuple[tuple[str, str], ...] = ()
    #: An enum that may hold several of its values at once (a span the PTC corpus marks
    #: with two techniques): a list of them in the schema's order; one stays a string.
    multiple: bool = False

    def describe(self, value: str) -> str:
        """What an enum value means, or "" when the schema does not say."""
        return dict(self.value_descriptions).get(value, "")

    def parse(self, raw: Any) -> Any:
        """Check one value against this attribute; returns it in its stored form."""
        if raw is None or raw == "":
            return None
        if self.type == "enum":
            if self.multiple and isinstance(raw, (list, tuple)):
                return self._parse_many(raw)
            if raw not in self.values:
                raise ValidationError(
                    f"attribute {self.name}: {raw!r} is not one of {', '.join(self.values)}"
                )
            return raw
        if self.type == "int":
            return self._parse_int(raw)
        if not isinstance(raw, str):
            raise ValidationError(f"attribute {self.name}: {raw!r} is not text")
        if len(raw) > 10_000:
            raise ValidationError(f"attribute {self.name}: text longer than 10000 characters")
        return raw

    def _parse_many(self, raw: list | tuple) -> str | list[str] | None:
        wrong = [v for v in raw if not isinstance(v, str) or v not in self.values]
        if wrong:
            raise ValidationError(
                f"attribute {self.name}: {wrong[0]!r} is not one of {', '.join(self.values)}"
            )
        chosen = [v for v in self.values if v in raw]
        return None if not chosen else chosen[0] if len(chosen) == 1 else chosen

    def _parse_int(self, raw: Any) -> int:
        """A whole number, typed as Vietnamese writes it ("4.500", "hai") or given as a
        number, within the schema's bounds and SQLite's 64-bit integers: the one bound
        check every path in (editor, import, merge) goes through."""
        if isinstance(raw, str):
            # Its patterns take 0.2 s to compile: paid when a number is typed, not at start.
            from reader.core.vnnumbers import parse_count

            try:
                raw = parse_count(raw)
            except ValidationError as exc:
                raise ValidationError(f"attribute {self.name}: {exc}") from None
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValidationError(f"attribute {self.name}: {raw!r} is not a whole number")
        if not INT64_MIN <= raw <= INT64_MAX:
            raise ValidationError(
                f"attribute {self.name}: {raw} is outside the 64-bit range a database can store"
            )
        if self.minimum is not None and raw < self.minimum:
            raise ValidationError(f"attribute {self.name}: {raw} is below {self.minimum}")
        if self.maximum is not None and raw > self.maximum:
            raise ValidationError(f"attribute {self.name}: {raw} is above {self.maximum}")
        return raw


@dataclass(frozen=True)
class Label:
    """A kind of span: its name is stored, its key tags, its colour draws it."""

    name: str
    title: str
    key: str
    color: str
    attributes: tuple[Attribute, ...] = ()
    #: Added by an import with --add-labels: no key, and attributes kept as given.
    extra: bool = False
    #: What the label marks and where its span begins and ends, for the codebook.
    description: str = ""
    #: Int attributes whose values, where given, never decrease in this order (a
    #: casualty's low, best and high estimates): declared as ``ordered`` in the schema.
    ordered: tuple[str, ...] = ()

    def attribute(self, name: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None


@dataclass(frozen=True)
class Annotation:
    """A labelled span [start, end) of one version of a document, by one annotator.

    ``text``, ``prefix`` and ``suffix`` are kept so that when the document changes the
    span can be found again (or reported orphaned) instead of silently shifting.
    """

    id: str
    document: str
    document_sha256: str
    start: int
    end: int
    text: str
    label: str
    annotator: str
    attributes: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    note: str = ""
    prefix: str = ""
    suffix: str = ""
    origin: str = "manual"
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None
    orphaned: bool = False

    @property
    def live(self) -> bool:
        return self.deleted_at is None

    def to_record(self) -> dict[str, Any]:
        """The plain-dict form used by the event log and the native JSONL format."""
        return {
            "id": self.id,
            "document": self.document,
            "document_sha256": self.document_sha256,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "label": self.label,
            "attributes": dict(self.attributes),
            "note": self.note,
            "annotator": self.annotator,
            "origin": self.origin,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "deleted_at": self.deleted_at,
            "orphaned": self.orphaned,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Annotation:
        return cls(
            id=record["id"],
            document=record["document"],
            document_sha256=record["document_sha256"],
            start=record["start"],
            end=record["end"],
            text=record["text"],
            label=record["label"],
            annotator=record["annotator"],
            attributes=MappingProxyType(dict(record.get("attributes") or {})),
            note=record.get("note") or "",
            prefix=record.get("prefix") or "",
            suffix=record.get("suffix") or "",
            origin=record.get("origin") or "manual",
            created_at=record.get("created_at") or "",
            updated_at=record.get("updated_at") or "",
            deleted_at=record.get("deleted_at"),
            orphaned=bool(record.get("orphaned")),
        )


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix an annotation keeps for re-anchoring."""
    return text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]


@dataclass(frozen=True)
class DocumentStatus:
    """Whether an annotator has finished a document; agreement compares only done ones."""

    document: str
    annotator: str
    status: str  # one of STATUSES
    updated_at: str = ""


@dataclass(frozen=True)
class AnnotationDraft:
    """An annotation as an import file states it, before the store checks it.

    The store fills what the file cannot know (the document's SHA, prefix, suffix) and
    refuses the whole import if any draft breaks the text or the schema. ``where`` names
    the file and line for that error. ``text``, when the format carries it, must equal
    the document's text at [start, end).
    """

    document: str
    start: int
    end: int
    label: str
    annotator: str
    id: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    note: str = ""
    origin: str = "imported"
    created_at: str | None = None
    updated_at: str | None = None
    text: str | None = None
    document_sha256: str | None = None
    where: str = ""
    #: The file's own name for this annotation (a brat ``T3``, a doccano entity id), made
    #: unique within the import: links in the same file name their ends by it.
    key: str | None = None


@dataclass(frozen=True)
class DraftRecords:
    """Many annotations as plain records: what a bulk reader hands the store instead of
    one frozen AnnotationDraft per line (a million of them cost seconds).

    Each record is a dict holding exactly these of an AnnotationDraft's fields: id,
    document, document_sha256, start, end, text, label, attributes, note, annotator,
    origin, created_at, updated_at (reader's JSONL record), with the types a draft
    holds. The store checks a record as it checks a draft, and turns it into one
    (``draft``) where a check fails, to name the fault. ``records`` pairs each with its
    ``where`` (``file:line``)."""

    records: list[tuple[str, dict[str, Any]]]

    @staticmethod
    def draft(where: str, record: dict[str, Any]) -> AnnotationDraft:
        fields = dict(record, attributes=MappingProxyType(record["attributes"]))
        return AnnotationDraft(**fields, where=where)


def stable_id(*parts: object) -> str:
    """A UUID derived from content, for formats without ids: importing twice is a no-op."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "reader:" + "\x1f".join(map(str, parts))))
