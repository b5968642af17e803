"""Who should annotate which document: the plan, each annotator's queue, progress.

The rule every part shares (``scope``): an annotator who has assignments works on
their assigned documents; one who has none (a lead trying things, the adjudicator) is
not restricted. Agreement, the queue and progress all read documents through it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from reader.core.assignment.plan import plan_assignment

__all__ = ["counted_done", "plan_assignment"]


def counted_done(
    done: Mapping[str, Collection[str]], assignments: Mapping[str, Collection[str]]
) -> dict[str, set[str]]:
    """The done marks agreement counts: an annotator's mark on a document counts only
    if the document was assigned to them, or if they have no assignment at all.

    With overlap, two annotators are compared only where both were given the document
    and both finished it; a document someone opened out of curiosity is not part of
    the study. Without any assignment, ``done`` comes back as it was.
    """
    assigned_to: dict[str, set[str]] = {}
    for document, annotators in assignments.items():
        for annotator in annotators:
            assigned_to.setdefault(annotator, set()).add(document)
    counted: dict[str, set[str]] = {}
    for document, annotators in done.items():
        kept = {a for a in annotators if a not in assigned_to or document in assigned_to[a]}
        if kept:
            counted[document] = kept
    return counted
