"""What the review screens read: one document's state, and the table of documents.

A document's disagreements are its span disagreements and its link disagreements,
stepped through in one text order: by place (a link's place is its later end on the
document, so both its spans come before it and are settled by then: gold needs them
to hold the link), a span disagreement before a link at the same place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain

from reader.core.adjudication.compare import (
    Agreement,
    Comparison,
    Disagreement,
    compare,
    provenance,
)
from reader.core.adjudication.decisions import Step, accept, covered_ids, is_settled
from reader.core.adjudication.links import LinkItem, link_items
from reader.core.assignment import counted_done
from reader.core.errors import ValidationError
from reader.core.model import Annotation
from reader.core.store import Store


@dataclass(frozen=True)
class DocumentReview:
    """One document as the review screen shows it: the comparison and gold's state."""

    comparison: Comparison
    gold: tuple[Annotation, ...]  # live gold annotations
    covered: frozenset[str]
    links: tuple[LinkItem, ...] = ()  # every compared link with an end on the document

    @property
    def document(self) -> str:
        return self.comparison.document

    def settled(self, item: Disagreement | Agreement | LinkItem) -> bool:
        if isinstance(item, LinkItem):
            return item.settled
        return is_settled(item, self.covered)

    @property
    def link_disagreements(self) -> tuple[LinkItem, ...]:
        """Links some compared annotators made and the others did not."""
        return tuple(i for i in self.links if not i.agreed(self.comparison.annotators))

    @property
    def items(self) -> tuple[Disagreement | LinkItem, ...]:
        """Every disagreement, span and link, in text order."""
        return tuple(sorted((*self.comparison.disagreements, *self.link_disagreements), key=_order))

    @property
    def remaining(self) -> list[Disagreement]:
        return [d for d in self.comparison.disagreements if not self.settled(d)]

    @property
    def open_items(self) -> list[Disagreement | LinkItem]:
        """Every disagreement not settled yet, span and link."""
        return [i for i in self.items if not self.settled(i)]

    @property
    def remaining_links(self) -> list[LinkItem]:
        return [i for i in self.link_disagreements if not i.settled]

    @property
    def pending_agreements(self) -> list[Agreement]:
        return [a for a in self.comparison.agreements if not self.settled(a)]

    def agreed_ends(self, item: LinkItem) -> tuple[Step, ...]:
        """The steps that copy into gold the agreed spans at ``item``'s ends that gold
        does not hold yet: a link needs its ends in gold, and a span every compared
        annotator made alike leaves the lead nothing to decide, so putting the link in
        gold takes them along rather than refusing it."""
        ends = item.source_ids | item.target_ids
        return tuple(
            step
            for agreement in self.pending_agreements
            if ends.intersection(agreement.sources)
            for step in accept(agreement, self.covered)
        )


def _order(item: Disagreement | LinkItem) -> tuple:
    if isinstance(item, LinkItem):
        return (item.start, item.end, 1, item.kind, item.key)
    return (item.start, item.end, 0, item.kind, item.sources)


def item_key(item: Disagreement | LinkItem) -> tuple:
    """What stays the same of an item when the document is read again (after a decision)."""
    return item.key if isinstance(item, LinkItem) else item.sources


def _is_record(store: Store, a: Annotation) -> bool:
    """Live gold, or a gold tombstone with provenance that undo did not make: a tombstone
    that came without its log (an import) still counts, as it was deliberate somewhere."""
    if a.live:
        return True
    if not provenance(a):
        return False
    events = store.events(annotation=a.id)
    return not events or events[-1].action != "undo"


def _gold_state(store: Store, gold: str, document: str | None) -> tuple[dict, dict]:
    live: dict[str, list[Annotation]] = defaultdict(list)
    records: dict[str, list[Annotation]] = defaultdict(list)
    for a in store.iter_annotations(annotator=gold, document=document, include_deleted=True):
        if a.live:
            live[a.document].append(a)
        if _is_record(store, a):
            records[a.document].append(a)
    return live, records


def load_document(
    store: Store, document: str, annotators: Sequence[str], gold: str
) -> DocumentReview:
    if gold in annotators:
        raise ValidationError(f"the gold annotator {gold!r} cannot also be compared")
    annotations = list(
        chain.from_iterable(
            store.iter_annotations(document=document, annotator=name, include_orphaned=False)
            for name in annotators
        )
    )
    live, records = _gold_state(store, gold, document)
    covered = covered_ids(records[document])
    known = {a.id: a for a in annotations}
    links = link_items(store, tuple(annotators), document, gold, known)
    return DocumentReview(
        compare(document, annotations, annotators),
        tuple(live[document]),
        covered,
        tuple(_with_ends_settled(store, gold, links, {document: (live[document], covered)})),
    )


