"""Turning a lead's decision into store steps, and running them as the gold annotator.

A decision is planned as plain steps first (``take``, ``accept``: pure, testable), then
``apply`` runs them through a Store opened as the gold annotator.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from reader.core.adjudication.compare import (
    PROVENANCE,
    Agreement,
    Disagreement,
    content_key,
    provenance,
)
from reader.core.errors import ValidationError
from reader.core.model import Annotation, check_annotator
from reader.core.store import Store

ADJUDICATED = "adjudicated"
DEFAULT_GOLD = "gold"


def covered_ids(records: Iterable[Annotation]) -> frozenset[str]:
    """Every source id some decision record names in its provenance."""
    return frozenset(chain.from_iterable(provenance(a) for a in records))


def is_settled(item: Disagreement | Agreement, covered: frozenset[str]) -> bool:
    return bool(item.sources) and set(item.sources) <= covered


@dataclass(frozen=True)
class Copy:
    """Create a gold annotation."""

    document: str
    start: int
    end: int
    label: str
    attributes: Mapping[str, Any]
    note: str = ""


@dataclass(frozen=True)
class Retract:
    """Tombstone a gold annotation that an earlier decision made (the decision changed)."""

    annotation_id: str


@dataclass(frozen=True)
class Reject:
    """Record "none of these": a gold copy created and at once tombstoned."""

    copy: Copy


Step = Copy | Retract | Reject


def _copy(a: Annotation, sources: Sequence[str]) -> Copy:
    attributes = {k: v for k, v in a.attributes.items() if k != PROVENANCE}
    attributes[PROVENANCE] = list(sources)
    return Copy(a.document, a.start, a.end, a.label, attributes, a.note)


def _same(copy: Copy, gold: Annotation) -> bool:
    return (copy.start, copy.end, copy.label, copy.note) == (
        gold.start,
        gold.end,
        gold.label,
        gold.note,
    ) and dict(copy.attributes) == dict(gold.attributes)


def take(
    item: Disagreement, chosen: Sequence[str], gold: Iterable[Annotation], covered: frozenset[str]
) -> tuple[Step, ...]:
    """The store steps that make gold hold the versions of ``chosen`` annotators.

    ``chosen`` empty (or only annotators with nothing here) means "take neither".
    ``gold`` is the live gold annotations of the document, ``covered`` the ids its
    decision records cover. An earlier decision on this disagreement is retracted; a
    decision that already stands gives no steps (pressing the key twice is a no-op).
    """
    for name in chosen:
        if name not in item.annotators:
            raise ValidationError(
                f"{name!r} is not one of the compared annotators {list(item.annotators)}"
            )
    sources = set(item.sources)
    earlier = [g for g in gold if g.live and sources & set(provenance(g))]
    wanted: dict[tuple, Copy] = {}
    for a in chain.from_iterable(item.version(name) for name in chosen):
        wanted.setdefault(content_key(a), _copy(a, item.sources))
    copies = list(wanted.values())
    if not copies:
        if not earlier and is_settled(item, covered):
            return ()
        first = next(chain.from_iterable(item.versions))
        return (*(Retract(g.id) for g in earlier), Reject(_copy(first, item.sources)))
    if len(earlier) == len(copies) and all(any(_same(c, g) for g in earlier) for c in copies):
        return ()
    return (*(Retract(g.id) for g in earlier), *copies)


def take_neither(
    item: Disagreement, gold: Iterable[Annotation], covered: frozenset[str]
) -> tuple[Step, ...]:
    return take(item, (), gold, covered)


def accept(agreement: Agreement, covered: frozenset[str]) -> tuple[Step, ...]:
    """Copy an agreement into gold, unless a decision already covers it."""
    if is_settled(agreement, covered):
        return ()
    return (_copy(agreement.annotations[0], agreement.sources),)


def edit_provenance(disagreements: Iterable[Disagreement], start: int, end: int) -> list[str]:
    """Sources of the disagreements a span tagged in the gold pane overlaps."""
    found = [d for d in disagreements if d.start < end and start < d.end]
    return list(dict.fromkeys(chain.from_iterable(d.sources for d in found)))


def open_gold(store: Store, gold: str) -> Store:
    """A second connection to the same database, writing as the gold annotator (WAL
    makes two connections safe); the store itself when it already is the gold one."""
    check_annotator(gold, "--gold")
    if gold == store.annotator:
        return store
    return Store.open(store.path, store.file_schema, annotator=gold)


def apply(gold: Store, steps: Iterable[Step]) -> Iterator[Annotation]:
    """Run steps through the gold store, yielding each committed result.

    Run it inside ``gold.transaction()`` to save a decision whole: each store call is
    then a savepoint of it. The caller counts what was yielded (undo reverts exactly
    that many).
    """
    for step in steps:
        if isinstance(step, Retract):
            yield gold.delete(step.annotation_id)
            continue
        copy = step.copy if isinstance(step, Reject) else step
        created = gold.create(
            copy.document,
            copy.start,
            copy.end,
            copy.label,
            attributes=copy.attributes,
            note=copy.note,
            origin=ADJUDICATED,
        )
        yield created
        if isinstance(step, Reject):
            yield gold.delete(created.id)
