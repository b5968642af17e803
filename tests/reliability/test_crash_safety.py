"""Nothing acknowledged is lost: SIGKILL at random moments, then check the database.

CI kills the driver 20 times; set READER_SOAK_KILLS=100 for more (a soak run: no
separate script, the test itself is the soak).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from reader.core.store import Store
from tests.helpers import VIETNAMESE, make_document

DRIVER = Path(__file__).with_name("driver.py")
KILLS = int(os.environ.get("READER_SOAK_KILLS", "20"))


def acknowledged(output: str) -> list[dict]:
    """Complete lines only: a line cut by the kill was never acknowledged."""
    lines = output.split("\n")[:-1]
    return [json.loads(line) for line in lines if line]


def test_sigkill_at_random_moments_loses_no_acknowledged_annotation(tmp_path):
    db = tmp_path / "annotations.db"
    with Store.open(db, annotator="setup") as store:
        store.sync_documents([make_document("vn1", VIETNAMESE * 20)])
    rng = random.Random(2022)
    acked_creates: set[str] = set()
    acked_notes: dict[str, str] = {}
    for kill in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(db), "lan", "30", str(kill)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert json.loads(proc.stdout.readline()) == {"ready": True}  # store open, loop starting
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        # On from readline's buffer: it may hold lines read past "ready" (a slow test
        # process), and communicate() reads the pipe itself, past them, cutting a line.
        out = proc.stdout.read()
        proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        for record in acknowledged(out.decode()):
            if "create" in record:
                acked_creates.add(record["create"])
            elif "update" in record:
                acked_notes[record["update"]] = record["note"]

        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0]: row[1] for row in conn.execute("SELECT id, note FROM annotations")}
        assert acked_creates <= stored.keys(), f"kill {kill}: acknowledged annotations missing"
        # An acknowledged update is in the log; the row holds it or a later write (one the
        # kill cut off before its acknowledgement could be printed).
        notes_logged = {}
        for annotation, after in conn.execute("SELECT annotation, after FROM events ORDER BY seq"):
            notes_logged.setdefault(annotation, []).append(json.loads(after)["note"])
        for ann_id, note in acked_notes.items():
            assert note in notes_logged[ann_id]
            assert stored[ann_id] == notes_logged[ann_id][-1]
            later = notes_logged[ann_id][notes_logged[ann_id].index(note) :]
            assert stored[ann_id] in later
        # nothing half-written: every row has its create event, every event's row exists
        created = {
            row[0] for row in conn.execute("SELECT annotation FROM events WHERE action = 'create'")
        }
        assert created == stored.keys()
        conn.close()
    assert len(acked_creates) > KILLS  # the driver really did work between kills
    with Store.open(db, annotator="after") as store:  # opens and works
        ann = store.create("vn1", 0, 4, "casualty")
        assert store.annotation(ann.id).text == VIETNAMESE[:4]
