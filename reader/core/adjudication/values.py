"""Settling attributes one by one: when annotators marked the same span with the same
label but gave it different attributes or notes, review shows each attribute side by
side and the lead takes each value from whoever got it right.

:func:`attribute_rows` lists, for such a disagreement, every attribute (and the note)
with each annotator's value and whether they differ. :func:`take_value` plans the store
steps that make gold hold the chosen annotator's value for one attribute, keeping the
values gold already has for the others (starting from the first annotator's version
when gold has none yet). Gold records where each value it took came from in the
system attribute ``value_sources``: ``"NAME=ANNOTATION_ID"`` per attribute taken this
way (``note`` for the note).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reader.core.adjudication.compare import DIFFERENT_ATTRIBUTES, Disagreement, provenance
from reader.core.adjudication.decisions import Copy, Retract, Step, _copy
from reader.core.errors import ValidationError
from reader.core.model import Annotation
from reader.core.schema import FROM_TEXT, VALUE_SOURCES, Schema

NOTE = "note"


@dataclass(frozen=True)
class AttributeRow:
    """One attribute of a disagreement: each annotator's value, in annotator order."""

    name: str
    values: tuple[Any, ...]
    differs: bool


def _value(a: Annotation | None, name: str) -> Any:
    if a is None:
        return None
    if name == NOTE:
        return a.note or None
    return a.attributes.get(name)


def _single(item: Disagreement) -> list[Annotation | None]:
    return [version[0] if len(version) == 1 else None for version in item.versions]


def attribute_rows(item: Disagreement, schema: Schema) -> list[AttributeRow]:
    """Every attribute some annotator gave (the label's, in schema order, then the
    note), with each one's value; empty unless the disagreement is about attributes."""
    if item.kind != DIFFERENT_ATTRIBUTES:
        return []
    versions = _single(item)
    first = next(a for a in versions if a is not None)
    names = [a.name for a in schema.label(first.label).attributes] + [NOTE]
    rows = []
    for name in names:
        values = tuple(_value(a, name) for a in versions)
        if any(v is not None for v in values):
            rows.append(AttributeRow(name, values, len(set(map(repr, values))) > 1))
    return rows


def gold_version(item: Disagreement, gold: Iterable[Annotation]) -> Annotation | None:
    """Gold's live annotation for this disagreement (one whose provenance covers it)."""
    sources = set(item.sources)
    return next((g for g in gold if g.live and sources & set(provenance(g))), None)


def value_sources(annotation: Annotation | None) -> dict[str, str]:
    """Attribute name -> the annotation id gold took its value from."""
    if annotation is None:
        return {}
    pairs = (entry.partition("=") for entry in annotation.attributes.get(VALUE_SOURCES, ()))
    return {name: source for name, _, source in pairs}


def take_value(
    item: Disagreement, index: int, name: str, gold: Iterable[Annotation]
) -> tuple[Step, ...]:
    """Steps that give gold annotator ``index``'s value of ``name`` for this disagreement
    (``note`` for the note); () when gold already holds it from there."""
    versions = _single(item)
    if item.kind != DIFFERENT_ATTRIBUTES or not 0 <= index < len(versions):
        raise ValidationError("values are taken one by one only where attributes differ")
    chosen = versions[index]
    if chosen is None:
        raise ValidationError(f"{item.annotators[index]} has no single version here")
    current = gold_version(item, list(gold))
    base = current or next(a for a in versions if a is not None)
    copy = _copy(base, item.sources)
    attributes = {k: v for k, v in copy.attributes.items() if k != FROM_TEXT}
    note = copy.note
    value = _value(chosen, name)
    if name == NOTE:
        note = value or ""
    elif value is None:
        attributes.pop(name, None)
    else:
        attributes[name] = value
    sources = value_sources(current)
    sources[name] = chosen.id
    attributes[VALUE_SOURCES] = [f"{k}={v}" for k, v in sorted(sources.items())]
    new = Copy(copy.document, copy.start, copy.end, copy.label, attributes, note)
    if current is not None and dict(current.attributes) == attributes and current.note == note:
        return ()
    return (*((Retract(current.id),) if current else ()), new)


__all__ = [
    "NOTE",
    "AttributeRow",
    "attribute_rows",
    "gold_version",
    "take_value",
    "value_sources",
]
