"""Values in import files are read strictly (issue 13, findings 8, 11, 12, 13, 14): JSON
nested 100,000 deep, a duplicate key, a 5,000-digit or non-ASCII offset, an integer
attribute past 64 bits or the schema's bounds, a timestamp that is not ISO 8601. Each
is refused in one line naming the file and line, with no traceback, and the database
stays byte for byte the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from tests.helpers import file_digest

TEXT = "Ngày 8/1, 164 người thiệt mạng 😢 tại Almaty.\n"
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def db(tmp_path):
    """A database holding the document "tin" (TEXT), made by importing an article."""
    path = tmp_path / "annotations.db"
    article = tmp_path / "tin.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert CliRunner().invoke(cli, ["import", "--db", str(path), str(article)]).exit_code == 0
    return path


def native(**changes) -> dict:
    record = {"document": "tin", "start": 10, "end": 13, "text": "164", "label": "casualty",
              "attributes": {}, "note": "", "annotator": "binh"}  # fmt: skip
    record.update(changes)
    return record


def import_refused(db: Path, path: Path, *fragments: str, fmt: str | None = None) -> str:
    before = file_digest(db)
    args = ["import", "--db", str(db), "--annotator", "binh", str(path)]
    if fmt:
        args[1:1] = ["--format", fmt]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    ), result.output
    # The folder pytest made is named after the test: leave it out of what is matched.
    output = result.output.replace(str(db.parent), "<tmp>")
    errors = [line for line in output.splitlines() if "error" in line]
    assert len(errors) == 1, result.output
    for fragment in fragments:
        assert fragment in errors[0], result.output
    assert file_digest(db) == before
    return errors[0]


# -- finding 8: JSON nested 100k deep, in every JSON reader and in detection ---------------


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "prodigy", "w3c", "labelstudio", None])
def test_json_nested_100k_deep_is_one_line(db, tmp_path, fmt):
    path = tmp_path / "deep.jsonl"
    path.write_text(DEEP + "\n", encoding="ascii")
    import_refused(db, path, "deep.jsonl", fmt=fmt)


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "prodigy", "w3c", None])
def test_a_value_nested_deep_inside_a_valid_line_is_refused(db, tmp_path, fmt):
    path = tmp_path / "deep.jsonl"
    line = json.dumps(native())[:-1] + ', "meta": ' + "[" * 500 + "]" * 500 + "}"
    path.write_text(line + "\n", encoding="ascii")
    import_refused(db, path, "deep.jsonl:1", "nested deeper", fmt=fmt)


def test_a_whole_w3c_document_nested_deep_is_one_line(db, tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_text('{"type": "AnnotationPage", "items": ' + DEEP + "}", encoding="ascii")
    import_refused(db, path, "deep.jsonld", fmt="w3c")


# -- finding 12: duplicate keys --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        ("jsonl", json.dumps(native())[:-1] + ', "annotator": "gold"}'),
        ("doccano", '{"id": "tin", "text": "x", "label": [], "text": "y"}'),
        ("prodigy", '{"text": "x", "spans": [], "spans": [], "_annotator_id": "binh"}'),
        ("w3c", '{"type": "Annotation", "body": [], "type": "Annotation"}'),
        ("labelstudio", '[{"data": {"text": "x"}, "data": {"text": "y"}}]'),
        (None, json.dumps(native())[:-1] + ', "annotator": "gold"}'),  # guessed: the reason
    ],
)
def test_a_line_with_a_duplicate_key_is_refused(db, tmp_path, fmt, line):
    path = tmp_path / "dup.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    where = "dup.jsonl" if fmt == "labelstudio" else "dup.jsonl:1"  # one JSON document
    import_refused(db, path, where, "twice", fmt=fmt)


def test_a_duplicate_key_in_a_nested_object_is_refused(db, tmp_path):
    path = tmp_path / "dup.jsonl"
    line = json.dumps(native())[:-1] + ', "x": {"outcome": "killed", "outcome": "injured"}}'
    path.write_text(line + "\n", encoding="utf-8")
    import_refused(db, path, "dup.jsonl:1", "'outcome'", fmt="jsonl")


# -- findings 8 and 14: offsets in brat and PTC ----------------------------------------------


def _brat(tmp_path: Path, ann: str) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "tin.txt").write_text(TEXT, encoding="utf-8")
    (folder / "tin.ann").write_text(ann, encoding="utf-8")
    return folder


def _ptc(tmp_path: Path, start: str, end: str) -> Path:
    folder = tmp_path / "ptc"
    folder.mkdir()
    (folder / "article1.txt").write_text(TEXT, encoding="utf-8")
    (folder / "article1.labels").write_text(f"1\tLoaded_Language\t{start}\t{end}\n", "utf-8")
    return folder


HUGE = "9" * 5000
ARABIC_TEN = "١٠"  # ARABIC-INDIC DIGIT ONE, ZERO: "10" to \d and int()


@pytest.mark.parametrize(("start", "end"), [("10", HUGE), (ARABIC_TEN, "13"), ("10", "１３")])
def test_brat_offsets_are_ascii_digits_of_sane_length(db, tmp_path, start, end):
    folder = _brat(tmp_path, f"T1\tcasualty {start} {end}\t164\n")
    error = import_refused(db, folder, "tin.ann:1", "offsets", fmt="brat")
    assert len(error) < 400


@pytest.mark.parametrize(("start", "end"), [("10", HUGE), (ARABIC_TEN, "13"), ("10", "１３")])
def test_ptc_offsets_are_ascii_digits_of_sane_length(db, tmp_path, start, end):
    folder = _ptc(tmp_path, start, end)
    error = import_refused(db, folder, "article1.labels:1", fmt="ptc")
    assert len(error) < 400


# -- finding 11: integer attributes bounded ---------------------------------------------------


@pytest.mark.parametrize("value", [2**70, -(2**63) - 1, -1])
def test_integer_attributes_are_bounded_in_jsonl(db, tmp_path, value):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps(native(attributes={"value_best": value})) + "\n", "utf-8")
    import_refused(db, path, "big.jsonl:1", "value_best", fmt="jsonl")


def test_integer_attributes_are_bounded_in_brat(db, tmp_path):
    folder = _brat(tmp_path, f"T1\tcasualty 10 13\t164\nA1\tvalue_best T1 {2**70}\n")
    import_refused(db, folder, "value_best", fmt="brat")


# -- finding 13: timestamps are ISO 8601 ------------------------------------------------------


@pytest.mark.parametrize("stamp", ["not a date\x1b[2J", "2026-13-40T00:00:00", "yesterday", "８"])
@pytest.mark.parametrize("key", ["created_at", "updated_at"])
def test_timestamps_must_be_iso_8601(db, tmp_path, key, stamp):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(native(**{key: stamp})) + "\n", encoding="utf-8")
    error = import_refused(db, path, "t.jsonl:1", key, "ISO 8601", fmt="jsonl")
    assert "\x1b" not in error


def test_w3c_created_must_be_iso_8601(db, tmp_path):
    annotation = {
        "type": "Annotation", "created": "not a date",
        "creator": {"type": "Person", "nickname": "binh"},
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "casualty"}],
        "target": {"source": "urn:x-reader:document:tin",
                   "selector": [{"type": "TextPositionSelector", "start": 10, "end": 13}]},
    }  # fmt: skip
    path = tmp_path / "w.jsonl"
    path.write_text(json.dumps(annotation) + "\n", encoding="utf-8")
    import_refused(db, path, "w.jsonl:1", "ISO 8601", fmt="w3c")


def test_iso_8601_timestamps_are_kept(db, tmp_path):
    stamp = "2026-01-08T09:30:00.123456+00:00"
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(native(id="a1", created_at=stamp, updated_at=stamp)) + "\n")
    assert CliRunner().invoke(cli, ["import", "--db", str(db), str(path)]).exit_code == 0
    with Store.open(db) as store:
        assert store.annotation("a1").created_at == stamp


def test_merge_refuses_a_timestamp_that_is_not_iso_8601(db, tmp_path):
    other = tmp_path / "other.db"
    with Store.open(other, annotator="binh") as store:
        from reader.core.corpus import read_paths

        store.sync_documents(read_paths([tmp_path / "tin.txt"]))
        made = store.create("tin", 10, 13, "casualty")
        store.conn.execute(
            "UPDATE annotations SET created_at = ? WHERE id = ?", ("not a date\x1b[2J", made.id)
        )
    before = file_digest(db)
    result = CliRunner().invoke(cli, ["merge", "--db", str(db), str(other)])
    assert result.exit_code == 1, result.output
    assert "created_at" in result.output and "ISO 8601" in result.output, result.output
    assert "\x1b" not in result.output and file_digest(db) == before
