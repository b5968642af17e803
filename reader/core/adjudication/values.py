"""Settling attributes one by one: when annotators marked the same span with the same
label, or made the same link, but gave it different attributes or notes, review shows
each attribute side by side and the lead takes each value from whoever got it right.

:func:`attribute_rows` lists, for such a disagreement (a span one, or a link one), every
attribute (and the note) with each annotator's value and whether they differ.
:func:`take_value` plans the store steps that make gold hold the chosen annotator's
value for one attribute of a span, keeping the values gold already has for the others
(starting from the first annotator's version when gold has none yet);
:func:`take_link_value` plans the same for a link (the values gold's link is to hold,
for ``links.put_link``). Gold records where each value it took came from in the system
attribute ``value_sources``: ``"NAME=ID"`` per attribute taken this way (``note`` for
the note), the id of the annotation or link it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reader.core.adjudication.compare import DIFFERENT_ATTRIBUTES, Disagreement, provenance
from reader.core.adjudication.decisions import Copy, Retract, Step, _copy
from reader.core.adjudication.links import LinkItem, chosen_values
from reader.core.errors import ValidationError
from reader.core.links.values import Link
from reader.core.model import Annotation
from reader.core.schema import FROM_TEXT, SYSTEM_ATTRIBUTES, VALUE_SOURCES, Schema

NOTE = "note"


@dataclass(frozen=True)
class AttributeRow:
    """One attribute of a disagreement: each annotator's value, in annotator order."""

    name: str
    values: tuple[Any, ...]
    differs: bool


def value_of(a: Annotation | Link | None, name: str) -> Any:
    """One annotator's value of an attribute (``note``: the note), None when not given."""
    if a is None:
        return None
    if name == NOTE:
        return a.note or None
    return a.attributes.get(name)


def single_versions(item: Disagreement | LinkItem) -> list[Annotation | Link | None]:
    """Each compared annotator's one version here (None: none, or several)."""
    if isinstance(item, LinkItem):
        return list(item.versions)
    return [version[0] if len(version) == 1 else None for version in item.versions]


def values_differ(item: Disagreement | LinkItem) -> bool:
    """Whether the item is settled value by value: the same span (or link) given
    different attributes or notes."""
    if isinstance(item, LinkItem):
        return item.values_differ
    return item.kind == DIFFERENT_ATTRIBUTES


def attribute_rows(item: Disagreement | LinkItem, schema: Schema) -> list[AttributeRow]:
    """Every attribute some annotator gave (the label's or link type's, in schema order,
    then any it does not declare, then the note), with each one's value; empty unless
    the disagreement is about attributes."""
    if not values_differ(item):
        return []
    versions = single_versions(item)
    if isinstance(item, LinkItem):
        declared = schema.link_type(item.type).attributes
    else:
        declared = schema.label(next(a for a in versions if a is not None).label).attributes
    names = [a.name for a in declared]
    given = {k for a in versions if a is not None for k in a.attributes}
    names += sorted(given - set(names) - set(SYSTEM_ATTRIBUTES)) + [NOTE]
    rows = []
    for name in names:
        values = tuple(value_of(a, name) for a in versions)
        if any(v is not None for v in values):
            rows.append(AttributeRow(name, values, len(set(map(repr, values))) > 1))
    return rows


def gold_version(
    item: Disagreement | LinkItem, gold: Iterable[Annotation]
) -> Annotation | Link | None:
    """Gold's live annotation for this disagreement (one whose provenance covers it), or
    gold's live link for a link one."""
    if isinstance(item, LinkItem):
        return item.gold_link
    sources = set(item.sources)
    return next((g for g in gold if g.live and sources & set(provenance(g))), None)


def value_sources(annotation: Annotation | Link | None) -> dict[str, str]:
    """Attribute name -> the annotation (or link) id gold took its value from."""
    if annotation is None:
        return {}
    pairs = (entry.partition("=") for entry in annotation.attributes.get(VALUE_SOURCES, ()))
    return {name: source for name, _, source in pairs}


def _with_value(
    attributes: dict[str, Any],
    note: str,
    chosen: Annotation | Link,
    name: str,
    current: Annotation | Link | None,
) -> tuple[dict[str, Any], str]:
    """``attributes`` and ``note`` with ``chosen``'s value of ``name``, and
    ``value_sources`` saying so (beside what gold's ``current`` version took before)."""
    attributes = {k: v for k, v in attributes.items() if k != FROM_TEXT}
    value = value_of(chosen, name)
    if name == NOTE:
        note = value or ""
    elif value is None:
        attributes.pop(name, None)
    else:
        attributes[name] = value
    sources = value_sources(current)
    sources[name] = chosen.id
    attributes[VALUE_SOURCES] = [f"{k}={v}" for k, v in sorted(sources.items())]
    return attributes, note


def _chosen(
    item: Disagreement | LinkItem, index: int, annotators: tuple[str, ...]
) -> Annotation | Link:
    versions = single_versions(item)
    if not values_differ(item) or not 0 <= index < len(versions):
        raise ValidationError("values are taken one by one only where attributes differ")
    chosen = versions[index]
    if chosen is None:
        what = (
            "did not make this link" if isinstance(item, LinkItem) else "has no single version here"
        )
        raise ValidationError(f"{annotators[index]} {what}")
    return chosen


def take_value(
    item: Disagreement, index: int, name: str, gold: Iterable[Annotation]
) -> tuple[Step, ...]:
    """Steps that give gold annotator ``index``'s value of ``name`` for this disagreement
    (``note`` for the note); () when gold already holds it from there."""
    chosen = _chosen(item, index, item.annotators)
    current = gold_version(item, list(gold))
    base = current or next(a for a in single_versions(item) if a is not None)
    copy = _copy(base, item.sources)
    attributes, note = _with_value(dict(copy.attributes), copy.note, chosen, name, current)
    new = Copy(copy.document, copy.start, copy.end, copy.label, attributes, note)
    if current is not None and dict(current.attributes) == attributes and current.note == note:
        return ()
    return (*((Retract(current.id),) if current else ()), new)


def take_link_value(
    item: LinkItem, annotators: tuple[str, ...], index: int, name: str
) -> tuple[dict[str, Any], str] | None:
    """The attributes and note gold's link is to hold to have annotator ``index``'s
    value of ``name`` (``links.put_link`` writes them), keeping gold's other values (the
    first who made it's, when gold has no copy yet); None when gold already holds it."""
    chosen = _chosen(item, index, annotators)
    current = item.gold_link
    if current is None:
        attributes, note = chosen_values(item)
    else:
        attributes, note = dict(current.attributes), current.note
    attributes, note = _with_value(attributes, note, chosen, name, current)
    if current is not None and dict(current.attributes) == attributes and current.note == note:
        return None
    return attributes, note


__all__ = [
    "NOTE",
    "AttributeRow",
    "attribute_rows",
    "gold_version",
    "single_versions",
    "take_link_value",
    "take_value",
    "value_of",
    "value_sources",
    "values_differ",
]
