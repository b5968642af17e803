"""The sweeps: one annotator's categories, the joint counts, merging, and input checks."""

from __future__ import annotations

import pytest
from agreement_reference import char_categories
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.agreement.spans import (
    Span,
    group_spans,
    joint_counts,
    label_patterns,
    merged_units,
    own_segments,
    pair_counts,
)
from reader.core.errors import ValidationError
from reader.core.model import Annotation


def test_own_overlapping_spans_of_different_labels_join_with_plus():
    runs = own_segments([(0, 10, "PER"), (5, 15, "ORG"), (12, 14, "PER")])
    assert runs == [
        (0, 5, ("PER",)),
        (5, 10, ("ORG", "PER")),
        (10, 12, ("ORG",)),
        (12, 14, ("ORG", "PER")),
        (14, 15, ("ORG",)),
    ]


def test_own_overlapping_spans_of_one_label_are_one_category():
    assert own_segments([(0, 10, "X"), (3, 12, "X")]) == [(0, 12, ("X",))]


def test_joint_counts_cover_every_character_once_and_mark_missing():
    a = own_segments([(2, 6, "X")])
    counts = joint_counts([a, None, []], 10)
    assert sum(counts.values()) == 10
    assert counts == {(("X",), None, ()): 4, ((), None, ()): 6}
    assert joint_counts([[], []], 0) == {}


def test_binary_view_of_one_label_and_pair_marginal():
    counts = {(("A", "B"), ("B",)): 3, (("A",), ()): 2, ((), ()): 5}
    assert label_patterns(counts, "A") == {(("A",), ()): 5, ((), ()): 5}
    assert pair_counts(counts, 0, 1) == {(("A", "B"), ("B",)): 3, (("A",), ()): 2, ((), ()): 5}


def test_merging_joins_overlaps_but_keeps_touching_spans_apart():
    units = merged_units([(0, 5, "X"), (3, 8, "X"), (8, 10, "X"), (1, 2, "Y")])
    assert units == {"X": [(0, 8), (8, 10)], "Y": [(1, 2)]}


def test_annotations_rows_and_span_tuples_are_all_accepted():
    note = Annotation(
        id="1",
        document="d",
        document_sha256="0" * 64,
        start=1,
        end=3,
        text="ab",
        label="X",
        annotator="lan",
    )
    row = {"annotator": "hoa", "document": "d", "start": 2, "end": 5, "label": "Z", "id": "9"}
    grouped, seen = group_spans([note, Span("minh", "d", 0, 2, "Y"), row], {"d": 5})
    assert grouped == {"d": {"lan": [(1, 3, "X")], "minh": [(0, 2, "Y")], "hoa": [(2, 5, "Z")]}}
    assert seen == {"lan", "minh", "hoa"}
    with pytest.raises(ValidationError, match="no 'label'"):
        group_spans([{"annotator": "a", "document": "d", "start": 0, "end": 1}], {"d": 5})


@pytest.mark.parametrize(
    "span, words",
    [
        (("a", "d", 3, 12, "X"), ["'d'", "3-12", "5 code points"]),
        (("a", "d", 4, 4, "X"), ["4-4"]),
        (("a", "d", -1, 2, "X"), ["-1-2"]),
        (("a", "d", 1.0, 2, "X"), ["1.0-2"]),
        (("a", "nope", 0, 1, "X"), ["unknown document 'nope'"]),
    ],
)
def test_spans_outside_their_document_are_refused_with_where(span, words):
    with pytest.raises(ValidationError) as caught:
        group_spans([span], {"d": 5})
    for word in words:
        assert word in str(caught.value)


def test_filters_and_ignore_labels():
    spans = [("a", "d", 0, 2, "X"), ("a", "e", 0, 2, "Y"), ("b", "d", 1, 3, "Y")]
    grouped, seen = group_spans(
        spans, {"d": 5, "e": 5}, labels=frozenset({"Y"}), only_documents=frozenset({"d"})
    )
    assert grouped == {"d": {"b": [(1, 3, "Y")]}}
    assert seen == {"a", "b"}  # filters never change who is compared
    blind, _ = group_spans(spans, {"d": 5, "e": 5}, ignore_labels=True)
    assert blind["d"]["a"] == [(0, 2, "*")]


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 25).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.lists(
                    st.tuples(
                        st.integers(0, max(n - 1, 0)), st.integers(1, 25), st.sampled_from("ABC")
                    ),
                    max_size=5,
                ),
                min_size=1,
                max_size=3,
            ),
        )
    )
)
def test_joint_counts_equal_counting_character_by_character(case):
    length, raw = case
    annotators = [
        [(s, min(length, s + w), lab) for s, w, lab in spans if s < length] for spans in raw
    ]
    counts = joint_counts([own_segments(a) for a in annotators], length)
    expected: dict = {}
    columns = [char_categories(length, a) for a in annotators]
    for item in zip(*columns):
        key = tuple(() if c == "O" else tuple(c.split("+")) for c in item)
        expected[key] = expected.get(key, 0) + 1
    assert counts == expected
