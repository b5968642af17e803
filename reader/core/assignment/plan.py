"""Planning an assignment: overlap for agreement, work balanced by characters.

The plan gives every document that has no annotator yet either ``per_document``
annotators (the overlap share, which agreement is measured on) or one. Documents are
taken longest first and each goes to the annotators with the fewest characters so far
(longest-processing-time-first, Graham 1969): a 10,000-character article weighs ten
times a 1,000-character one, where balancing by document count would not see it.
Characters already assigned count towards an annotator's load, so assigning again after
new articles arrive tops everyone up evenly.

The plan depends only on its arguments and the current table: the same arguments give
the same plan, and a second run finds nothing left to assign (idempotent). ``seed``
decides which documents form the overlap share and breaks ties between equal loads.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence

from reader.core.errors import ValidationError


def overlap_count(overlap: float, documents: int) -> int:
    """How many of ``documents`` the overlap share holds: rounded half up, not to even,
    so 0.5 of 5 documents is 3 and the share never depends on float parity."""
    return int(overlap * documents + 0.5)


def plan_assignment(
    lengths: Mapping[str, int],
    selected: Collection[str],
    annotators: Sequence[str],
    current: Mapping[str, Collection[str]],
    *,
    overlap: float = 0.0,
    per_document: int = 2,
    seed: int = 0,
) -> dict[str, tuple[str, ...]]:
    """New assignments for the ``selected`` documents nobody is assigned to yet.

    Args:
        lengths: every document id -> its length in code points (loads count all of them).
        selected: the documents to assign (``--documents``); those already assigned
            to someone are left as they are.
        annotators: who shares the work, in any order.
        current: the stored assignment, document -> annotators.
        overlap: the share of the selected documents (0 to 1) given to ``per_document``
            annotators, counting those already shared.
        per_document: annotators per document on the overlap share.
        seed: picks the overlap documents and breaks ties.

    Returns:
        document -> the annotators to add, for newly assigned documents only.
    """
    names = list(dict.fromkeys(annotators))
    if not names:
        raise ValidationError("--annotators: name at least one annotator")
    if not 0.0 <= overlap <= 1.0:
        raise ValidationError(f"--overlap: {overlap} is not between 0 and 1")
    if per_document < 1:
        raise ValidationError(f"--per-document: {per_document} is less than 1")
    if overlap > 0 and per_document > len(names):
        raise ValidationError(
            f"--per-document: {per_document} annotators per document, but only "
            f"{len(names)} named in --annotators"
        )
    rng = random.Random(seed)
    fresh = sorted(d for d in selected if not current.get(d))
    already_shared = sum(1 for d in selected if len(current.get(d, ())) >= 2)
    wanted = overlap_count(overlap, len(selected)) - already_shared
    order = list(fresh)
    rng.shuffle(order)
    shared = set(order[: max(0, min(wanted, len(order)))]) if per_document > 1 else set()
    position = {d: i for i, d in enumerate(order)}
    rank = {a: i for i, a in enumerate(rng.sample(names, len(names)))}
    load = dict.fromkeys(names, 0)
    for document, who in current.items():
        for annotator in who:
            if annotator in load:
                load[annotator] += lengths.get(document, 0)
    plan: dict[str, tuple[str, ...]] = {}
    for document in sorted(fresh, key=lambda d: (-lengths[d], position[d])):
        wanted_here = per_document if document in shared else 1
        chosen = sorted(names, key=lambda a: (load[a], rank[a]))[:wanted_here]
        for annotator in chosen:
            load[annotator] += lengths[document]
        plan[document] = tuple(sorted(chosen))
    return plan
