"""Where compared annotators agree and disagree on one document, and of what kind.

See the package docstring for the kinds and how leftovers are grouped.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from reader.core.errors import ValidationError
from reader.core.model import Annotation
from reader.core.schema import SYSTEM_ATTRIBUTES

ONLY_IN_A = "only_in_a"
ONLY_IN_B = "only_in_b"
ONLY_IN_SOME = "only_in_some"
DIFFERENT_LABEL = "different_label"
DIFFERENT_BOUNDARIES = "different_boundaries"
DIFFERENT_ATTRIBUTES = "different_attributes"
KINDS = (
    ONLY_IN_A,
    ONLY_IN_B,
    ONLY_IN_SOME,
    DIFFERENT_LABEL,
    DIFFERENT_BOUNDARIES,
    DIFFERENT_ATTRIBUTES,
)

PROVENANCE = "provenance"


def content_key(a: Annotation) -> tuple:
    """What two annotators must both say to agree: span, label, attributes, note."""
    if a.attributes:
        attributes = {k: v for k, v in a.attributes.items() if k not in SYSTEM_ATTRIBUTES}
        shown = json.dumps(attributes, sort_keys=True, ensure_ascii=False)
    else:  # most spans have none: skip the encoder
        shown = "{}"
    return (a.start, a.end, a.label, shown, a.note)


def provenance(a: Annotation) -> tuple[str, ...]:
    return tuple(a.attributes.get(PROVENANCE) or ())


def _position(a: Annotation) -> tuple:
    return (a.start, a.end, a.label, a.id)


@dataclass(frozen=True)
class Agreement:
    """The same annotation made by every compared annotator (one each, in their order)."""

    document: str
    annotations: tuple[Annotation, ...]

    @property
    def start(self) -> int:
        return self.annotations[0].start

    @property
    def end(self) -> int:
        return self.annotations[0].end

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.annotations)


@dataclass(frozen=True)
class Disagreement:
    """One place where the compared annotators differ, with each one's version of it."""

    document: str
    kind: str
    start: int  # the extent of every annotation involved
    end: int
    annotators: tuple[str, ...]
    versions: tuple[tuple[Annotation, ...], ...]  # aligned with ``annotators``; () = nothing

    def version(self, annotator: str) -> tuple[Annotation, ...]:
        return self.versions[self.annotators.index(annotator)]

    @property
    def sources(self) -> tuple[str, ...]:
        """Every annotation id involved, in annotator order, then by position."""
        return tuple(a.id for a in chain.from_iterable(self.versions))

    @property
    def holders(self) -> tuple[str, ...]:
        return tuple(name for name, version in zip(self.annotators, self.versions) if version)


@dataclass(frozen=True)
class Comparison:
    document: str
    annotators: tuple[str, ...]
    agreements: tuple[Agreement, ...]
    disagreements: tuple[Disagreement, ...]


def compare(
    document: str, annotations: Iterable[Annotation], annotators: Sequence[str]
) -> Comparison:
    """Agreements and disagreements of ``annotators`` on ``document``.

    Annotations of other documents or annotators, tombstones and orphans are ignored.
    """
    names = tuple(dict.fromkeys(annotators))
    if len(names) < 2:
        raise ValidationError(f"adjudication compares at least two annotators, not {list(names)}")
    index = {name: i for i, name in enumerate(names)}
    groups: dict[tuple, list[list[Annotation]]] = {}
    for a in sorted(annotations, key=_position):
        if a.document != document or not a.live or a.orphaned or a.annotator not in index:
            continue
        groups.setdefault(content_key(a), [[] for _ in names])[index[a.annotator]].append(a)
    agreements: list[Agreement] = []
    variants: list[tuple[tuple, tuple[tuple[Annotation, ...], ...]]] = []
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2], k[3], k[4])):
        per = groups[key]
        agreed = min(len(p) for p in per)
        agreements.extend(Agreement(document, tuple(p[k] for p in per)) for k in range(agreed))
        rest = tuple(tuple(p[agreed:]) for p in per)
        if any(rest):
            variants.append((key, rest))
    disagreements = [
        _disagreement(document, names, [variants[i] for i in group]) for group in _groups(variants)
    ]
    disagreements.sort(key=lambda d: (d.start, d.end, d.kind))
    return Comparison(document, names, tuple(agreements), tuple(disagreements))


def _groups(variants: list[tuple[tuple, Any]]) -> list[list[int]]:
    """Variants joined when they share a span, or share a label and overlap (a sweep)."""
    parent = list(range(len(variants)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    active: list[int] = []
    for i in sorted(range(len(variants)), key=lambda i: variants[i][0][:2]):
        start, end, label = variants[i][0][:3]
        active = [j for j in active if variants[j][0][1] > start]
        for j in active:
            other = variants[j][0]
            if (other[0], other[1]) == (start, end) or other[2] == label:
                parent[find(i)] = find(j)
        active.append(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(variants)):
        groups[find(i)].append(i)
    return list(groups.values())


def _disagreement(document: str, names: tuple[str, ...], members: list) -> Disagreement:
    versions = tuple(
        tuple(sorted(chain.from_iterable(rest[i] for _, rest in members), key=_position))
        for i in range(len(names))
    )
    everything = list(chain.from_iterable(versions))
    holders = [i for i, version in enumerate(versions) if version]
    spans = {key[:2] for key, _ in members}
    labels = {key[2] for key, _ in members}
    if len(holders) == 1:
        kind = {0: ONLY_IN_A, 1: ONLY_IN_B}.get(holders[0], ONLY_IN_SOME)
    elif len(members) == 1:
        kind = ONLY_IN_SOME
    elif len(spans) == 1:
        kind = DIFFERENT_LABEL if len(labels) > 1 else DIFFERENT_ATTRIBUTES
    else:
        kind = DIFFERENT_BOUNDARIES if len(labels) == 1 else DIFFERENT_LABEL
    return Disagreement(
        document=document,
        kind=kind,
        start=min(a.start for a in everything),
        end=max(a.end for a in everything),
        annotators=names,
        versions=versions,
    )


def describe(item: Disagreement) -> str:
    """One line for a lead: the kind, in words, with names and labels."""
    if item.kind in (ONLY_IN_A, ONLY_IN_B, ONLY_IN_SOME):
        return "only in " + ", ".join(item.holders)
    if item.kind == DIFFERENT_LABEL:
        parts = [
            f"{n}: {'/'.join(sorted({a.label for a in v})) or '—'}"
            for n, v in zip(item.annotators, item.versions)
        ]
        return "different label (" + "; ".join(parts) + ")"
    if item.kind == DIFFERENT_BOUNDARIES:
        parts = [
            f"{n}: " + (" ".join(f"[{a.start},{a.end})" for a in v) or "—")
            for n, v in zip(item.annotators, item.versions)
        ]
        return "different boundaries (" + "; ".join(parts) + ")"
    return "different attributes or note"
