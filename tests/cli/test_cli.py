"""The command line: user errors are one clear line and exit code 1, never a traceback."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from reader.cli import cli
from tests.helpers import CORPUS, file_digest


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_reader_syncs_the_corpus_idempotently_and_stats_reports_it(tmp_path):
    db = str(tmp_path / "a.db")
    first = run("annotate", "--corpus", str(CORPUS), "--db", db, "--annotator", "lan")
    assert first.exit_code == 0, first.output
    before = file_digest(tmp_path / "a.db")
    second = run("--corpus", str(CORPUS), "--db", db, "--annotator", "lan")
    assert second.exit_code == 0
    result = run("stats", "--db", db, "--json")
    report = json.loads(result.output)
    assert [d["id"] for d in report["documents"]] == sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert all(d["version"] == 1 for d in report["documents"])
    assert report["annotations"] == 0
    assert before  # the second sync added no versions (checked through stats above)


def test_group_options_apply_to_subcommands(tmp_path):
    db = str(tmp_path / "b.db")
    run("--corpus", str(CORPUS), "--db", db, "--annotator", "lan")
    result = run("--db", db, "stats", "--json")
    assert len(json.loads(result.output)["documents"]) == 5


def test_missing_corpus_is_one_line_and_exit_1(tmp_path):
    result = run(
        "--corpus", str(tmp_path / "none"), "--db", str(tmp_path / "c.db"), "--annotator", "lan"
    )
    assert result.exit_code == 1
    assert "corpus folder not found" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "c.db").exists()


def test_newer_database_is_refused_without_traceback(tmp_path):
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    result = run("stats", "--db", str(db))
    assert result.exit_code == 1 and "newer than this reader" in result.output


def test_annotator_name_with_escape_sequences_is_refused_and_not_echoed_raw(tmp_path):
    assert (
        run("--corpus", str(CORPUS), "--db", str(tmp_path / "d.db"), "--annotator", "lan").exit_code
        == 0
    )
    result = run("stats", "--db", str(tmp_path / "d.db"), "--annotator", "evil\x1b[2J\nname")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "control or invisible character U+001B" in result.output


def test_annotator_from_environment(tmp_path):
    db = str(tmp_path / "e.db")
    result = run("--corpus", str(CORPUS), "--db", db, env={"READER_ANNOTATOR": "bad\nname"})
    assert result.exit_code == 1 and "READER_ANNOTATOR" in result.output


def test_bad_option_value_is_a_usage_error_exit_2(tmp_path):
    result = run("--panes", "9", "--db", str(tmp_path / "f.db"))
    assert result.exit_code == 2


def test_agree_json_has_the_documented_keys_and_nulls_not_nan(tmp_path):
    from reader.core.corpus import read_corpus
    from reader.core.store import Store

    db = tmp_path / "agree.db"
    for name, end in (("an", 4), ("binh", 6)):
        with Store.open(db, annotator=name) as store:
            store.sync_documents(read_corpus(CORPUS))
            doc = store.documents()[0].id
            store.create(doc, 0, end, "casualty")
            store.set_status(doc, "done")
    result = run("agree", "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["annotators"] == ["an", "binh"]
    assert set(report["overall"]) >= {
        "char_fleiss_kappa",
        "char_krippendorff_alpha",
        "krippendorff_alpha_unitizing",
    }
    [pair] = report["pairs"]
    assert pair["span_exact"]["f1"] == 0.0 and 0 < pair["span_partial"]["f1"] < 1
    assert report["labels"]["casualty"]["char_fleiss_kappa"] is not None
    assert "NaN" not in result.output
    single = run("agree", "--db", str(db), "--json", "--annotators", "an")
    assert "at least two annotators" in single.stderr
    one = json.loads(single.stdout)
    assert one["overall"]["char_fleiss_kappa"] is None  # one annotator: undefined, null
    bad = run("agree", "--db", str(db), "--label", "rumour")
    assert bad.exit_code == 1 and "unknown label" in bad.output


def test_suggest_json_lists_casualties_and_a_rejected_one_stays_away(tmp_path):
    from reader.core.store import Store
    from reader.core.store.decisions import reject_suggestion

    db = str(tmp_path / "s.db")
    run("--corpus", str(CORPUS), "--db", db, "--annotator", "lan")
    found = json.loads(run("suggest", "--db", db, "--annotator", "lan", "--json").output)
    first_doc = min(p.stem for p in CORPUS.glob("*.txt"))
    hit = next(s for s in found if s["text"] == "164 người thiệt mạng")
    assert hit["document"] == first_doc and hit["label"] == "casualty"
    assert hit["attributes"]["value_best"] == 164 and hit["attributes"]["outcome"] == "killed"
    assert set(hit) == {
        "document",
        "start",
        "end",
        "text",
        "label",
        "attributes",
        "source",
        "confidence",
    }
    assert hit["source"] == "lexer"
    with Store.open(db, annotator="lan") as store:
        reject_suggestion(store, first_doc, hit["start"], hit["end"], "casualty")
        assert list(store.iter_annotations()) == []  # suggestions are never annotations
    again = json.loads(run("suggest", "--db", db, "--annotator", "lan", "--json").output)
    assert hit not in again and len(again) == len(found) - 1
    other = json.loads(run("suggest", "--db", db, "--annotator", "binh", "--json").output)
    assert hit in other  # rejection is per annotator


def test_align_finds_the_shared_paragraph_and_reuses_unchanged_pairs(tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    db = str(tmp_path / "al.db")
    run("--corpus", str(corpus), "--db", db, "--annotator", "lan")
    passages = json.loads(run("align", "--db", db, "--json").output)
    ids = sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert {
        "a": {"document": ids[3], "start": 2671, "end": 2738},
        "b": {"document": ids[4], "start": 0, "end": 67},
        "kind": "exact",
        "score": 1.0,
    } in passages
    assert any(p["a"]["document"] == ids[1] and p["b"]["document"] == ids[2] for p in passages)
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    assert json.loads(run("align", "--db", db, "--json").output) == passages
    assert (
        conn.execute("SELECT count(*) FROM passages").fetchone()[0] == stored
    )  # nothing recomputed
    path = corpus / f"{ids[0]}.txt"
    path.write_text("Mở đầu mới.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    run("--corpus", str(corpus), "--db", db, "--annotator", "lan")
    assert json.loads(run("align", "--db", db, "--json").output) == passages  # 000 shares nothing
    conn.close()


def test_merge_command_reports_and_is_idempotent(tmp_path):
    from reader.core.corpus import read_corpus
    from reader.core.store import Store

    for name in ("an", "binh"):
        with Store.open(tmp_path / f"{name}.db", annotator=name) as store:
            store.sync_documents(read_corpus(CORPUS))
            store.create(store.documents()[0].id, 0, 4, "casualty")
    first = run("merge", str(tmp_path / "binh.db"), "--db", str(tmp_path / "an.db"))
    assert first.exit_code == 0 and "1 annotation added" in first.output
    again = run("merge", str(tmp_path / "binh.db"), "--db", str(tmp_path / "an.db"))
    assert "0 annotations added" in again.output and "1 already here" in again.output
    missing = run("merge", str(tmp_path / "nope.db"), "--db", str(tmp_path / "an.db"))
    assert missing.exit_code == 1 and "no such database file" in missing.output


def test_python_dash_m_reader_runs_the_same_command_line():
    import subprocess
    import sys

    from tests.helpers import ROOT

    result = subprocess.run(
        [sys.executable, "-m", "reader", "--help"],
        capture_output=True,
        check=False,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0 and "annotate" in result.stdout and "export" in result.stdout


def test_a_label_key_the_app_already_uses_is_refused_before_anything_is_stored(tmp_path):
    """Key 'a' would never tag (it opens the annotation list; in review it takes A's)."""
    labels = tmp_path / "labels.toml"
    labels.write_text(
        '[labels.claim]\ntitle = "Claim"\nkey = "a"\ncolor = "red"\n'
        '[labels.quote]\ntitle = "Quote"\nkey = "4"\ncolor = "blue"\n',
        encoding="utf-8",
    )
    db = tmp_path / "k.db"
    result = run(
        "--corpus", str(CORPUS), "--db", str(db), "--annotator", "lan", "--labels", str(labels)
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(labels) in result.output and "label claim: key 'a'" in result.output
    assert "Annotation list" in result.output and "free digits: 1 2 3 5" in result.output
    assert not db.exists()
    labels.write_text(
        labels.read_text(encoding="utf-8").replace('key = "a"', 'key = "5"'), encoding="utf-8"
    )
    result = run(
        "--corpus", str(CORPUS), "--db", str(db), "--annotator", "lan", "--labels", str(labels)
    )
    assert result.exit_code == 0, result.output


def test_a_restart_reads_only_the_corpus_files_that_changed(tmp_path, monkeypatch):
    """A large corpus must not be read, normalized and hashed at every start."""
    import os
    import shutil

    from reader.core import corpus as corpus_module

    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    db = str(tmp_path / "r.db")
    read: list[str] = []
    original = corpus_module.read_document
    monkeypatch.setattr(
        corpus_module, "read_document", lambda path: read.append(path.name) or original(path)
    )
    args = ("--corpus", str(folder), "--db", db, "--annotator", "lan")

    assert run(*args).exit_code == 0 and len(read) == 5  # a new database: every file
    read.clear()
    assert run(*args).exit_code == 0 and read == []  # nothing changed: nothing read
    first = min(folder.glob("*.txt"))
    first.write_text(first.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    second = sorted(folder.glob("*.txt"))[1]
    os.utime(
        second, ns=(second.stat().st_atime_ns, second.stat().st_mtime_ns + 10**9)
    )  # touched only
    assert run(*args).exit_code == 0 and sorted(read) == sorted([first.name, second.name])
    versions = dict(
        sqlite3.connect(db).execute("SELECT id, max(version) FROM documents GROUP BY id")
    )
    assert versions[first.stem] == 2 and versions[second.stem] == 1  # same text: no new version
    read.clear()
    assert run(*args).exit_code == 0 and read == []


def test_commands_that_only_read_refuse_a_database_that_is_not_there(tmp_path):
    """A mistyped --db must not become a new, empty database reporting nothing."""
    typo = tmp_path / "anotations.db"
    for command in (["stats"], ["agree"], ["export"], ["align"], ["suggest"]):
        result = run(*command, "--db", str(typo))
        assert result.exit_code == 1 and "no such database" in result.output, command
    assert not typo.exists()


def test_errors_speak_in_readers_voice_on_one_line(tmp_path):
    result = run("stats", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert result.stderr == f"reader: error: {tmp_path / 'none.db'}: no such database\n"


def test_an_import_with_a_low_estimate_above_the_best_is_refused_whole(tmp_path):
    from reader.core.store import Store
    from reader.core.tagging import tag

    db = str(tmp_path / "o.db")
    run("import", "--db", db, "--annotator", "lan", *map(str, sorted(CORPUS.glob("*.txt"))))
    store = Store.open(db, annotator="lan")
    doc = store.documents()[0].id
    text = store.document(doc).text
    start = text.index("164 người thiệt mạng")
    tag(store, doc, text, start, (start, start + len("164 người thiệt mạng")), "casualty")
    store.close()
    out = tmp_path / "x.jsonl"
    run("export", "--db", db, "-o", str(out))
    row = json.loads(out.read_text(encoding="utf-8"))
    row["id"], row["attributes"]["value_low"] = "another", 4000
    out.write_text(json.dumps(row) + "\n", encoding="utf-8")
    before = file_digest(tmp_path / "o.db")
    result = run("import", "--db", db, "--annotator", "bo", str(out))
    assert result.exit_code == 1
    assert (
        "x.jsonl:1: attributes: attribute value_low 4000 is above value_best 164" in result.stderr
    )
    assert file_digest(tmp_path / "o.db") == before


def test_a_new_database_named_like_an_article_is_refused_before_creation(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Bài viết một.\n", encoding="utf-8")
    (tmp_path / "X.txt").write_text("Bài viết hai.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for db, says in (
        ("corpus/new.txt", "corpus/new.txt: --db is named like an article (.txt) in the corpus"),
        ("new.txt", "new.txt: --db is named like an article (.txt)"),
    ):
        result = run("--db", db, "import", "X.txt")
        assert result.exit_code == 1 and says in result.stderr, result.output
        assert not (tmp_path / db).exists()
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]
    assert run("--db", "ok.db", "import", "X.txt").exit_code == 0
    # Any other name may live beside the articles (reader --corpus .): the sync reads *.txt only.
    assert run("--db", "corpus/notes.db", "import", "X.txt").exit_code == 0
    assert run("--db", "corpus/notes.db", "stats").exit_code == 0


def test_merge_names_an_empty_file_and_a_fifo_for_what_they_are(tmp_path):
    """An empty file is not a reader database (as `stats` says), not one to 'open once
    with this reader to migrate'; a FIFO exists, so it is not 'no such database file'."""
    import os

    from reader.core.store import Store

    Store.open(tmp_path / "an.db", annotator="an").close()
    (tmp_path / "empty.db").write_bytes(b"")
    os.mkfifo(tmp_path / "pipe.db")
    empty = run("merge", str(tmp_path / "empty.db"), "--db", str(tmp_path / "an.db"))
    assert empty.exit_code == 1
    assert "empty.db: not a reader database" in empty.output and "migrate" not in empty.output
    pipe = run("merge", str(tmp_path / "pipe.db"), "--db", str(tmp_path / "an.db"))
    assert pipe.exit_code == 1 and "pipe.db: not a regular file" in pipe.output
