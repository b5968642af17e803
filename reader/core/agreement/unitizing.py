"""Krippendorff's unitizing alpha (alpha_U): agreement on where units are and what they
are, over the continuum of the text, without fixing items in advance.

Source: Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology,
2nd ed., section 12.4 (after Krippendorff 1995, Sociological Methodology 25:47-76), as
implemented in DKPro Agreement's ``KrippendorffAlphaUnitizingAgreement``.

For one category c, m coders, a continuum of length L, each coder's continuum cut into
units of c and gaps (stretches in no unit of c)::

    delta^2(g, h) = (b_g - b_h)^2 + (e_g - e_h)^2   if g, h are both units and overlap
                  = l_g^2                          if g is a unit inside the gap h
                  = l_h^2                          if h is a unit inside the gap g
                  = 0                              otherwise

    D_o^c = sum over ordered pairs of coders i != j, segments g of i, h of j, of
            delta^2(g, h)  /  (m (m - 1) L^2)

    D_e^c = (2 / L) * sum over units g of c (all coders) of
              [ (N_c - 1) (2 l_g^3 - 3 l_g^2 + l_g) / 3
                + l_g^2 * sum over gaps h (all coders) with l_h >= l_g of (l_h - l_g + 1) ]
            / ( m L (m L - 1) - sum over units g of c of l_g (l_g - 1) )

    alpha_U^c = 1 - D_o^c / D_e^c
    alpha_U   = 1 - mean_c D_o^c / mean_c D_e^c      (over the categories that occur)

N_c is the number of units of c over all coders. A unit inside a gap of the other coder
is exactly a unit that overlaps no unit of that coder, which is how ``overlap_walk`` finds it.

Choices, each deliberate:
- An annotator's overlapping units of the same category are merged first (DKPro requires
  that they do not overlap; the SemEval scorer merges the same way).
- Several documents form one continuum of length sum(L_d), but a gap never runs across a
  document boundary: a unit cannot be placed across two articles, and the value must not
  depend on the order the documents are listed in. For one document this is DKPro's value
  exactly; DKPro on documents laid end to end differs only where a gap would cross.
- Where D_e = 0 (no unit of the category at all) alpha_U is undefined: ``None``. DKPro
  returns 0.0 when D_o = D_e; we return 0.0 too unless both are zero.

Krippendorff's worked example (2004, p. 254; DKPro's ``Krippendorff2004Test``) gives
0.8591 in the book, which is 1 - .0072/.0511 from the rounded mean disagreements;
unrounded it is 0.858665 (D_o = .0072222, D_e = .0511002; per category c: .7286, k: 1).

All sums are integers (exact however long the corpus); each of D_o and D_e is one
correctly rounded division of two of them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from reader.core.agreement.spans import Unit, overlap_walk


def gaps(units: Sequence[Unit], length: int) -> list[int]:
    """The lengths of the stretches of a document of ``length`` outside ``units``."""
    found = []
    position = 0
    for start, end in units:
        if start > position:
            found.append(start - position)
        position = end
    if length > position:
        found.append(length - position)
    return found


@dataclass
class CategoryTally:
    """What alpha_U needs of one category, summed over documents."""

    observed: int = 0  # sum over unordered coder pairs of delta^2 (half the ordered sum)
    unit_lengths: list[int] = field(default_factory=list)  # counted once, at the end
    gap_lengths: list[int] = field(default_factory=list)
    documents: Counter = field(default_factory=Counter)  # lengths of documents it occurs in


@dataclass
class UnitizingTally:
    """Sums for alpha_U over a set of documents and a fixed number of coders.

    A category that does not occur in a document still has gaps there: the whole
    document, once per coder. Rather than visit every category in every document, the
    tally counts document lengths once and adds those gaps when it computes D_e.
    """

    coders: int
    length: int = 0
    documents: Counter = field(default_factory=Counter)
    categories: dict[str, CategoryTally] = field(default_factory=dict)

    def category(self, name: str) -> CategoryTally:
        tally = self.categories.get(name)
        if tally is None:
            tally = self.categories[name] = CategoryTally()
        return tally

    def add_document(
        self,
        length: int,
        units: Sequence[Mapping[str, Sequence[Unit]]],
        observed: Mapping[str, int] | None = None,
    ) -> None:
        """One document: ``units[k]`` is coder k's merged units by category
        (``spans.merged_units``). ``observed``, if given, is the delta^2 sum per category
        over all coder pairs, already computed by the caller's walk; else it is walked
        here."""
        if len(units) != self.coders:
            raise ValueError(f"expected units of {self.coders} coders, got {len(units)}")
        self.length += length
        self.documents[length] += 1
        names = set().union(*units)
        for name in names:
            tally = self.category(name)
            tally.documents[length] += 1
            per_coder = [by_category.get(name, ()) for by_category in units]
            for own in per_coder:
                if own:
                    tally.unit_lengths.extend([end - start for start, end in own])
                    tally.gap_lengths.extend(gaps(own, length))
                else:
                    tally.gap_lengths.append(length)
            if observed is not None:
                tally.observed += observed.get(name, 0)
                continue
            for a in range(len(per_coder)):
                for b in range(a + 1, len(per_coder)):
                    if per_coder[a] or per_coder[b]:
                        tally.observed += overlap_walk(per_coder[a], per_coder[b])[0]

    def merge(self, other: UnitizingTally) -> None:
        self.length += other.length
        self.documents.update(other.documents)
        for name, theirs in other.categories.items():
            mine = self.category(name)
            mine.observed += theirs.observed
            mine.unit_lengths.extend(theirs.unit_lengths)
            mine.gap_lengths.extend(theirs.gap_lengths)
            mine.documents.update(theirs.documents)

    def disagreements(self, name: str) -> tuple[float, float] | None:
        """(D_o, D_e) of one category, or None where they are undefined."""
        tally = self.categories.get(name)
        m, length = self.coders, self.length
        if tally is None or m < 2 or length == 0 or not tally.unit_lengths:
            return None
        all_gaps = Counter(tally.gap_lengths)
        for size, n in self.documents.items():
            absent = n - tally.documents[size]
            if absent and size:
                all_gaps[size] += m * absent
        expected = _expected(Counter(tally.unit_lengths), all_gaps, m, length)
        if expected is None:
            return None
        return 2 * tally.observed / (m * (m - 1) * length * length), expected

    def alpha(self, name: str) -> float | None:
        """alpha_U of one category."""
        return _alpha([self.disagreements(name)])

    def overall(self) -> float | None:
        """alpha_U over all categories that occur: 1 - mean D_o / mean D_e."""
        return _alpha(map(self.disagreements, sorted(self.categories)))

    def alphas(self) -> tuple[float | None, dict[str, float | None]]:
        """The overall value and each category's, computing each D_e once."""
        found = {name: self.disagreements(name) for name in sorted(self.categories)}
        return _alpha(found.values()), {name: _alpha([d]) for name, d in found.items()}


