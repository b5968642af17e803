"""AnnotationSet: what a pane shows, read by range. After any run of saved changes, the
set kept by ``apply`` (with the windows it read before them) answers exactly as one
read afresh from the store: overlaps, counts and navigation; and the store's range
reads give exactly what a filter over every span gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.core import annotation_set, history
from reader.core.annotation_set import AnnotationSet, Change, span_row
from reader.core.errors import ReaderError
from reader.core.model import AnnotationDraft
from reader.core.store import SpanRow, Store
from reader.core.store.spans import LONG_SPAN
from tests.helpers import VIETNAMESE, make_document

LABELS = ("propaganda", "casualty", "attribution")


@pytest.fixture(autouse=True)
def small_windows(monkeypatch):
    """Windows of 16 code points, so a short text spans many and spans cross them."""
    monkeypatch.setattr(annotation_set, "WINDOW", 16)


def fresh(store: Store, document: str, blind: bool) -> AnnotationSet:
    return AnnotationSet.of_store(store, document, blind)


def assert_same(kept: AnnotationSet, read: AnnotationSet, length: int) -> None:
    assert +kept.mine == +read.mine and kept.mine_orphaned == read.mine_orphaned
    assert kept.mine_total() == read.mine_total() and kept.total() == read.total()
    for lo in range(0, length, 7):
        assert kept.overlapping(lo, lo + 9) == read.overlapping(lo, lo + 9)
    assert kept.overlapping(0, length) == read.overlapping(0, length)
    for offset in range(0, length, 11):
        for forward in (True, False):
            assert kept.next_start(offset, forward) == read.next_start(offset, forward)
        assert kept.around(offset, 5) == read.around(offset, 5)
    assert all(kept.row(r.id) == r for r in read.overlapping(0, length))


def span_row_of(id_, start, end, label, annotator, orphaned=0):
    return SpanRow(id_, start, end, label, annotator, orphaned, "d")


def test_rows_in_memory_count_mine_per_label_and_orphaned_rows_are_counted_not_drawn():
    rows = [
        span_row_of("a", 0, 4, "casualty", "lan"),
        span_row_of("b", 2, 6, "casualty", "minh"),
        span_row_of("c", 5, 9, "propaganda", "lan"),
        span_row_of("d", 1, 3, "casualty", "lan", orphaned=1),
    ]
    got = AnnotationSet(rows, "lan")
    assert [r.id for r in got.overlapping(0, 40)] == ["a", "b", "c"]  # by (start, end)
    assert [r.id for r in got.overlapping(17, 40)] == []
    assert +got.mine == {"casualty": 1, "propaganda": 1} and got.mine_orphaned == 1
    assert got.mine_total() == 3 and [r.id for r in got.mine_rows()] == ["a", "c"]
    assert got.next_start(0, True) == 2 and got.next_start(5, False) == 2
    assert got.row("b").start == 2 and got.row("d") is None and got.total() == 3


def test_a_change_says_what_to_repaint(store: Store):
    store.sync_documents([make_document("vn", VIETNAMESE)])
    spans = fresh(store, "vn", blind=True)
    spans.overlapping(0, 40)  # on screen: read
    created = store.create("vn", 0, 4, "casualty")
    change = spans.apply(created)
    assert change == Change(None, span_row(created))
    moved = store.update(created.id, label="propaganda")
    assert spans.apply(moved) == Change(span_row(created), span_row(moved))
    gone = store.delete(created.id)
    assert spans.apply(gone) == Change(span_row(moved), None)
    assert spans.total() == 0 and not +spans.mine


def test_a_change_off_screen_is_counted_again_and_read_when_shown(store: Store):
    store.sync_documents([make_document("vn", VIETNAMESE)])
    made = store.create("vn", 40, 44, "casualty")
    spans = fresh(store, "vn", blind=True)
    assert spans.mine == {"casualty": 1}
    gone = store.delete(made.id)  # its window was never read
    assert spans.apply(gone) == Change(None, None)
    assert not +spans.mine and spans.overlapping(0, 60) == []


def test_blind_mode_keeps_others_out(store: Store, db_path):
    store.sync_documents([make_document("vn", VIETNAMESE)])
    spans = fresh(store, "vn", blind=True)
    spans.overlapping(0, 40)
    with Store.open(db_path, annotator="minh") as minh:
        theirs = minh.create("vn", 0, 4, "casualty")
    assert spans.apply(theirs, shown=False) == Change(None, None)
    assert spans.total() == 0 and spans.overlapping(0, 40) == []
    assert [r.id for r in fresh(store, "vn", blind=False).overlapping(0, 40)] == [theirs.id]


TEXT = "ab cd " * 700  # 4,200 code points: spans longer than LONG_SPAN fit


SPANS = st.lists(
    st.tuples(
        st.integers(0, len(TEXT) - 2),
        st.sampled_from([1, 5, 300, LONG_SPAN, 3000]),
        st.sampled_from(("lan", "minh")),
        st.booleans(),
    ),
    max_size=40,
)
RANGES = st.lists(
    st.tuples(st.integers(0, len(TEXT)), st.integers(1, 2500)), min_size=1, max_size=8
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(SPANS, RANGES)
def test_a_range_read_gives_what_a_filter_over_every_span_gives(tmp_path_factory, spans, ranges):
    with Store.open(tmp_path_factory.mktemp("range") / "a.db", annotator="lan") as store:
        store.sync_documents([make_document("t", TEXT)])
        drafts, seen = [], set()
        for start, size, who, deleted in spans:
            end = min(start + size, len(TEXT))
            if (start, end, who) not in seen:
                seen.add((start, end, who))
                drafts.append((AnnotationDraft("t", start, end, "casualty", who), deleted))
        store.import_items([d for d, _ in drafts], source="test")
        for annotation in list(store.iter_annotations()):
            if any(d.start == annotation.start and d.end == annotation.end
                   and d.annotator == annotation.annotator and gone for d, gone in drafts):  # fmt: skip
                with Store.open(store.path, annotator=annotation.annotator) as theirs:
                    theirs.delete(annotation.id)
        every = list(store.iter_spans(document="t"))
        for lo, width in ranges:
            hi = lo + width
            for who in (None, "lan", "minh"):
                want = [r for r in every if r.start < hi and r.end > lo
                        and who in (None, r.annotator)]  # fmt: skip
                got = store.spans_between("t", lo, hi, annotator=who)
                assert sorted(got) == sorted(want)
                assert [(r.start, r.end) for r in got] == sorted((r.start, r.end) for r in got)


operations = st.lists(
    st.tuples(
        st.sampled_from(["create", "relabel", "delete", "undo", "redo", "other"]),
        st.integers(0, 150),
        st.integers(1, 30),
        st.sampled_from(LABELS),
    ),
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations, st.booleans())
# Two labels on one extent: their order hung on random ids until (start, end, id) was the
# one order of the store, the index and the set (found failing in CI one run in a few).
@example(
    [("create", 0, 1, "propaganda"), ("create", 0, 1, "casualty"), ("relabel", 0, 1, "propaganda")],
    False,
)
def test_a_set_kept_by_apply_equals_one_read_afresh(tmp_path_factory, ops, blind):
    """What the annotate screen does after each commit, without a screen."""
    path = tmp_path_factory.mktemp("set") / "a.db"
    with Store.open(path, annotator="lan") as store, Store.open(path, annotator="minh") as minh:
        store.sync_documents([make_document("vn", VIETNAMESE)])
        length = len(store.document("vn").text)
        kept = fresh(store, "vn", blind)
        kept.overlapping(0, length // 2)  # half of it read before the changes, half after
        for op, start, size, label in ops:
            start, end = min(start, length - 1), min(start + size, length)
            mine = list(store.iter_spans(document="vn", annotator="lan"))
            try:
                if op == "create":
                    saved = store.create("vn", start, end, label)
                elif op == "other":  # another annotator's tag reaches this pane on reload only
                    minh.create("vn", start, end, label)
                    kept = fresh(store, "vn", blind)
                    continue
                elif op in ("relabel", "delete") and mine:
                    target = mine[start % len(mine)].id
                    saved = (
                        store.delete(target)
                        if op == "delete"
                        else store.update(target, label=label)
                    )
                elif op in ("undo", "redo"):
                    saved = (history.undo if op == "undo" else history.redo)(store)
                else:
                    continue
            except ReaderError:
                continue  # a twin, say: refused and nothing changed
            if saved is not None:
                kept.apply(saved, shown=not blind or saved.annotator == store.annotator)
            assert_same(kept, fresh(store, "vn", blind), length)
