"""A bad import file is refused with its file, line and field, and changes nothing:
the database file is byte-for-byte what it was."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from formats_helpers import DATA, import_file

from reader.core.errors import ReaderError
from reader.core.store import Store

TEXT = (DATA / "brat" / "alice" / "almaty.txt").read_text(encoding="utf-8")


def doccano_line(**fields) -> str:
    return json.dumps({"id": "almaty", "text": TEXT, "label": [], **fields}, ensure_ascii=False)


def prodigy_line(spans: list, text: str = TEXT) -> str:
    return json.dumps(
        {
            "text": text,
            "meta": {"document": "almaty"},
            "spans": spans,
            "answer": "accept",
            "_annotator_id": "alice",
        },
        ensure_ascii=False,
    )


NATIVE = [
    json.loads(line)
    for line in (DATA / "jsonl" / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
]


def native(i: int, **changes) -> str:
    record = dict(NATIVE[i])
    record.update(changes)
    return json.dumps(record, ensure_ascii=False) + "\n"


FAMILY = "Gia đình 👨‍👩‍👧 ở Almaty."

CASES = [
    # (id, format, file name, content, message fragments)
    ("malformed-json-line", "jsonl", "a.jsonl", native(0) + '{"document": "almaty", "start": 0,\n',
     ["a.jsonl:2:", "not valid JSON"]),
    ("offset-not-a-number", "jsonl", "a.jsonl", native(0, start="12"),
     ["a.jsonl:1:", "start:", "whole number"]),
    ("offset-outside-text", "doccano", "alice.jsonl", doccano_line(label=[[5, 999, "casualty"]]) + "\n",
     ["alice.jsonl:1:", "label[0]", "not inside the text"]),
    ("offset-outside-text-native", "jsonl", "a.jsonl",
     native(1, start=5400, end=5410),
     ["a.jsonl:1:", "not inside document almaty"]),
    ("text-mismatch-prodigy", "prodigy", "t.jsonl",
     prodigy_line([{"start": 12, "end": 15, "label": "casualty", "text": "wrong"}]) + "\n",
     ["t.jsonl:1:", "spans[0].text", "does not match"]),
    ("text-mismatch-native", "jsonl", "a.jsonl", native(0, text="It nhất 164 người đã thiệt mạng"),
     ["a.jsonl:1:", "text:", "does not match"]),
    ("text-mismatch-brat", "brat", "almaty.ann", "T1\tcasualty 12 43\tsomething else\n",
     ["almaty.ann:1:", "text:", "does not match"]),
    ("unknown-label", "brat", "almaty.ann", "T1\tcasualty 12 43\tÍt nhất 164 người đã thiệt mạng\nT2\tweather 0 3\tTin\n",
     ["almaty.ann:2:", "label:", "unknown label 'weather'", "--add-labels"]),
    ("unsafe-document-id", "doccano", "alice.jsonl", doccano_line(id="../../etc/evil") + "\n",
     ["alice.jsonl:1:", "id:", "not a safe name"]),
    ("reserved-document-id", "jsonl", "a.jsonl", native(0, document="CON"),
     ["a.jsonl:1:", "document:", "reserved device name"]),
    ("unsafe-id-in-ptc-column", "ptc", "x.labels", "../evil\t3\t9\n",
     ["x.labels:1:", "id:", "not a safe name"]),
    ("offset-splits-emoji", "prodigy", "t.jsonl",
     prodigy_line([{"start": 9, "end": 11, "label": "casualty"}], text=FAMILY) + "\n",
     ["t.jsonl:1:", "spans[0]", "splits a character"]),
    ("utf16-offset-inside-surrogate-pair", "doccano", "alice.jsonl", doccano_line(label=[[10, 20, "casualty"]]) + "\n",
     ["alice.jsonl:1:", "label[0]", "surrogate pair", "--offsets codepoint"]),
    ("discontinuous-span", "brat", "almaty.ann", "T1\tcasualty 0 3;12 15\tTin Ít \n",
     ["almaty.ann:1:", "offsets:", "discontinuous"]),
    ("unknown-ptc-technique", "ptc", "article111.labels", "111\tMind_Control\t0\t3\n",
     ["article111.labels:1:", "technique:", "unknown PTC technique"]),
    ("w3c-quote-not-in-the-document", "w3c", "w.jsonl",
     json.dumps({"type": "Annotation", "body": {"purpose": "tagging", "value": "casualty", "type": "TextualBody"},
                 "creator": "x", "target": {"source": "almaty", "selector": {"type": "TextQuoteSelector", "exact": "Không có"}}}) + "\n",
     ["w.jsonl:1:", "target.selector.exact", "is not in document"]),
    ("stale-document-sha", "jsonl", "a.jsonl", native(0, document_sha256="00" * 32),
     ["a.jsonl:1:", "document_sha256:", "another version"]),
    ("bad-attribute-value", "jsonl", "a.jsonl", native(0, attributes={"outcome": "exploded"}),
     ["a.jsonl:1:", "attributes", "'exploded' is not one of"]),
    ("lone-surrogate-escape", "doccano", "alice.jsonl", '{"id": "x", "text": "a\\ud800b", "label": []}\n',
     ["alice.jsonl:1:", "without its pair"]),
    ("not-utf8", "prodigy", "t.jsonl", None, ["t.jsonl:1:", "not UTF-8"]),
    ("missing-document", "jsonl", "a.jsonl",
     json.dumps({k: v for k, v in NATIVE[0].items() if k != "document"}) + "\n",
     ["a.jsonl:1:", "document: missing"]),
    ("missing-start", "jsonl", "a.jsonl",
     json.dumps({k: v for k, v in NATIVE[0].items() if k != "start"}) + "\n",
     ["a.jsonl:1:", "start: missing"]),
    ("null-line", "jsonl", "a.jsonl", native(0) + "null\n",
     ["a.jsonl:2:", "expected a JSON object, got null"]),
    ("array-line", "jsonl", "a.jsonl", native(0) + "[1, 2]\n",
     ["a.jsonl:2:", "expected a JSON object, got an array"]),
]  # fmt: skip


def after_good(**changes) -> str:
    """A good line, then one like it (another id) with ``changes``: the importer skips
    checks a row of the same import already passed, and must still refuse line 2."""
    return native(0) + native(0, id="7c1e0b4a-0000-4000-8000-000000000002", **changes)


# The same refusals with the importer's caches warm (document, label, attributes, times).
CASES += [
    ("warm-bool-for-number", "jsonl", "a.jsonl",  # True == 1: equal as a cache key without its type
     native(0, attributes={"outcome": "killed", "value_low": 1})
     + native(0, id="7c1e0b4a-0000-4000-8000-000000000002", attributes={"outcome": "killed", "value_low": True}),
     ["a.jsonl:2:", "value_low"]),
    ("warm-float-for-number", "jsonl", "a.jsonl",
     after_good(attributes={"outcome": "killed", "value_low": 164.5, "qualifier": "at_least"}),
     ["a.jsonl:2:", "value_low"]),
    ("warm-bad-attribute-value", "jsonl", "a.jsonl",
     after_good(attributes={"outcome": "exploded"}), ["a.jsonl:2:", "'exploded' is not one of"]),
    ("warm-bad-timestamp", "jsonl", "a.jsonl", after_good(created_at="2022-13-10T08:00:00+00:00"),
     ["a.jsonl:2:", "created_at", "ISO 8601"]),
    ("warm-text-mismatch", "jsonl", "a.jsonl", after_good(text="It nhất 164 người đã thiệt mạng"),
     ["a.jsonl:2:", "text:", "does not match"]),
    ("warm-stale-sha", "jsonl", "a.jsonl", after_good(document_sha256="00" * 32),
     ["a.jsonl:2:", "document_sha256:", "another version"]),
    ("warm-outside-text", "jsonl", "a.jsonl", after_good(start=5400, end=5410, text=None),
     ["a.jsonl:2:", "not inside document almaty"]),
    ("warm-long-note", "jsonl", "a.jsonl", after_good(note="x" * 10_001),
     ["a.jsonl:2:", "note must be text"]),
    ("warm-unusable-id", "jsonl", "a.jsonl", native(0) + native(0, id="a\u0007b"),
     ["a.jsonl:2:", "id:", "not a usable annotation id"]),
]  # fmt: skip


@pytest.fixture
def populated(tmp_path: Path) -> Path:
    """A database holding one document and two annotations, closed (WAL checkpointed)."""
    db = tmp_path / "base.db"
    store = Store.open(db, annotator="tester")
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    store.close()
    assert not (tmp_path / "base.db-wal").exists()
    return db


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_naming_file_line_field_and_database_is_unchanged(
    case, populated, tmp_path
):
    _, fmt, name, content, fragments = case
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    if content is None:  # Latin-1 bytes where UTF-8 belongs
        path.write_bytes('{"text": "Tin n\u00f3ng"}\n'.encode("latin-1"))
    else:
        path.write_text(content, encoding="utf-8")
    if fmt == "brat":
        (folder / "almaty.txt").write_text(TEXT, encoding="utf-8")
    if fmt == "ptc" and name.startswith("article"):
        (folder / "article111.txt").write_text(TEXT, encoding="utf-8")
    before = populated.read_bytes()
    store = Store.open(populated, annotator="tester")
    with pytest.raises(ReaderError) as error:
        import_file(store, fmt, path, annotator="alice")
    store.close()
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, message
    assert populated.read_bytes() == before


def test_unknown_label_is_taken_with_add_labels(populated, tmp_path):
    (tmp_path / "almaty.txt").write_text(TEXT, encoding="utf-8")
    ann = tmp_path / "almaty.ann"
    ann.write_text("T1\tweather 0 3\tTin\n", encoding="utf-8")
    store = Store.open(populated, annotator="tester")
    summary = import_file(store, "brat", ann, annotator="alice", add_labels=True)
    assert summary.annotations_added == 1
    assert "weather" in store.schema.names
    store.close()


def test_a_good_file_after_a_bad_one_in_the_same_import_is_not_half_imported(populated, tmp_path):
    """All or nothing across files: the good file's annotations are not kept either."""
    good = tmp_path / "good.jsonl"
    good.write_text(doccano_line(label=[[13, 16, "casualty"]]) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(doccano_line(label=[[13, 999, "casualty"]]) + "\n", encoding="utf-8")
    before = populated.read_bytes()
    store = Store.open(populated, annotator="tester")
    with pytest.raises(ReaderError, match="bad.jsonl:1"):
        from reader.core.formats import FormatOptions, get_format

        module = get_format("doccano").load()
        items = itertools.chain(  # read lazily, inside the transaction, as the CLI does
            module.read(good, schema=store.schema, options=FormatOptions()),
            module.read(bad, schema=store.schema, options=FormatOptions()),
        )
        store.import_items(items, source="two files")
    store.close()
    assert populated.read_bytes() == before
