"""Character-level kappas and alpha equal scikit-learn, statsmodels and krippendorff on
the same per-character data (built here, never in the code under test)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from agreement_reference import reference_char_measures
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.agreement.char_kappa import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
)
from reader.core.agreement.report import agreement_report

VIETNAMESE = unicodedata.normalize(
    "NFC", "Ngày 8/1, cường độ các cuộc xung đột trên đường phố giảm đáng kể ở Almaty."
)
EMOJI = "🇰🇿 Tin nóng 👩‍👩‍👧: Tokayev phát biểu tại Astana 🔥."


def close(ours, theirs):
    if theirs is None:
        return ours is None
    return ours is not None and ours == pytest.approx(theirs, rel=1e-9, abs=1e-12)


def check_against_references(documents, spans, done, annotators=None, **options):
    report = agreement_report(documents, spans, done, annotators=annotators, **options)
    json.dumps(report, allow_nan=False)
    names = report["annotators"]
    scope_done = {
        d: (set(names) if options.get("all_documents") else set(done.get(d, ()))) for d in documents
    }
    checks = [(None, report["overall"], report["pairs"], None)]
    for label, values in report["labels"].items():
        checks.append((label, values, report["pairs"], label))
    for label, values, pairs, key in checks:
        expected = reference_char_measures(documents, spans, scope_done, names, label=label)
        assert close(values["char_fleiss_kappa"], expected["fleiss"]), (label, values, expected)
        assert close(values["char_krippendorff_alpha"], expected["alpha"]), (
            label,
            values,
            expected,
        )
        for pair in pairs:
            ours = (
                pair["char_cohen_kappa"] if key is None else pair["labels"][key]["char_cohen_kappa"]
            )
            assert close(ours, expected["cohen"][(pair["a"], pair["b"])]), (
                label,
                pair["a"],
                pair["b"],
            )
    return report


def test_vietnamese_article_with_overlaps_matches_reference_libraries():
    text = VIETNAMESE
    start = text.index("cường")
    almaty = text.index("Almaty")
    documents = {"vi": len(text)}
    spans = [
        ("lan", "vi", start, start + len("cường độ"), "EVENT"),
        ("lan", "vi", almaty, almaty + 6, "LOC"),
        ("minh", "vi", start, start + len("cường độ các"), "EVENT"),
        ("minh", "vi", almaty - 2, almaty + 6, "LOC"),
        ("minh", "vi", almaty, almaty + 6, "ORG"),  # own overlap: LOC+ORG
        ("hoa", "vi", 0, 4, "DATE"),
        ("hoa", "vi", almaty, almaty + 6, "LOC"),
    ]
    done = {"vi": {"lan", "minh", "hoa"}}
    report = check_against_references(documents, spans, done)
    lan_minh = next(p for p in report["pairs"] if (p["a"], p["b"]) == ("lan", "minh"))
    # minh's own LOC and ORG spans overlap on "Almaty": one category LOC+ORG there
    assert lan_minh["confusion"]["LOC"] == {"LOC+ORG": 6}
    assert lan_minh["confusion"]["O"]["LOC"] == 2


def test_emoji_before_a_span_counts_code_points_not_bytes_or_utf16():
    text = EMOJI
    name = text.index("Tokayev")
    documents = {"kz": len(text), "vi": len(VIETNAMESE)}
    spans = [
        ("a", "kz", name, name + 7, "PER"),
        ("b", "kz", name, name + 7, "PER"),
        ("b", "kz", 0, 2, "LOC"),  # the flag: two regional indicators
        ("a", "vi", 0, 4, "DATE"),
        ("b", "vi", 0, 9, "DATE"),
    ]
    done = {"kz": {"a", "b"}, "vi": {"a", "b"}}
    report = check_against_references(documents, spans, done)
    # the confusion counts code points: PER agreed on exactly len("Tokayev") characters
    assert report["pairs"][0]["confusion"]["PER"]["PER"] == 7
    assert report["characters"] == len(EMOJI) + len(VIETNAMESE)


def test_document_not_done_by_one_annotator_is_missing_for_alpha_only():
    documents = {"d1": 30, "d2": 25, "d3": 12}
    spans = [
        ("a", "d1", 0, 10, "X"),
        ("b", "d1", 2, 10, "X"),
        ("c", "d1", 0, 12, "Y"),
        ("a", "d2", 5, 15, "X"),
        ("b", "d2", 5, 15, "Y"),
        ("c", "d2", 0, 25, "X"),  # c has not marked d2 done: ignored
        ("a", "d3", 0, 12, "X"),  # only a finished d3: nothing to pair
    ]
    done = {"d1": {"a", "b", "c"}, "d2": {"a", "b"}, "d3": {"a"}}
    report = check_against_references(documents, spans, done)
    assert report["documents"] == ["d1"]
    assert report["alpha_documents"] == ["d1", "d2"]
    # with all_documents, every document counts as done by everyone
    everyone = check_against_references(documents, spans, done, all_documents=True)
    assert everyone["documents"] == ["d1", "d2", "d3"]


def test_one_annotator_gives_null_not_nan():
    report = agreement_report({"d": 10}, [("a", "d", 0, 3, "X")], {"d": {"a"}})
    assert report["overall"]["char_fleiss_kappa"] is None
    assert report["overall"]["char_krippendorff_alpha"] is None
    assert report["overall"]["krippendorff_alpha_unitizing"] is None
    assert report["pairs"] == []
    json.dumps(report, allow_nan=False)


def test_no_spans_at_all_is_undefined_not_perfect():
    report = agreement_report({"d": 50, "e": 0}, [], {"d": {"a", "b"}, "e": {"a", "b"}})
    assert report["documents"] == ["d", "e"]
    assert report["overall"]["char_fleiss_kappa"] is None
    assert report["overall"]["char_krippendorff_alpha"] is None
    pair = report["pairs"][0]
    assert pair["char_cohen_kappa"] is None
    assert pair["span_exact"]["f1"] is None
    assert pair["confusion"] == {"O": {"O": 50}}


def test_every_character_in_one_category_is_undefined():
    spans = [("a", "d", 0, 8, "X"), ("b", "d", 0, 8, "X")]
    report = check_against_references({"d": 8}, spans, {"d": {"a", "b"}})
    assert report["overall"]["char_fleiss_kappa"] is None
    assert report["pairs"][0]["span_exact"]["f1"] == 1.0


def test_empty_ten_megabyte_document_is_one_run_not_ten_million_items():
    big = 10_000_000
    report = agreement_report(
        {"big": big, "small": 10},
        [("a", "small", 0, 5, "X"), ("b", "small", 0, 4, "X")],
        {"big": {"a", "b"}, "small": {"a", "b"}},
    )
    assert report["characters"] == big + 10
    assert report["pairs"][0]["confusion"]["O"]["O"] == big + 5
    kappa = report["pairs"][0]["char_cohen_kappa"]
    # only one character in ten million differs: kappa just below 1
    assert 0.8 < kappa < 1


def test_krippendorff_package_docstring_example_with_missing_values():
    """The krippendorff package's own example: 3 coders, 15 units, nominal 0.691358."""
    nan = None
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    patterns: dict = {}
    for unit in zip(*data):
        patterns[unit] = patterns.get(unit, 0) + 1
    assert krippendorff_alpha_nominal(patterns) == pytest.approx(0.691358, abs=5e-7)


