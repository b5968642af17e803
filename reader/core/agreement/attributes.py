"""Agreement on attributes: do annotators who marked the same span say the same about it?

Span measures score two annotators as agreeing when they mark the same span, whatever
technique or count each gave it. This module compares the attribute values on the
spans the compared annotators *matched exactly* (same document, start, end and label):
each such span is a unit, each annotator who marked it gives one value per attribute,
and a missing value is missing data, not a category.

- ``alpha`` is Krippendorff's alpha over those units, across all compared annotators
  (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"): with the
  coincidence matrix ``o`` (each unit with ``m`` values adds ``1/(m-1)`` for every
  ordered pair of its values), ``n_c = Σ_k o_ck`` and ``n = Σ_c n_c``,
  ``alpha = 1 - (n - 1) · Σ o_ck δ²(c, k) / Σ n_c n_k δ²(c, k)``. ``δ²`` is 0/1
  (nominal: enum and text attributes) or ``(c - k)²`` (interval: integer attributes).
  It equals the ``krippendorff`` package's value on the same data (the tests check).
- ``agreement`` is the observed agreement: the share of those pairs whose values are
  equal, ``Σ_c o_cc / n``.
- ``units`` counts the units where at least two annotators gave a value.

Text values are compared with case and runs of spaces folded ("Bộ Nội vụ" and "bộ nội
vụ" agree). ``alpha_chosen`` / ``units_chosen`` repeat alpha without the values tagging
read from the text (``from_text``, :mod:`reader.core.prefill`): two annotators who both
kept what the text gave agree by construction, and this shows what their own choices
add. Undefined values (no pairable unit, every value the same) are None.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from reader.core.schema import FROM_TEXT, Schema

#: (document, start, end, label): a span as the matching sees it.
Unit = tuple[str, int, int, str]


def level(kind: str) -> str:
    """The level of measurement of an attribute type."""
    return "interval" if kind == "int" else "nominal"


def coincidences(units: Iterable[Iterable[Any]]) -> dict[tuple[Any, Any], float]:
    """Krippendorff's coincidence matrix: each unit with ``m >= 2`` values adds
    ``1/(m-1)`` for every ordered pair of its values."""
    found: dict[tuple[Any, Any], float] = defaultdict(float)
    for values in units:
        values = list(values)
        m = len(values)
        if m < 2:
            continue
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    found[c, k] += 1 / (m - 1)
    return found


def krippendorff_alpha(units: Iterable[Iterable[Any]], level_of_measurement: str) -> float | None:
    """Krippendorff's alpha of ``units`` (each the values coders gave one unit, missing
    ones left out); None when no unit has two values or every value is the same."""
    matrix = coincidences(units)
    if not matrix:
        return None
    totals: dict[Any, float] = defaultdict(float)
    for (c, _), weight in matrix.items():
        totals[c] += weight
    n = sum(totals.values())

    def distance(c: Any, k: Any) -> float:
        if level_of_measurement == "interval":
            return float(c - k) ** 2
        return 0.0 if c == k else 1.0

    observed = sum(w * distance(c, k) for (c, k), w in matrix.items())
    expected = sum(totals[c] * totals[k] * distance(c, k) for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def observed_agreement(units: Iterable[Iterable[Any]]) -> float | None:
    """The share of pairable value pairs that are equal, weighted as alpha weights them
    (the diagonal of the coincidence matrix over its total)."""
    matrix = coincidences(units)
    total = sum(matrix.values())
    return sum(w for (c, k), w in matrix.items() if c == k) / total if total else None


def comparable(raw: Any, kind: str) -> Any:
    """A value as agreement compares it: text folded for case and runs of spaces, the
    values of a multiple enum as one sorted tuple (the set is the category)."""
    if kind == "text" and isinstance(raw, str):
        return " ".join(raw.casefold().split())
    if isinstance(raw, list):  # a multiple enum's values: one category, order aside
        return tuple(sorted(map(str, raw)))
    return raw


def matched_units(
    spans: Iterable[tuple[str, str, int, int, str, Any]],
    compared: Collection[str],
    documents: Collection[str],
) -> dict[Unit, dict[str, Mapping[str, Any]]]:
    """The spans at least two compared annotators marked alike, on the compared
    documents: unit -> annotator -> attributes. ``spans`` are ``(annotator, document,
    start, end, label, attributes)`` with attributes a mapping or its JSON text."""
    wanted, docs = set(compared), set(documents)
    found: dict[Unit, dict[str, Any]] = defaultdict(dict)
    for annotator, document, start, end, label, attributes in spans:
        if annotator in wanted and document in docs:
            found[document, start, end, label][annotator] = attributes
    matched: dict[Unit, dict[str, Mapping[str, Any]]] = {}
    for unit, by_annotator in found.items():
        if len(by_annotator) >= 2:
            matched[unit] = {
                a: json.loads(v) if isinstance(v, str) else dict(v or {})
                for a, v in by_annotator.items()
            }
    return matched


def attribute_agreement(
    spans: Iterable[tuple[str, str, int, int, str, Any]],
    schema: Schema,
    compared: Collection[str],
    documents: Collection[str],
    *,
    label: str | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """``{LABEL: {ATTRIBUTE: {"level", "alpha", "agreement", "units", "alpha_chosen",
    "units_chosen"}}}`` over the spans ``compared`` matched exactly on ``documents``.

    Every label of the schema (or only ``label``) and each of its attributes is listed,
    with None values where nothing could be compared."""
    units = matched_units(spans, compared, documents)
    report: dict[str, dict[str, dict[str, Any]]] = {}
    for spec in schema.labels:
        if label is not None and spec.name != label:
            continue
        mine = [by for unit, by in sorted(units.items()) if unit[3] == spec.name]
        report[spec.name] = {}
        for attribute in spec.attributes:
            name, kind = attribute.name, attribute.type
            values, chosen = [], []
            for by_annotator in mine:
                given = [a for a in by_annotator.values() if a.get(name) is not None]
                values.append([comparable(a[name], kind) for a in given])
                chosen.append(
                    [comparable(a[name], kind) for a in given if name not in a.get(FROM_TEXT, ())]
                )
            report[spec.name][name] = {
                "level": level(kind),
                "alpha": krippendorff_alpha(values, level(kind)),
                "agreement": observed_agreement(values),
                "units": sum(len(v) >= 2 for v in values),
                "alpha_chosen": krippendorff_alpha(chosen, level(kind)),
                "units_chosen": sum(len(v) >= 2 for v in chosen),
            }
    return report
