"""Faults at the edges of import and export give one clear line, never a traceback,
and leave nothing half-written (issue 13, finding 8): a full disk (a file size limit,
RLIMIT_FSIZE, stands in for it) during export or import, ``merge`` of a file of random
bytes, and ``export -o -`` with standard output closed."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from tests.helpers import file_digest

TEXT = "Ngày 8/1, 164 người thiệt mạng 😢 tại Almaty. " * 1000 + "\n"  # ~60 KB
LIMIT = 48 * 1024  # bytes any file of the child process may grow to


@pytest.fixture
def db(tmp_path):
    """A database with one ~60 KB document and 1,000 annotations on it."""
    path = tmp_path / "annotations.db"
    with Store.open(path, annotator="lan") as store:
        article = tmp_path / "tin.txt"
        article.write_text(TEXT, encoding="utf-8")
        from reader.core.corpus import read_paths

        store.sync_documents(read_paths([article]))
        with store.transaction():
            for i in range(1000):
                store.create("tin", i * 3, i * 3 + 2, "casualty")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def reader_run(*args: str, limited: bool = True, shell: str | None = None):
    command = [sys.executable, "-m", "reader", *args]
    if shell is not None:
        command = ["sh", "-c", f'"$@" {shell}', "sh", *command]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=_limited if limited else None,
    )  # fmt: skip


def one_line(result, *fragments: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, result.stderr
    for fragment in fragments:
        assert fragment in errors[0], result.stderr


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "w3c"])
def test_a_full_disk_during_a_file_export_keeps_the_previous_file(db, tmp_path, fmt):
    out = tmp_path / "out.txt"
    out.write_text("the previous export\n", encoding="utf-8")
    before = file_digest(db)
    one_line(reader_run("export", "--db", str(db), "--format", fmt, "-o", str(out)), "out.txt")
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.db", "out.txt", "tin.txt"]
    assert file_digest(db) == before


@pytest.mark.parametrize("fmt", ["brat", "doccano"])
def test_a_full_disk_during_a_folder_export_leaves_no_folder(db, tmp_path, fmt):
    out = tmp_path / "out"
    before = file_digest(db)
    one_line(reader_run("export", "--db", str(db), "--format", fmt, "-o", str(out)), "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.db", "tin.txt"]
    assert file_digest(db) == before


def test_a_full_disk_during_an_import_changes_nothing(db, tmp_path):
    exported = tmp_path / "all.jsonl"
    assert reader_run("export", "--db", str(db), "-o", str(exported), limited=False).returncode == 0
    fresh = tmp_path / "fresh.db"
    assert reader_run("import", "--db", str(fresh), str(tmp_path / "tin.txt"), limited=False)
    before = file_digest(fresh)
    one_line(reader_run("import", "--db", str(fresh), str(exported)), "fresh.db")
    assert file_digest(fresh) == before
    with Store.open(fresh) as store:
        assert list(store.iter_annotations()) == []


@pytest.mark.parametrize("head", [b"", b"SQLite format 3\x00"])
def test_merge_of_a_file_of_random_bytes_is_one_line(db, tmp_path, head):
    other = tmp_path / "other.db"
    other.write_bytes(head + os.urandom(64 * 1024))
    before = file_digest(db)
    result = CliRunner().invoke(cli, ["merge", "--db", str(db), str(other)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "other.db" in result.output, result.output
    assert file_digest(db) == before


def test_export_to_a_closed_standard_output_is_one_line(db):
    result = reader_run("export", "--db", str(db), "-o", "-", shell=">&-", limited=False)
    one_line(result, "standard output")


def test_export_to_a_standard_output_closed_midway_is_one_line(db, tmp_path):
    # A reader that goes away after the first bytes, as `reader export | head -c 10` does.
    command = (
        f'"{sys.executable}" -m reader export --db "{db}" -o - 2>"{tmp_path / "err"}" '
        "| head -c 10 >/dev/null"
    )
    subprocess.run(["sh", "-c", command], timeout=120, check=False)
    err = (tmp_path / "err").read_text(encoding="utf-8")
    assert "Traceback" not in err, err
    assert len([line for line in err.splitlines() if "error" in line]) <= 1, err
