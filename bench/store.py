"""Store benchmark: durable single commits and bulk import/export, next to raw sqlite3.

Run: python bench/store.py [--n 100000]. Figures are measured in one run, each next to
its baseline (raw sqlite3 with the same pragmas and rows), so the ratio is what counts
on a noisy shared machine. Nothing here runs as a test.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import INSERT, raw_connection
from reader.core.corpus import read_corpus
from reader.core.model import AnnotationDraft
from reader.core.store import Store

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def row(i: int, doc: str, start: int, text: str) -> tuple:
    return (f"id-{i}", doc, "sha", start, start + 5, text[start : start + 5], "", "", "casualty", "{}", "",
            "lan", "manual", "2026-01-01", "2026-01-01", None, 0)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=300)
    parser.add_argument("--n", type=int, default=100_000, help="annotations for bulk figures")
    args = parser.parse_args()
    docs = read_corpus(CORPUS)
    doc = docs[0]
    starts = [i for i in range(len(doc.text) - 6) if doc.text[i] != " "][:2000]
    tmp = Path(tempfile.mkdtemp())

    # single durable commit
    raw = raw_connection(tmp / "raw.db")
    raw_times = []
    for i in range(args.commits):
        t = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            INSERT,
            row(i, doc.id, starts[i % len(starts)], doc.text),
        )
        raw.execute("COMMIT")
        raw_times.append(time.perf_counter() - t)
    store = Store.open(tmp / "store.db", annotator="bench")
    store.sync_documents(docs)
    ours = []
    for i in range(args.commits):
        s = starts[i % len(starts)]
        t = time.perf_counter()
        store.create(doc.id, s, s + 1, "casualty")
        ours.append(time.perf_counter() - t)
    r_med, o_med = statistics.median(raw_times) * 1000, statistics.median(ours) * 1000
    print(f"{'figure':44} {'reader':>12} {'baseline':>12} {'ratio':>7}")
    print(
        f"{'durable commit of one annotation (median ms)':44} {o_med:12.3f} {r_med:12.3f} {o_med / r_med:7.2f}"
    )

    # bulk insert
    rows = [row(i, doc.id, starts[i % len(starts)], doc.text) for i in range(args.n)]
    raw2 = raw_connection(tmp / "raw2.db")
    t = time.perf_counter()
    raw2.execute("BEGIN")
    raw2.executemany(INSERT, rows)
    raw2.execute("COMMIT")
    raw_rate = args.n / (time.perf_counter() - t)
    bulk = Store.open(tmp / "bulk.db", annotator="bench")
    bulk.sync_documents(docs)
    drafts = (AnnotationDraft(doc.id, starts[i % len(starts)], starts[i % len(starts)] + 1, "casualty", "lan",
                              id=f"id-{i}") for i in range(args.n))  # fmt: skip
    t = time.perf_counter()
    bulk.import_items(drafts, source="bench")
    our_rate = args.n / (time.perf_counter() - t)
    print(
        f"{'bulk import (annotations/s)':44} {our_rate:12.0f} {raw_rate:12.0f} {our_rate / raw_rate:7.2f}"
    )

    # export
    t = time.perf_counter()
    out = io.StringIO()
    cur = raw2.execute(
        'SELECT * FROM annotations ORDER BY document, start, "end", label, annotator, id'
    )
    names = [d[0] for d in cur.description]
    for r in cur:
        out.write(json.dumps(dict(zip(names, r)), ensure_ascii=False) + "\n")
    raw_rate = args.n / (time.perf_counter() - t)
    t = time.perf_counter()
    out = io.StringIO()
    for a in bulk.iter_annotations():
        out.write(json.dumps(a.to_record(), ensure_ascii=False) + "\n")
    our_rate = args.n / (time.perf_counter() - t)
    print(
        f"{'export to JSON lines (annotations/s)':44} {our_rate:12.0f} {raw_rate:12.0f} {our_rate / raw_rate:7.2f}"
    )


if __name__ == "__main__":
    main()
