"""Databases made by every earlier schema version open, migrate and lose nothing.

tests/data/schema_vN.db were written by reader at schema version N and are never
regenerated: they are what users' disks hold.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from reader.core.store import Store, migrations
from tests.helpers import ROOT

FIXTURES = sorted((ROOT / "tests" / "data").glob("schema_v*.db"))


def test_there_is_a_fixture_for_every_earlier_version():
    versions = {int(p.stem.removeprefix("schema_v")) for p in FIXTURES}
    assert 1 in versions
    assert set(range(1, migrations.VERSION)) <= versions, (
        "add tests/data/schema_vN.db before adding step N+1"
    )


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_old_database_opens_migrates_and_keeps_everything(tmp_path, fixture):
    db = tmp_path / "old.db"
    shutil.copy(fixture, db)
    raw = sqlite3.connect(db)
    old_annotations = raw.execute("SELECT * FROM annotations ORDER BY id").fetchall()
    old_events = raw.execute("SELECT id, annotation, action FROM events ORDER BY seq").fetchall()
    old_status = raw.execute("SELECT * FROM document_status").fetchall()
    raw.close()
    with Store.open(db, annotator="lan") as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.VERSION
        live = list(store.iter_annotations())
        assert [a.text for a in live] == ["Ngày"] and live[0].note == "ghi chú"
        assert store.status("vn1") == "done"
        made = store.create("vn2", 0, 3, "casualty")  # and it works after the upgrade
        other = store.create("vn2", 4, 7, "propaganda")
        store.create_link(made.id, other.id, "same_claim")  # links too (step 5)
        assert [e.subject for e in store.events()][:1] == ["annotation"]
    raw = sqlite3.connect(db)
    columns = [r[1] for r in raw.execute("PRAGMA table_info(annotations)")]
    kept = raw.execute(
        f"SELECT {', '.join(columns[:17])} FROM annotations WHERE id IN ({', '.join('?' * len(old_annotations))}) ORDER BY id",
        [r[0] for r in old_annotations],
    ).fetchall()
    assert kept == [tuple(r[:17]) for r in old_annotations]
    assert (
        raw.execute(
            "SELECT id, annotation, action FROM events ORDER BY seq LIMIT ?", (len(old_events),)
        ).fetchall()
        == old_events
    )
    assert raw.execute("SELECT * FROM document_status").fetchall() == old_status
