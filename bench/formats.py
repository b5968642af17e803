"""Import and export throughput per format, next to raw sqlite3 in the same run.

    python bench/formats.py            # 1,000,000 annotations
    python bench/formats.py --small    # 50,000, for a quick look
    python bench/formats.py --size 200000 --formats jsonl,w3c

Baselines, measured on the same machine, data and disk in the same run:
- raw executemany: the annotation rows, already built as tuples, inserted with one
  ``executemany`` into a table shaped like reader's (same indexes, WAL,
  synchronous=FULL), one transaction;
- raw sqlite3 + json: the native JSONL file parsed line by line with ``json.loads``
  and inserted the same way (what any import must at least do);
- raw export: ``SELECT`` every row in export order, ``json.dumps`` each, write lines.

Each format is exported from one store, then imported into a fresh database (the
documents first, for formats that do not carry text). Figures are wall-clock seconds
and annotations per second; "x raw" is the format's rate over the baseline's.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from types import MappingProxyType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import INSERT, raw_connection
from reader.core.formats import FORMATS, ExportFilters, FormatOptions, get_format
from reader.core.model import AnnotationDraft, Document
from reader.core.store import Store
from reader.core.text import normalize, sha256

SENTENCES = [
    "Ngày 8/1, lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 người. ",
    "Theo Bộ Y tế, 164 người thiệt mạng 😢 trong các cuộc bạo loạn ở Almaty. ",
    "Ông Tokayev nói: “Trật tự đã được khôi phục” 🇰🇿. ",
    "Người dân xếp hàng mua bánh mì sau nhiều ngày mất kết nối internet.\n",
]
ANNOTATORS = ["alice", "bob", "Nguyễn Văn An"]
PER_DOCUMENT = 1000
COLUMNS = (
    'id, document, document_sha256, start, "end", text, prefix, suffix, label, attributes, '
    "note, annotator, origin, created_at, updated_at, deleted_at, orphaned"
)


def corpus(size: int, seed: int = 7) -> tuple[list[Document], list[AnnotationDraft]]:
    rng = random.Random(seed)
    docs, drafts = [], []
    for d in range(max(1, size // PER_DOCUMENT)):
        text = normalize("".join(rng.choice(SENTENCES) for _ in range(400)))
        doc = Document(id=f"doc-{d:05d}", text=text, sha256=sha256(text))
        docs.append(doc)
        spaces = [i + 1 for i, ch in enumerate(text) if ch == " "]
        seen: set[tuple[int, int, int]] = set()
        n = 0
        while n < min(PER_DOCUMENT, size - len(drafts) + n) and len(drafts) < size:
            k = rng.randrange(len(spaces) - 40)
            start, end = spaces[k], spaces[k + rng.randint(1, 30)] - 1
            if (start, end, n % 3) in seen:  # same span, label and annotator: one annotation
                continue
            seen.add((start, end, n % 3))
            label = ("propaganda", "casualty", "attribution")[n % 3]
            attributes = {
                "propaganda": {"technique": "Loaded_Language", "category": "manipulative_wording"},
                "casualty": {"outcome": "killed", "value_best": n},
                "attribution": {"source": "Bộ Y tế", "quote_type": "direct"},
            }[label]
            drafts.append(AnnotationDraft(
                document=doc.id, start=start, end=end, label=label, annotator=ANNOTATORS[n % 3],
                id=f"00000000-0000-4000-8000-{len(drafts):012d}", attributes=MappingProxyType(attributes),
                note="ghi chú" if n % 10 == 0 else "", origin="manual",
                created_at="2022-01-10T10:00:00.000000+00:00", updated_at="2022-01-10T10:00:00.000000+00:00",
            ))  # fmt: skip
            n += 1
    return docs, drafts


def timed(action, *args, **kwargs) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action(*args, **kwargs)
    return time.perf_counter() - start, result


def baselines(folder: Path, store: Store, native: Path) -> dict[str, float]:
    rows = list(store.conn.execute(f"SELECT {COLUMNS} FROM annotations"))

    def insert(conn: sqlite3.Connection, batch) -> None:
        conn.execute("BEGIN")
        conn.executemany(INSERT, batch)
        conn.execute("COMMIT")

    conn = raw_connection(folder / "raw1.db")
    seconds_insert, _ = timed(lambda: insert(conn, rows))
    conn.close()

    def parse_and_insert() -> None:
        conn = raw_connection(folder / "raw2.db")

        def tuples():
            with native.open("rb") as handle:
                for line in handle:
                    r = json.loads(line)
                    yield (r["id"], r["document"], r["document_sha256"], r["start"], r["end"], r["text"],
                           "", "", r["label"], json.dumps(r["attributes"], ensure_ascii=False), r["note"],
                           r["annotator"], r["origin"], r["created_at"], r["updated_at"], None, 0)  # fmt: skip

        insert(conn, tuples())
        conn.close()

    seconds_json, _ = timed(parse_and_insert)

    def export_raw() -> None:
        names = ["id", "document", "document_sha256", "start", "end", "text", "label", "attributes",
                 "note", "annotator", "origin", "created_at", "updated_at"]  # fmt: skip
        cursor = store.conn.execute(
            'SELECT id, document, document_sha256, start, "end", text, label, attributes, note, '
            "annotator, origin, created_at, updated_at FROM annotations WHERE deleted_at IS NULL "
            'ORDER BY document, start, "end", label, annotator, id'
        )
        with (folder / "raw.jsonl").open("w", encoding="utf-8") as out:
            for row in cursor:
                record = dict(zip(names, row))
                record["attributes"] = json.loads(record["attributes"])
                out.write(json.dumps(record, ensure_ascii=False) + "\n")

    seconds_export, _ = timed(export_raw)
    return {"insert": seconds_insert, "json": seconds_json, "export": seconds_export}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="annotations [1,000,000]")
    parser.add_argument("--small", action="store_true", help="50,000 annotations, a quick run")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats")
    parser.add_argument(
        "--dir", default=None, help="where to put the databases [a temporary folder]"
    )
    args = parser.parse_args()
    size = 50_000 if args.small else args.size
    folder = Path(tempfile.mkdtemp(prefix="bench-formats-", dir=args.dir))
    try:
        run(folder, size, [f for f in args.formats.split(",") if f])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, size: int, formats: list[str]) -> None:
    docs, drafts = corpus(size)
    print(
        f"{len(drafts):,} annotations on {len(docs):,} documents of ~{len(docs[0].text):,} characters; {folder}"
    )
    source = Store.open(folder / "source.db", annotator="bench")
    seconds, _ = timed(lambda: source.import_items([*docs, *drafts], source="generated"))
    print(f"building the source store (Store.import_items of drafts): {seconds:.2f} s, "
          f"{len(drafts) / seconds:,.0f} /s")  # fmt: skip
    native = folder / "native.jsonl"
    get_format("jsonl").load().write(
        source, native, filters=ExportFilters(), options=FormatOptions()
    )
    base = baselines(folder, source, native)
    n = len(drafts)
    print(f"raw sqlite3 executemany: {base['insert']:.2f} s, {n / base['insert']:,.0f} /s")
    print(f"raw sqlite3 + json:      {base['json']:.2f} s, {n / base['json']:,.0f} /s")
    print(f"raw export (SQL + json): {base['export']:.2f} s, {n / base['export']:,.0f} /s")
    print()
    header = f"{'format':<16}{'export s':>9}{'/s':>11}{'x raw':>7}  {'import s':>9}{'/s':>11}{'x exec':>7}{'x json':>7}"
    print(header)
    print("-" * len(header))
    cases = [(f, False) for f in formats] + ([("jsonl", True)] if "jsonl" in formats else [])
    for name, by_document in cases:
        fmt = FORMATS[name]
        module = fmt.load()
        label = name + (" by-doc" if by_document else "")
        dest = folder / f"out-{label.replace(' ', '-')}" / ("" if fmt.folder else "file")
        if not fmt.folder:
            dest.parent.mkdir()
        options = FormatOptions(by_document=by_document)
        seconds_out, written = timed(
            module.write, source, dest, filters=ExportFilters(), options=options
        )
        line = f"{label:<16}{seconds_out:>9.2f}{written / seconds_out:>11,.0f}{(written / seconds_out) / (n / base['export']):>7.2f}"
        if fmt.reads:
            target = Store.open(folder / f"target-{label.replace(' ', '-')}.db", annotator="bench")
            if not fmt.texts and not by_document:
                target.import_items(docs, source="documents")
            items = module.read(
                dest, schema=target.schema, options=FormatOptions(annotator="bench")
            )
            seconds_in, summary = timed(target.import_items, items, source=str(dest))
            rate = summary.annotations_added / seconds_in
            line += f"  {seconds_in:>9.2f}{rate:>11,.0f}{rate / (n / base['insert']):>7.2f}{rate / (n / base['json']):>7.2f}"
            target.conn.close()
            (folder / f"target-{label.replace(' ', '-')}.db").unlink()
        print(line, flush=True)
        shutil.rmtree(dest.parent if not fmt.folder else dest, ignore_errors=True)
    source.conn.close()


if __name__ == "__main__":
    main()
