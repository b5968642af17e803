"""A corpus file edited under its annotations: each is re-anchored to its exact text or
listed as orphaned, never moved to a wrong place."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.store import Store
from tests.helpers import VIETNAMESE, make_document

BASE = VIETNAMESE * 2
WORDS = ["Almaty", " ", "164 người", "😢", "中文", "\n", "bạo loạn", ".", "e\u0301"]


def assert_invariant(store: Store) -> None:
    text = store.document("vn1").text
    sha = store.document("vn1").sha256
    for a in store.iter_annotations():
        if not a.orphaned:
            assert text[a.start : a.end] == a.text
            assert a.document_sha256 == sha


def store_with_spans(tmp: Path, base: str = BASE) -> tuple[Store, list]:
    store = Store.open(tmp / "a.db", annotator="lan")
    store.sync_documents([make_document("vn1", base)])
    spans = []
    for needle in ("4.500 kẻ bạo loạn", "164 người thiệt mạng", "Trật tự", "Ông Tokayev"):
        start = base.index(needle)
        spans.append(store.create("vn1", start, start + len(needle), "casualty"))
    return store, spans


def test_insertions_before_inside_after_deletion_and_duplication(tmp_path):
    store, spans = store_with_spans(tmp_path, VIETNAMESE)
    casualty, killed, order, person = spans
    edited = VIETNAMESE.replace("Ngày 8/1,", "Sáng ngày 8/1 (giờ địa phương),", 1)  # before a span
    edited = edited.replace("164 người thiệt mạng", "164 người đã thiệt mạng", 1)  # inside a span
    edited = edited.replace("Trật tự đã", "Trật tự, theo ông, đã", 1)  # after 'Trật tự'
    edited = edited.replace("Ông Tokayev nói: “Trật tự", "“Trật tự", 1)  # deleted passage
    summary = store.sync_documents([make_document("vn1", edited)])
    assert summary.versioned == ("vn1",)
    assert not store.annotation(casualty.id).orphaned
    assert store.annotation(killed.id).orphaned  # its text changed: orphaned, kept
    assert store.annotation(person.id).orphaned  # its passage was deleted
    moved = store.annotation(order.id)
    assert not moved.orphaned and edited[moved.start : moved.end] == "Trật tự"
    assert_invariant(store)
    # a duplicated passage: the copy nearest the old place, with the same context, wins
    duplicated = edited + edited
    store.sync_documents([make_document("vn1", duplicated)])
    assert store.annotation(casualty.id).start == edited.index("4.500 kẻ bạo loạn")
    assert_invariant(store)
    store.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, len(BASE)), st.integers(0, 12), st.sampled_from(WORDS)),
        min_size=1,
        max_size=6,
    )
)
def test_random_edits_never_leave_a_live_span_on_the_wrong_text(edits):
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = store_with_spans(Path(tmp))
        text = BASE
        for position, cut, insert in edits:
            position = min(position, len(text))
            text = text[:position] + insert + text[position + cut :]
            store.sync_documents([make_document("vn1", text)])
            assert_invariant(store)
        store.close()
