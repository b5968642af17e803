"""Krippendorff's alpha_U equals the book's worked example and a literal port of DKPro
Agreement's KrippendorffAlphaUnitizingAgreement."""

from __future__ import annotations

import pytest
from agreement_reference import dkpro_alpha_u, dkpro_category
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.agreement.report import agreement_report
from reader.core.agreement.spans import overlap_walk
from reader.core.agreement.unitizing import UnitizingTally, gaps

# Krippendorff (2004), Content Analysis 2nd ed., p. 254; DKPro's Krippendorff2004Test:
# a continuum from 150 to 450, coders i and j, categories c and k, (offset, length).
BOOK = [
    (225, 70, 0, "c"),
    (370, 30, 0, "c"),
    (220, 80, 1, "c"),
    (355, 20, 1, "c"),
    (400, 20, 1, "c"),
    (180, 60, 0, "k"),
    (300, 50, 0, "k"),
    (180, 60, 1, "k"),
    (300, 50, 1, "k"),
]


def book_as_spans():
    coders = ("i", "j")
    return [(coders[r], "book", o - 150, o - 150 + ln, c) for o, ln, r, c in BOOK]


def test_book_example_unrounded_and_rounded():
    report = agreement_report({"book": 300}, book_as_spans(), {"book": {"i", "j"}})
    alpha = report["overall"]["krippendorff_alpha_unitizing"]
    # unrounded: D_o = .0072222, D_e = .0511002 (means over c and k)
    assert alpha == pytest.approx(0.8586654051841702, abs=1e-12)
    # the book's 0.8591 comes from the rounded means, 1 - .0072 / .0511
    assert round(1 - 0.0072 / 0.0511, 4) == 0.8591
    assert alpha == pytest.approx(0.8591, abs=0.0005)  # DKPro's own tolerance
    assert report["labels"]["c"]["krippendorff_alpha_unitizing"] == pytest.approx(0.7286, abs=1e-4)
    assert report["labels"]["k"]["krippendorff_alpha_unitizing"] == 1.0


def test_book_example_category_disagreements_as_dkpro_test():
    tally = UnitizingTally(2)
    units = [{}, {}]
    for o, ln, r, c in sorted(BOOK):
        units[r].setdefault(c, []).append((o - 150, o - 150 + ln))
    tally.add_document(300, units)
    d_o, d_e = tally.disagreements("c")
    assert float(d_o) == pytest.approx(0.0144, abs=1e-4)
    assert float(d_e) == pytest.approx(0.0532, abs=1e-4)
    d_o, d_e = tally.disagreements("k")
    assert d_o == 0
    assert float(d_e) == pytest.approx(0.0490, abs=1e-4)
    assert dkpro_alpha_u(BOOK, 2, 150, 300) == pytest.approx(tally.overall(), abs=1e-12)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ([(225, 295)], [(220, 300)], 50),  # DKPro testDistanceMetric2
        ([(370, 400)], [(355, 375)], 850),
        ([], [(400, 420)], 400),  # a unit inside the other's gap: its length squared
        ([(5, 11)], [(4, 6)], 26),  # testDistanceMetric1
        ([(5, 11)], [(6, 10)], 2),
        ([(5, 11)], [(5, 11)], 0),
    ],
)
def test_distances_match_dkpro_measure_distance(a, b, expected):
    assert overlap_walk(a, b)[0] == expected


def test_gaps_of_a_coder():
    assert gaps([(2, 4), (4, 6), (8, 9)], 12) == [2, 2, 3]
    assert gaps([], 5) == [5]
    assert gaps([(0, 5)], 5) == []


def test_undefined_cases_are_none():
    one = UnitizingTally(1)
    one.add_document(10, [{"x": [(0, 3)]}])
    assert one.overall() is None
    empty = UnitizingTally(2)
    empty.add_document(10, [{}, {}])
    assert empty.overall() is None
    assert empty.alpha("x") is None
    nothing = UnitizingTally(2)
    assert nothing.overall() is None


@st.composite
def unitized(draw):
    """Documents, and per coder and category non-overlapping units (some touching)."""
    coders = draw(st.integers(2, 3))
    lengths = draw(st.lists(st.integers(1, 40), min_size=1, max_size=3))
    units = []  # (offset in the concatenation, length, coder, category)
    spans = []
    base = 0
    for d, length in enumerate(lengths):
        for r in range(coders):
            for category in ("c", "k"):
                points = sorted(draw(st.sets(st.integers(0, length), max_size=6)))
                for start, end in zip(points[::2], points[1::2]):
                    units.append((base + start, end - start, r, category))
                    spans.append((f"r{r}", f"d{d}", start, end, category))
        base += length
    breaks = [sum(lengths[: k + 1]) for k in range(len(lengths) - 1)]
    return coders, lengths, units, spans, breaks


@settings(max_examples=80, deadline=None)
@given(unitized())
def test_random_units_match_dkpro_port(case):
    coders, lengths, units, spans, breaks = case
    documents = {f"d{d}": length for d, length in enumerate(lengths)}
    names = {f"r{r}" for r in range(coders)}
    report = agreement_report(
        documents, spans, {d: names for d in documents}, annotators=sorted(names), per_document=True
    )
    total = sum(lengths)
    expected = dkpro_alpha_u(units, coders, 0, total, breaks=breaks)
    ours = report["overall"]["krippendorff_alpha_unitizing"]
    assert (ours is None and expected is None) or ours == pytest.approx(expected, abs=1e-9)
    for category, values in report["labels"].items():
        d_o, d_e = dkpro_category(units, coders, 0, total, category, breaks)
        expected = None if d_e == 0 else float(1 - d_o / d_e)
        ours = values["krippendorff_alpha_unitizing"]
        assert (ours is None and expected is None) or ours == pytest.approx(expected, abs=1e-9)
    if len(lengths) == 1:  # one document: the per-document value is DKPro's on it alone
        only = report["per_document"]["d0"]["krippendorff_alpha_unitizing"]
        assert only == report["overall"]["krippendorff_alpha_unitizing"]


def test_overlapping_units_of_one_coder_are_merged_first():
    spans = [
        ("i", "d", 0, 10, "c"),
        ("i", "d", 5, 20, "c"),  # overlaps the first: one unit 0-20
        ("j", "d", 0, 20, "c"),
    ]
    report = agreement_report({"d": 40}, spans, {"d": {"i", "j"}})
    assert report["overall"]["krippendorff_alpha_unitizing"] == 1.0
