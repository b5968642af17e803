"""Hostile and broken input: a clear error naming file, line or offset and the reason,
and a database byte-for-byte unchanged. Every case goes through the real command line."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from tests.helpers import CORPUS, file_digest


@pytest.fixture
def setup(tmp_path):
    """A database holding the shipped corpus and one annotation, checkpointed."""
    db = tmp_path / "annotations.db"
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    with Store.open(db, annotator="lan") as store:
        store.sync_documents(__import__("reader.core.corpus", fromlist=["x"]).read_corpus(corpus))
        store.create(store.documents()[0].id, 0, 4, "casualty")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return tmp_path, db, corpus


def run(*args: str, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def refused(result, db: Path, before: str, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert file_digest(db) == before


CORPUS_CASES = {
    "not_utf8": ("bad.txt", b"Xin ch\xe0o", ["bad.txt", "not UTF-8", "byte offset 6"]),
    "utf16_bom": ("u16.txt", "Xin chào".encode("utf-16"), ["u16.txt", "UTF-16"]),
    "nul_bytes": ("nul0.txt", b"abc\x00\x00", ["nul0.txt", "NUL byte at byte offset 3"]),
    "empty": ("empty.txt", b"", ["empty.txt", "file is empty"]),
    "device_name": ("con.txt", b"text", ["con", "reserved device name"]),
    "control_char_name": ("a\x1bb.txt", b"text", ["not a safe name"]),
    "space_in_name": ("a b.txt", b"text", ["not a safe name"]),
}


@pytest.mark.parametrize("case", sorted(CORPUS_CASES))
def test_bad_corpus_file_is_refused_with_reason_and_db_unchanged(setup, case):
    _tmp, db, corpus = setup
    name, content, fragments = CORPUS_CASES[case]
    (corpus / name).write_bytes(content)
    before = file_digest(db)
    result = run("--corpus", str(corpus), "--db", str(db), "--annotator", "lan")
    refused(result, db, before, *fragments)
    assert "\x1b" not in result.output


def test_50_mb_single_line_is_refused_by_the_size_limit(setup):
    _tmp, db, corpus = setup
    (corpus / "huge.txt").write_bytes(b"a" * (50 * 1024 * 1024))
    before = file_digest(db)
    refused(
        run("--corpus", str(corpus), "--db", str(db), "--annotator", "lan"),
        db,
        before,
        "huge.txt",
        "over the limit",
    )


def test_200_mb_file_is_refused_before_it_is_read(setup):
    _tmp, db, corpus = setup
    with (corpus / "giant.txt").open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: reading it would take 200 MB
    before = file_digest(db)
    refused(
        run("--corpus", str(corpus), "--db", str(db), "--annotator", "lan"),
        db,
        before,
        "giant.txt",
        "over the limit",
    )


def test_nfd_and_crlf_articles_are_normalized_not_refused(setup):
    _tmp, db, corpus = setup
    raw = unicodedata.normalize("NFD", "Việt Nam\r\nthiệt mạng\rhết")
    (corpus / "nfd.txt").write_bytes(raw.encode())
    result = run("--corpus", str(corpus), "--db", str(db), "--annotator", "lan")
    assert result.exit_code == 0
    with Store.open(db) as store:
        assert store.document("nfd").text == "Việt Nam\nthiệt mạng\nhết"


def test_missing_corpus_folder(setup):
    tmp, db, _ = setup
    before = file_digest(db)
    refused(
        run("--corpus", str(tmp / "gone"), "--db", str(db), "--annotator", "lan"),
        db,
        before,
        "gone",
        "not found",
    )


LABEL_CASES = {
    "duplicate_toml_key": (b'[labels.a]\nkey = "1"\nkey = "2"\n', ["labels.toml", "line 3"]),
    "duplicate_label_key": (
        b'[labels.a]\nkey = "1"\n[labels.b]\nkey = "1"\n',
        ["labels.toml:4", "already used"],
    ),
    "unknown_attribute_type": (
        b'[labels.a]\nkey = "1"\n[labels.a.attributes.x]\ntype = "date"\n',
        ["labels.toml:3", "unknown type"],
    ),
    "not_toml": (b"\x00\x01binary", ["labels.toml"]),
}


@pytest.mark.parametrize("case", sorted(LABEL_CASES))
def test_bad_labels_file_is_refused_with_line_and_db_unchanged(setup, case):
    tmp, db, corpus = setup
    raw, fragments = LABEL_CASES[case]
    (tmp / "labels.toml").write_bytes(raw)
    before = file_digest(db)
    result = run(
        "--corpus",
        str(corpus),
        "--db",
        str(db),
        "--annotator",
        "lan",
        "--labels",
        str(tmp / "labels.toml"),
    )
    refused(result, db, before, *fragments)


def test_database_from_a_newer_schema_is_refused_untouched(setup):
    _tmp, db, _corpus = setup
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = file_digest(db)
    refused(run("stats", "--db", str(db)), db, before, "newer than this reader", "not changed")


@pytest.mark.parametrize("damage", ["random_bytes", "truncated"])
def test_corrupted_database_file_is_refused(setup, damage):
    _tmp, db, _corpus = setup
    raw = db.read_bytes()
    db.write_bytes(os.urandom(len(raw)) if damage == "random_bytes" else raw[: len(raw) // 3])
    before = file_digest(db)
    refused(run("stats", "--db", str(db)), db, before, str(db.name))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_is_a_clear_error(setup):
    _tmp, db, corpus = setup
    db.chmod(stat.S_IRUSR)
    before = file_digest(db)
    refused(
        run("--corpus", str(corpus), "--db", str(db), "--annotator", "lan"),
        db,
        before,
        "annotations.db",
    )


def test_read_only_folder_database_write_is_a_clear_error(setup):
    """As root, chmod does not stop writes; a database that cannot be created is the same failure."""
    tmp, _db, corpus = setup
    result = run(
        "--corpus",
        str(corpus),
        "--db",
        str(tmp / "no" / "such" / "dir" / "a.db"),
        "--annotator",
        "lan",
    )
    assert result.exit_code == 1 and "cannot open database" in result.output


@pytest.mark.parametrize(
    "name",
    ["evil\nname", "x\x1b[2Jy", "\x1b]52;c;aGk=\x07", "a\u202eb", "a/b", "zero\u200bwidth", ""],
)
def test_hostile_annotator_names_are_refused_inert(setup, name):
    _tmp, db, corpus = setup
    before = file_digest(db)
    result = run("--corpus", str(corpus), "--db", str(db), "--annotator", name)
    if name == "":  # an empty --annotator falls back to the environment / login name
        assert result.exit_code == 0
        return
    refused(result, db, before, "annotator name")
    assert "\x1b" not in result.output and "\u202e" not in result.output


def test_db_path_that_is_a_folder(setup):
    tmp, _db, _corpus = setup
    result = run("stats", "--db", str(tmp))
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
