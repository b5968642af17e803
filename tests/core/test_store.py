"""The store keeps every acknowledged annotation, refuses bad writes whole, re-anchors honestly."""

from __future__ import annotations

import sqlite3

import pytest

from reader.core import history
from reader.core.errors import ConflictError, NotFoundError, StoreError, ValidationError
from reader.core.model import AnnotationDraft
from reader.core.store import Store, migrations
from tests.helpers import file_digest, make_document


def span_of(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def test_create_stores_exact_offsets_text_and_context(vn_store: Store):
    text = vn_store.document("vn1").text
    start, end = span_of(text, "164 người thiệt mạng")
    ann = vn_store.create(
        "vn1", start, end, "casualty", attributes={"value_best": "164", "outcome": "killed"}
    )
    stored = vn_store.annotation(ann.id)
    assert (stored.start, stored.end, stored.text) == (start, end, "164 người thiệt mạng")
    assert stored.attributes == {"value_best": 164, "outcome": "killed"}
    assert stored.prefix == text[max(0, start - 32) : start]
    assert stored.annotator == "lan" and stored.origin == "manual"


def test_pragmas_are_wal_full_sync_and_foreign_keys(vn_store: Store):
    q = vn_store.conn.execute
    assert q("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert q("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert q("PRAGMA foreign_keys").fetchone()[0] == 1
    assert q("PRAGMA busy_timeout").fetchone()[0] > 0
    assert q("PRAGMA user_version").fetchone()[0] == migrations.VERSION


@pytest.mark.parametrize(
    "start, end, label, attributes, match",
    [
        (-1, 3, "casualty", {}, "not inside"),
        (5, 3, "casualty", {}, "not inside"),
        (0, 10_000, "casualty", {}, "not inside"),
        (0, 3, "rumour", {}, "unknown label"),
        (0, 3, "casualty", {"outcome": "exploded"}, "not one of"),
        (0, 3, "casualty", {"value_best": "12a"}, "not a whole number"),
        (0, 3, "casualty", {"colour": "red"}, "no attribute"),
    ],
)
def test_invalid_writes_are_refused_and_change_nothing(
    vn_store, db_path, start, end, label, attributes, match
):
    vn_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(db_path)
    with pytest.raises(ValidationError, match=match):
        vn_store.create("vn1", start, end, label, attributes=attributes)
    assert file_digest(db_path) == before
    assert list(vn_store.iter_annotations()) == []


def test_span_inside_an_emoji_cluster_is_refused(vn_store, db_path):
    text = vn_store.document("vn2").text
    family = text.index("👨")
    vn_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(db_path)
    with pytest.raises(ValidationError, match="splits a character"):
        vn_store.create("vn2", family + 1, family + 3, "casualty")
    assert file_digest(db_path) == before


def test_delete_is_a_tombstone_and_every_action_is_logged(vn_store):
    ann = vn_store.create("vn1", 0, 4, "casualty")
    vn_store.update(ann.id, note="ghi chú")
    vn_store.delete(ann.id)
    assert list(vn_store.iter_annotations()) == []
    kept = vn_store.annotation(ann.id)
    assert kept.deleted_at is not None and kept.note == "ghi chú"
    assert [e.action for e in vn_store.events(annotation=ann.id)] == ["create", "update", "delete"]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        vn_store.conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        vn_store.conn.execute("DELETE FROM annotations")


def test_label_change_keeps_only_attributes_the_new_label_has(vn_store):
    ann = vn_store.create("vn1", 0, 4, "casualty", attributes={"outcome": "killed"}, note="n")
    changed = vn_store.update(ann.id, label="attribution")
    assert changed.label == "attribution" and dict(changed.attributes) == {} and changed.note == "n"


def test_migration_creates_schema_in_an_empty_file(db_path):
    db_path.write_bytes(b"")
    with Store.open(db_path) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.VERSION
        assert s.documents() == []


def test_newer_schema_version_is_refused_and_file_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE x (a)")
    conn.execute(f"PRAGMA user_version = {migrations.VERSION + 1}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer than this reader"):
        Store.open(db_path)
    assert db_path.read_bytes() == before
    assert not (db_path.parent / (db_path.name + "-wal")).exists()


@pytest.mark.parametrize(
    "content", [b"not a database at all, just text\n" * 10, b"SQLite format 3\x00" + b"\x00" * 50]
)
def test_corrupted_database_file_gives_a_clear_error(db_path, content):
    db_path.write_bytes(content)
    with pytest.raises(StoreError, match=str(db_path.name)):
        Store.open(db_path)
    assert db_path.read_bytes() == content


def test_reanchor_when_text_is_inserted_before_the_span(vn_store):
    text = vn_store.document("vn1").text
    ann = vn_store.create("vn1", *span_of(text, "4.500 kẻ bạo loạn"), "casualty")
    new_text = "Tin mới: 😀 cập nhật.\n" + text
    summary = vn_store.sync_documents([make_document("vn1", new_text)])
    assert summary.versioned == ("vn1",) and summary.reanchored == 1
    moved = vn_store.annotation(ann.id)
    assert new_text[moved.start : moved.end] == "4.500 kẻ bạo loạn" == moved.text
    assert not moved.orphaned and moved.document_sha256 == vn_store.document("vn1").sha256
    assert vn_store.document("vn1", version=1).text == text  # old version kept, never overwritten


def test_span_whose_own_text_changed_is_orphaned_not_moved(vn_store):
    text = vn_store.document("vn1").text
    start, end = span_of(text, "164 người")
    ann = vn_store.create("vn1", start, end, "casualty")
    summary = vn_store.sync_documents(
        [make_document("vn1", text.replace("164 người", "165 người"))]
    )
    assert summary.orphaned == 1
    orphan = vn_store.annotation(ann.id)
    assert orphan.orphaned and (orphan.start, orphan.end, orphan.text) == (start, end, "164 người")
    assert vn_store.stats()["orphaned"][0]["id"] == ann.id


def test_covered_text_occurring_twice_is_placed_by_prefix_and_suffix():
    from reader.core.anchor import reanchor

    old = "Almaty: 10 người chết. Sau đó ở Aktobe: 10 người chết. Hết."
    start = old.index("10 người chết", 20)  # the Aktobe one
    prefix, suffix = old[max(0, start - 32) : start], old[start + 13 : start + 45]
    new = "Tin vắn. " + "Almaty: 10 người chết. Sau đó ở Aktobe: 10 người chết. Hết."
    placed = reanchor(new, "10 người chết", prefix, suffix, start)
    assert placed == (new.index("Aktobe: 10") + 8, new.index("Aktobe: 10") + 21)


def test_identical_candidates_at_equal_distance_are_orphaned():
    from reader.core.anchor import reanchor

    assert reanchor("ab XX ab", "ab", "", "", 3) is None
    assert reanchor("ab XX ab", "ab", "", "", 4) == (6, 8)


def test_import_is_all_or_nothing(vn_store, db_path):
    good = AnnotationDraft("vn1", 0, 4, "casualty", "minh", where="f.jsonl:1")
    bad = AnnotationDraft("vn1", 0, 4, "casualty", "minh", text="wrong", where="f.jsonl:2")
    vn_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(db_path)
    with pytest.raises(ValidationError, match=r"f\.jsonl:2: text"):
        vn_store.import_items([good, bad], source="f.jsonl")
    assert file_digest(db_path) == before


def test_import_twice_adds_nothing_and_duplicate_id_with_other_content_is_refused(vn_store):
    draft = AnnotationDraft("vn1", 0, 4, "casualty", "minh", id="a-1", where="f:1")
    assert vn_store.import_items([draft], source="f").annotations_added == 1
    again = vn_store.import_items([draft], source="f")
    assert (again.annotations_added, again.annotations_unchanged) == (0, 1)
    other = AnnotationDraft("vn1", 0, 5, "casualty", "minh", id="a-1", where="g:3")
    with pytest.raises(ValidationError, match="g:3: id: annotation a-1 is already stored"):
        vn_store.import_items([other], source="g")


def test_unknown_label_on_import_needs_add_labels(vn_store):
    draft = AnnotationDraft("vn1", 0, 4, "rumour", "minh", where="f:1")
    with pytest.raises(ValidationError, match="f:1: label: unknown label 'rumour'"):
        vn_store.import_items([draft], source="f")
    assert vn_store.import_items([draft], source="f", add_labels=True).annotations_added == 1
    assert "rumour" in vn_store.schema.names


def test_undo_of_someone_elses_change_is_refused(vn_store, db_path):
    ann = vn_store.create("vn1", 0, 4, "casualty")
    other = Store.open(db_path, annotator="lan")
    other.update(ann.id, note="changed elsewhere")
    other.close()
    with pytest.raises(ConflictError):
        history.undo(vn_store)
    assert vn_store.annotation(ann.id).note == "changed elsewhere"


def test_undo_and_redo_survive_a_restart(vn_store, db_path):
    ann = vn_store.create("vn1", 0, 4, "casualty")
    vn_store.update(ann.id, label="propaganda")
    vn_store.close()
    reopened = Store.open(db_path, annotator="lan")
    assert history.undo(reopened).label == "casualty"
    assert history.undo(reopened).deleted_at is not None
    assert history.undo(reopened) is None
    assert history.redo(reopened).deleted_at is None
    reopened.close()
    third = Store.open(db_path, annotator="lan")
    assert history.redo(third).label == "propaganda"
    assert third.annotation(ann.id).label == "propaganda"
    third.close()


def test_undo_never_reaches_another_process_session(vn_store, db_path):
    mine = vn_store.create("vn1", 0, 4, "casualty")
    other = Store.open(db_path, annotator="lan")  # same annotator, another process, still open
    theirs = other.create("vn1", 5, 9, "casualty")
    assert history.undo(vn_store).id == mine.id
    assert history.undo(vn_store) is None
    assert other.annotation(theirs.id).deleted_at is None
    other.close()


def test_undo_after_an_import_in_the_same_session_undoes_the_last_action(vn_store):
    mine = vn_store.create("vn1", 0, 4, "casualty")
    vn_store.import_items(
        [AnnotationDraft("vn1", 5, 9, "casualty", "minh", where="f:1")], source="f"
    )
    assert history.undo(vn_store).id == mine.id  # the import is not an undoable action
    assert history.undo(vn_store) is None
    assert len(list(vn_store.iter_annotations(annotator="minh"))) == 1


def live_count(store: Store) -> int:
    return store.conn.execute(
        "SELECT count(*) FROM annotations WHERE deleted_at IS NULL"
    ).fetchone()[0]


def test_store_calls_inside_one_transaction_commit_together_or_not_at_all(vn_store, db_path):
    """A review decision writes two annotations: a failure in the second undoes the first."""
    text = vn_store.document("vn1").text
    start, end = span_of(text, "164 người thiệt mạng")
    vn_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(db_path)
    with pytest.raises(ValidationError, match="label"), vn_store.transaction():
        vn_store.create("vn1", start, end, "casualty")
        vn_store.create("vn1", start, end, "no_such_label")
    assert live_count(vn_store) == 0 and file_digest(db_path) == before
    with vn_store.transaction():
        vn_store.create("vn1", start, end, "casualty")
        vn_store.create("vn1", start, end, "propaganda")
    other = Store.open(db_path, annotator="minh")  # a second connection sees both, committed
    try:
        assert live_count(other) == 2
    finally:
        other.close()


def test_a_failed_call_nested_in_a_transaction_rolls_back_only_itself(vn_store):
    text = vn_store.document("vn1").text
    start, end = span_of(text, "164 người thiệt mạng")
    with vn_store.transaction():
        kept = vn_store.create("vn1", start, end, "casualty")
        with pytest.raises(RuntimeError), vn_store.transaction():
            vn_store.create("vn1", start, end, "propaganda")
            raise RuntimeError("the caller gives up after a write")
    assert live_count(vn_store) == 1 and vn_store.annotation(kept.id).label == "casualty"
    events = vn_store.conn.execute(
        "SELECT count(*) FROM events WHERE action = 'create'"
    ).fetchone()[0]
    assert events == 1


def test_a_rolled_back_decision_does_not_lose_the_sessions_undo_history(db_path):
    """The session row is written with a session's first action: rolled back with it, it
    must be written again by the next action, or the next session cannot resume undo."""
    with Store.open(db_path, annotator="gold") as store:
        store.sync_documents([make_document("d1", "Ngày 8/1, lực lượng an ninh bắt giữ.")])
    with Store.open(db_path, annotator="gold") as store:
        with pytest.raises(ValidationError), store.transaction():
            store.create("d1", 0, 4, "casualty")
            store.create("d1", 5, 3, "casualty")  # start after end: refused
        kept = store.create("d1", 10, 18, "casualty")
        orphan_events = store.conn.execute(
            "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = e.session)"
        ).fetchone()[0]
        assert orphan_events == 0
    with Store.open(db_path, annotator="gold") as store:
        undone = history.undo(store)
        assert undone is not None and undone.id == kept.id and undone.deleted_at


def test_the_same_words_in_another_sentence_are_not_where_a_span_went(vn_store):
    """The tagged word was replaced; its twin further on is another sentence: orphaned,
    and back in place when the edit is reverted."""
    text = vn_store.document("vn1").text
    ann = vn_store.create("vn1", 0, 4, "propaganda")  # "Ngày" at the start
    twin = text + "Ngày 9/1, tình hình đã ổn định.\n"
    vn_store.sync_documents([make_document("vn1", twin)])
    assert vn_store.annotation(ann.id).start == 0 and not vn_store.annotation(ann.id).orphaned
    edited = "Hôm" + twin[4:]
    summary = vn_store.sync_documents([make_document("vn1", edited)])
    assert summary.orphaned == 1 and vn_store.annotation(ann.id).orphaned
    assert vn_store.count_orphaned(document="vn1") == 1
    vn_store.sync_documents([make_document("vn1", twin)])  # the edit undone
    back = vn_store.annotation(ann.id)
    assert not back.orphaned and (back.start, back.end) == (0, 4)


def test_spans_after_an_edit_shift_by_its_length_and_inside_it_are_searched():
    from reader.core.anchor import changed_region, reanchor

    old = "Ngày 8/1, bạo loạn. Ngày 9/1, ổn định. Ngày 10/1, Almaty."
    new = old.replace("bạo loạn", "các cuộc bạo loạn lớn")
    head, tail = changed_region(old, new)
    assert head == len("Ngày 8/1, ") and old[len(old) - tail :] == new[len(new) - tail :]
    assert old[len(old) - tail - 1] != new[len(new) - tail - 1]  # the longest common suffix
    last = old.rindex("Ngày")
    assert reanchor(new, "Ngày", old[last - 8 : last], old[last + 4 : last + 12], last, old) == (
        new.rindex("Ngày"), new.rindex("Ngày") + 4)  # fmt: skip
    start = old.index("bạo loạn")
    found = reanchor(new, "bạo loạn", old[:start], old[start + 8 :][:20], start, old)
    assert found == (new.index("bạo loạn"), new.index("bạo loạn") + len("bạo loạn"))


def test_one_live_mark_per_span_label_and_annotator_but_an_orphan_does_not_count(vn_store):
    text = vn_store.document("vn1").text
    start, end = span_of(text, "Kazakhstan")
    first = vn_store.create("vn1", start, end, "casualty")
    other = vn_store.create("vn1", start, end, "propaganda")
    with pytest.raises(ConflictError, match="already tagged casualty"):
        vn_store.update(other.id, label="casualty")  # relabelling onto a twin
    vn_store.delete(first.id)
    assert vn_store.update(other.id, label="casualty").label == "casualty"
    # The text moves away: the orphan's old offsets now hold other words, free to tag.
    vn_store.sync_documents([make_document("vn1", text.replace("Kazakhstan", "Kaz"))])
    assert vn_store.annotation(other.id).orphaned
    new_text = vn_store.document("vn1").text
    fresh = vn_store.create("vn1", start, end, "casualty")
    assert fresh.text == new_text[start:end] != "Kazakhstan"


def test_an_id_stored_with_other_content_is_a_clash_even_when_that_content_has_a_twin(vn_store):
    text = vn_store.document("vn1").text
    a, b = span_of(text, "Kazakhstan"), span_of(text, "4.500 kẻ bạo loạn")
    vn_store.create("vn1", *a, "casualty")
    stored = vn_store.create("vn1", *b, "casualty")
    clash = AnnotationDraft("vn1", *a, "casualty", "lan", id=stored.id, where="f.jsonl:7")
    with pytest.raises(
        ValidationError, match=r"f\.jsonl:7: id: .* already stored with different content"
    ):
        vn_store.import_items([clash], source="f.jsonl")


def test_an_id_less_span_whose_derived_id_moved_away_is_imported_as_a_new_one(vn_store):
    text = vn_store.document("vn1").text
    start, end = span_of(text, "Ngày 8/1")
    draft = AnnotationDraft("vn1", start, end, "casualty", "minh", where="a.ann:1")  # no id
    assert vn_store.import_items([draft], source="a.ann").annotations_added == 1
    vn_store.sync_documents([make_document("vn1", "Sáng " + text)])  # it moves by 5
    moved = next(vn_store.iter_annotations(annotator="minh"))
    assert (moved.start, moved.end) == (start + 5, end + 5)
    new_text = vn_store.document("vn1").text
    again = AnnotationDraft("vn1", start, end, "casualty", "minh", where="b.ann:1")
    assert new_text[start:end] != "Ngày 8/1"
    assert vn_store.import_items([again], source="b.ann").annotations_added == 1
    assert vn_store.import_items([again], source="b.ann").annotations_added == 0  # and once only


def test_an_edit_that_joins_a_character_to_a_span_edge_orphans_it(vn_store):
    """👍 followed by a skin tone is one character: a span on 👍 alone would cut it."""
    text = "Tôi 👍 rồi, Almaty.\\n"
    vn_store.sync_documents([make_document("thumb", text)])
    thumb = vn_store.create("thumb", 4, 5, "attribution")
    city = vn_store.create("thumb", *span_of(text, "Almaty"), "casualty")
    summary = vn_store.sync_documents([make_document("thumb", text.replace("👍", "👍🏽"))])
    assert vn_store.annotation(thumb.id).orphaned and summary.orphaned == 1
    moved = vn_store.annotation(city.id)
    assert (
        not moved.orphaned and vn_store.document("thumb").text[moved.start : moved.end] == "Almaty"
    )
    assert summary.reanchored == 1  # the span after the edit moved; nothing else counted


def test_twins_within_one_file_are_imported_once(vn_store):
    text = vn_store.document("vn1").text
    start, end = span_of(text, "Kazakhstan")
    lines = [
        AnnotationDraft("vn1", start, end, "casualty", "minh", id=f"id-{n}", where=f"f.jsonl:{n}")
        for n in (1, 2)
    ] + [AnnotationDraft("vn1", start, end, "propaganda", "minh", id="id-3", where="f.jsonl:3")]
    summary = vn_store.import_items(lines, source="f.jsonl")
    assert (summary.annotations_added, summary.annotations_unchanged) == (2, 1)
    assert sorted(a.label for a in vn_store.iter_annotations(annotator="minh")) == [
        "casualty",
        "propaganda",
    ]


def test_text_head_is_the_longest_whole_code_point_prefix_within_the_bytes(store: Store):
    """A pane draws a big article's first screen from its start: the start is a prefix
    of the stored text, cut after a whole code point, never inside one."""
    raw = "Lực lượng 👨‍👩‍👧 中文\r\nxong. " + "e\u0301 " * 5 + "đủ"
    store.sync_documents([make_document("a", raw), make_document("a", raw + " mới")])
    text = store.document("a").text
    data = text.encode("utf-8")
    for size in range(len(data) + 2):
        head, sha, version, whole = store.text_head("a", size)
        assert text.startswith(head) and len(head.encode("utf-8")) <= size
        assert head == data[:size].decode("utf-8", "ignore")  # valid UTF-8: only the cut
        assert (sha, version) == (store.document("a").sha256, 2)
        assert whole == (size >= len(data))
    with pytest.raises(NotFoundError):
        store.text_head("missing", 10)
