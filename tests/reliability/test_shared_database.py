"""Another process using the database while the app has it open never hides the app's
saves: a second connection in the same process must not drop SQLite's file locks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from reader.core.store import Store
from tests.helpers import ROOT, VIETNAMESE, make_document


def test_saves_stay_visible_after_a_second_in_process_connection_and_another_process(db_path):
    app_store = Store.open(db_path, annotator="lan")
    app_store.sync_documents([make_document("vn1", VIETNAMESE)])
    worker = Store.open(db_path, annotator="lan")  # as the app's background worker does
    worker.close()
    stats = subprocess.run(
        [sys.executable, "-m", "reader", "stats", "--db", str(db_path)],
        capture_output=True,
        check=False,
        text=True,
        cwd=ROOT,
    )
    assert stats.returncode == 0, stats.stderr
    assert os.path.exists(str(db_path) + "-wal")  # not deleted under the open connection
    saved = app_store.create("vn1", 0, 4, "casualty")
    other = sqlite3.connect(db_path)
    assert (
        other.execute("SELECT count(*) FROM annotations WHERE id = ?", (saved.id,)).fetchone()[0]
        == 1
    )
    other.close()
    app_store.close()
