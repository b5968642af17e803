"""The report a lead publishes: its JSON shape, which documents and annotators count,
the filters and per-document values (the terminal rendering: tests/cli/test_agree_render.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from agreement_reference import reference_char_measures

from reader.core.agreement.report import LOWEST, agreement_report
from reader.core.errors import ValidationError
from reader.core.text import normalize

CORPUS = Path(__file__).resolve().parents[3] / "corpus"

DOCS = {"d1": 40, "d2": 30, "d3": 20}
SPANS = [
    ("ann", "d1", 0, 10, "PER"),
    ("bob", "d1", 0, 10, "PER"),
    ("cat", "d1", 2, 10, "PER"),
    ("ann", "d1", 20, 30, "LOC"),
    ("bob", "d1", 20, 25, "ORG"),
    ("ann", "d2", 5, 9, "LOC"),
    ("bob", "d2", 5, 9, "LOC"),
    ("cat", "d2", 0, 30, "LOC"),
    ("cat", "d3", 0, 5, "PER"),
]
DONE = {"d1": {"ann", "bob", "cat"}, "d2": {"ann", "bob", "cat"}, "d3": {"cat"}}


def test_json_has_the_shape_issue_5_promises():
    report = agreement_report(DOCS, SPANS, DONE)
    text = json.dumps(report, allow_nan=False)
    assert json.loads(text) == report
    assert report["annotators"] == ["ann", "bob", "cat"]
    assert report["documents"] == ["d1", "d2"]
    measures = {"char_fleiss_kappa", "char_krippendorff_alpha", "krippendorff_alpha_unitizing"}
    assert measures <= report["overall"].keys()
    assert set(report["labels"]) == {"LOC", "ORG", "PER"}
    for values in report["labels"].values():
        assert measures <= values.keys()
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [
        ("ann", "bob"),
        ("ann", "cat"),
        ("bob", "cat"),
    ]
    for pair in report["pairs"]:
        assert {
            "a",
            "b",
            "char_cohen_kappa",
            "span_exact",
            "span_partial",
            "labels",
            "confusion",
        } <= (pair.keys())
        for kind in ("span_exact", "span_partial"):
            assert {"precision", "recall", "f1"} <= pair[kind].keys()
        for values in pair["labels"].values():
            assert {"char_cohen_kappa", "span_exact", "span_partial"} <= values.keys()
    ann_bob = report["pairs"][0]
    assert ann_bob["confusion"]["LOC"] == {"LOC": 4, "ORG": 5, "O": 5}
    assert ann_bob["span_exact"]["matches"] == 2


def test_spans_on_a_document_someone_has_not_finished_do_not_count():
    unfinished = {"d1": {"ann", "bob"}, "d2": {"ann", "bob", "cat"}}
    with_stray = agreement_report(DOCS, SPANS + [("cat", "d1", 0, 40, "ORG")], unfinished)
    without = agreement_report(DOCS, SPANS, unfinished)
    assert with_stray == without
    assert with_stray["documents"] == ["d2"]
    assert with_stray["alpha_documents"] == ["d1", "d2"]


def test_annotator_choice_order_and_errors():
    report = agreement_report(DOCS, SPANS, DONE, annotators=["cat", "ann", "cat"])
    assert report["annotators"] == ["cat", "ann"]
    assert (report["pairs"][0]["a"], report["pairs"][0]["b"]) == ("cat", "ann")
    with pytest.raises(ValidationError, match="unknown annotator 'dan'"):
        agreement_report(DOCS, SPANS, DONE, annotators=["ann", "dan"])
    with pytest.raises(ValidationError, match="unknown document 'd9'"):
        agreement_report(DOCS, SPANS, DONE, document="d9")


def test_someone_who_finished_nothing_is_not_compared_by_default():
    report = agreement_report(DOCS, SPANS + [("eve", "d1", 0, 3, "PER")], DONE)
    assert report["annotators"] == ["ann", "bob", "cat"]
    everyone = agreement_report(
        DOCS, SPANS + [("eve", "d1", 0, 3, "PER")], DONE, all_documents=True
    )
    assert everyone["annotators"] == ["ann", "bob", "cat", "eve"]


def test_label_and_document_filters():
    report = agreement_report(DOCS, SPANS, DONE, label="LOC", document=["d1"])
    assert report["documents"] == ["d1"]
    assert list(report["labels"]) == ["LOC"]
    assert report["options"]["label"] == ["LOC"] and report["options"]["document"] == ["d1"]
    assert report["overall"]["char_fleiss_kappa"] == report["labels"]["LOC"]["char_fleiss_kappa"]
    assert report["spans"] == {"ann": 1, "bob": 0, "cat": 0}


def test_per_document_values_and_lowest_agreement_first():
    report = agreement_report(DOCS, SPANS, DONE, per_document=True)
    assert set(report["per_document"]) == {"d1", "d2"}
    d2 = report["per_document"]["d2"]
    assert d2["characters"] == 30 and d2["spans"] == {"ann": 1, "bob": 1, "cat": 1}
    assert {"krippendorff_alpha_unitizing", "pairs"} <= d2.keys()
    ann_bob = d2["pairs"][0]
    assert ann_bob["span_exact"]["f1"] == 1.0 and ann_bob["char_cohen_kappa"] == 1.0
    lowest = report["lowest_agreement"]
    alphas = [row["char_krippendorff_alpha"] for row in lowest]
    assert alphas == sorted(alphas)
    assert [row["document"] for row in lowest] == ["d2", "d1"]
    single = agreement_report(DOCS, SPANS, DONE, document="d2")
    assert single["overall"]["krippendorff_alpha_unitizing"] == d2["krippendorff_alpha_unitizing"]
    assert single["overall"]["char_fleiss_kappa"] == d2["char_fleiss_kappa"]


def test_lowest_agreement_lists_at_most_a_few_documents():
    documents = {f"doc{k:02d}": 10 for k in range(LOWEST + 5)}
    spans = [("a", d, 0, 5, "X") for d in documents] + [
        ("b", d, 0, 4 + k % 2, "X") for k, d in enumerate(documents)
    ]
    report = agreement_report(documents, spans, {d: {"a", "b"} for d in documents})
    lowest = report["lowest_agreement"]
    assert len(lowest) == LOWEST
    # the 8 documents where b stopped one character short come first
    assert [row["char_krippendorff_alpha"] < 1 for row in lowest] == [True] * 8 + [False] * 2


def test_shipped_vietnamese_corpus_matches_reference_libraries():
    """Real article lengths: three annotators tag capitalised names with some noise."""
    documents, spans = {}, []
    for path in sorted(CORPUS.glob("*.txt")):
        text = normalize(path.read_text(encoding="utf-8"))
        documents[path.stem] = len(text)
        for k, match in enumerate(regex.finditer(r"\p{Lu}\p{L}+(?: \p{Lu}\p{L}+)*", text)):
            start, end = match.span()
            label = "PER" if k % 3 else "LOC"
            spans.append(("lan", path.stem, start, end, label))
            if k % 5:
                spans.append(("minh", path.stem, start, end if k % 7 else end - 1, label))
            if k % 4:
                spans.append(("hoa", path.stem, start, end, "ORG" if k % 11 == 0 else label))
    done = {d: {"lan", "minh", "hoa"} for d in documents}
    done[next(iter(documents))].discard("hoa")  # one article hoa has not finished
    report = agreement_report(documents, spans, done)
    names = report["annotators"]
    for label in (None, "PER", "LOC"):
        values = report["overall"] if label is None else report["labels"][label]
        expected = reference_char_measures(documents, spans, done, names, label=label)
        assert values["char_fleiss_kappa"] == pytest.approx(expected["fleiss"], rel=1e-9)
        assert values["char_krippendorff_alpha"] == pytest.approx(expected["alpha"], rel=1e-9)
        for pair in report["pairs"]:
            ours = (
                pair["char_cohen_kappa"]
                if label is None
                else pair["labels"][label]["char_cohen_kappa"]
            )
            assert ours == pytest.approx(expected["cohen"][(pair["a"], pair["b"])], rel=1e-9)
