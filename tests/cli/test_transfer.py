"""`reader import` and `reader export` as a user runs them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from reader.cli import cli
from tests.helpers import CORPUS, file_digest

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_guesses_each_format_says_so_and_is_a_no_op_the_second_time(tmp_path):
    db = str(tmp_path / "a.db")
    result = run("import", "--db", db, str(DATA / "brat"), str(DATA / "doccano" / "bob.jsonl"))
    assert result.exit_code == 0, result.output
    assert "reading as brat" in result.stderr and "reading as doccano" in result.stderr
    assert "new annotations" in result.stdout
    again = run("import", "--db", db, str(DATA / "brat"), str(DATA / "doccano" / "bob.jsonl"))
    assert again.exit_code == 0
    assert "0 new annotations (5 already present)" in again.stdout


def test_import_articles_then_export_native_jsonl_to_standard_output(tmp_path):
    db = str(tmp_path / "a.db")
    assert run("import", "--db", db, str(CORPUS)).exit_code == 0
    assert run("import", "--db", db, str(DATA / "jsonl" / "by_document.jsonl")).exit_code == 0
    result = run("export", "--db", db, "--annotator", "alice")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["document"], r["text"]) for r in lines] == [
        ("almaty", "Ít nhất 164 người đã thiệt mạng")
    ]
    assert "wrote 1 annotation as jsonl" in result.stderr


def test_bad_file_is_one_line_exit_1_and_database_unchanged(tmp_path):
    db = tmp_path / "a.db"
    run("import", "--db", str(db), str(DATA / "jsonl" / "by_document.jsonl"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "almaty", "text": "x", "label": [[0, 9, "casualty"]]}\n', encoding="utf-8"
    )
    before = file_digest(db)
    result = run("import", "--db", str(db), "--format", "doccano", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:1: label[0]:" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert file_digest(db) == before


def test_files_without_an_annotator_need_annotator(tmp_path):
    db = str(tmp_path / "a.db")
    flat = tmp_path / "brat"
    shutil.copytree(DATA / "brat" / "alice", flat)
    result = run("import", "--db", db, str(flat))
    assert result.exit_code == 1 and "pass --annotator" in result.stderr
    # PTC files are a corpus's own labels: without --annotator they are annotator "ptc".
    flat = tmp_path / "ptc"
    shutil.copytree(DATA / "ptc", flat)
    result = run("import", "--db", db, str(flat))
    assert result.exit_code == 0 and "reading as 'ptc'" in result.stderr
    result = run("import", "--db", db, "--annotator", "gia", str(flat))
    assert result.exit_code == 0, result.output
    assert "4 new annotations" in result.stdout


def test_unknown_label_is_refused_unless_add_labels(tmp_path):
    db = str(tmp_path / "a.db")
    folder = tmp_path / "brat"
    folder.mkdir()
    shutil.copy(DATA / "brat" / "alice" / "almaty.txt", folder)
    (folder / "almaty.ann").write_text("T1\tweather 0 3\tTin\n", encoding="utf-8")
    refused = run("import", "--db", db, "--annotator", "hoa", str(folder))
    assert refused.exit_code == 1 and "unknown label 'weather'" in refused.stderr
    taken = run("import", "--db", db, "--annotator", "hoa", "--add-labels", str(folder))
    assert taken.exit_code == 0 and "1 new annotation" in taken.stdout


def test_every_format_exports_and_folder_formats_need_a_folder(tmp_path):
    db = str(tmp_path / "a.db")
    run("import", "--db", db, str(DATA / "jsonl" / "by_document.jsonl"))
    for fmt, target in [("brat", "brat"), ("ptc", "ptc"), ("doccano", "doccano"), ("prodigy", "p.jsonl"),
                        ("w3c", "w.jsonl"), ("csv", "a.csv"), ("jsonl", "n.jsonl")]:  # fmt: skip
        result = run("export", "--db", db, "--format", fmt, "-o", str(tmp_path / target))
        assert result.exit_code == 0, (fmt, result.output)
        assert (tmp_path / target).exists()
    assert sorted(p.name for p in (tmp_path / "doccano").iterdir()) == [
        ".reader-export",
        "alice.jsonl",
        "bob.jsonl",
    ]
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbfid,document,")
    result = run("export", "--db", db, "--format", "brat")
    assert result.exit_code == 1 and "give -o FOLDER" in result.stderr


def test_by_document_and_doccano_offsets_options(tmp_path):
    db = str(tmp_path / "a.db")
    run("import", "--db", db, str(DATA / "jsonl" / "by_document.jsonl"))
    result = run("export", "--db", db, "--by-document")
    line = json.loads(result.stdout)
    assert (
        line["status"] == {"alice": "done", "bob": "in_progress"} and len(line["annotations"]) == 2
    )
    utf16 = run("export", "--db", db, "--format", "doccano", "--annotator", "alice")
    code_points = run(
        "export",
        "--db",
        db,
        "--format",
        "doccano",
        "--annotator",
        "alice",
        "--offsets",
        "codepoint",
    )
    assert json.loads(utf16.stdout)["label"] == [[13, 44, "casualty"]]
    assert json.loads(code_points.stdout)["label"] == [[12, 43, "casualty"]]
    wrong = run("export", "--db", db, "--format", "w3c", "--offsets", "codepoint")
    assert wrong.exit_code == 1 and "--offsets applies to doccano" in wrong.stderr


def test_export_from_a_missing_database_does_not_create_one(tmp_path):
    result = run("export", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no such database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_export_to_a_terminal_escapes_control_characters(tmp_path):
    """On a terminal an article's ESC[2J must not clear the screen: it is shown as \\u001b."""
    import os
    import pty
    import subprocess
    import sys

    from reader.core.text import sha256

    text = "Tin \x1b[2J nóng \u202e ở Almaty.\n"
    line = {"id": "esc", "sha256": sha256(text), "text": text, "meta": {}, "status": {},
            "annotations": [{"document": "esc", "start": 0, "end": 15, "label": "casualty",
                             "annotator": "alice"}]}  # fmt: skip
    source = tmp_path / "esc.jsonl"
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(tmp_path / "a.db")
    assert run("import", "--db", db, str(source)).exit_code == 0
    main, secondary = pty.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--db", db],
        stdout=secondary, stderr=subprocess.PIPE, timeout=60, cwd=tmp_path, check=False,
    )  # fmt: skip
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: all output read
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.returncode == 0, process.stderr
    assert b"\x1b" not in shown and "\u202e".encode() not in shown
    assert b"\\u001b[2J" in shown and b"\\u202e" in shown
    assert json.loads(shown.decode("utf-8").strip())["text"] == "Tin \x1b[2J nóng \u202e"


