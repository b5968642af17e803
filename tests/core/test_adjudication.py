"""Adjudication finds each kind of disagreement and turns a lead's decisions into gold."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from reader.core import history
from reader.core.adjudication import (
    DIFFERENT_ATTRIBUTES,
    DIFFERENT_BOUNDARIES,
    DIFFERENT_LABEL,
    ONLY_IN_A,
    ONLY_IN_B,
    ONLY_IN_SOME,
    Copy,
    Reject,
    Retract,
    accept,
    apply,
    compare,
    describe,
    edit_provenance,
    load_document,
    open_gold,
    provenance,
    summaries,
    take,
    take_neither,
)
from reader.core.errors import ValidationError
from reader.core.model import Annotation, new_id
from reader.core.store import Store
from tests.helpers import VIETNAMESE, make_document

A, B, C = "lan", "minh", "hà"


def ann(
    annotator: str, start: int, end: int, label: str = "casualty", note: str = "", **attributes
) -> Annotation:
    return Annotation(
        id=new_id(), document="vn1", document_sha256="x", start=start, end=end, text="",
        label=label, annotator=annotator, attributes=MappingProxyType(attributes), note=note,
    )  # fmt: skip


def kinds(annotations, annotators=(A, B)) -> list[str]:
    return [d.kind for d in compare("vn1", annotations, annotators).disagreements]


# -- finding disagreements -----------------------------------------------------------------


def test_identical_span_label_and_attributes_is_an_agreement_not_a_disagreement():
    a, b = ann(A, 0, 5, outcome="killed"), ann(B, 0, 5, outcome="killed")
    result = compare("vn1", [a, b], [A, B])
    assert result.disagreements == ()
    assert [agreement.sources for agreement in result.agreements] == [(a.id, b.id)]


def test_a_span_only_one_annotator_made_is_only_in_that_one():
    a, b = ann(A, 0, 5), ann(B, 20, 30)
    result = compare("vn1", [a, b], [A, B])
    assert [(d.kind, d.sources, d.holders) for d in result.disagreements] == [
        (ONLY_IN_A, (a.id,), (A,)),
        (ONLY_IN_B, (b.id,), (B,)),
    ]


def test_same_span_with_another_label_is_a_label_disagreement():
    a, b = ann(A, 3, 9, "casualty"), ann(B, 3, 9, "propaganda")
    [d] = compare("vn1", [a, b], [A, B]).disagreements
    assert d.kind == DIFFERENT_LABEL
    assert d.version(A) == (a,) and d.version(B) == (b,)
    assert "casualty" in describe(d) and "propaganda" in describe(d)


def test_overlapping_spans_of_one_label_are_a_boundary_disagreement():
    a, b = ann(A, 3, 9), ann(B, 5, 12)
    [d] = compare("vn1", [a, b], [A, B]).disagreements
    assert (d.kind, d.start, d.end) == (DIFFERENT_BOUNDARIES, 3, 12)


def test_same_span_and_label_with_other_attributes_or_note_is_an_attribute_disagreement():
    assert kinds([ann(A, 0, 5, outcome="killed"), ann(B, 0, 5, outcome="injured")]) == [
        DIFFERENT_ATTRIBUTES
    ]
    assert kinds([ann(A, 0, 5, note="chắc chắn"), ann(B, 0, 5, note="")]) == [DIFFERENT_ATTRIBUTES]


def test_provenance_alone_does_not_make_annotations_differ():
    assert kinds([ann(A, 0, 5, provenance=["x"]), ann(B, 0, 5)]) == []


def test_overlap_with_another_label_and_other_offsets_is_two_only_in_disagreements():
    assert kinds([ann(A, 0, 5, "casualty"), ann(B, 2, 8, "propaganda")]) == [ONLY_IN_A, ONLY_IN_B]


def test_an_annotators_own_overlapping_spans_with_nothing_opposite_are_one_only_in():
    first, second = ann(A, 0, 5), ann(A, 3, 9)
    [d] = compare("vn1", [first, second], [A, B]).disagreements
    assert d.kind == ONLY_IN_A and d.version(A) == (first, second) and d.version(B) == ()


def test_a_matched_span_leaves_only_the_extra_overlapping_one_in_dispute():
    a1, a2, b = ann(A, 0, 5), ann(A, 3, 9), ann(B, 0, 5)
    result = compare("vn1", [a1, a2, b], [A, B])
    assert [agreement.sources for agreement in result.agreements] == [(a1.id, b.id)]
    assert [(d.kind, d.sources) for d in result.disagreements] == [(ONLY_IN_A, (a2.id,))]


def test_tombstones_orphans_other_documents_and_other_annotators_are_ignored():
    gone = replace(ann(A, 0, 5), deleted_at="2022-01-08")
    orphan = replace(ann(B, 0, 5), orphaned=True)
    elsewhere = replace(ann(A, 0, 5), document="vn2")
    assert kinds([gone, orphan, elsewhere, ann(C, 0, 5)]) == []


def test_three_annotators_two_agreeing_against_a_third_label():
    a, b, c = ann(A, 0, 5, "casualty"), ann(B, 0, 5, "propaganda"), ann(C, 0, 5, "casualty")
    [d] = compare("vn1", [a, b, c], [A, B, C]).disagreements
    assert d.kind == DIFFERENT_LABEL and d.versions == ((a,), (b,), (c,))
    [only] = compare("vn1", [ann(A, 0, 5), ann(C, 0, 5)], [A, B, C]).disagreements
    assert only.kind == ONLY_IN_SOME and only.holders == (A, C)
    assert [d.kind for d in compare("vn1", [ann(C, 0, 5)], [A, B, C]).disagreements] == [
        ONLY_IN_SOME
    ]


def test_comparing_fewer_than_two_annotators_is_refused():
    with pytest.raises(ValidationError, match="at least two"):
        compare("vn1", [], [A, A])


# -- planning decisions (pure) ---------------------------------------------------------------


def test_take_copies_the_chosen_version_with_every_source_id_as_provenance():
    a, b = ann(A, 3, 9, outcome="killed"), ann(B, 5, 12)
    [d] = compare("vn1", [a, b], [A, B]).disagreements
    [step] = take(d, [A], [], frozenset())
    assert step == Copy("vn1", 3, 9, "casualty", {"outcome": "killed", "provenance": [a.id, b.id]})
    both = take(d, [A, B], [], frozenset())
    assert [(s.start, s.end) for s in both] == [(3, 9), (5, 12)]


def test_taking_the_side_that_has_nothing_is_taking_neither():
    [d] = compare("vn1", [ann(A, 0, 5)], [A, B]).disagreements
    [step] = take(d, [B], [], frozenset())
    assert isinstance(step, Reject) and step.copy.attributes["provenance"] == list(d.sources)
    assert take_neither(d, [], frozenset()) == (step,)


def test_edit_provenance_names_the_disagreements_a_gold_span_overlaps():
    a, b, far = ann(A, 3, 9), ann(B, 5, 12), ann(A, 40, 45)
    disagreements = compare("vn1", [a, b, far], [A, B]).disagreements
    assert edit_provenance(disagreements, 8, 10) == [a.id, b.id]
    assert edit_provenance(disagreements, 20, 30) == []


# -- settling through the store ---------------------------------------------------------------


@pytest.fixture
def stores(vn_store: Store):
    """lan (the vn_store), minh, and the gold store on the same database."""
    minh = Store.open(vn_store.path, annotator=B)
    gold = open_gold(vn_store, "gold")
    yield vn_store, minh, gold
    minh.close()
    gold.close()


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def settle(store: Store, gold: Store, chosen: list[str]) -> int:
    """Decide the first disagreement of vn1; returns how many store actions it took."""
    review = load_document(store, "vn1", [A, B], "gold")
    steps = take(review.comparison.disagreements[0], chosen, review.gold, review.covered)
    return len(list(apply(gold, steps)))


def test_take_a_writes_gold_as_adjudicated_with_provenance_and_pressing_again_changes_nothing(
    stores,
):
    lan, minh, gold = stores
    text = lan.document("vn1").text
    s, e = span(text, "164 người thiệt mạng")
    a = lan.create("vn1", s, e, "casualty", attributes={"outcome": "killed"})
    b = minh.create("vn1", s, e - 10, "casualty")
    review = load_document(lan, "vn1", [A, B], "gold")
    assert [d.kind for d in review.remaining] == [DIFFERENT_BOUNDARIES]
    assert len(list(apply(gold, take(review.remaining[0], [A], review.gold, review.covered)))) == 1
    [copy] = lan.iter_annotations(annotator="gold")
    assert (copy.start, copy.end, copy.text, copy.origin) == (
        s,
        e,
        "164 người thiệt mạng",
        "adjudicated",
    )
    assert copy.attributes == {"outcome": "killed", "provenance": [a.id, b.id]}
    again = load_document(lan, "vn1", [A, B], "gold")
    assert again.remaining == [] and again.settled(again.comparison.disagreements[0])
    assert take(again.comparison.disagreements[0], [A], again.gold, again.covered) == ()


def test_changing_a_decision_retracts_the_earlier_gold_copy(stores):
    lan, minh, gold = stores
    lan.create("vn1", 0, 4, "casualty")
    minh.create("vn1", 0, 4, "propaganda")
    settle(lan, gold, [A])
    review = load_document(lan, "vn1", [A, B], "gold")
    steps = take(review.comparison.disagreements[0], [B], review.gold, review.covered)
    assert [type(s) for s in steps] == [Retract, Copy]
    list(apply(gold, steps))
    assert [g.label for g in lan.iter_annotations(annotator="gold")] == ["propaganda"]


def test_take_neither_is_recorded_durably_and_undo_reopens_it(stores):
    lan, _, gold = stores
    lan.create("vn1", 0, 4, "casualty")
    assert settle(lan, gold, []) == 2  # created, then tombstoned
    assert list(lan.iter_annotations(annotator="gold")) == []
    reopened = Store.open(lan.path, annotator="lan")  # what a restart sees
    review = load_document(reopened, "vn1", [A, B], "gold")
    reopened.close()
    assert review.remaining == [] and review.gold == ()
    assert take_neither(review.comparison.disagreements[0], review.gold, review.covered) == ()
    history.undo(gold)
    history.undo(gold)
    assert len(load_document(lan, "vn1", [A, B], "gold").remaining) == 1


def test_deleting_a_taken_gold_span_in_the_gold_pane_means_none_of_these(stores):
    lan, minh, gold = stores
    lan.create("vn1", 0, 4, "casualty")
    minh.create("vn1", 0, 4, "casualty", note="khác")
    settle(lan, gold, [A])
    [copy] = gold.iter_annotations(annotator="gold")
    gold.delete(copy.id)
    review = load_document(lan, "vn1", [A, B], "gold")
    assert review.remaining == [] and review.gold == ()


def test_a_new_annotation_at_a_settled_place_reopens_it(stores):
    lan, minh, gold = stores
    lan.create("vn1", 0, 4, "casualty")
    settle(lan, gold, [A])
    assert load_document(lan, "vn1", [A, B], "gold").remaining == []
    minh.create("vn1", 2, 9, "casualty")
    [d] = load_document(lan, "vn1", [A, B], "gold").remaining
    assert d.kind == DIFFERENT_BOUNDARIES


def test_agreements_are_copied_once(stores):
    lan, minh, gold = stores
    a = lan.create("vn1", 0, 4, "casualty")
    b = minh.create("vn1", 0, 4, "casualty")
    review = load_document(lan, "vn1", [A, B], "gold")
    [agreement] = review.pending_agreements
    list(apply(gold, accept(agreement, review.covered)))
    [copy] = lan.iter_annotations(annotator="gold")
    assert provenance(copy) == (a.id, b.id)
    review = load_document(lan, "vn1", [A, B], "gold")
    assert review.pending_agreements == [] and accept(agreement, review.covered) == ()


def test_summaries_put_the_lowest_agreement_first_and_count_what_remains(stores):
    lan, minh, _ = stores
    lan.sync_documents([make_document("vn3", VIETNAMESE)])
    for doc in ("vn1", "vn3"):
        lan.create(doc, 0, 4, "casualty")
        minh.create(doc, 0, 4, "casualty")
    minh.create("vn3", 10, 20, "propaganda")
    lan.set_status("vn1", "done")
    rows, measure = summaries(lan, [A, B], "gold")
    assert measure == "Krippendorff's alpha"
    assert [(r.document, r.disagreements, r.remaining, r.pending_agreements) for r in rows] == [
        ("vn3", 1, 1, 1),
        ("vn1", 0, 0, 1),
    ]
    assert rows[0].agreement < rows[1].agreement
    assert rows[1].done == (A,) and rows[0].done == ()


def test_the_gold_annotator_cannot_be_one_of_the_compared(stores):
    lan, _, _ = stores
    with pytest.raises(ValidationError, match="gold"):
        load_document(lan, "vn1", [A, "gold"], "gold")
    with pytest.raises(ValidationError):
        open_gold(lan, "bad/name")


def test_a_document_given_to_one_compared_annotator_is_listed_apart_without_figures(stores):
    """After `reader assign --overlap`, vn3 went to lan only and vn4 to minh only: as
    `reader agree` leaves them out, the table gives them no agreement and no
    disagreements, and lists them after the shared ones, naming whose they are."""
    lan, minh, _ = stores
    lan.sync_documents([make_document(d, VIETNAMESE) for d in ("vn3", "vn4")])
    pairs = [("vn1", A), ("vn1", B), ("vn3", A), ("vn4", B)]
    lan.change_assignments(pairs, via="test")
    for store, doc in ((lan, "vn1"), (minh, "vn1"), (lan, "vn3"), (minh, "vn4")):
        store.create(doc, 0, 4, "casualty")
    minh.create("vn1", 10, 20, "propaganda")
    minh.create("vn3", 10, 20, "propaganda")  # opened out of turn: not minh's document
    rows, _ = summaries(lan, [A, B], "gold")
    assert [(r.document, r.only, r.agreement is None, r.disagreements) for r in rows] == [
        ("vn1", None, False, 1),
        ("vn3", (A,), True, 0),
        ("vn4", (B,), True, 0),
    ]
    assert [r.remaining for r in rows] == [1, 2, 1]  # what gold has yet to take
    for store in (lan, minh):
        for doc in ("vn1", "vn3", "vn4"):
            store.set_status(doc, "done")
    from reader.cli.agree import gather
    from reader.core.agreement.report import agreement_report

    lengths, spans, done = gather(lan)
    report = agreement_report(lengths, spans, done, annotators=[A, B], per_document=True)
    assert sorted(report["per_document"]) == [r.document for r in rows if r.shared]
