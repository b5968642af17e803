"""Adjudication: where annotators disagree, and how a lead's decision becomes gold.

Comparing annotators on one document. Two annotations *agree* when span, label,
attributes and note are identical (``provenance`` aside); every compared annotator
holding such an annotation is an agreement. What is left is grouped into
disagreements: leftovers with the same span (different label or attributes), or of
the same label that overlap (different boundaries), form one disagreement, found by a
sweep over spans sorted by start. Its kind:

- ``only_in_a`` / ``only_in_b``: only the first / second compared annotator has it;
- ``only_in_some``: (three or more annotators) held by a subset, but not by exactly one
  of the first two;
- ``different_label``: the same span under different labels (also when a group mixes
  a label difference with a boundary difference: the label is the bigger one);
- ``different_boundaries``: one label, overlapping, different offsets;
- ``different_attributes``: same span and label, different attributes or note.
Overlapping spans of *different* labels and different offsets are two separate
"only in" disagreements, as the kinds above define.

Settling. Decisions are written as the gold annotator (``gold`` or ``--gold NAME``),
origin ``adjudicated``, attributes carrying ``provenance``: the ids of every source
annotation the decision looked at (so the taken one is the gold annotation's content,
the rejected ones are the rest). A disagreement is *settled* when the union of
provenance over the gold annotator's *decision records* covers all its source ids. The
records are the live gold annotations, plus gold tombstones made by a deliberate
delete: "take neither" is stored as a gold copy created and then deleted, and a gold
annotation deleted in the gold pane likewise means "none of these". A tombstone made by
undo is not a record, so undoing a decision reopens the disagreement. When an
annotator later adds an annotation to a settled place, the group gains an id nobody
decided on and is open again.

Links. A link some compared annotators made and others did not is a link
disagreement (kind ``link``), and so is one they all made (same type, same ends) with
different attributes or note (kind ``link_attributes``); either is placed at its
later end on the document and stepped through among the span disagreements in text
order, so both its spans are settled before it; putting it in gold settles it (and
copies the agreed spans at its ends that gold lacks) (with the values of the side taken, or taken one
by one as for spans), and so does leaving it out (a gold copy made and deleted, as for
spans).

Modules: ``compare`` finds agreements and disagreements (pure), ``decisions`` plans
and applies decisions (``apply`` and ``open_gold`` use the Store), ``links`` compares
links and settles one, ``values`` settles attributes one by one (spans and links),
``review`` reads what the review screen needs through the Store.
None of them speaks SQL.
"""

from reader.core.adjudication.compare import (
    DIFFERENT_ATTRIBUTES,
    DIFFERENT_BOUNDARIES,
    DIFFERENT_LABEL,
    KINDS,
    ONLY_IN_A,
    ONLY_IN_B,
    ONLY_IN_SOME,
    PROVENANCE,
    Agreement,
    Comparison,
    Disagreement,
    compare,
    content_key,
    describe,
    provenance,
)
from reader.core.adjudication.decisions import (
    ADJUDICATED,
    DEFAULT_GOLD,
    Copy,
    Reject,
    Retract,
    Step,
    accept,
    apply,
    covered_ids,
    edit_provenance,
    is_settled,
    open_gold,
    take,
    take_neither,
)
from reader.core.adjudication.links import LINK, LINK_ATTRIBUTES, LinkItem, describe_link
from reader.core.adjudication.review import (
    DocumentReview,
    DocumentSummary,
    item_key,
    load_document,
    summaries,
)

__all__ = [
    "ADJUDICATED",
    "DEFAULT_GOLD",
    "DIFFERENT_ATTRIBUTES",
    "DIFFERENT_BOUNDARIES",
    "DIFFERENT_LABEL",
    "KINDS",
    "LINK",
    "LINK_ATTRIBUTES",
    "ONLY_IN_A",
    "ONLY_IN_B",
    "ONLY_IN_SOME",
    "PROVENANCE",
    "Agreement",
    "Comparison",
    "Copy",
    "Disagreement",
    "DocumentReview",
    "DocumentSummary",
    "LinkItem",
    "Reject",
    "Retract",
    "Step",
    "accept",
    "apply",
    "compare",
    "content_key",
    "covered_ids",
    "describe",
    "describe_link",
    "edit_provenance",
    "is_settled",
    "item_key",
    "load_document",
    "open_gold",
    "provenance",
    "summaries",
    "take",
    "take_neither",
]
