"""`reader suggest`: each suggestion names its recommender; `--evaluate` scores them."""

from __future__ import annotations

import json

from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from tests.helpers import CORPUS, ROOT, file_digest

GOLD = ROOT / "tests" / "data" / "corpus_gold.jsonl"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def corpus_db(tmp_path) -> str:
    db = str(tmp_path / "s.db")
    assert run("--db", db, "import", str(CORPUS)).exit_code == 0
    return db


def test_json_marks_each_suggestion_with_its_source_and_learns_your_tags(tmp_path):
    db = corpus_db(tmp_path)
    with Store.open(tmp_path / "s.db", annotator="lan") as store:
        doc = "003_e2589d88276cfd6c"
        text = store.document(doc).text
        start = text.index("các bên kiềm chế")
        store.create(doc, start, start + len("các bên kiềm chế"), "attribution")
    found = json.loads(run("--db", db, "--annotator", "lan", "suggest", "--json").stdout)
    assert {s["source"] for s in found} == {"lexer", "strings"}
    [learned] = [s for s in found if s["source"] == "strings"]
    assert learned["text"] == "các bên kiềm chế" and learned["start"] == text.index(
        "các bên kiềm chế", start + 1
    )
    assert learned["confidence"] == 1.0
    # Another annotator's tags are not theirs to learn from: annotation is blind.
    other = json.loads(run("--db", db, "--annotator", "minh", "suggest", "--json").stdout)
    assert {s["source"] for s in other} == {"lexer"}


def test_evaluate_prints_every_recommender_and_label_against_gold(tmp_path):
    db = corpus_db(tmp_path)
    assert run("--db", db, "import", str(GOLD)).exit_code == 0
    before = file_digest(tmp_path / "s.db")
    result = run("--db", db, "suggest", "--evaluate", "--reference", "gold", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["reference"] == "gold" and report["documents"] == 5 and report["spans"] == 85
    assert set(report["recommenders"]) == {"lexer", "strings", "model"}
    casualty = report["recommenders"]["lexer"]["labels"]["casualty"]["exact"]
    assert casualty["precision"] >= 0.9 and casualty["recall"] >= 0.8
    text = run("--db", db, "suggest", "--evaluate", "--reference", "gold").stdout
    assert "leave-one-document-out" in text
    for source in ("lexer", "strings", "model"):
        for label in ("casualty", "attribution", "propaganda", "(all)"):
            assert any(line.split()[:2] == [source, label] for line in text.splitlines())
    assert file_digest(tmp_path / "s.db") == before  # evaluating changes nothing


def test_evaluate_against_an_annotator_without_spans_is_one_clear_error(tmp_path):
    db = corpus_db(tmp_path)
    result = CliRunner().invoke(cli, ["--db", db, "--annotator", "nobody", "suggest", "--evaluate"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"reader: error: 'nobody' has no annotations in {db} to evaluate against"
    ]


def test_nothing_to_suggest_is_said_not_silent(tmp_path):
    """An article where no recommender finds anything: one line on stderr, stdout empty
    (it is a list of suggestions), and --json still prints an empty list."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Trời hôm nay đẹp.\n", encoding="utf-8")
    db = str(tmp_path / "n.db")
    assert run("--db", db, "import", str(folder)).exit_code == 0
    result = run("--db", db, "--annotator", "lan", "suggest")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "nothing to suggest" in result.stderr
    assert json.loads(run("--db", db, "--annotator", "lan", "suggest", "--json").stdout) == []
