"""Scoring annotators against a reference (usually the adjudicated gold set).

Agreement asks whether annotators agree with each other; once a lead has adjudicated,
the question becomes how close each annotator came to the reference. Each annotator is
scored, with the reference as ``a`` and the annotator as candidate ``b`` (the span F1
of :mod:`reader.core.agreement.span_f1`), on the documents the reference covers and the
annotator marked done: a document the annotator has not finished would count its
missing spans as misses, and one the reference has not settled would count theirs as
false alarms.

Attribute accuracy is measured on the spans the annotator matched exactly (same
document, start, end and label): per attribute, the share of matched spans where the
reference gives a value and the annotator gave the same one (text folded for case and
spaces, as in :mod:`reader.core.agreement.attributes`). A value the annotator left
empty where the reference has one counts as wrong; spans where the reference has none
are not counted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from reader.core.agreement.attributes import comparable, matched_units
from reader.core.agreement.report import agreement_report
from reader.core.schema import Schema


def attribute_accuracy(
    units: Mapping[tuple[str, int, int, str], Mapping[str, Mapping[str, Any]]],
    schema: Schema,
    reference: str,
    candidate: str,
) -> dict[str, dict[str, dict[str, Any]]]:
    """``{LABEL: {ATTRIBUTE: {"accuracy": float|None, "units": int}}}`` over matched
    units holding both annotators."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for spec in schema.labels:
        pairs = [
            (by[reference], by[candidate])
            for unit, by in units.items()
            if unit[3] == spec.name and reference in by and candidate in by
        ]
        found[spec.name] = {}
        for attribute in spec.attributes:
            name, kind = attribute.name, attribute.type
            scored = [
                comparable(ref[name], kind) == comparable(mine.get(name), kind)
                for ref, mine in pairs
                if ref.get(name) is not None
            ]
            found[spec.name][name] = {
                "accuracy": sum(scored) / len(scored) if scored else None,
                "units": len(scored),
            }
    return found


def reference_report(
    documents: Mapping[str, int],
    spans: Iterable[tuple[str, str, int, int, str, Any]],
    done: Mapping[str, Collection[str]],
    schema: Schema,
    reference: str,
    reference_documents: Collection[str],
    candidates: Iterable[str],
    *,
    label: str | None = None,
) -> dict[str, Any]:
    """Every candidate scored against ``reference`` on ``reference_documents`` (those
    it covers) that the candidate marked done.

    ``spans`` are ``(annotator, document, start, end, label, attributes)``; the report
    is what ``reader agree --reference`` prints under ``"reference"``."""
    rows = list(spans)
    covered = sorted(set(reference_documents) & documents.keys())
    scores: dict[str, Any] = {}
    for candidate in candidates:
        if candidate == reference:
            continue
        mine = [doc for doc in covered if candidate in done.get(doc, ())]
        if not mine:
            scores[candidate] = {
                "documents": [], "span_exact": None, "span_partial": None, "labels": {},
                "attributes": {},
            }  # fmt: skip
            continue
        pair_done = {doc: {reference, candidate} for doc in mine}
        report = agreement_report(
            {doc: documents[doc] for doc in mine},
            (r[:5] for r in rows if r[0] in (reference, candidate) and r[1] in pair_done),
            pair_done,
            annotators=[reference, candidate],
            label=label,
        )
        units = matched_units(rows, [reference, candidate], mine)
        accuracy = attribute_accuracy(units, schema, reference, candidate)
        pair = report["pairs"][0] if report["pairs"] else None
        scores[candidate] = {
            "documents": mine,
            "span_exact": pair["span_exact"] if pair else None,
            "span_partial": pair["span_partial"] if pair else None,
            "labels": {
                name: {
                    "span_exact": values["span_exact"],
                    "span_partial": values["span_partial"],
                    "attributes": accuracy.get(name, {}),
                }
                for name, values in (pair["labels"] if pair else {}).items()
            },
            "attributes": {k: v for k, v in accuracy.items() if label in (None, k)},
        }
    return {"name": reference, "documents": covered, "annotators": scores}
