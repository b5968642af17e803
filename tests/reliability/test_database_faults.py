"""The database file itself goes wrong: empty, damaged, immutable, its WAL deleted.

Issue 13, findings 4, 6, 8 (immutable) and 16. Every case goes through the real command
line (or, for the WAL, a real second process) and checks the database afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.corpus import read_corpus
from reader.core.errors import StoreError
from reader.core.store import Store
from tests.helpers import CORPUS, ROOT, file_digest

READ_ONLY = [
    ["stats"], ["stats", "--json"], ["export", "-o", "-"], ["agree", "--all-documents"],
    ["progress"], ["suggest"], ["align"],
]  # fmt: skip


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 1 and lines[-1].startswith("reader: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[-1], lines[-1]


@pytest.fixture
def database(tmp_path) -> Path:
    """The shipped corpus and two annotations, checkpointed into the main file."""
    db = tmp_path / "annotations.db"
    with Store.open(db, annotator="lan") as store:
        store.sync_documents(read_corpus(CORPUS))
        doc = store.documents()[0].id
        store.create(doc, 0, 4, "casualty")
        store.create(doc, 5, 9, "propaganda")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def one_annotation_file(folder: Path, document: str, start: int, annotator: str) -> Path:
    path = folder / f"{annotator}.jsonl"
    line = {"document": document, "start": start, "end": start + 3, "label": "attribution",
            "annotator": annotator}  # fmt: skip
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# -- finding 16: an empty file is not a database ------------------------------------------


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda a: " ".join(a))
def test_read_only_commands_refuse_an_empty_file_and_leave_it_empty(tmp_path, args):
    db = tmp_path / "annotations.db"
    db.touch()
    one_line_error(run(db, *args), str(db), "not a reader database")
    assert db.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.db"]


# -- finding 6: a damaged database -------------------------------------------------------


def damage(db: Path) -> None:
    """Overwrite the middle of the annotations table's root page with 0xff."""
    import sqlite3

    conn = sqlite3.connect(db)
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'annotations'").fetchone()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as handle:
        handle.seek((page[0] - 1) * size + 8)
        handle.write(b"\xff" * 64)


def test_commands_that_write_refuse_a_damaged_database_before_writing(database, tmp_path):
    damage(database)
    before = file_digest(database)
    other = tmp_path / "other.db"
    shutil.copy(database, other)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "new.txt").write_text("Một bài mới.\n", encoding="utf-8")  # sync would write it
    doc = read_corpus(CORPUS)[0].id
    for args in (
        ["import", "--format", "jsonl", str(one_annotation_file(tmp_path, doc, 20, "minh"))],
        ["import", str(corpus / "new.txt")],
        ["merge", str(other)],
        ["annotate", "--corpus", str(corpus)],
        ["assign", "--annotators", "lan,minh"],
    ):
        result = run(database, *args)
        one_line_error(result, "damaged", f"sqlite3 {database} .recover")
        assert file_digest(database) == before, args


def test_the_apps_check_runs_in_the_background_and_its_first_write_waits_for_it(database):
    """The app starts the damage check in a thread (its first paint must not wait for a
    read of the whole file); its first write waits for the verdict: refused on a
    damaged database, with nothing written, and saved on a sound one."""
    doc = read_corpus(CORPUS)[0].id
    with Store.open(database, annotator="lan") as sound:
        sound.check_intact_later()
        assert sound.create(doc, 10, 14, "casualty").live
    damage(database)
    before = file_digest(database)
    with Store.open(database, annotator="lan") as store:
        store.check_intact_later()
        with pytest.raises(StoreError, match=r"damaged.*\.recover"):
            store.create(doc, 20, 24, "casualty")
        with pytest.raises(StoreError, match="damaged"):  # and every write after it
            store.create(doc, 20, 24, "casualty")
    assert file_digest(database) == before


@pytest.mark.parametrize("args", READ_ONLY[:5], ids=lambda a: " ".join(a))
def test_read_only_commands_report_damage_in_one_line(database, args):
    """(suggest and align read only documents: they never meet the damaged page.)"""
    damage(database)
    before = file_digest(database)
    one_line_error(run(database, *args), "damaged", f"sqlite3 {database} .recover")
    assert file_digest(database) == before


# -- finding 8: an immutable database ----------------------------------------------------


@pytest.fixture
def immutable(database):
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr is not installed")
    made = subprocess.run(
        [chattr, "+i", str(database)], check=False, capture_output=True, text=True
    )
    if made.returncode != 0:  # not root, or a file system without the flag
        pytest.skip(f"chattr +i is not possible here: {made.stderr.strip()}")
    try:
        yield database
    finally:
        subprocess.run([chattr, "-i", str(database)], check=True)


def test_an_immutable_database_is_refused_in_one_line_when_written(immutable, tmp_path):
    before = immutable.read_bytes()
    doc = read_corpus(CORPUS)[0].id
    result = run(
        immutable, "import", "--format", "jsonl", str(one_annotation_file(tmp_path, doc, 20, "an"))
    )
    one_line_error(result, str(immutable), "cannot be written", "immutable")
    assert immutable.read_bytes() == before
    result = run(immutable, "stats")  # reading it still works
    assert result.exit_code == 0 and "Traceback" not in result.output


# -- finding 4: a WAL deleted under an open database -------------------------------------


def test_a_deleted_wal_stops_the_open_session_writing_and_keeps_others_commits(database):
    """The app has the database open; someone deletes -wal and -shm; `reader import` in
    another process commits. The app must refuse its next write (not acknowledge it into
    a file nobody reads), and closing it must not delete the import's new WAL."""
    app = Store.open(database, annotator="lan")
    doc = app.documents()[0].id
    app.create(doc, 30, 33, "casualty")
    os.unlink(f"{database}-wal")
    os.unlink(f"{database}-shm")
    imported = subprocess.run(
        [sys.executable, "-m", "reader", "--db", str(database), "import", "--format", "jsonl",
         str(one_annotation_file(database.parent, doc, 20, "minh"))],
        check=False, capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert "imported 1 new annotation" in imported.stdout, imported.stderr
    with pytest.raises(StoreError, match=r"-wal was replaced .* nothing more is written"):
        app.create(doc, 40, 43, "casualty")
    with pytest.raises(StoreError, match="nothing more is written"):  # and every later one
        app.create(doc, 50, 53, "casualty")
    app.close()
    with Store.open(database, annotator="check") as store:
        kept = {(a.annotator, a.start) for a in store.iter_annotations()}
    assert ("minh", 20) in kept  # the import's acknowledged write survived the app's close
    assert ("lan", 40) not in kept and ("lan", 50) not in kept
