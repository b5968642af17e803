"""Eight processes annotate one database at once: nothing lost, nothing locked out,
and undo in one process never undoes another's action."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from reader.core.store import Store
from tests.helpers import VIETNAMESE, make_document

DRIVER = Path(__file__).with_name("driver.py")
SECONDS = float(os.environ.get("READER_SOAK_SECONDS", "10"))


def test_eight_processes_lose_nothing_and_undo_only_their_own(tmp_path):
    db = tmp_path / "annotations.db"
    with Store.open(db, annotator="setup") as store:
        store.sync_documents([make_document("vn1", VIETNAMESE * 20)])
    # four names, two processes each: same annotator in two processes at once
    names = ["an", "an", "binh", "binh", "chi", "chi", "dung", "dung"]
    procs = [
        subprocess.Popen(
            [sys.executable, str(DRIVER), str(db), name, str(SECONDS), str(i), "--undo"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i, name in enumerate(names)
    ]
    results = [p.communicate(timeout=SECONDS + 60) for p in procs]
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0, err.decode()[-2000:]
        assert b"database is locked" not in err
    records = [[json.loads(line) for line in out.decode().splitlines()] for out, _ in results]
    assert all(r[0] == {"ready": True} and r[-1] == {"finished": True} for r in records)

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = {
        r[0]: r for r in conn.execute("SELECT id, annotator, deleted_at, note FROM annotations")
    }
    creates = [rec["create"] for recs in records for rec in recs if "create" in rec]
    assert len(creates) > 50 and set(creates) <= rows.keys()
    for name, recs in zip(names, records):
        for rec in recs:
            if "create" in rec:
                assert rows[rec["create"]][1] == name

    # the event log is consistent: replaying each annotation's events gives its row
    events = conn.execute(
        "SELECT id, annotation, action, after, session, reverts FROM events ORDER BY seq"
    ).fetchall()
    last_after = {}
    session_of = {}
    for event_id, annotation, action, after, session, reverts in events:
        session_of[event_id] = session
        last_after[annotation] = json.loads(after)
        if action in ("undo", "redo"):
            assert session_of[reverts] == session, "an undo reached another session's action"
    for ann_id, (_, _, deleted_at, note) in rows.items():
        assert last_after[ann_id]["note"] == note
        assert (last_after[ann_id]["deleted_at"] is None) == (deleted_at is None)
    undos = sum(1 for e in events if e[2] == "undo")
    assert undos > 0
    conn.close()