def _alpha(disagreements: Iterable[tuple[float, float] | None]) -> float | None:
    """1 - sum D_o / sum D_e over the defined categories (the means' ratio)."""
    found = [d for d in disagreements if d is not None]
    expected = sum(d[1] for d in found)
    if not found or expected == 0:
        return None
    return 1 - sum(d[0] for d in found) / expected


def _expected(units: Counter, gap_lengths: Counter, m: int, length: int) -> float | None:
    count = sum(units.values())  # N_c
    sizes = sorted(gap_lengths)
    # over distinct gap sizes from k on: how many gaps, and their total length
    suffix_count = [0] * (len(sizes) + 1)
    suffix_total = [0] * (len(sizes) + 1)
    for k in range(len(sizes) - 1, -1, -1):
        n = gap_lengths[sizes[k]]
        suffix_count[k] = suffix_count[k + 1] + n
        suffix_total[k] = suffix_total[k + 1] + n * sizes[k]
    numerator = 0
    squared = 0
    for size, n in units.items():
        k = bisect_left(sizes, size)
        fits = suffix_total[k] - (size - 1) * suffix_count[k]  # sum of (gap - l + 1), gap >= l
        within = (count - 1) * (2 * size**3 - 3 * size**2 + size) // 3  # l(l-1)(2l-1) = 6k
        numerator += n * (within + size * size * fits)
        squared += n * size * (size - 1)
    denominator = m * length * (m * length - 1) - squared
    if denominator <= 0:
        return None
    return 2 * numerator / (length * denominator)
