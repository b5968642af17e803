"""A process that annotates through the core API and reports every acknowledged action.

Used by the crash and concurrency tests (READER_SOAK_KILLS and READER_SOAK_SECONDS
make them soak runs): a line is printed and
flushed only after the store call returned, i.e. after the commit. Whatever is
printed must therefore be in the database, however the process dies.

    python driver.py DB ANNOTATOR SECONDS SEED [--undo]
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.core import history
from reader.core.errors import ConflictError
from reader.core.store import Store


def main() -> None:
    db, annotator, seconds, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    with_undo = "--undo" in sys.argv
    rng = random.Random(seed)
    store = Store.open(db, annotator=annotator)
    doc = store.documents()[0]
    text = store.document(doc.id).text
    words = [i for i in range(1, len(text) - 8) if text[i - 1] == " " and text[i] != " "]
    mine: list[str] = []
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        roll = rng.random()
        if with_undo and roll < 0.1 and mine:
            try:
                undone = history.undo(store)
            except ConflictError:
                undone = None
            if undone is not None:
                out.write(json.dumps({"undo": undone.id, "session": store.session}) + "\n")
        elif roll < 0.2 and mine:
            target = rng.choice(mine)
            try:
                updated = store.update(target, note=f"note {rng.random():.6f}")
                out.write(json.dumps({"update": updated.id, "note": updated.note}) + "\n")
            except ConflictError:
                pass
        else:
            start = rng.choice(words)
            end = start + rng.randint(1, 6)
            while end < len(text) and not text[end].isspace():
                end += 1
            try:
                created = store.create(
                    doc.id, start, end, rng.choice(["propaganda", "casualty", "attribution"])
                )
            except ConflictError:  # already tagged so: refused, as the app refuses it
                continue
            mine.append(created.id)
            out.write(
                json.dumps({"create": created.id, "start": created.start, "end": created.end})
                + "\n"
            )
        out.flush()
    store.close()
    out.write(json.dumps({"finished": True}) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