def _with_ends_settled(
    store: Store, gold: str, items: list[LinkItem], known: dict[str, tuple]
) -> list[LinkItem]:
    """Mark the links gold can no longer hold: at one end, every compared annotator's
    span was settled (its id in gold's provenance) and gold kept no span there."""
    ends: dict[str, tuple[set, frozenset[str]]] = {}

    def gold_at(document: str) -> tuple[set, frozenset[str]]:
        if document not in ends:
            if document not in known:
                live, records = _gold_state(store, gold, document)
                known[document] = (live[document], covered_ids(records[document]))
            spans, covered = known[document]
            ends[document] = ({(a.document, a.start, a.end, a.label) for a in spans}, covered)
        return ends[document]

    def dropped(end: tuple, ids: frozenset[str]) -> bool:
        spans, covered = gold_at(end[0])
        return end not in spans and bool(ids) and ids <= covered

    return [
        replace(item, end_left_out=True)
        if not item.in_gold
        and (dropped(item.source, item.source_ids) or dropped(item.target, item.target_ids))
        else item
        for item in items
    ]


@dataclass(frozen=True)
class DocumentSummary:
    """A row of the review table."""

    document: str
    agreement: float | None  # None: undefined (e.g. nobody tagged anything)
    spans: int
    disagreements: int  # span and link disagreements
    remaining: int
    pending_agreements: int
    done: tuple[str, ...]  # compared annotators who marked the document done
    # The compared annotators the document was given to, when fewer than two: nothing to
    # compare (``reader agree`` leaves it out), listed apart so gold can still take it.
    only: tuple[str, ...] | None = None

    @property
    def shared(self) -> bool:
        """Whether the compared annotators share the document (its figures count)."""
        return self.only is None


def summaries(
    store: Store, annotators: Sequence[str], gold: str
) -> tuple[list[DocumentSummary], str]:
    """Every document any compared annotator tagged or finished, lowest agreement first,
    then those fewer than two of them share, by id.

    A document counts for an annotator as ``reader agree`` counts it
    (``reader.core.assignment.counted_done``): every document is treated as done, since
    a review looks at what is there, but with assignments only the annotator's own
    documents count. A document that counts for fewer than two compared annotators
    (``--overlap`` gave it to one) has nothing to compare: no agreement and no
    disagreements, only ``only`` naming whom it was given to.

    Returns the rows and the name of the agreement measure used: Krippendorff's nominal
    alpha per document from ``reader.core.agreement``, or, where that package cannot
    answer, 1 - disagreements / spans.
    """
    names = list(dict.fromkeys(annotators))
    if gold in names:
        raise ValidationError(f"the gold annotator {gold!r} cannot also be compared")
    by_document: dict[str, list[Annotation]] = defaultdict(list)
    for name in names:
        for a in store.iter_annotations(annotator=name, include_orphaned=False):
            by_document[a.document].append(a)
    done: dict[str, set[str]] = defaultdict(set)
    for status in store.statuses():
        if status.status == "done" and status.annotator in names:
            done[status.document].add(status.annotator)
    lengths = {d.id: d.length for d in store.documents()}
    shown = sorted((set(by_document) | set(done)) & lengths.keys())
    counted = counted_done({doc: set(names) for doc in shown}, store.assignments())
    alphas, measure = _alphas(lengths, by_document, counted, names)
    live, records = _gold_state(store, gold, None)
    known = {doc: (live[doc], covered_ids(records[doc])) for doc in shown}
    linked = {
        document
        for name in names
        for _, source, _, target, _ in store.iter_link_ends(annotator=name)
        for document in (source, target)
    }
    rows = []
    for doc in shown:
        read = {a.id: a for a in by_document[doc]} if doc in linked else {}
        links = link_items(store, tuple(names), doc, gold, read) if doc in linked else []
        review = DocumentReview(
            compare(doc, by_document[doc], names),
            tuple(live[doc]),
            known[doc][1],
            tuple(_with_ends_settled(store, gold, links, known)),
        )
        spans = len(by_document[doc])
        given = tuple(n for n in names if n in counted.get(doc, ()))
        shared = len(given) >= 2  # else nothing to compare: no figure, no disagreement
        if not shared:
            value = None
        elif alphas is not None and doc in alphas:
            value = alphas[doc]
        else:
            value = 1 - len(review.comparison.disagreements) / spans if spans else None
        rows.append(
            DocumentSummary(
                doc,
                value,
                spans,
                len(review.items) if shared else 0,
                len(review.open_items),
                len(review.pending_agreements),
                tuple(n for n in names if n in done[doc]),
                only=None if shared else given,
            )
        )
    rows.sort(key=lambda r: (not r.shared, _rank(r), r.document))
    return rows, measure


def _rank(row: DocumentSummary) -> float:
    if row.agreement is not None:
        return row.agreement
    return 1.0 if row.disagreements == 0 else 0.0


def _alphas(
    lengths: Mapping[str, int], by_document: Mapping[str, list], done: Mapping, names: list[str]
):
    try:
        from reader.core.agreement.report import agreement_report
    except ImportError:  # the agreement package is optional to this module
        return None, "1 - disagreements/spans"
    try:
        report = agreement_report(
            lengths,
            chain.from_iterable(by_document.values()),
            done,
            annotators=names,
            per_document=True,
        )
    except ValidationError:  # an annotator with no spans and nothing done
        return None, "1 - disagreements/spans"
    per = report.get("per_document", {})
    return {
        doc: row.get("char_krippendorff_alpha") for doc, row in per.items()
    }, "Krippendorff's alpha"
