"""Hostile import files through `reader import`: a clear error naming file, line and
field, and the database byte for byte unchanged."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.corpus import read_corpus
from reader.core.store import Store
from tests.helpers import CORPUS, file_digest

DOC = min(p.stem for p in CORPUS.glob("*.txt"))


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "annotations.db"
    with Store.open(path, annotator="lan") as store:
        store.sync_documents(read_corpus(CORPUS))
        store.create(DOC, 0, 4, "casualty")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def line(**changes) -> dict:
    record = {"id": "imp-1", "document": DOC, "start": 0, "end": 4, "text": "Ngày", "label": "casualty",
              "attributes": {}, "note": "", "annotator": "binh", "origin": "imported"}  # fmt: skip
    record.update(changes)
    return record


def jsonl(*records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


CASES = {
    "json_not_an_object": (b"[1, 2, 3]\n", ["a.jsonl:1", "object"]),
    "negative_offset": (jsonl(line(start=-1)), ["a.jsonl:1", "start"]),
    "reversed_offsets": (jsonl(line(start=4, end=0, text="")), ["a.jsonl:1"]),
    "past_the_end": (jsonl(line(start=0, end=10**7, text=None)), ["a.jsonl:1", "end"]),
    "text_mismatch": (jsonl(line(text="Ngay")), ["a.jsonl:1", "text"]),
    "unknown_label": (jsonl(line(label="rumour")), ["a.jsonl:1", "label", "rumour"]),
    "unknown_attribute_value": (
        jsonl(line(attributes={"outcome": "exploded"})),
        ["a.jsonl:1", "exploded"],
    ),
    "duplicate_id_other_content": (jsonl(line(), line(end=3, text="Ngà")), ["a.jsonl:2", "imp-1"]),
    "dotdot_document_id": (jsonl(line(document="../x")), ["a.jsonl:1", "not a safe name"]),
    "absolute_document_id": (jsonl(line(document="/etc/passwd")), ["a.jsonl:1", "not a safe name"]),
    "slash_document_id": (jsonl(line(document="a/b")), ["a.jsonl:1", "not a safe name"]),
    "device_document_id": (jsonl(line(document="con")), ["a.jsonl:1", "reserved device name"]),
    "control_char_document_id": (jsonl(line(document="a\x1bb")), ["a.jsonl:1", "not a safe name"]),
    "annotator_with_escapes": (
        jsonl(line(annotator="x\x1b]52;c;aGk=\x07")),
        ["a.jsonl:1", "annotator"],
    ),
    "empty_file": (b"", ["a.jsonl"]),
    "nul_bytes": (b"\x00\x00\x00\n", ["a.jsonl:1"]),
    "utf16_with_bom": (jsonl(line()).decode().encode("utf-16"), ["a.jsonl:1", "UTF-8"]),
    "lone_surrogate_escape": (
        b'{"id": "s", "document": "'
        + DOC.encode()
        + b'", "start": 0, "end": 4, "text": "\\ud800", '
        b'"label": "casualty", "annotator": "binh"}\n',
        ["a.jsonl:1"],
    ),
    "not_utf8": (b'{"id": "\xff"}\n', ["a.jsonl:1", "not UTF-8"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_jsonl_import_is_refused_and_changes_nothing(db, tmp_path, case):
    content, fragments = CASES[case]
    path = tmp_path / "a.jsonl"
    path.write_bytes(content)
    before = file_digest(db)
    result = CliRunner().invoke(cli, ["import", "--db", str(db), "--format", "jsonl", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "\x1b" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert file_digest(db) == before


def test_a_100_mb_jsonl_line_is_refused_without_reading_it_whole(db, tmp_path):
    path = tmp_path / "a.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"id": "x", "note": "')
        chunk = b"a" * (1 << 20)
        for _ in range(100):
            handle.write(chunk)
        handle.write(b'"}\n')
    before = file_digest(db)
    result = CliRunner().invoke(cli, ["import", "--db", str(db), "--format", "jsonl", str(path)])
    assert (
        result.exit_code == 1
        and "a.jsonl:1" in result.output
        and "longer than the limit" in result.output
    )
    assert file_digest(db) == before


def test_crlf_jsonl_imports_with_exact_offsets(db, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl(line()).replace(b"\n", b"\r\n"))
    result = CliRunner().invoke(cli, ["import", "--db", str(db), "--format", "jsonl", str(path)])
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        imported = store.annotation("imp-1")
        assert (imported.start, imported.end, imported.text) == (0, 4, "Ngày")


def test_brat_folder_export_never_writes_outside_it(db, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["export", "--db", str(db), "--format", "brat", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert all(p.startswith(("out/", "annotations.db")) for p in written)
    shutil.rmtree(out)
