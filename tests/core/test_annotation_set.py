"""AnnotationSet: one copy of what a pane shows. After any run of saved changes, the set
kept by ``apply`` answers exactly as one read afresh from the store: rows, counts,
overlaps and navigation."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core import history
from reader.core.annotation_set import AnnotationSet, Change, span_row
from reader.core.errors import ReaderError
from reader.core.store import SpanRow, Store
from tests.helpers import VIETNAMESE, make_document

LABELS = ("propaganda", "casualty", "attribution")


def fresh(store: Store, document: str, blind: bool) -> AnnotationSet:
    annotator = store.annotator if blind else None
    rows = store.iter_spans(document=document, annotator=annotator)
    return AnnotationSet(rows, store.annotator, ordered=True)


def assert_same(kept: AnnotationSet, read: AnnotationSet, length: int) -> None:
    assert kept.rows == read.rows
    assert +kept.mine == +read.mine and kept.mine_orphaned == read.mine_orphaned
    assert kept.mine_total() == read.mine_total()
    for lo in range(0, length, 7):
        assert sorted(kept.index.overlapping(lo, lo + 9)) == sorted(
            read.index.overlapping(lo, lo + 9)
        )
    for offset in range(0, length, 11):
        for forward in (True, False):
            assert kept.next_start(offset, forward) == read.next_start(offset, forward)
        assert kept.first_at(offset) == read.first_at(offset)
    assert all(kept.row(r.id) == r for r in read.rows)


def span_row_of(id_, start, end, label, annotator, orphaned=0):
    return SpanRow(id_, start, end, label, annotator, orphaned, "d")


def test_counts_are_mine_per_label_and_orphaned_rows_are_kept_but_not_drawn():
    rows = [
        span_row_of("a", 0, 4, "casualty", "lan"),
        span_row_of("b", 2, 6, "casualty", "minh"),
        span_row_of("c", 5, 9, "propaganda", "lan"),
        span_row_of("d", 1, 3, "casualty", "lan", orphaned=1),
    ]
    got = AnnotationSet(rows, "lan")
    assert [r.id for r in got.rows] == ["a", "d", "b", "c"]  # sorted by (start, end)
    assert +got.mine == {"casualty": 1, "propaganda": 1} and got.mine_orphaned == 1
    assert got.mine_total() == 3 and [r.id for r in got.mine_rows()] == ["a", "d", "c"]
    assert sorted(r[0] for r in got.index.overlapping(0, 10)) == ["a", "b", "c"]
    assert got.next_start(0, True) == 2 and got.next_start(5, False) == 2


def test_a_change_says_what_to_repaint(store: Store):
    store.sync_documents([make_document("vn", VIETNAMESE)])
    spans = fresh(store, "vn", blind=True)
    created = store.create("vn", 0, 4, "casualty")
    change = spans.apply(created)
    assert change == Change(None, span_row(created))
    moved = store.update(created.id, label="propaganda")
    assert spans.apply(moved) == Change(span_row(created), span_row(moved))
    gone = store.delete(created.id)
    assert spans.apply(gone) == Change(span_row(moved), None)
    assert len(spans) == 0 and not +spans.mine


def test_blind_mode_keeps_others_out(store: Store, db_path):
    store.sync_documents([make_document("vn", VIETNAMESE)])
    spans = fresh(store, "vn", blind=True)
    with Store.open(db_path, annotator="minh") as minh:
        theirs = minh.create("vn", 0, 4, "casualty")
    assert spans.apply(theirs, shown=False) == Change(None, None)
    assert len(spans) == 0


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
def test_a_set_kept_by_apply_equals_one_read_afresh(tmp_path_factory, ops, blind):
    """What the annotate screen does after each commit, without a screen."""
    path = tmp_path_factory.mktemp("set") / "a.db"
    with Store.open(path, annotator="lan") as store, Store.open(path, annotator="minh") as minh:
        store.sync_documents([make_document("vn", VIETNAMESE)])
        length = len(store.document("vn").text)
        kept = fresh(store, "vn", blind)
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
