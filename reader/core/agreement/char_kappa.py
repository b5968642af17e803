"""Chance-corrected agreement on characters: Cohen's kappa, Fleiss' kappa and
Krippendorff's nominal alpha, from counts of characters per category pattern.

Each code point of a compared document is an item; an annotator's category for it is the
set of labels of their spans covering it (``O`` if none). The inputs are not per-character
arrays but ``{pattern: number of characters}``, summed by the sweep in ``spans``; every
formula below is a sum over items, so weighting a pattern by its character count gives
exactly the per-character value. Arithmetic is in integers until the one final
division, so no rounding builds up over millions of characters.

Cohen (1960), as scikit-learn's ``cohen_kappa_score``::

    p_o = sum_c n_cc / N          p_e = sum_c (n_c. * n_.c) / N^2
    kappa = (p_o - p_e) / (1 - p_e)

Fleiss (1971), as statsmodels' ``fleiss_kappa`` (method ``fleiss``), n raters per item::

    P_i = (sum_c n_ic^2 - n) / (n (n - 1))      P = mean_i P_i
    p_c = sum_i n_ic / (N n)                   P_e = sum_c p_c^2
    kappa = (P - P_e) / (1 - P_e)

Krippendorff (2004, Content Analysis, 2nd ed., ch. 11), nominal, with missing values, as
the ``krippendorff`` package's ``alpha(level_of_measurement="nominal")``. Items with fewer
than two values are not pairable and drop out; ``m_u`` is the number of values of item u::

    o_ck = sum_u (n_uc n_uk - [c = k] n_uc) / (m_u - 1)     n_c = sum_k o_ck,  n = sum_c n_c
    alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k

Undefined cases return ``None`` (JSON null), never NaN: no items, fewer than two raters,
or every value in one category (expected disagreement zero).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from functools import lru_cache
from math import lcm


def cohen_kappa(confusion: Mapping[tuple[Hashable, Hashable], int]) -> float | None:
    """Cohen's kappa from ``{(category_a, category_b): count}``."""
    total = 0
    agree = 0
    rows: dict[Hashable, int] = {}
    cols: dict[Hashable, int] = {}
    for (a, b), n in confusion.items():
        total += n
        rows[a] = rows.get(a, 0) + n
        cols[b] = cols.get(b, 0) + n
        if a == b:
            agree += n
    if total == 0:
        return None
    chance = sum(n * cols.get(c, 0) for c, n in rows.items())  # p_e * N^2
    denominator = total * total - chance
    if denominator == 0:
        return None
    return (agree * total - chance) / denominator


@lru_cache(maxsize=65536)
def _tally(pattern: tuple) -> tuple[tuple[tuple[Hashable, int], ...], int, int]:
    """The values of one pattern with their counts, how many there are (missing left
    out), and the sum of the counts squared. Patterns recur across documents, so this
    is worth remembering."""
    tally = Counter(v for v in pattern if v is not None)
    return tuple(tally.items()), sum(tally.values()), sum(k * k for k in tally.values())


def fleiss_kappa(patterns: Mapping[tuple[Hashable, ...], int]) -> float | None:
    """Fleiss' kappa from ``{(category of rater 1, ..., rater n): count}``; every pattern
    must have the same number of raters and no missing value."""
    raters = None
    items = 0
    pair_agreement = 0  # sum over items of (sum_c n_ic^2 - n)
    per_category: dict[Hashable, int] = {}
    for pattern, weight in patterns.items():
        if weight == 0:
            continue
        if raters is None:
            raters = len(pattern)
        elif len(pattern) != raters:
            raise ValueError("Fleiss' kappa needs the same raters for every item")
        tally, present, squares = _tally(pattern)
        if present != raters:
            raise ValueError("Fleiss' kappa does not take missing values")
        items += weight
        pair_agreement += weight * (squares - raters)
        for category, k in tally:
            per_category[category] = per_category.get(category, 0) + weight * k
    if not items or raters is None or raters < 2:
        return None
    # With T = N n ratings: P = pair_agreement / (N n (n-1)), P_e = S / T^2, so
    # kappa = (P - P_e) / (1 - P_e) = (pair_agreement T - S (n-1)) / ((T^2 - S)(n-1)).
    ratings = items * raters
    squares = sum(k * k for k in per_category.values())
    denominator = (ratings * ratings - squares) * (raters - 1)
    if denominator == 0:
        return None
    return (pair_agreement * ratings - squares * (raters - 1)) / denominator


def krippendorff_alpha_nominal(
    patterns: Mapping[tuple[Hashable | None, ...], int],
) -> float | None:
    """Krippendorff's nominal alpha from ``{(value of coder 1, ..., coder m): count}``
    where ``None`` is a missing value."""
    pairable_items = []
    scale = 1  # lcm of (m_u - 1): keeps every coincidence an integer
    for pattern, weight in patterns.items():
        if weight == 0:
            continue
        tally, pairable, _ = _tally(pattern)
        if pairable < 2:
            continue
        pairable_items.append((tally, pairable, weight))
        scale = lcm(scale, pairable - 1)
    marginals: dict[Hashable, int] = {}  # scale * n_c
    observed = 0  # scale * sum over c != k of o_ck
    for tally, pairable, weight in pairable_items:
        factor = weight * (scale // (pairable - 1))
        # row c of unit u's coincidences sums to n_uc; its off-diagonal part to
        # n_uc (m_u - n_uc) / (m_u - 1)
        row = factor * (pairable - 1)
        for c, nc in tally:
            marginals[c] = marginals.get(c, 0) + row * nc
            observed += factor * nc * (pairable - nc)
    if not marginals:
        return None
    n = sum(marginals.values())
    expected = n * n - sum(v * v for v in marginals.values())  # scale^2 sum_{c!=k} n_c n_k
    if expected == 0:
        return None
    # alpha = 1 - (n - 1) D / E, with every term scaled: (n s - s)(D s) / (E s^2)
    return 1 - (n - scale) * observed / expected