def test_an_annotation_files_copy_of_a_changed_article_is_refused_unless_asked(tmp_path):
    """brat's .txt differing from the stored text would re-anchor everyone's spans."""
    db = str(tmp_path / "a.db")
    assert run("import", "--db", db, str(DATA / "brat")).exit_code == 0
    changed = tmp_path / "brat"
    shutil.copytree(DATA / "brat", changed)
    txt = next(changed.rglob("*.txt"))
    txt.write_text(txt.read_text(encoding="utf-8") + "Một câu thêm vào cuối.\n", encoding="utf-8")
    before = file_digest(tmp_path / "a.db")
    result = run("import", "--db", db, str(changed))
    assert result.exit_code == 1 and "differs from the stored one from offset" in result.output
    assert "--new-versions" in result.output and file_digest(tmp_path / "a.db") == before
    result = run("import", "--db", db, "--new-versions", str(changed))
    assert result.exit_code == 0 and "1 new document version" in result.stdout


def test_annotator_folders_win_over_annotator_and_the_import_says_so(tmp_path):
    db = str(tmp_path / "a.db")
    result = run("import", "--db", db, "--annotator", "lan", str(DATA / "brat"))
    assert result.exit_code == 0
    assert (
        "annotator 'alice' taken from the folder name; --annotator lan applies only"
        in result.stderr
    )


