"""What "validate in bulk" could reach: the 1M native JSONL imported by SQL alone.

Issue 14 asks for an import of 1M annotations at 0.8x of raw ``executemany`` of
prebuilt tuples. In Python, parsing and checking a line costs about what its insert
does (bench/RESULTS.md, 2026-11-30), so this figure measures the other design: the
lines go into a temporary table as they are, and one ``INSERT ... SELECT`` parses
them with SQLite's JSON functions (in C) and checks them set by set. Only the parts
any import must do are in it, so each row is a ceiling for that design, not an
import reader could ship:

- sql-parse: the staging and the parse into the annotations table, no check at all;
- sql-text: plus the join to the document's stored text, the SHA-256, the covered
  text compared with the document's slice, a known label, origin and time forms, and
  the 80 code points of context each row stores (``prefix``, ``suffix``).

Still missing from both, and needed: grapheme boundaries, attribute values against
the schema, duplicate JSON keys, the twin search and the id clash, and naming the
first bad line. Baseline: the import figure's, in the same run. Runs only with
``--only import-sql``.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from pathlib import Path

from bench import data
from bench.figures.transfer import raw_insert_rate
from bench.harness import Row, log, raw_connection
from bench.workspace import Workspace
from reader.core.model import CONTEXT, ORIGINS

_COLUMNS = ('id, document, document_sha256, start, "end", text, prefix, suffix, label, '
            "attributes, note, annotator, origin, created_at, updated_at, deleted_at, orphaned")  # fmt: skip
_FIELDS = (
    "line->>'$.id' id, line->>'$.document' document, line->>'$.document_sha256' sha, "
    "line->>'$.start' s, line->>'$.end' e, line->>'$.text' text, line->>'$.label' label, "
    "line->'$.attributes' attributes, line->>'$.note' note, line->>'$.annotator' annotator, "
    "line->>'$.origin' origin, line->>'$.created_at' created_at, "
    "line->>'$.updated_at' updated_at"
)
_PARSE = (
    f"INSERT INTO annotations ({_COLUMNS}) SELECT id, document, sha, s, e, text, '', '', "
    "label, attributes, note, annotator, origin, created_at, updated_at, NULL, 0 "
    f"FROM (SELECT {_FIELDS} FROM incoming)"
)
_TIME = "'????-??-??T??:??:??.??????+00:00'"
_TEXT = (
    f"INSERT INTO annotations ({_COLUMNS}) SELECT i.id, i.document, d.sha256, i.s, i.e, "
    f"i.text, substr(d.text, max(i.s - {CONTEXT}, 0) + 1, min(i.s, {CONTEXT})), "
    f"substr(d.text, i.e + 1, {CONTEXT}), i.label, i.attributes, i.note, i.annotator, "
    "i.origin, i.created_at, i.updated_at, NULL, 0 "
    f"FROM (SELECT {_FIELDS} FROM incoming) i "
    "JOIN documents d ON d.id = i.document "
    "AND d.version = (SELECT max(version) FROM documents WHERE id = i.document) "
    "WHERE i.sha = d.sha256 AND i.label IN (SELECT value FROM json_each(?1)) "
    "AND i.origin IN (SELECT value FROM json_each(?2)) "
    f"AND i.created_at GLOB {_TIME} AND i.updated_at GLOB {_TIME} "
    "AND typeof(i.s) = 'integer' AND typeof(i.e) = 'integer' AND 0 <= i.s AND i.s < i.e "
    "AND i.text = substr(d.text, i.s + 1, i.e - i.s)"
)


def _sql_import(template: Path, target: Path, jsonl: Path, statement: str) -> tuple[float, int]:
    """Seconds to stage the lines and run ``statement``, and the rows it inserted."""
    shutil.copy(template, target)
    conn = raw_connection(target)
    labels = json.dumps(sorted(set(data.LABELS)))
    began = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute("CREATE TEMP TABLE incoming (n INTEGER PRIMARY KEY, line TEXT NOT NULL)")
    with jsonl.open("rb") as handle:
        conn.executemany(
            "INSERT INTO incoming (line) VALUES (?)", ((raw.decode(),) for raw in handle)
        )
    params = (labels, json.dumps(sorted(ORIGINS))) if "?1" in statement else ()
    inserted = conn.execute(statement, params).rowcount
    conn.execute("COMMIT")
    seconds = time.perf_counter() - began
    conn.close()
    target.unlink()
    return seconds, inserted


def figure_import_sql(ws: Workspace) -> list[Row]:
    bulk = ws.bulk()
    corpus, jsonl, template = bulk["corpus"], bulk["jsonl"], bulk["template"]
    n = len(corpus.spans)
    base, parse, text = [], [], []
    for r in range(ws.config.bulk_repeats):
        log(f"import-sql: raw executemany ({r + 1}/{ws.config.bulk_repeats})")
        base.append(raw_insert_rate(corpus, ws.folder / f"raw-sql-{r}.db"))
        for name, statement, rates in (("parse", _PARSE, parse), ("text", _TEXT, text)):
            log(f"import-sql: staged lines + SQL, {name}")
            seconds, inserted = _sql_import(
                template, ws.folder / f"sql-{name}-{r}.db", jsonl, statement
            )
            if inserted != n:
                raise AssertionError(f"import-sql {name}: {inserted:,} of {n:,} rows passed")
            rates.append(n / seconds)
    b = statistics.median(base)
    return [
        Row("import-sql-parse", "1M staged + SQL parse, no check (ceiling)", statistics.median(parse), b,
            unit="/s", kind="rate", target="— (design)"),
        Row("import-sql-text", "  + document, SHA, covered text, context", statistics.median(text), b,
            unit="/s", kind="rate", target="— (design)"),
    ]  # fmt: skip
