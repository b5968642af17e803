"""Progress of a team: who has done what, and how far the overlap agrees so far.

What ``reader progress --json`` prints and the Progress screen draws:

- ``annotators``: per annotator, documents ``assigned``, ``in_progress`` (started: an
  annotation or a reopened document, not done) and ``done``, both counted within the
  annotator's scope (their assigned documents, or every document if they have none),
  and ``annotations``, their live annotations per label (wherever they are);
- ``documents``: per document, its ``characters`` and who is ``assigned``, ``in_progress``
  and ``done``;
- ``agreement``: Krippendorff's nominal alpha at the character level (the measure of
  ``reader agree``, which allows missing data, so documents two of three annotators
  finished count), overall and per label, over the documents that at least two
  annotators were assigned and marked done, with the spans each value rests on.

The adjudicator (``gold``) is left out unless someone assigned them documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from reader.core.agreement.report import agreement_report
from reader.core.assignment import counted_done

if TYPE_CHECKING:
    from reader.core.store import Store


def progress_report(store: Store, *, gold: str = "gold") -> dict[str, Any]:
    """The progress of everyone in ``store``."""
    lengths = {d.id: d.length for d in store.documents()}
    assignments = store.assignments()
    assigned_to: dict[str, set[str]] = {}
    for document, who in assignments.items():
        for name in who:
            assigned_to.setdefault(name, set()).add(document)
    done: dict[str, set[str]] = {}
    started: dict[str, set[str]] = {}  # annotator -> documents begun
    for s in store.statuses():
        if s.status == "done":
            done.setdefault(s.document, set()).add(s.annotator)
        elif s.status == "in_progress":
            started.setdefault(s.annotator, set()).add(s.document)
    labels: dict[str, Counter] = {}
    for name, document, label, n in store.work_counts():
        labels.setdefault(name, Counter())[label] += n
        started.setdefault(name, set()).add(document)
    everyone = set(assigned_to) | set(labels) | set(started) | set().union(*done.values())
    if gold not in assigned_to:
        everyone.discard(gold)
    annotators: dict[str, Any] = {}
    documents: dict[str, Any] = {
        doc: {"characters": n, "assigned": [], "in_progress": [], "done": []}
        for doc, n in lengths.items()
    }
    for name in sorted(everyone):
        scope = assigned_to.get(name, lengths.keys())
        finished = {d for d in scope if name in done.get(d, ()) and d in lengths}
        begun = {d for d in started.get(name, ()) if d in scope and d in lengths} - finished
        annotators[name] = {
            "assigned": len(assigned_to.get(name, ())),
            "in_progress": len(begun),
            "done": len(finished),
            "annotations": dict(sorted(labels.get(name, Counter()).items())),
        }
        for doc in assigned_to.get(name, ()):
            if doc in documents:
                documents[doc]["assigned"].append(name)
        for doc in begun:
            documents[doc]["in_progress"].append(name)
        for doc in finished:
            documents[doc]["done"].append(name)
    return {
        "annotators": annotators,
        "documents": documents,
        "agreement": _agreement(store, lengths, done, assignments, everyone),
    }


def _agreement(
    store: Store,
    lengths: dict[str, int],
    done: dict[str, set[str]],
    assignments: dict[str, tuple[str, ...]],
    everyone: set[str],
) -> dict[str, Any]:
    counted = {
        doc: who & everyone
        for doc, who in counted_done(done, assignments).items()
        if who & everyone
    }
    shared = {doc: who for doc, who in counted.items() if len(who) >= 2}
    spans = Counter()

    def tally(rows: Iterable[tuple[str, str, int, int, str]]) -> Iterator[tuple]:
        for row in rows:
            if row[0] in everyone:
                if row[0] in shared.get(row[1], ()):
                    spans[row[4]] += 1
                yield row

    report = agreement_report(lengths, tally(store.span_tuples()), counted)
    return {
        "annotators": report["annotators"],
        "documents": report["alpha_documents"],
        "overall": {
            "char_krippendorff_alpha": report["overall"]["char_krippendorff_alpha"],
            "spans": sum(spans.values()),
        },
        "labels": {
            name: {
                "char_krippendorff_alpha": values["char_krippendorff_alpha"],
                "spans": spans[name],
            }
            for name, values in report["labels"].items()
        },
    }
