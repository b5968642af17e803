"""Import and export of the 1M set (10,000 articles, 3 annotators).

- import: ``reader import --format jsonl`` (a subprocess, wall time) of the native
  JSONL file into a database already holding the 10,000 documents; baseline: one
  ``executemany`` of the same 1M rows, prebuilt as tuples, into the raw baseline
  (``harness.raw_connection``) in one transaction. An extra row gives JSON parsing +
  ``executemany``, for scale.
- export: ``reader export --format jsonl -o FILE`` of that database; baseline: sqlite3
  ``SELECT`` in export order, ``json.dumps`` per row, written to a file.

The 1M figures run twice each (a run is already a million operations), so their
median is the mean of two.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

from bench import data
from bench.harness import INSERT, Row, log, raw_connection, run_cli
from bench.workspace import Workspace, reader_import


def figure_import(ws: Workspace) -> list[Row]:
    bulk = ws.bulk()
    corpus, jsonl = bulk["corpus"], bulk["jsonl"]
    n = len(corpus.spans)
    ours, base, parsed = [], [], []
    for r in range(ws.config.bulk_repeats):
        log(f"import: raw executemany ({r + 1}/{ws.config.bulk_repeats})")
        base.append(raw_insert_rate(corpus, ws.folder / f"raw-import-{r}.db"))
        if r == 0:  # for scale only: once is enough
            log("import: raw json.loads + executemany")
            parsed.append(n / _json_insert(jsonl, ws.folder / f"raw-json-{r}.db"))
        log("import: reader import --format jsonl")
        db = ws.folder / f"bulk-import-{r}.db"
        shutil.copy(bulk["template"], db)
        ours.append(n / reader_import(db, jsonl, n, ws.folder))
        if bulk["db"] is not None:
            Path(bulk["db"]).unlink()
        bulk["db"] = db
    value = statistics.median(ours)
    ws.notes.append(
        f"import: {n / value:.1f} s for reader import, {n / statistics.median(base):.1f} s for raw executemany"
    )
    return [
        Row("import", "import of 1M annotations (native JSONL)", value, statistics.median(base), unit="/s",
            kind="rate", target=">= 0.8x", ok=value / statistics.median(base) >= 0.8),
        Row("import-json", "  the same, vs json.loads + executemany", value, statistics.median(parsed), unit="/s",
            kind="info", target="— (scale)"),
    ]  # fmt: skip


def raw_insert_rate(corpus: data.AgreementCorpus, target: Path) -> float:
    """The baseline: rows per second of one ``executemany`` of the corpus's rows,
    prebuilt as tuples, into the raw baseline at ``target`` (removed after)."""
    rows = list(data.raw_rows(corpus))
    conn = raw_connection(target)
    began = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(INSERT, rows)
    conn.execute("COMMIT")
    rate = len(rows) / (time.perf_counter() - began)
    conn.close()
    target.unlink()
    return rate


def _json_insert(jsonl: Path, path: Path) -> float:
    """Seconds to parse the native JSONL and insert its rows raw (prefix/suffix left empty)."""
    conn = raw_connection(path)
    began = time.perf_counter()

    def rows():
        with jsonl.open("rb") as handle:
            for line in handle:
                r = json.loads(line)
                yield (r["id"], r["document"], r["document_sha256"], r["start"], r["end"], r["text"], "", "",
                       r["label"], json.dumps(r["attributes"], ensure_ascii=False), r["note"], r["annotator"],
                       r["origin"], r["created_at"], r["updated_at"], None, 0)  # fmt: skip

    conn.execute("BEGIN")
    conn.executemany(INSERT, rows())
    conn.execute("COMMIT")
    seconds = time.perf_counter() - began
    conn.close()
    path.unlink()
    return seconds


EXPORT_COLUMNS = ("id", "document", "document_sha256", "start", "end", "text", "label", "attributes", "note",
                  "annotator", "origin", "created_at", "updated_at")  # fmt: skip


def raw_export(conn: sqlite3.Connection, out: Path) -> float:
    """Seconds to write every live row as JSONL in export order with plain sqlite3 + json."""
    began = time.perf_counter()
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    cursor = conn.execute(
        'SELECT id, document, document_sha256, start, "end", text, label, attributes, note, annotator, origin, '
        "created_at, updated_at "
        "FROM annotations WHERE deleted_at IS NULL AND orphaned = 0 "
        'ORDER BY document, start, "end", label, annotator, id'
    )
    with out.open("w", encoding="utf-8") as handle:
        for row in cursor:
            record = dict(zip(EXPORT_COLUMNS, row))
            record["attributes"] = json.loads(record["attributes"])
            handle.write(dumps(record) + "\n")
    return time.perf_counter() - began


def figure_export(ws: Workspace) -> list[Row]:
    db = ws.imported()
    bulk = ws.bulk()
    n = len(bulk["corpus"].spans)
    ours, base = [], []
    for r in range(ws.config.bulk_repeats):
        log(f"export: raw sqlite3 + json ({r + 1}/{ws.config.bulk_repeats})")
        raw_out = ws.folder / "raw-export.jsonl"
        conn = sqlite3.connect(db)
        base.append(n / raw_export(conn, raw_out))
        conn.close()
        raw_out.unlink()
        log("export: reader export --format jsonl")
        out = ws.folder / "export.jsonl"
        seconds, _ = run_cli(
            ["export", "--db", str(db), "--format", "jsonl", "-o", str(out)], ws.folder
        )
        ours.append(n / seconds)
        if out.read_bytes() != bulk["jsonl"].read_bytes():
            ws.notes.append(
                "export: reader's JSONL differs from bench/data.py's native_jsonl (check the generator)"
            )
        out.unlink()
    value, baseline = statistics.median(ours), statistics.median(base)
    ws.notes.append(
        f"export: {n / value:.1f} s for reader export, {n / baseline:.1f} s for raw sqlite3 + json"
    )
    return [Row("export", "export of 1M annotations (JSONL)", value, baseline, unit="/s", kind="rate",
                target=">= 0.9x", ok=value / baseline >= 0.9)]  # fmt: skip
