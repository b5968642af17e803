"""Merging databases: everything comes in once, nothing twice, all or nothing."""

from __future__ import annotations

import pytest

from reader.core.errors import StoreError
from reader.core.store import Store
from reader.core.store.merge import merge_database
from tests.helpers import VIETNAMESE, file_digest, make_document


def annotator_db(path, name, spans, text=VIETNAMESE):
    store = Store.open(path, annotator=name)
    store.sync_documents([make_document("vn1", text)])
    made = [store.create("vn1", s, e, label) for s, e, label in spans]
    store.set_status("vn1", "done")
    store.close()
    return made


def test_merge_brings_annotations_events_and_status_and_is_idempotent(tmp_path):
    a = annotator_db(tmp_path / "a.db", "an", [(0, 4, "casualty")])
    b = annotator_db(tmp_path / "b.db", "binh", [(5, 9, "propaganda"), (0, 4, "casualty")])
    with Store.open(tmp_path / "a.db", annotator="lead") as lead:
        first = merge_database(lead, tmp_path / "b.db")
        assert (first.annotations_added, first.statuses_set) == (2, 1)
        again = merge_database(lead, tmp_path / "b.db")
        assert (again.annotations_added, again.annotations_updated, again.events_added) == (0, 0, 0)
        ids = {x.id for x in lead.iter_annotations()}
        assert ids == {a[0].id, b[0].id, b[1].id}
        assert {(s.annotator, s.status) for s in lead.statuses()} == {
            ("an", "done"),
            ("binh", "done"),
        }
        assert len(lead.events()) == 3


def test_merge_of_a_changed_text_adds_a_version_and_reanchors(tmp_path):
    annotator_db(tmp_path / "a.db", "an", [])
    changed = "Cập nhật mới.\n" + VIETNAMESE
    start = changed.index("164 người")
    [theirs] = annotator_db(
        tmp_path / "b.db", "binh", [(start, start + 9, "casualty")], text=changed
    )
    with Store.open(tmp_path / "a.db", annotator="lead") as lead:
        summary = merge_database(lead, tmp_path / "b.db")
        assert summary.documents_versioned == 1
        merged = lead.annotation(theirs.id)
        assert lead.document("vn1").text[merged.start : merged.end] == "164 người"


def test_merging_a_corrupt_file_changes_nothing(tmp_path):
    annotator_db(tmp_path / "a.db", "an", [(0, 4, "casualty")])
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 100)
    lead = Store.open(tmp_path / "a.db", annotator="lead")
    lead.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(tmp_path / "a.db")
    with pytest.raises(StoreError, match="bad.db: not a reader database"):
        merge_database(lead, bad)
    assert file_digest(tmp_path / "a.db") == before
    lead.close()


def test_the_side_updated_last_wins_whatever_offset_its_time_is_written_with(tmp_path):
    """A database made before imports stored times in UTC may hold them with the offset
    they were written with: 10:00 in Hanoi (03:00 UTC) is older than 09:30 UTC, though
    it sorts after it as text."""
    import shutil

    [made] = annotator_db(tmp_path / "a.db", "an", [(0, 4, "casualty")])
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    for name, note, stamp in [
        ("a.db", "older", "2026-01-08T10:00:00+07:00"),
        ("b.db", "newer", "2026-01-08T09:30:00+00:00"),
    ]:
        with Store.open(tmp_path / name, annotator="an") as store, store.conn:
            store.conn.execute(
                "UPDATE annotations SET note = ?, updated_at = ? WHERE id = ?",
                (note, stamp, made.id),
            )
    with Store.open(tmp_path / "a.db", annotator="lead") as lead:
        assert merge_database(lead, tmp_path / "b.db").annotations_updated == 1
        assert lead.annotation(made.id).note == "newer"
    with Store.open(tmp_path / "b.db", annotator="lead") as lead:  # and the other way round
        assert merge_database(lead, tmp_path / "a.db").annotations_updated == 0
        assert lead.annotation(made.id).note == "newer"


@pytest.mark.parametrize(
    ("column", "value"), [("annotator", "gold"), ("document", "vn2")]
)  # fmt: skip
def test_a_row_that_gives_an_id_another_annotator_or_document_is_refused(tmp_path, column, value):
    """An id never changes hands: a later row naming another annotator would turn an's
    span into a gold one (or move it to another document) without an event saying so."""
    import shutil
    import sqlite3

    from reader.core.errors import ReaderError

    [made] = annotator_db(tmp_path / "a.db", "an", [(0, 4, "casualty")])
    with Store.open(tmp_path / "a.db", annotator="an") as store:
        store.sync_documents([make_document("vn1", VIETNAMESE), make_document("vn2", VIETNAMESE)])
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    conn = sqlite3.connect(tmp_path / "b.db")
    with conn:
        conn.execute(
            f"UPDATE annotations SET {column} = ?, note = 'forged', "
            "updated_at = '2030-01-01T00:00:00+00:00' WHERE id = ?",
            (value, made.id),
        )
    conn.close()
    lead = Store.open(tmp_path / "a.db", annotator="lead")
    lead.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_digest(tmp_path / "a.db")
    with pytest.raises(ReaderError, match=f"annotations {made.id}: is an's on vn1 here but"):
        merge_database(lead, tmp_path / "b.db")
    lead.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert file_digest(tmp_path / "a.db") == before
    assert lead.annotation(made.id).note == ""
    lead.close()
