"""Agreement on links, for each pair of annotators: exact precision, recall and F1.

A link of the candidate (B) matches one of the reference (A) when it has the same type
and both its ends match exactly: the same document, start and end, and the same label
(any label with ``ignore_labels``). An undirected link ignores direction: its ends are
compared as an unordered pair. Each annotator's links count once each (as a set)::

    P = |A & B| / |B|      R = |A & B| / |A|      F1 = 2PR / (P + R)

with the empty cases of ``span_f1.precision_recall_f1`` (no link on either side: all
None; on one side only: F1 = 0). Only links whose two ends lie in the documents the span
measures compared count (documents every compared annotator marked done), and, with a
label filter, only links between spans of the compared labels: a link can only agree
where its ends could be compared. Sums add up over documents and types before dividing
(micro average); each type also gets its own values.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from reader.core.agreement.span_f1 import precision_recall_f1

#: One end as agreement compares it: (document, start, end, label or "").
End = tuple[str, int, int, str]
#: (annotator, type, source document, start, end, label, target document, start, end, label)
LinkRow = tuple[str, str, str, int, int, str, str, int, int, str]


def link_keys(
    rows: Iterable[LinkRow],
    compared: Collection[str],
    documents: Collection[str],
    *,
    undirected: Collection[str],
    labels: Collection[str] | None = None,
    ignore_labels: bool = False,
) -> dict[str, set[tuple[str, End, End]]]:
    """Each compared annotator's distinct links as (type, end, end) keys."""
    keys: dict[str, set[tuple[str, End, End]]] = {name: set() for name in compared}
    documents = set(documents)
    for annotator, link_type, *ends in rows:
        own = keys.get(annotator)
        if own is None:
            continue
        s_doc, s_start, s_end, s_label, t_doc, t_start, t_end, t_label = ends
        if s_doc not in documents or t_doc not in documents:
            continue
        if labels is not None and (s_label not in labels or t_label not in labels):
            continue
        if ignore_labels:
            s_label = t_label = ""
        a: End = (s_doc, s_start, s_end, s_label)
        b: End = (t_doc, t_start, t_end, t_label)
        if link_type in undirected and b < a:
            a, b = b, a
        own.add((link_type, a, b))
    return keys


def pair_links(
    reference: set[tuple[str, End, End]], candidate: set[tuple[str, End, End]]
) -> dict[str, Any]:
    """P, R, F1 of ``candidate`` against ``reference``, overall and per link type."""
    common = reference & candidate
    result: dict[str, Any] = _values(len(common), len(reference), len(candidate))
    types = sorted({key[0] for key in reference | candidate})
    result["types"] = {
        name: _values(
            sum(1 for k in common if k[0] == name),
            sum(1 for k in reference if k[0] == name),
            sum(1 for k in candidate if k[0] == name),
        )
        for name in types
    }
    return result


def _values(matches: int, references: int, candidates: int) -> dict[str, Any]:
    values: dict[str, Any] = dict(precision_recall_f1(matches, candidates, matches, references))
    values.update(matches=matches, reference_links=references, candidate_links=candidates)
    return values


def add_link_agreement(
    report: dict[str, Any],
    rows: Iterable[LinkRow],
    *,
    undirected: Collection[str],
    labels: Collection[str] | None = None,
) -> dict[str, Any]:
    """Give each pair of an agreement report its ``links`` values, over the documents
    the report compared; returns the report."""
    keys = link_keys(
        rows,
        report["annotators"],
        report["documents"],
        undirected=undirected,
        labels=labels,
        ignore_labels=report["options"]["ignore_labels"],
    )
    for pair in report["pairs"]:
        pair["links"] = pair_links(keys[pair["a"]], keys[pair["b"]])
    report["links"] = {name: len(own) for name, own in keys.items()}
    return report
