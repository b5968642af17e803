"""Durable commit of one annotation.

``Store.create`` on (a copy of) the 10 MB + 100k store, against ``BEGIN IMMEDIATE;
INSERT; COMMIT`` of a prebuilt row into the raw baseline (``harness.raw_connection``:
reader's own table and indexes, the same 100k rows, the store's pragmas), in
alternating blocks.
"""

from __future__ import annotations

import shutil
import statistics
import time

from bench import data
from bench.harness import INSERT, Row, raw_connection
from bench.workspace import ANNOTATOR, Workspace
from reader.core.store import Store


def figure_commit(ws: Workspace) -> list[Row]:
    source, _, _ = ws.big()
    folder = ws.folder / "commit"
    folder.mkdir(exist_ok=True)
    shutil.copy(source, folder / "store.db")
    raw = raw_connection(folder / "raw.db")
    raw.execute("ATTACH DATABASE ? AS big", (str(source),))
    raw.execute("INSERT INTO annotations SELECT * FROM big.annotations")
    raw.execute("DETACH DATABASE big")
    ours, base = [], []
    # Another annotator than the 100k spans': reader keeps one live mark per annotator,
    # span and label, and these words may already carry the bench annotator's.
    with Store.open(folder / "store.db", annotator=f"{ANNOTATOR}-commit") as store:
        doc = store.document(store.documents()[0].id)
        edges = data.words(doc.text)[::7]
        n, block = ws.config.commits, max(1, ws.config.commits // 10)
        for first in range(0, n, block):
            for i in range(first, min(n, first + block)):
                start, end = edges[i % len(edges)]
                prefix, suffix = data.context(doc.text, start, end)
                row = (f"raw-{i}", doc.id, doc.sha256, start, end, doc.text[start:end], prefix, suffix,
                       data.LABELS[i % 3], "{}", "", ANNOTATOR, "manual", data.STAMP, data.STAMP, None, 0)  # fmt: skip
                began = time.perf_counter()
                raw.execute("BEGIN IMMEDIATE")
                raw.execute(INSERT, row)
                raw.execute("COMMIT")
                base.append((time.perf_counter() - began) * 1000)
            for i in range(first, min(n, first + block)):
                start, end = edges[i % len(edges)]
                began = time.perf_counter()
                store.create(doc.id, start, end, data.LABELS[i % 3])
                ours.append((time.perf_counter() - began) * 1000)
    raw.close()
    value, baseline = statistics.median(ours), statistics.median(base)
    return [Row("commit", "durable commit of one annotation", value, baseline, target="<= 2 ms, <= 3x",
                ok=value <= 2 and value / baseline <= 3)]  # fmt: skip
