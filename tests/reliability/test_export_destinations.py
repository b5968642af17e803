"""An export never destroys what reader keeps (issue 13, finding 1): the database, its
side files, corpus articles and imported articles are refused as destinations, and
special files (FIFOs, character devices, links to them) are written into, not replaced."""

from __future__ import annotations

import os
import shutil
import stat
import threading

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.corpus import read_corpus_changes
from reader.core.store import Store
from tests.helpers import CORPUS, file_digest


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture
def db(tmp_path, corpus):
    path = tmp_path / "annotations.db"
    with Store.open(path, annotator="lan") as store:
        documents, files, _ = read_corpus_changes(corpus, {})
        store.sync_documents(documents, files)
        store.create(documents[0].id, 0, 4, "casualty")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def export(db, *args):
    return CliRunner().invoke(cli, ["export", "--db", str(db), *args])


def refused(result, *fragments):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_export_over_the_database_or_its_side_files_is_refused(db, suffix):
    target = f"{db}{suffix}"
    before = file_digest(db)
    refused(export(db, "-o", target), "the database", "nothing written")
    assert file_digest(db) == before
    if suffix:
        assert not os.path.exists(target)
    with Store.open(db) as store:
        assert len(list(store.iter_annotations())) == 1


def test_export_through_a_symlink_or_a_hard_link_to_the_database_is_refused(db, tmp_path):
    link = tmp_path / "out.jsonl"
    link.symlink_to(db)
    hard = tmp_path / "hard.jsonl"
    os.link(db, hard)
    before = file_digest(db)
    refused(export(db, "-o", str(link)), "the database")
    refused(export(db, "-o", str(hard)), "the database")
    assert file_digest(db) == before and link.is_symlink()


def test_export_over_a_corpus_article_or_into_the_corpus_folder_is_refused(db, corpus):
    article = min(corpus.glob("*.txt"))
    text = article.read_bytes()
    refused(export(db, "-o", str(article)), "article")
    refused(export(db, "-o", str(corpus / "new.txt")), "corpus folder")
    assert article.read_bytes() == text and not (corpus / "new.txt").exists()


def test_folder_export_into_the_corpus_or_over_a_folder_holding_the_database_is_refused(
    db, corpus, tmp_path
):
    refused(export(db, "--format", "brat", "-o", str(corpus), "--overwrite"), "corpus folder")
    # A folder that looks like an earlier export but holds the database.
    (tmp_path / ".reader-export").write_text("{}\n")
    before = file_digest(db)
    refused(export(db, "--format", "ptc", "-o", str(tmp_path), "--overwrite"), "the database")
    assert file_digest(db) == before and sorted(p.name for p in corpus.iterdir())


def test_export_over_an_imported_article_is_refused(db, tmp_path):
    article = tmp_path / "extra.txt"
    article.write_text("Hà Nội, ngày 8/1.\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["import", "--db", str(db), str(article)]).exit_code == 0
    refused(export(db, "-o", str(article)), "article")
    assert article.read_text(encoding="utf-8") == "Hà Nội, ngày 8/1.\n"


def test_export_to_a_fifo_writes_into_it_and_keeps_it(db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = export(db, "-o", str(fifo))
    assert result.exit_code == 0, result.output
    reader.join(10)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].count(b"\n") == 1 and b'"casualty"' in received[0]


def test_export_to_a_symlink_to_a_character_device_writes_into_the_device(db, tmp_path):
    link = tmp_path / "out.jsonl"
    link.symlink_to("/dev/null")
    result = export(db, "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_export_through_a_symlink_to_standard_output_redirected_to_a_file(db, tmp_path):
    """``-o /dev/stdout`` with standard output sent to a file: the link (here one to
    /proc/self/fd/1, as /dev/stdout is) stays a link and the file gets the export."""
    import subprocess
    import sys

    link = tmp_path / "stdout-link"
    link.symlink_to("/proc/self/fd/1")
    target = tmp_path / "redirected.jsonl"
    with target.open("w") as handle:
        result = subprocess.run(
            [sys.executable, "-m", "reader", "export", "--db", str(db), "-o", str(link)],
            stdout=handle, stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert b'"casualty"' in target.read_bytes()


def test_export_to_a_full_device_is_one_line_and_keeps_the_device(db, tmp_path):
    link = tmp_path / "full.jsonl"
    link.symlink_to("/dev/full")  # every write fails with "no space left"
    refused(export(db, "-o", str(link)), "full.jsonl", "cannot write")
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/full").st_mode)
