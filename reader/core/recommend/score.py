"""Precision, recall and F1 of proposed spans against a reference, per label.

Two matchings, both as ``reader agree`` defines them (:mod:`reader.core.agreement.span_f1`),
with the reference (gold, or an annotator) as A and the proposals as B:

- **exact**: a proposal counts when a reference span has the same start, end and label;
- **partial**: the SemEval-2020 Task 11 scorer's overlap fractions, after merging each
  side's overlapping spans of a label.

Sums and counts add up over documents before dividing (micro average), so a corpus
score is not an average of per-document scores.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reader.core.agreement.span_f1 import SpanTally
from reader.core.agreement.spans import Piece, merged_units, overlap_walk


@dataclass
class Score:
    """One recommender's numerators and span counts, document by document."""

    tally: SpanTally = field(default_factory=SpanTally)
    references: Counter = field(default_factory=Counter)
    candidates: Counter = field(default_factory=Counter)
    merged_references: Counter = field(default_factory=Counter)
    merged_candidates: Counter = field(default_factory=Counter)

    def add(self, reference: Iterable[Piece], candidate: Iterable[Piece]) -> None:
        """One document's reference spans and proposals, as (start, end, label)."""
        ref, cand = set(reference), set(candidate)
        self.tally.add_matches(ref, cand)
        self.references.update(label for _, _, label in ref)
        self.candidates.update(label for _, _, label in cand)
        ref_units, cand_units = merged_units(ref), merged_units(cand)
        for label, units in ref_units.items():
            self.merged_references[label] += len(units)
        for label, units in cand_units.items():
            self.merged_candidates[label] += len(units)
        for label in ref_units.keys() & cand_units.keys():
            _, precision_sum, recall_sum = overlap_walk(ref_units[label], cand_units[label])
            self.tally.add_overlap(label, precision_sum, recall_sum)

    def labels(self) -> list[str]:
        return sorted(self.references.keys() | self.candidates.keys())

    def result(self, label: str | None = None) -> dict[str, Any]:
        """``{"exact": {...}, "partial": {...}}`` for one label, or all labels together."""
        return {
            "exact": self.tally.exact(self.references, self.candidates, label),
            "partial": self.tally.partial(self.merged_references, self.merged_candidates, label),
        }
