"""The label schema: which labels exist, their keys, colours and attributes, and the
checks of attribute values against it.

It is data, not code, so a team can adapt it (``--labels FILE``) without touching
reader; reading that file is ``reader.core.labels_file``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from typing import Any

from reader.core.errors import ValidationError
from reader.core.links.values import LinkType
from reader.core.model import Label

#: Attributes the system itself writes; they need no declaration in the schema.
#: ``provenance`` lists the ids an adjudicated annotation was settled from;
#: ``from_text`` names the attributes whose value tagging read from the span's text
#: (:mod:`reader.core.prefill`) and nobody has changed since.
#: ``value_sources`` lists, on gold, ``"NAME=ID"`` for each value review took from one
#: annotator's version (:mod:`reader.core.adjudication.values`).
PROVENANCE = "provenance"
FROM_TEXT = "from_text"
VALUE_SOURCES = "value_sources"
SYSTEM_ATTRIBUTES = (PROVENANCE, FROM_TEXT, VALUE_SOURCES)


@dataclass(frozen=True)
class Schema:
    labels: tuple[Label, ...]
    source: str = "<default>"
    links: tuple[LinkType, ...] = ()

    def label(self, name: str) -> Label:
        for label in self.labels:
            if label.name == name:
                return label
        raise ValidationError(
            f"unknown label {name!r} (known: {', '.join(l.name for l in self.labels)})"
        )

    def by_key(self, key: str) -> Label | None:
        for label in self.labels:
            if label.key == key:
                return label
        return None

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def check_attributes(self, label_name: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
        """Validate attribute values for a label; returns them cleaned (empty values dropped)."""
        label = self.label(label_name)
        return _check_values(f"label {label_name}", label, attributes)

    def link_type(self, name: str) -> LinkType:
        for link_type in self.links:
            if link_type.name == name:
                return link_type
        raise ValidationError(
            f"unknown link type {name!r} (known: {', '.join(t.name for t in self.links) or 'none'})"
        )

    def link_by_key(self, key: str) -> LinkType | None:
        for link_type in self.links:
            if link_type.key == key:
                return link_type
        return None

    def check_link_attributes(
        self, type_name: str, attributes: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Validate a link's attribute values against its type; returns them cleaned."""
        return _check_values(f"link type {type_name}", self.link_type(type_name), attributes)


def _check_values(
    owner: str, spec: Label | LinkType, attributes: Mapping[str, Any]
) -> dict[str, Any]:
    """Attribute values checked against what a label or a link type declares."""
    if not isinstance(attributes, Mapping):
        raise ValidationError("attributes must be an object")
    clean: dict[str, Any] = {}
    for name, raw in attributes.items():
        if name in SYSTEM_ATTRIBUTES:
            if not (isinstance(raw, list) and all(isinstance(v, str) for v in raw)):
                what = {PROVENANCE: "annotation ids", FROM_TEXT: "attribute names"}.get(
                    name, "NAME=ID entries"
                )
                raise ValidationError(f"attribute {name}: must be a list of {what}")
            clean[name] = list(raw)
            continue
        attribute = spec.attribute(name)
        if attribute is None and spec.extra:
            if not isinstance(raw, (str, int, float, bool)) or not isinstance(name, str):
                raise ValidationError(f"attribute {name!r}: value must be text or a number")
            clean[name] = raw
            continue
        if attribute is None:
            raise ValidationError(f"{owner} has no attribute {name!r}")
        value = attribute.parse(raw)
        if value is not None:
            clean[name] = value
    check_order(spec, clean)
    if FROM_TEXT in clean:
        # Only values still present can have come from the text.
        kept = [n for n in clean[FROM_TEXT] if n in clean and n not in SYSTEM_ATTRIBUTES]
        if kept:
            clean[FROM_TEXT] = kept
        else:
            del clean[FROM_TEXT]
    return clean


def check_order(spec: Label | LinkType, values: Mapping[str, Any]) -> None:
    """The label's ``ordered`` attributes, where given, must not decrease: a low estimate
    above the best one is a typing slip, and claims would publish the wrong figure."""
    given = [(name, values[name]) for name in getattr(spec, "ordered", ()) if name in values]
    for (lower, low), (upper, high) in pairwise(given):
        if low > high:
            raise ValidationError(
                f"attribute {lower} {low} is above {upper} {high} "
                f"(needed: {' ≤ '.join(spec.ordered)}, where given)"
            )