def test_kappa_functions_on_counts():
    # 2 raters, 100 items: p_o = .70, p_e = .6 * .6 + .4 * .4 = .52, kappa = .375
    table = {("y", "y"): 45, ("y", "n"): 15, ("n", "y"): 15, ("n", "n"): 25}
    assert cohen_kappa(table) == pytest.approx(0.375)
    assert cohen_kappa({}) is None
    assert fleiss_kappa({("x", "x", "x"): 5}) is None
    assert fleiss_kappa({("x",): 5, ("y",): 5}) is None  # one rater
    with pytest.raises(ValueError):
        fleiss_kappa({("x", None): 1})


labels = st.sampled_from(["A", "B", "C"])


@st.composite
def corpora(draw):
    n_docs = draw(st.integers(1, 3))
    documents = {f"d{k}": draw(st.integers(0, 30)) for k in range(n_docs)}
    annotators = ["a", "b", "c"][: draw(st.integers(2, 3))]
    spans = []
    done = {}
    for doc, length in documents.items():
        done[doc] = {a for a in annotators if draw(st.booleans()) or draw(st.booleans())}
        if length == 0:
            continue
        for a in annotators:
            for _ in range(draw(st.integers(0, 4))):
                start = draw(st.integers(0, length - 1))
                end = draw(st.integers(start + 1, length))
                spans.append((a, doc, start, end, draw(labels)))
    return documents, spans, done


@settings(max_examples=60, deadline=None)
@given(corpora())
def test_random_spans_match_reference_libraries(corpus):
    documents, spans, done = corpus
    check_against_references(documents, spans, done)
