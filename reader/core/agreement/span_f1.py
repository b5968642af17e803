"""Span F1 between two annotators, annotator ``a`` as reference (A) and ``b`` as
candidate (B): exact and partial (SemEval-2020 Task 11).

Exact: a candidate span counts when a reference span has the same start, end and label
(with labels ignored, the same start and end). Identical duplicates count once::

    P = |A & B| / |B|      R = |A & B| / |A|      F1 = 2PR / (P + R)

Partial, as the SemEval-2020 Task 11 span scorer (Da San Martino et al. 2020,
``task-SI_scorer.py``, ``compute_score_pr``): within each annotator, overlapping spans of
the same label are first merged into one; then, summing over candidate s and reference t
of the same label (any label with ``ignore_labels``, the task's span identification)::

    P = (1/|B|) * sum |s & t| / |s|      R = (1/|A|) * sum |s & t| / |t|

Over several documents and labels the sums and counts add up before dividing (micro
average, as the scorer does over articles).

Empty cases, defined here and differing from the scorer on purpose:
- no candidate span: P is undefined (``None``); no reference span: R is ``None``
  (the scorer reports 0 for both);
- exactly one side has spans: F1 = 0.0 (one annotator marked what the other did not;
  the harmonic mean with a zero recall or precision is 0 whatever the other is);
- neither side has spans: P, R and F1 are all ``None`` (nothing to compare; the scorer
  reports F1 = 1.0, which would read as agreement without evidence);
- both have spans but no overlap: P = R = F1 = 0.0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field


def precision_recall_f1(
    precision_sum: float, candidates: int, recall_sum: float, references: int
) -> dict[str, float | None]:
    """P, R and F1 from the numerators and the span counts, with the empty cases above."""
    precision = precision_sum / candidates if candidates else None
    recall = recall_sum / references if references else None
    if precision is None and recall is None:
        f1 = None
    elif precision is None or recall is None:
        f1 = 0.0
    elif precision + recall > 0:
        f1 = 2 * precision * recall / (precision + recall)
    else:
        f1 = 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


@dataclass
class SpanTally:
    """The numerators of one (reference, candidate) pair, per label, summed over
    documents. How many spans each side has belongs to the annotator, not the pair, so
    the caller counts those once per annotator and passes them to ``exact()`` and
    ``partial()`` (as ``{label: spans}``: distinct spans for exact, merged for partial)."""

    matches: Counter = field(default_factory=Counter)
    precision_sums: dict[str, float] = field(default_factory=dict)
    recall_sums: dict[str, float] = field(default_factory=dict)

    def add_matches(
        self, reference: set[tuple[int, int, str]], candidate: set[tuple[int, int, str]]
    ) -> int:
        """One document's distinct spans of each side; returns how many match exactly."""
        common = reference & candidate
        if common:
            self.matches.update(label for _, _, label in common)
        return len(common)

    def add_overlap(self, label: str, precision_sum: float, recall_sum: float) -> None:
        """One document, one label: sum |s & t| / |s| and sum |s & t| / |t|."""
        if precision_sum:
            self.precision_sums[label] = self.precision_sums.get(label, 0.0) + precision_sum
            self.recall_sums[label] = self.recall_sums.get(label, 0.0) + recall_sum

    def exact(
        self,
        references: Mapping[str, int],
        candidates: Mapping[str, int],
        label: str | None = None,
    ) -> dict[str, float | int | None]:
        matches = _pick(self.matches, label)
        n_ref, n_cand = _pick(references, label), _pick(candidates, label)
        result: dict[str, float | int | None] = dict(
            precision_recall_f1(matches, n_cand, matches, n_ref)
        )
        result.update(matches=matches, reference_spans=n_ref, candidate_spans=n_cand)
        return result

    def partial(
        self,
        references: Mapping[str, int],
        candidates: Mapping[str, int],
        label: str | None = None,
    ) -> dict[str, float | int | None]:
        n_ref, n_cand = _pick(references, label), _pick(candidates, label)
        result: dict[str, float | int | None] = dict(
            precision_recall_f1(
                _pick(self.precision_sums, label), n_cand, _pick(self.recall_sums, label), n_ref
            )
        )
        result.update(reference_spans=n_ref, candidate_spans=n_cand)
        return result


def _pick(values: Mapping[str, float], label: str | None) -> float:
    if label is None:
        return sum(values.values())
    return values.get(label, 0)
