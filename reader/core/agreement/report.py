"""The agreement report: every measure, overall, per label, per pair of annotators and
per document, as one JSON-ready dict (what ``reader agree --json`` prints).

Which documents count (issue 5):
- Cohen's and Fleiss' kappa, span F1 and alpha_U compare the documents that *every*
  compared annotator marked done; an empty done document is agreement on "nothing
  here", not missing data. ``all_documents`` treats every document as done by everyone.
- Krippendorff's nominal alpha also uses documents that only some of them finished: a
  document an annotator has not marked done is missing data for that annotator, and a
  document done by fewer than two of them has nothing to pair.
Spans on a document an annotator has not marked done are not compared: a half-finished
document would count as disagreement.

"lowest_agreement" lists the compared documents with the lowest character-level
Krippendorff alpha (documents where it is undefined, e.g. nobody tagged anything, are
not listed: they are not disagreements).

Every value that is undefined (one annotator, no characters, every character in one
category, no spans) is ``None``, so ``json.dumps(..., allow_nan=False)`` always works.
Numbers are not rounded. The measures, their formulas and sources are in ``char_kappa``,
``unitizing``, ``span_f1`` and ``confusion``; the sweeps in ``spans``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from operator import itemgetter
from typing import Any

from reader.core.agreement.char_kappa import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
)
from reader.core.agreement.confusion import confusion_matrix
from reader.core.agreement.span_f1 import SpanTally, precision_recall_f1
from reader.core.agreement.spans import (
    Pattern,
    add_counts,
    group_spans,
    joint_counts,
    label_patterns,
    merged_units,
    overlap_walk,
    own_segments,
    pair_counts,
)
from reader.core.agreement.unitizing import UnitizingTally
from reader.core.errors import ValidationError

#: How many documents the report lists under "lowest_agreement".
LOWEST = 10

_label = itemgetter(2)


def agreement_report(
    documents: Mapping[str, int],
    spans: Iterable[Any],
    done: Mapping[str, Collection[str]],
    *,
    annotators: Iterable[str] | None = None,
    label: str | Iterable[str] | None = None,
    document: str | Iterable[str] | None = None,
    all_documents: bool = False,
    ignore_labels: bool = False,
    per_document: bool = False,
) -> dict[str, Any]:
    """Agreement between annotators over a corpus.

    Args:
        documents: document id -> length of its normalized text in code points.
        spans: live annotations, as ``(annotator, document, start, end, label)`` tuples,
            mappings with those keys, or objects with those attributes.
        done: document id -> the annotators who marked it done.
        annotators: whom to compare, in this order; each must occur in ``spans`` or
            ``done``. None compares everyone who marked at least one document done
            (with ``all_documents``, everyone seen at all): someone who never finished
            a document would otherwise leave no document done by all.
        label: compare only spans of this label (or these labels).
        document: compare only this document (or these documents).
        all_documents: treat every document as done by every compared annotator.
        ignore_labels: treat every span as the same label (span identification).
        per_document: add every compared document's values under "per_document".

    Raises:
        ValidationError: a span outside its document or on an unknown document, an
            unknown document in ``document``, or an annotator never seen.
    """
    label_filter = _names(label)
    document_filter = _names(document)
    if document_filter is not None:
        unknown = sorted(document_filter - documents.keys())
        if unknown:
            raise ValidationError(f"unknown document {unknown[0]!r}")
    grouped, seen = group_spans(
        spans,
        documents,
        labels=label_filter,
        only_documents=document_filter,
        ignore_labels=ignore_labels,
    )
    finishers = set().union(*done.values()) if done else set()
    if annotators is None:
        # everyone who finished something; with all_documents, everyone seen at all
        compared = sorted(seen | finishers if all_documents else finishers)
    else:
        compared = _compared(annotators, seen | finishers)
    study = _Study(compared, per_document)
    everyone = set(compared)
    for doc in sorted(document_filter if document_filter is not None else documents):
        finished = everyone if all_documents else everyone.intersection(done.get(doc, ()))
        if finished:
            study.add(doc, documents[doc], grouped.get(doc, {}), finished)
    return study.report(
        {
            "label": sorted(label_filter) if label_filter is not None else None,
            "document": sorted(document_filter) if document_filter is not None else None,
            "all_documents": all_documents,
            "ignore_labels": ignore_labels,
        }
    )


def _names(value: str | Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)


def _compared(annotators: Iterable[str], seen: set[str]) -> list[str]:
    chosen = list(dict.fromkeys(annotators))  # keep the order asked for, once each
    for name in chosen:
        if name not in seen:
            known = ", ".join(sorted(seen)) or "none"
            raise ValidationError(f"unknown annotator {name!r} (known: {known})")
    return chosen


class _Study:
    """Accumulates one report's sums, document by document."""

    def __init__(self, compared: list[str], per_document: bool):
        self.compared = compared
        self.pairs = [(i, j) for i in range(len(compared)) for j in range(i + 1, len(compared))]
        self.per_document = per_document
        self.full: dict[Pattern, int] = {}  # documents done by all
        self.partial: dict[Pattern, int] = {}  # documents done by some (alpha only)
        self.documents: list[str] = []
        self.alpha_documents: list[str] = []
        self.characters = 0
        self.labels: Counter = Counter()  # every label in a document someone compared
        # per annotator, over the documents done by all: spans per label, as given, as
        # distinct (start, end, label), and after merging overlaps (SemEval, alpha_U)
        self.spans_by_label = [Counter() for _ in compared]
        self.distinct = [Counter() for _ in compared]
        self.merged = [Counter() for _ in compared]
        self.tallies = [SpanTally() for _ in self.pairs]
        self.unitizing = UnitizingTally(len(compared))
        self.rows: dict[str, dict[str, Any]] = {}

    def add(
        self, doc: str, length: int, by_annotator: Mapping[str, list], finished: set[str]
    ) -> None:
        full = len(finished) == len(self.compared)
        if not full and len(finished) < 2:
            return
        pieces = [by_annotator.get(a, []) if a in finished else None for a in self.compared]
        for own in pieces:
            if own:
                self.labels.update(map(_label, own))
        counts = joint_counts([None if p is None else own_segments(p) for p in pieces], length)
        if len(finished) >= 2:
            self.alpha_documents.append(doc)
        if not full:
            add_counts(self.partial, counts)
            return
        self.documents.append(doc)
        self.characters += length
        add_counts(self.full, counts)
        for counter, own in zip(self.spans_by_label, pieces):
            counter.update(map(_label, own))
        row: dict[str, Any] = {
            "characters": length,
            "spans": {name: len(own) for name, own in zip(self.compared, pieces)},
            "_counts": counts,
        }
        self.rows[doc] = row
        if self.pairs:
            self._spans(length, pieces, row)

    def _spans(self, length: int, pieces: list, row: dict[str, Any]) -> None:
        units = [merged_units(own) for own in pieces]
        exact = [set(own) for own in pieces]
        for k, (own_units, own_exact) in enumerate(zip(units, exact)):
            self.distinct[k].update(map(_label, own_exact))
            merged = self.merged[k]
            for name, found in own_units.items():
                merged[name] += len(found)
        observed: dict[str, int] = {}
        row_pairs = []
        for (i, j), tally in zip(self.pairs, self.tallies):
            matches = tally.add_matches(exact[i], exact[j])
            mine, theirs = units[i], units[j]
            over_b = over_a = 0.0
            for name in mine.keys() | theirs.keys():
                a_units = mine.get(name, ())
                b_units = theirs.get(name, ())
                if a_units and b_units:
                    squares, precision_sum, recall_sum = overlap_walk(a_units, b_units)
                    tally.add_overlap(name, precision_sum, recall_sum)
                    over_b += precision_sum
                    over_a += recall_sum
                else:  # every unit lies in the other's gap
                    squares = sum((e - s) * (e - s) for s, e in a_units or b_units)
                observed[name] = observed.get(name, 0) + squares
            references = sum(map(len, mine.values()))
            candidates = sum(map(len, theirs.values()))
            row_pairs.append(
                (
                    i,
                    j,
                    (matches, len(exact[j]), matches, len(exact[i])),
                    (over_b, candidates, over_a, references),
                )
            )
        row["_pairs"] = row_pairs
        if self.per_document:
            own_tally = UnitizingTally(len(self.compared))
            own_tally.add_document(length, units, observed)
            row["krippendorff_alpha_unitizing"] = own_tally.overall()
            self.unitizing.merge(own_tally)
        else:
            self.unitizing.add_document(length, units, observed)

    def report(self, options: dict[str, Any]) -> dict[str, Any]:
        both = dict(self.full)
        add_counts(both, self.partial)
        labels = sorted(self.labels)
        if options["ignore_labels"]:
            labels = []  # one pseudo-label: its values are the overall ones
        by_label_full = {name: label_patterns(self.full, name) for name in labels}
        pairs = [self._pair(k, by_label_full) for k in range(len(self.pairs))]
        defined = [p["char_cohen_kappa"] for p in pairs if p["char_cohen_kappa"] is not None]
        unitizing, unitizing_by_label = self.unitizing.alphas()
        report: dict[str, Any] = {
            "annotators": list(self.compared),
            "documents": list(self.documents),
            "alpha_documents": list(self.alpha_documents),
            "characters": self.characters,
            "spans": {name: sum(c.values()) for name, c in zip(self.compared, self.spans_by_label)},
            "options": options,
            "overall": {
                "char_fleiss_kappa": fleiss_kappa(self.full),
                "char_krippendorff_alpha": krippendorff_alpha_nominal(both),
                "krippendorff_alpha_unitizing": unitizing,
                "char_cohen_kappa_mean": sum(defined) / len(defined) if defined else None,
            },
            "labels": {
                name: {
                    "char_fleiss_kappa": fleiss_kappa(by_label_full[name]),
                    "char_krippendorff_alpha": krippendorff_alpha_nominal(
                        label_patterns(both, name)
                    ),
                    "krippendorff_alpha_unitizing": unitizing_by_label.get(name),
                    "spans": {a: c[name] for a, c in zip(self.compared, self.spans_by_label)},
                }
                for name in labels
            },
            "pairs": pairs,
        }
        alphas = {doc: krippendorff_alpha_nominal(row["_counts"]) for doc, row in self.rows.items()}
        ranked = sorted(
            (doc for doc, alpha in alphas.items() if alpha is not None),
            key=lambda doc: (alphas[doc], doc),
        )
        report["lowest_agreement"] = [
            {"document": doc, **self._document(self.rows[doc], alphas[doc], detail=False)}
            for doc in ranked[:LOWEST]
        ]
        if self.per_document:
            report["per_document"] = {
                doc: self._document(row, alphas[doc], detail=True) for doc, row in self.rows.items()
            }
        return report

    def _pair(self, k: int, by_label_full: Mapping[str, Mapping[Pattern, int]]) -> dict[str, Any]:
        i, j = self.pairs[k]
        tally = self.tallies[k]
        matrix = pair_counts(self.full, i, j)
        exact = (self.distinct[i], self.distinct[j])
        merged = (self.merged[i], self.merged[j])
        return {
            "a": self.compared[i],
            "b": self.compared[j],
            "char_cohen_kappa": cohen_kappa(matrix),
            "span_exact": tally.exact(*exact),
            "span_partial": tally.partial(*merged),
            "labels": {
                name: {
                    "char_cohen_kappa": cohen_kappa(pair_counts(patterns, i, j)),
                    "span_exact": tally.exact(*exact, label=name),
                    "span_partial": tally.partial(*merged, label=name),
                }
                for name, patterns in by_label_full.items()
            },
            "confusion": confusion_matrix(matrix),
        }

    def _document(self, row: dict[str, Any], alpha: float | None, detail: bool) -> dict[str, Any]:
        """One document's values; with ``detail``, alpha_U and every pair's values too."""
        counts = row["_counts"]
        pairs = []
        partial_f1 = []
        for i, j, exact, partial in row.get("_pairs", ()):
            span_partial = precision_recall_f1(*partial)
            if span_partial["f1"] is not None:
                partial_f1.append(span_partial["f1"])
            if detail:
                pairs.append(
                    {
                        "a": self.compared[i],
                        "b": self.compared[j],
                        "char_cohen_kappa": cohen_kappa(pair_counts(counts, i, j)),
                        "span_exact": precision_recall_f1(*exact),
                        "span_partial": span_partial,
                    }
                )
        values: dict[str, Any] = {
            "characters": row["characters"],
            "spans": row["spans"],
            "char_fleiss_kappa": fleiss_kappa(counts),
            "char_krippendorff_alpha": alpha,
            "span_partial_f1_mean": sum(partial_f1) / len(partial_f1) if partial_f1 else None,
        }
        if detail:
            values["krippendorff_alpha_unitizing"] = row.get("krippendorff_alpha_unitizing")
            values["pairs"] = pairs
        return values
