"""Text that comes in through an annotation format meets the checks an article file
meets (issue 13, finding 7): NUL, empty, not UTF-8 and over 20 MiB are refused the same
way through doccano, Prodigy, Label Studio, brat, PTC and ``--by-document`` JSONL, in one line naming
the file, and the database stays byte for byte the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from reader.core.text import MAX_TEXT_BYTES
from tests.helpers import file_digest

#: Each problem as text (for JSON, escaped by json.dumps) or as raw bytes (for .txt files).
PROBLEMS = {
    "nul": ("Hà Nội\x00 ngày 8/1", "NUL"),
    "empty": ("  \n", "empty"),
    "lone_surrogate": ("Hà Nội \ud800 ngày", "UTF-8"),
    "over_20_mib": ("a" * (MAX_TEXT_BYTES + 16), "over the limit"),
}


def _json_line(value: dict) -> bytes:
    # ensure_ascii keeps a lone surrogate as a \ud800 escape, as a hostile file holds it
    return (json.dumps(value) + "\n").encode("ascii")


def _write(fmt: str, folder: Path, text: str) -> Path:
    if fmt == "doccano":
        path = folder / "alice.jsonl"
        path.write_bytes(_json_line({"id": "d1", "text": text, "label": []}))
    elif fmt == "prodigy":
        path = folder / "tasks.jsonl"
        path.write_bytes(_json_line({"text": text, "spans": [], "_annotator_id": "alice"}))
    elif fmt == "jsonl":
        path = folder / "docs.jsonl"
        path.write_bytes(_json_line({"id": "d1", "text": text, "annotations": []}))
    elif fmt == "labelstudio":
        path = folder / "tasks.json"
        path.write_bytes(_json_line([{"data": {"text": text}, "annotations": []}]))
    elif fmt == "brat":
        path = folder / "brat"
        path.mkdir()
        (path / "d1.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
        (path / "d1.ann").write_text("", encoding="utf-8")
    else:
        path = folder / "ptc"
        path.mkdir()
        (path / "article1.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
        (path / "article1.labels").write_text("1\tLoaded_Language\t0\t1\n", encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "annotations.db"
    with Store.open(path, annotator="lan"):
        pass
    return path


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
@pytest.mark.parametrize("fmt", ["doccano", "prodigy", "jsonl", "labelstudio", "brat", "ptc"])
def test_text_carried_by_a_format_is_checked_like_an_article(db, tmp_path, fmt, problem):
    text, fragment = PROBLEMS[problem]
    path = _write(fmt, tmp_path, text)
    before = file_digest(db)
    result = CliRunner().invoke(
        cli, ["import", "--db", str(db), "--format", fmt, "--annotator", "alice", str(path)]
    )
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if "error" in line]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    assert fragment in errors[0] and path.name in errors[0], result.output
    assert file_digest(db) == before


def test_a_45_mb_by_document_line_is_refused(db, tmp_path):
    path = tmp_path / "docs.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"id": "big", "text": "')
        for _ in range(45):
            handle.write("x" * (1 << 20))
        handle.write('", "annotations": []}\n')
    before = file_digest(db)
    result = CliRunner().invoke(cli, ["import", "--db", str(db), "--format", "jsonl", str(path)])
    assert result.exit_code == 1, result.output
    assert "docs.jsonl:1" in result.output and "over the limit" in result.output
    assert file_digest(db) == before


def test_merge_checks_a_document_text_like_an_article(db, tmp_path):
    other = tmp_path / "other.db"
    with Store.open(other, annotator="binh") as store:
        from reader.core.model import Document
        from reader.core.text import sha256

        text = "Hà Nội\x00 ngày 8/1\n"
        store.sync_documents([Document(id="d1", text=text, sha256=sha256(text), source="x")])
    before = file_digest(db)
    result = CliRunner().invoke(cli, ["merge", "--db", str(db), str(other)])
    assert result.exit_code == 1, result.output
    assert "other.db" in result.output and "NUL" in result.output, result.output
    assert file_digest(db) == before
