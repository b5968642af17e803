"""The values of links: a link type from the schema, a stored link, a link as an import
file states it. Frozen, like annotations: changes go through the store and come back new.

A link joins two annotations of one annotator. It never stores offsets: it points at
annotation ids, so when a span is re-anchored its links follow it, and when a span is
orphaned or deleted the link says so (``state``) instead of pointing at the wrong words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from reader.core.model import Attribute

#: Labels a link end accepts when the schema says ``"*"``: any label.
ANY = "*"

#: A link is ``live`` when both ends are live and anchored, ``orphaned`` when an end lost
#: its place in a changed text, ``dangling`` when an end was deleted (undo brings it back).
LINK_STATES = ("live", "orphaned", "dangling")


@dataclass(frozen=True)
class LinkType:
    """A kind of link: which labels it runs from and to, and whether direction matters."""

    name: str
    title: str
    key: str
    sources: tuple[str, ...] = (ANY,)
    targets: tuple[str, ...] = (ANY,)
    directed: bool = True
    #: May its two ends lie in different documents (the same claim retold by two outlets)?
    across_documents: bool = False
    attributes: tuple[Attribute, ...] = ()
    #: Added by an import with --add-labels: any label to any label, in any documents.
    extra: bool = False

    def fits(self, source_label: str, target_label: str) -> bool:
        """Whether a link of this type may run from a span of one label to another."""
        ok = _accepts(self.sources, source_label) and _accepts(self.targets, target_label)
        if not self.directed:
            ok = ok or (
                _accepts(self.sources, target_label) and _accepts(self.targets, source_label)
            )
        return ok

    def attribute(self, name: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None


def _accepts(labels: tuple[str, ...], label: str) -> bool:
    return ANY in labels or label in labels


@dataclass(frozen=True)
class Link:
    """A typed link from one annotation to another, by one annotator.

    An undirected link is stored with its ends in id order (``source < target``), so the
    same link made from either end is one link.
    """

    id: str
    type: str
    source: str
    target: str
    annotator: str
    attributes: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    note: str = ""
    origin: str = "manual"
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None

    @property
    def live(self) -> bool:
        return self.deleted_at is None

    def other(self, annotation_id: str) -> str:
        """The end that is not ``annotation_id``."""
        return self.target if annotation_id == self.source else self.source

    def to_record(self) -> dict[str, Any]:
        """The plain-dict form the event log keeps."""
        return {
            "id": self.id,
            "type": self.type,
            "from": self.source,
            "to": self.target,
            "annotator": self.annotator,
            "attributes": dict(self.attributes),
            "note": self.note,
            "origin": self.origin,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "deleted_at": self.deleted_at,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Link:
        return cls(
            id=record["id"],
            type=record["type"],
            source=record["from"],
            target=record["to"],
            annotator=record["annotator"],
            attributes=MappingProxyType(dict(record.get("attributes") or {})),
            note=record.get("note") or "",
            origin=record.get("origin") or "manual",
            created_at=record.get("created_at") or "",
            updated_at=record.get("updated_at") or "",
            deleted_at=record.get("deleted_at"),
        )


@dataclass(frozen=True)
class LinkDraft:
    """A link as an import file states it, before the store checks it.

    ``source`` and ``target`` name annotations: first as a key the same file gave an
    annotation (``AnnotationDraft.key``: a brat ``T3``, a doccano entity id), else as an
    annotation id in the file or the database. A name that resolves to neither refuses
    the whole import, with ``where``.
    """

    type: str
    source: str
    target: str
    annotator: str
    id: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    note: str = ""
    origin: str = "imported"
    created_at: str | None = None
    updated_at: str | None = None
    where: str = ""


@dataclass(frozen=True)
class LinkEnd:
    """What a screen or a report shows of a link from one of its ends: the link, the
    annotation at the other end (its text and document), and whether the link still holds."""

    link: Link
    other_id: str
    other_document: str
    other_start: int
    other_end: int
    other_text: str
    other_label: str
    outgoing: bool
    state: str
