"""Agreement on attributes: Krippendorff's alpha (nominal and interval) over the spans
annotators matched exactly, pinned against the `krippendorff` package."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.agreement.attributes import (
    attribute_agreement,
    krippendorff_alpha,
    observed_agreement,
)
from reader.core.labels_file import default_schema


def reference(units: list[list], coders: int, level: str) -> float:
    """The krippendorff package's alpha on the same units (a coders x units matrix, NaN
    for missing; nominal values mapped to codes first)."""
    codes: dict = {}
    matrix = np.full((coders, len(units)), np.nan)
    for u, values in enumerate(units):
        for c, value in enumerate(values):
            if value is not None:
                matrix[c, u] = value if level == "interval" else codes.setdefault(value, len(codes))
    return krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)


def present(units: list[list]) -> list[list]:
    return [[v for v in values if v is not None] for values in units]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=2, max_value=4).flatmap(
        lambda coders: st.tuples(
            st.just(coders),
            st.lists(
                st.lists(
                    st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
                    min_size=coders,
                    max_size=coders,
                ),
                min_size=1,
                max_size=25,
            ),
        )
    ),
    st.sampled_from(["nominal", "interval"]),
)
def test_alpha_equals_the_krippendorff_package(data, level):
    coders, units = data
    ours = krippendorff_alpha(present(units), level)
    pairable = [v for v in present(units) if len(v) >= 2]
    if ours is None:  # nothing pairable, or one value only: the package cannot say either
        assert not pairable or len({x for v in pairable for x in v}) == 1
        return
    assert ours == pytest.approx(reference(units, coders, level), abs=1e-9)


def test_a_worked_example_with_missing_values_nominal_and_interval():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example of
    # 4 coders and 12 units with missing data: nominal 0.743, interval 0.849.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = [list(u) for u in zip(a, b, c, d)]
    assert krippendorff_alpha(present(units), "nominal") == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(present(units), "interval") == pytest.approx(0.849, abs=5e-4)
    assert krippendorff_alpha(present(units), "nominal") == pytest.approx(
        reference(units, 4, "nominal")
    )


def test_undefined_cases_are_none_and_observed_agreement_is_the_share_of_equal_pairs():
    assert krippendorff_alpha([], "nominal") is None
    assert krippendorff_alpha([[1]], "nominal") is None  # nothing to pair
    assert krippendorff_alpha([[1, 1], [1, 1]], "nominal") is None  # no variation
    assert observed_agreement([[1, 1], [1, 1]]) == 1.0
    assert observed_agreement([["a", "a"], ["a", "b"]]) == 0.5
    assert observed_agreement([["a", "a", "b"]]) == pytest.approx(1 / 3)
    assert observed_agreement([[1]]) is None


def span(annotator, start, end, label, **attributes):
    return (annotator, "d", start, end, label, attributes)


def test_only_exactly_matched_spans_count_and_a_missing_value_is_missing_data():
    spans = [
        span("a", 0, 5, "casualty", value_best=164, outcome="killed", qualifier="exact"),
        span("b", 0, 5, "casualty", value_best=164, outcome="injured"),
        span("a", 10, 20, "casualty", value_best=1300, outcome="injured"),
        span("b", 10, 20, "casualty", value_best=1000, outcome="injured"),
        span("a", 30, 40, "casualty", value_best=7),  # b's span differs: not compared
        span("b", 30, 41, "casualty", value_best=9),
        span("a", 50, 60, "propaganda", technique="Doubt"),
        span("b", 50, 60, "casualty", value_best=3),  # another label: no match
        span("a", 70, 80, "attribution", source="Bộ Nội vụ", cue="cho biết"),
        span("b", 70, 80, "attribution", source="bộ  nội vụ", cue="nói"),
        span("c", 0, 5, "casualty", value_best=1),  # not compared
    ]
    report = attribute_agreement(spans, default_schema(), ["a", "b"], ["d"])
    casualty = report["casualty"]
    assert casualty["value_best"]["units"] == 2 and casualty["value_best"]["level"] == "interval"
    assert casualty["value_best"]["agreement"] == 0.5
    assert casualty["value_best"]["alpha"] == pytest.approx(
        reference([[164, 164], [1300, 1000]], 2, "interval")
    )
    assert casualty["outcome"]["units"] == 2 and casualty["outcome"]["agreement"] == 0.5
    assert casualty["qualifier"] == {
        "level": "nominal", "alpha": None, "agreement": None, "units": 0,
        "alpha_chosen": None, "units_chosen": 0,
    }  # fmt: skip
    attribution = report["attribution"]
    assert attribution["source"]["agreement"] == 1.0  # case and spaces folded
    assert attribution["cue"]["agreement"] == 0.0
    assert report["propaganda"]["technique"]["units"] == 0
    assert math.isfinite(casualty["value_best"]["alpha"])


def test_values_read_from_the_text_are_left_out_of_alpha_chosen():
    text = ["value_best", "outcome"]
    spans = [
        span("a", 0, 5, "casualty", value_best=164, outcome="killed", from_text=text),
        span("b", 0, 5, "casualty", value_best=164, outcome="killed", from_text=text),
        span("a", 9, 12, "casualty", value_best=2, outcome="killed", from_text=text),
        span("b", 9, 12, "casualty", value_best=20, outcome="injured"),
        span("a", 20, 25, "casualty", value_best=5, outcome="missing"),
        span("b", 20, 25, "casualty", value_best=6, outcome="missing"),
    ]
    best = attribute_agreement(spans, default_schema(), ["a", "b"], ["d"])["casualty"]["value_best"]
    assert best["units"] == 3 and best["units_chosen"] == 1
    assert best["alpha_chosen"] == pytest.approx(reference([[5, 6]], 2, "interval"))
    assert best["alpha"] == pytest.approx(reference([[164, 164], [2, 20], [5, 6]], 2, "interval"))


def test_a_multiple_enum_compares_its_set_of_values():
    both = ["Doubt", "Loaded_Language"]
    spans = [
        span("a", 0, 5, "propaganda", technique=both),
        span("b", 0, 5, "propaganda", technique=list(reversed(both))),
        span("a", 9, 12, "propaganda", technique="Doubt"),
        span("b", 9, 12, "propaganda", technique=both),
    ]
    technique = attribute_agreement(spans, default_schema(), ["a", "b"], ["d"])["propaganda"][
        "technique"
    ]
    assert technique["units"] == 2 and technique["agreement"] == 0.5
