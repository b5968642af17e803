"""Label confusion between two annotators: how many characters annotator ``a`` put in
each category and ``b`` in each category.

It is the contingency table Cohen's kappa is computed from (``spans.pair_counts``), shown
so a lead sees *which* labels are confused, not only how much. Counts are characters
(code points) of the compared documents; categories are named as in the report: ``O``
outside any span, a label, or labels joined with ``+`` where one annotator's spans of
different labels overlap.
"""

from __future__ import annotations

from collections.abc import Mapping

from reader.core.agreement.spans import Category, category_name


def confusion_matrix(
    pair: Mapping[tuple[Category, Category], int],
) -> dict[str, dict[str, int]]:
    """``{a's category: {b's category: characters}}``, rows and columns sorted with
    ``O`` first; cells that are zero are left out."""
    rows: dict[str, dict[str, int]] = {}
    for (a, b), n in sorted(
        pair.items(), key=lambda item: (_order(item[0][0]), _order(item[0][1]))
    ):
        if n:
            rows.setdefault(category_name(a), {})[category_name(b)] = n
    return rows


def _order(category: Category) -> tuple[int, Category]:
    return (len(category), category)


def categories_of(matrix: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Every category that occurs in a matrix, rows or columns, ``O`` first."""
    names = set(matrix)
    for row in matrix.values():
        names.update(row)
    return sorted(names, key=lambda name: (name != "O", name.count("+"), name))
