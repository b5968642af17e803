"""Progress: per annotator, per document, and the overlap's agreement so far, pinned
against the krippendorff package on the same per-character data."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from reader.charts import captioned_bar, render_progress
from reader.core.assignment.progress import progress_report
from reader.core.store import Store
from tests.helpers import VIETNAMESE, make_document

DOCS = {
    "d1": VIETNAMESE,
    "d2": "Hà Nội 😀 ngày 8/1: 164 người chết.\r\n",
    "d3": "Tin ngắn.\n",
}


@pytest.fixture
def team(db_path):
    with Store.open(db_path, annotator="lead") as store:
        store.sync_documents([make_document(d, t) for d, t in DOCS.items()])
        store.change_assignments(
            add=[("d1", "lan"), ("d1", "minh"), ("d2", "lan"), ("d2", "minh"), ("d3", "hoa")],
            via="test",
        )
    work = {
        "lan": [("d1", 0, 4, "casualty"), ("d1", 10, 20, "propaganda"), ("d2", 0, 6, "casualty")],
        "minh": [
            ("d1", 0, 4, "casualty"),
            ("d1", 12, 20, "propaganda"),
            ("d2", 20, 23, "casualty"),
        ],
        "hoa": [("d3", 0, 3, "casualty")],
        "gold": [("d1", 0, 4, "casualty")],
    }
    for name, spans in work.items():
        with Store.open(db_path, annotator=name) as store:
            for span in spans:
                store.create(*span)
            if name in ("lan", "minh"):
                store.set_status("d1", "done")
            if name == "lan":
                store.set_status("d2", "done")
                store.set_status("d3", "done")  # not hers: agreement must not count it
    with Store.open(db_path, annotator="lead") as store:
        yield store


def test_progress_counts_per_annotator_and_document(team):
    report = progress_report(team)
    assert report["annotators"] == {
        "hoa": {"assigned": 1, "in_progress": 1, "done": 0, "annotations": {"casualty": 1}},
        "lan": {
            "assigned": 2,
            "in_progress": 0,
            "done": 2,
            "annotations": {"casualty": 2, "propaganda": 1},
        },
        "minh": {
            "assigned": 2,
            "in_progress": 1,
            "done": 1,
            "annotations": {"casualty": 2, "propaganda": 1},
        },
    }
    assert report["documents"]["d1"] == {
        "characters": len(make_document("d1", DOCS["d1"]).text),
        "assigned": ["lan", "minh"],
        "in_progress": [],
        "done": ["lan", "minh"],
    }
    assert report["documents"]["d2"]["in_progress"] == ["minh"]
    assert report["documents"]["d3"] == {
        "characters": 10,
        "assigned": ["hoa"],
        "in_progress": ["hoa"],
        "done": [],
    }


def _per_character(length, spans, label=None):
    """One row per annotator: the category of every character (label or O)."""
    rows = []
    for own in spans:
        row = ["O"] * length
        for start, end, name in own:
            if label is None or name == label:
                for i in range(start, end):
                    row[i] = name if label is None else "x"
        rows.append(row)
    values = sorted({v for row in rows for v in row})
    return np.array([[values.index(v) for v in row] for row in rows], dtype=float)


def test_agreement_of_the_overlap_equals_krippendorff_on_the_characters(team):
    agreement = progress_report(team)["agreement"]
    assert agreement["annotators"] == ["lan", "minh"]
    assert agreement["documents"] == ["d1"]
    length = len(make_document("d1", DOCS["d1"]).text)
    lan = [(0, 4, "casualty"), (10, 20, "propaganda")]
    minh = [(0, 4, "casualty"), (12, 20, "propaganda")]
    expected = krippendorff.alpha(
        reliability_data=_per_character(length, [lan, minh]), level_of_measurement="nominal"
    )
    assert agreement["overall"] == {"char_krippendorff_alpha": pytest.approx(expected), "spans": 4}
    for label in ("casualty", "propaganda"):
        data = _per_character(length, [lan, minh], label)
        if len(np.unique(data)) > 1:
            want = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
            got = agreement["labels"][label]["char_krippendorff_alpha"]
            assert got == pytest.approx(want)
        assert agreement["labels"][label]["spans"] == 2


def test_no_shared_document_done_means_undefined_not_an_error(db_path):
    with Store.open(db_path, annotator="lead") as store:
        store.sync_documents([make_document("d3", DOCS["d3"])])
        report = progress_report(store)
    assert report["annotators"] == {}
    assert report["agreement"]["overall"] == {"char_krippendorff_alpha": None, "spans": 0}
    render_progress(report)  # and it draws


def test_caption_is_written_on_the_bar_or_after_blocks_without_colour():
    coloured = captioned_bar([(0.5, "on green")], "3 of 6 done", width=20)
    assert coloured.plain == " 3 of 6 done        "
    styled = {(s.start, s.end, str(s.style)) for s in coloured.spans}
    assert (0, 10, "bold white on green") in styled
    plain = captioned_bar([(0.5, "on green"), (0.25, "on yellow4")], "3 of 6 done", width=20)
    assert plain.plain.startswith(" 3 of 6")
    blocks = captioned_bar(
        [(0.5, "on green"), (0.25, "on yellow4")], "3 of 6 done", width=20, color=False
    )
    assert blocks.plain == "█" * 10 + "▒" * 5 + "·" * 5 + "  3 of 6 done"
