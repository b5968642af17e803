"""Imports never follow a symlink out of the folder named, and never open a FIFO, a
device or a socket (issue 13, finding 5): each is refused in one line naming its path,
and the database stays byte for byte the same."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from tests.helpers import file_digest

SECRET = "root:x:0:0:secret line outside the folder\n"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "annotations.db"
    with Store.open(path, annotator="lan"):
        pass
    return path


@pytest.fixture
def outside(tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "passwd").write_text(SECRET, encoding="utf-8")
    return folder


def run_import(db, *args):
    return CliRunner().invoke(cli, ["import", "--db", str(db), "--annotator", "lan", *args])


def refused(result, *fragments):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    error = [line for line in result.output.splitlines() if "error" in line]
    assert len(error) == 1, result.output
    for fragment in fragments:
        assert fragment in error[0], result.output


def test_a_brat_text_symlinked_out_of_the_folder_is_refused(db, tmp_path, outside):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "pw.ann").write_text("T1\tcasualty 0 4\troot\n", encoding="utf-8")
    (folder / "pw.txt").symlink_to(outside / "passwd")
    before = file_digest(db)
    refused(run_import(db, "--format", "brat", str(folder)), "pw.txt", "outside")
    assert file_digest(db) == before


def test_a_symlinked_subfolder_pointing_out_is_refused(db, tmp_path, outside):
    (outside / "pw.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "alice").symlink_to(outside, target_is_directory=True)
    before = file_digest(db)
    refused(run_import(db, "--format", "brat", str(folder)), "alice", "outside")
    assert file_digest(db) == before


def test_an_article_symlinked_out_of_the_folder_is_refused(db, tmp_path, outside):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text("Hà Nội, ngày 8/1.\n", encoding="utf-8")
    (folder / "host.txt").symlink_to(outside / "passwd")
    before = file_digest(db)
    refused(run_import(db, str(folder)), "host.txt", "outside")
    assert file_digest(db) == before


def test_a_folder_named_through_a_symlink_and_links_inside_it_are_fine(db, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "one.txt").write_text("Hà Nội, ngày 8/1.\n", encoding="utf-8")
    (real / "two.txt").symlink_to(real / "one.txt")  # stays inside: allowed
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    result = run_import(db, str(tmp_path / "link"))
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        assert sorted(d.id for d in store.documents()) == ["one", "two"]


@pytest.mark.parametrize("named", ["a.jsonl", "a.txt", "a.ann"])
def test_a_fifo_named_for_import_is_refused_without_opening_it(db, tmp_path, named):
    fifo = tmp_path / named
    os.mkfifo(fifo)
    before = file_digest(db)
    try:  # today's main blocks forever on open(): a time limit makes that a failure
        result = subprocess.run(
            [sys.executable, "-m", "reader", "import", "--db", str(db), "--annotator", "lan",
             str(fifo)],
            check=False, capture_output=True, text=True, timeout=20,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("import of a FIFO blocked")
    assert result.returncode == 1, result.stderr
    assert (
        "is a FIFO" in result.stderr and named in result.stderr and "Traceback" not in result.stderr
    )
    assert file_digest(db) == before


def test_a_fifo_or_a_socket_inside_a_folder_is_refused(db, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ok.txt").write_text("Hà Nội, ngày 8/1.\n", encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    before = file_digest(db)
    refused(run_import(db, "--format", "articles", str(folder)), "pipe.txt", "is a FIFO")
    os.unlink(folder / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "sock.txt"))
        refused(run_import(db, "--format", "articles", str(folder)), "sock.txt", "is a socket")
    assert file_digest(db) == before


def test_a_character_device_is_refused(db, tmp_path):
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")  # read without end today
    before = file_digest(db)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "reader", "import", "--db", str(db), "--format", "jsonl",
             str(link)],
            check=False, capture_output=True, text=True, timeout=20,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("import of a device did not stop")
    assert result.returncode == 1 and "is a device" in result.stderr, result.stderr
    assert file_digest(db) == before


def test_a_path_out_of_the_folder_is_named_for_what_it_is(tmp_path, outside):
    """A symlink is called one; a path that leaves by '..' or through a linked folder
    above it is not (the message must not send the user looking for a symlink)."""
    from reader.core.errors import InputPathError
    from reader.core.paths import check_input

    folder = tmp_path / "named"
    folder.mkdir()
    (folder / "pw.txt").symlink_to(outside / "passwd")
    with pytest.raises(InputPathError, match=r"pw\.txt: a symlink to .*, outside"):
        check_input(folder / "pw.txt", folder)
    with pytest.raises(InputPathError, match=r"passwd: leads to .*, outside") as raised:
        check_input(folder / ".." / outside.name / "passwd", folder)
    assert "symlink" not in str(raised.value)
