"""The claims ledger: each claim with the sources it is attributed to, and where the
documents' figures for the same kind of casualty differ.

A claim is an annotation of a label a ``source_of`` link may point to (in the default
schema: propaganda and casualty); its sources are the annotations linked to it by
``source_of`` (attributions, with their ``source`` and ``cue`` attributes). Without a
``source_of`` type in the schema every label is a claim and none has sources.

The summary groups casualty claims by (outcome, victim_group). A claim's figure is its
``value_best``, else its ``value_low``, else its ``value_high`` (a range's best figure
is ACLED's conservative reading, which vnnumbers fills in); claims without any are
listed in the group but carry no figure. A group ``disagree``s when at least two
documents give figures and their sets of figures are not all the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader.core.model import Annotation

if TYPE_CHECKING:
    from reader.core.store import Store

SOURCE_OF = "source_of"
CASUALTY = "casualty"
FIGURE_ORDER = ("value_best", "value_low", "value_high")


@dataclass(frozen=True)
class Source:
    """An attribution linked to a claim."""

    id: str
    document: str
    text: str
    source: str | None
    cue: str | None


@dataclass(frozen=True)
class Claim:
    annotation: Annotation
    sources: tuple[Source, ...] = ()

    @property
    def figure(self) -> int | None:
        for name in FIGURE_ORDER:
            value = self.annotation.attributes.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
        return None

    def record(self) -> dict[str, Any]:
        a = self.annotation
        return {
            "id": a.id,
            "document": a.document,
            "start": a.start,
            "end": a.end,
            "text": a.text,
            "label": a.label,
            "annotator": a.annotator,
            "attributes": dict(a.attributes),
            "figure": self.figure,
            "sources": [
                {
                    "id": s.id,
                    "document": s.document,
                    "text": s.text,
                    "source": s.source,
                    "cue": s.cue,
                }
                for s in self.sources
            ],
        }


@dataclass
class Group:
    """Casualty claims of one (outcome, victim_group)."""

    outcome: str | None
    victim_group: str | None
    claims: list[Claim] = field(default_factory=list)

    def figures_by_document(self) -> dict[str, list[int]]:
        by_document: dict[str, list[int]] = {}
        for claim in self.claims:
            if claim.figure is not None:
                by_document.setdefault(claim.annotation.document, []).append(claim.figure)
        return by_document

    @property
    def disagree(self) -> bool:
        figures = [frozenset(v) for v in self.figures_by_document().values()]
        return len(figures) >= 2 and len(set(figures)) > 1

    def record(self) -> dict[str, Any]:
        figures = [c.figure for c in self.claims if c.figure is not None]
        documents: dict[str, list[dict[str, Any]]] = {}
        for claim in self.claims:
            documents.setdefault(claim.annotation.document, []).append(
                {
                    "id": claim.annotation.id,
                    "text": claim.annotation.text,
                    "figure": claim.figure,
                    "sources": [s.source or s.text for s in claim.sources],
                }
            )
        return {
            "outcome": self.outcome,
            "victim_group": self.victim_group,
            "documents": documents,
            "lowest": min(figures) if figures else None,
            "highest": max(figures) if figures else None,
            "disagree": self.disagree,
        }


def claim_labels(store: Store) -> tuple[str, ...]:
    """The labels that are claims: what ``source_of`` points to, else every label."""
    for link_type in store.schema.links:
        if link_type.name == SOURCE_OF and "*" not in link_type.targets:
            return link_type.targets
    return store.schema.names


def claims(
    store: Store,
    *,
    annotator: str,
    label: str | None = None,
    documents: Iterable[str] | None = None,
) -> list[Claim]:
    """One annotator's claims (of ``label``, in ``documents``), in document order, each
    with the sources linked to it."""
    labels = (label,) if label is not None else claim_labels(store)
    wanted = None if documents is None else set(documents)
    found = []
    for a in store.iter_annotations(annotator=annotator, include_orphaned=False):
        if a.label not in labels or (wanted is not None and a.document not in wanted):
            continue
        sources = []
        for end in store.links_of(a.id):
            if end.link.type != SOURCE_OF or end.outgoing or end.state != "live":
                continue
            source = store.annotation(end.other_id)
            sources.append(
                Source(
                    source.id,
                    source.document,
                    source.text,
                    _text(source.attributes.get("source")),
                    _text(source.attributes.get("cue")),
                )
            )
        found.append(Claim(a, tuple(sources)))
    return found


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def summary(found: Iterable[Claim]) -> list[Group]:
    """Casualty claims grouped by (outcome, victim_group), groups in name order (an
    unset value sorts last)."""
    groups: dict[tuple[str | None, str | None], Group] = {}
    for claim in found:
        if claim.annotation.label != CASUALTY:
            continue
        outcome = _text(claim.annotation.attributes.get("outcome"))
        victims = _text(claim.annotation.attributes.get("victim_group"))
        groups.setdefault((outcome, victims), Group(outcome, victims)).claims.append(claim)
    return [groups[k] for k in sorted(groups, key=lambda k: tuple((v is None, v or "") for v in k))]


def ledger(found: list[Claim]) -> dict[str, Any]:
    """What ``reader claims --json`` prints."""
    return {"claims": [c.record() for c in found], "summary": [g.record() for g in summary(found)]}