def test_an_article_given_with_annotation_files_may_become_a_new_version(tmp_path):
    """Reading a .txt as an article stores its text; only annotation files' copies are checked."""
    db = str(tmp_path / "a.db")
    assert run("import", "--db", db, str(DATA / "brat")).exit_code == 0
    txt = next((DATA / "brat").rglob("*.txt"))
    article = tmp_path / txt.name
    article.write_text(
        txt.read_text(encoding="utf-8") + "Một câu thêm vào cuối.\n", encoding="utf-8"
    )
    brat = tmp_path / "brat"  # an annotation file made on that new text
    shutil.copytree(DATA / "brat", brat)
    shutil.copy(article, next(brat.rglob("*.txt")))
    result = run("import", "--db", db, str(article), str(brat))
    assert result.exit_code == 0, result.output
    assert "1 new document version" in result.stdout


def test_export_help_names_every_folder_format_from_the_registry():
    from click.testing import CliRunner

    from reader.cli import cli
    from reader.core.formats.registry import FORMATS

    shown = " ".join(CliRunner().invoke(cli, ["export", "--help"]).output.split())
    folders = ", ".join(n for n, f in FORMATS.items() if f.folder and f.writes)
    assert {"webanno", "xmi", "brat"} <= set(folders.split(", "))
    assert f"File, folder ({folders}) or - for standard output." in shown
    assert f"--overwrite {folders}: replace an earlier reader export" in shown


def test_a_webanno_export_imports_back_into_its_own_database(tmp_path):
    """TSV ends every document with a line break; the shipped articles 000, 003 and 004
    end without one, and reader's own export of them must still come back as the same
    document (nothing new), not as a text that "differs from the stored one"."""
    db = str(tmp_path / "a.db")
    assert run("import", "--db", db, str(CORPUS)).exit_code == 0
    from reader.core.store import Store

    with Store.open(Path(db), annotator="lan") as store:
        for doc_id in store.document_ids():
            last = list(re.finditer(r"\w+", store.document(doc_id).text))[-1]
            store.create(doc_id, last.start(), last.end(), "casualty")
    out = tmp_path / "tsv"
    assert run("export", "--db", db, "--format", "webanno", "-o", str(out)).exit_code == 0
    result = run("import", "--db", db, str(out))
    assert result.exit_code == 0, result.output
    assert "0 new annotations (5 already present)" in result.stdout
    assert "new document" not in result.stdout and "new version" not in result.stdout
    fresh = str(tmp_path / "b.db")
    assert run("import", "--db", fresh, str(out)).exit_code == 0
    with Store.open(Path(fresh), annotator="lan") as store:
        # Into a database without the articles, TSV's text is taken as it is.
        assert all(store.document(d).text.endswith("\n") for d in store.document_ids())


def test_importing_a_database_points_to_merge_and_a_blank_file_is_named_blank(tmp_path):
    """`reader import other.db` is what a lead tries first with an annotator's database;
    a file of spaces and line breaks is not 'empty'."""
    from reader.core.store import Store

    Store.open(tmp_path / "other.db", annotator="an").close()
    result = run("import", "--db", str(tmp_path / "a.db"), str(tmp_path / "other.db"))
    assert result.exit_code == 1
    assert "other.db: an SQLite database" in result.stderr and "reader merge" in result.stderr
    blank = tmp_path / "blank.jsonl"
    blank.write_text("  \n\n", encoding="utf-8")
    result = run("import", "--db", str(tmp_path / "a.db"), str(blank))
    assert result.exit_code == 1 and "blank.jsonl: file holds only white space" in result.stderr
