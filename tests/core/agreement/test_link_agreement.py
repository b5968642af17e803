"""Agreement on links, pinned by values computed by hand (the formula is in
reader/core/agreement/links.py: exact matches of type and both ends, micro-averaged)."""

from __future__ import annotations

import pytest

from reader.core.agreement.links import link_keys, pair_links

UNDIRECTED = {"same_claim", "contradicts"}

A = [
    ("a", "source_of", "d1", 0, 4, "attribution", "d1", 10, 14, "casualty"),
    ("a", "same_claim", "d1", 10, 14, "casualty", "d2", 5, 9, "casualty"),
    ("a", "contradicts", "d1", 20, 25, "propaganda", "d2", 30, 35, "propaganda"),
    ("a", "source_of", "d3", 0, 4, "attribution", "d3", 10, 14, "casualty"),  # d3 not compared
]
B = [
    ("b", "source_of", "d1", 0, 4, "attribution", "d1", 10, 14, "casualty"),  # = A1
    ("b", "same_claim", "d2", 5, 9, "casualty", "d1", 10, 14, "casualty"),  # A2, other way round
    ("b", "source_of", "d1", 0, 4, "attribution", "d1", 20, 25, "propaganda"),  # not in A
    ("b", "contradicts", "d1", 20, 25, "propaganda", "d2", 30, 36, "propaganda"),  # an end differs
    ("c", "source_of", "d1", 0, 4, "attribution", "d1", 10, 14, "casualty"),  # not compared
]


def keys(rows, **options):
    return link_keys(rows, ["a", "b"], ["d1", "d2"], undirected=UNDIRECTED, **options)


def test_pair_values_by_hand():
    k = keys(A + B)
    result = pair_links(k["a"], k["b"])
    # A has 3 links in compared documents, B has 4, and 2 match (source_of, same_claim):
    # P = 2/4, R = 2/3, F1 = 2 * 1/2 * 2/3 / (1/2 + 2/3) = 4/7.
    assert (result["matches"], result["reference_links"], result["candidate_links"]) == (2, 3, 4)
    assert result["precision"] == pytest.approx(0.5)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(4 / 7)
    types = result["types"]
    # source_of: A 1, B 2, 1 match: P 1/2, R 1, F1 2/3.
    assert (types["source_of"]["precision"], types["source_of"]["recall"]) == (0.5, 1.0)
    assert types["source_of"]["f1"] == pytest.approx(2 / 3)
    assert (types["same_claim"]["f1"], types["contradicts"]["f1"]) == (1.0, 0.0)


def test_direction_counts_only_for_directed_types():
    k = link_keys(A + B, ["a", "b"], ["d1", "d2"], undirected=())
    assert pair_links(k["a"], k["b"])["types"]["same_claim"]["f1"] == 0.0


def test_labels_count_unless_ignored():
    relabelled = [("b", *B[0][1:5], "propaganda", *B[0][6:])]
    assert pair_links(keys(A)["a"], keys(relabelled)["b"])["matches"] == 0
    ignored = keys(A + relabelled, ignore_labels=True)
    assert pair_links(ignored["a"], ignored["b"])["matches"] == 1


def test_a_label_filter_keeps_links_between_compared_labels_only():
    k = keys(A + B, labels={"casualty"})
    assert len(k["a"]) == 1 and len(k["b"]) == 1  # only same_claim joins two casualties
    assert pair_links(k["a"], k["b"])["f1"] == 1.0


def test_empty_cases():
    assert pair_links(set(), set())["f1"] is None
    one = keys(A)["a"]
    assert pair_links(one, set())["f1"] == 0.0 and pair_links(one, set())["precision"] is None
