"""Span F1: exact, and partial as the SemEval-2020 Task 11 scorer computes it."""

from __future__ import annotations

import pytest
from agreement_reference import semeval_partial
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.agreement.report import agreement_report
from reader.core.agreement.span_f1 import precision_recall_f1

# The scorer's own example (tools/README.md of the SemEval-2020 Task 11 scorers):
# data/article736757214.task-SI.labels as gold, data/submission-task-SI.tsv as the
# prediction, run with -m (merge overlapping user spans). The README prints
#   Precision=1.929825/2=0.964912  Recall=1.947458/4=0.486864  F1=0.647181
GOLD = [(0, 59), (171, 181), (0, 9), (115, 167), (740, 759)]
SUBMISSION = [(0, 50), (161, 172), (0, 10), (115, 167)]


def scorer_example(ignore_labels=True, label="propaganda"):
    spans = [("gold", "736757214", s, e, label) for s, e in GOLD]
    spans += [("team", "736757214", s, e, label) for s, e in SUBMISSION]
    return agreement_report(
        {"736757214": 800},
        spans,
        {"736757214": {"gold", "team"}},
        annotators=["gold", "team"],
        ignore_labels=ignore_labels,
    )


def test_semeval_scorer_own_example():
    pair = scorer_example()["pairs"][0]
    partial = pair["span_partial"]
    assert partial["candidate_spans"] == 2  # 0-50 + 0-10 merged; 161-172 + 115-167 merged
    assert partial["reference_spans"] == 4  # 0-59 + 0-9 merged
    assert partial["precision"] == pytest.approx(1.929825 / 2, abs=1e-6)
    assert partial["recall"] == pytest.approx(1.947458 / 4, abs=1e-6)
    assert round(partial["precision"], 6) == 0.964912
    assert round(partial["recall"], 6) == 0.486864
    assert round(partial["f1"], 6) == 0.647181


def test_semeval_example_with_one_label_gives_the_same_numbers():
    labelled = scorer_example(ignore_labels=False)["pairs"][0]
    assert round(labelled["span_partial"]["f1"], 6) == 0.647181
    assert round(labelled["labels"]["propaganda"]["span_partial"]["f1"], 6) == 0.647181
    # exact: only 115-167 is in both; spans are counted before merging
    exact = labelled["span_exact"]
    assert (exact["matches"], exact["candidate_spans"], exact["reference_spans"]) == (1, 4, 5)
    assert exact["precision"] == 0.25 and exact["recall"] == 0.2


def test_partial_only_matches_the_same_label_unless_labels_are_ignored():
    spans = [("a", "d", 0, 10, "PER"), ("b", "d", 0, 10, "ORG")]
    done = {"d": {"a", "b"}}
    by_label = agreement_report({"d": 20}, spans, done)["pairs"][0]
    assert by_label["span_partial"]["f1"] == 0.0
    assert by_label["span_exact"]["f1"] == 0.0
    assert by_label["labels"]["PER"]["span_partial"]["precision"] is None  # b has no PER
    assert by_label["labels"]["PER"]["span_partial"]["recall"] == 0.0
    blind = agreement_report({"d": 20}, spans, done, ignore_labels=True)["pairs"][0]
    assert blind["span_partial"]["f1"] == 1.0
    assert blind["span_exact"]["f1"] == 1.0
    assert blind["labels"] == {}


def test_empty_cases_are_defined():
    assert precision_recall_f1(0, 0, 0, 0) == {"precision": None, "recall": None, "f1": None}
    assert precision_recall_f1(0, 0, 0, 3) == {"precision": None, "recall": 0.0, "f1": 0.0}
    assert precision_recall_f1(0, 2, 0, 0) == {"precision": 0.0, "recall": None, "f1": 0.0}
    assert precision_recall_f1(0, 2, 0, 3) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert precision_recall_f1(1, 2, 1, 4)["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_duplicate_identical_spans_count_once_in_exact():
    spans = [("a", "d", 0, 3, "X"), ("a", "d", 0, 3, "X"), ("b", "d", 0, 3, "X")]
    pair = agreement_report({"d": 5}, spans, {"d": {"a", "b"}})["pairs"][0]
    assert pair["span_exact"]["reference_spans"] == 1
    assert pair["span_exact"]["f1"] == 1.0


@st.composite
def two_annotators(draw):
    docs = {f"{k}": draw(st.integers(1, 40)) for k in range(draw(st.integers(1, 3)))}
    spans = []
    for who in ("ref", "cand"):
        for doc, length in docs.items():
            for _ in range(draw(st.integers(0, 5))):
                start = draw(st.integers(0, length - 1))
                end = draw(st.integers(start + 1, length))
                spans.append((who, doc, start, end, draw(st.sampled_from("AB"))))
    return docs, spans


@settings(max_examples=80, deadline=None)
@given(two_annotators(), st.booleans())
def test_random_spans_match_the_scorer(corpus, ignore_labels):
    docs, spans = corpus
    report = agreement_report(
        docs,
        spans,
        {d: {"ref", "cand"} for d in docs},
        annotators=["ref", "cand"],
        ignore_labels=ignore_labels,
    )
    rows = {"ref": {}, "cand": {}}
    for who, doc, s, e, lab in spans:
        rows[who].setdefault(doc, []).append((lab, s, e))
    prec, n_cand, rec, n_ref = semeval_partial(rows["ref"], rows["cand"], ignore_labels)
    expected = precision_recall_f1(prec, n_cand, rec, n_ref)
    ours = report["pairs"][0]["span_partial"]
    assert (ours["candidate_spans"], ours["reference_spans"]) == (n_cand, n_ref)
    for key in ("precision", "recall", "f1"):
        assert ours[key] == pytest.approx(expected[key], abs=1e-9)
