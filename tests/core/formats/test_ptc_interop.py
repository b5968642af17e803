"""PTC as the SemEval-2020 Task 11 corpus lays it out: articles in their own files' units,
two techniques on one span, SI and TC exports that round-trip exactly.

The corpus and its scorers are not committed: READER_PTC_DATASETS (the task's datasets
folder: train-articles, train-task1-SI.labels, train-task2-TC.labels) and
READER_PTC_TOOLS (its tools folder, with task-TC_scorer.py and task-SI_scorer.py) run the
slow test below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store

NFD = unicodedata.normalize("NFD", "Người")
ARTICLES = {
    # A BOM, CRLF line ends and an NFD word: every offset after them differs from reader's.
    "111": f"\ufeffTitle: {NFD} said\r\n\r\nThey are traitors and liars, he said.\r\nEnd.\r\n",
    "222": "Plain text. We must act now or lose everything.\n",
}


def _rows() -> list[str]:
    t1, t2 = ARTICLES["111"], ARTICLES["222"]
    liars = t1.index("traitors and liars")
    act = t2.index("We must act now")
    return [
        f"111\tName_Calling,Labeling\t{liars}\t{liars + 18}",
        f"111\tLoaded_Language\t{liars}\t{liars + 18}",  # the same span, a second technique
        f"111\tDoubt\t{t1.index(NFD)}\t{t1.index(NFD) + len(NFD)}",
        f"222\tSlogans\t{act}\t{act + 15}",
        f"222\tBlack-and-White_Fallacy\t{act}\t{len(t2) - 2}",
    ]


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "train-articles"
    folder.mkdir()
    for doc_id, text in ARTICLES.items():
        (folder / f"article{doc_id}.txt").write_bytes(text.encode("utf-8"))
    (folder / "article333.txt").write_text("No labels here.\n", encoding="utf-8")
    labels = tmp_path / "train-task2-TC.labels"
    labels.write_text("\n".join(_rows()) + "\n", encoding="utf-8")
    return folder, labels


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_corpus_layout_imports_as_given(tmp_path):
    folder, labels = _corpus(tmp_path)
    db = str(tmp_path / "a.db")
    result = run("import", "--db", db, str(folder), str(labels))
    assert result.exit_code == 0, result.output
    assert "4 new annotations" in result.stdout and "3 new documents" in result.stdout
    with Store.open(Path(db), annotator="t") as store:
        assert sorted(d.id for d in store.documents()) == ["111", "222", "333"]
        got = {a.text: dict(a.attributes) for a in store.iter_annotations()}
    assert got["traitors and liars"] == {
        "technique": ["Name_Calling-Labeling", "Loaded_Language"],  # one span, two techniques
        "category": ["attack_on_reputation", "manipulative_wording"],
    }
    assert got["Người"]["technique"] == "Doubt"  # the NFD word, found in the NFC text


def test_tc_export_gives_back_the_rows_and_the_files_exactly(tmp_path):
    folder, labels = _corpus(tmp_path)
    db = str(tmp_path / "a.db")
    run("import", "--db", db, str(folder), str(labels))
    result = run("export", "--db", db, "--format", "ptc", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "ptc"
    rows = sorted(
        line for f in out.glob("*.labels") for line in f.read_text(encoding="utf-8").splitlines()
    )
    assert rows == sorted(_rows())  # offsets in the article files' units: BOM, CRLF, NFD
    for doc_id, text in ARTICLES.items():
        assert (out / f"article{doc_id}.txt").read_bytes() == text.encode("utf-8")


def test_si_export_writes_every_span_once(tmp_path):
    folder, labels = _corpus(tmp_path)
    db = str(tmp_path / "a.db")
    run("import", "--db", db, str(folder), str(labels))
    result = run(
        "export", "--db", db, "--format", "ptc", "--task", "si", "-o", str(tmp_path / "si")
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "si" / "ptc"
    rows = sorted(
        line
        for f in out.glob("*.task1-SI.labels")
        for line in f.read_text(encoding="utf-8").splitlines()
    )
    expected = sorted({"\t".join(r.split("\t")[i] for i in (0, 2, 3)) for r in _rows()})
    assert rows == expected
    wrong = run("export", "--db", db, "--format", "w3c", "--task", "si")
    assert wrong.exit_code != 0 and "--task applies to --format ptc only" in wrong.stderr


def test_labels_without_their_articles_warn_that_offsets_are_taken_as_stored(tmp_path):
    folder, labels = _corpus(tmp_path)
    db = str(tmp_path / "a.db")
    run("import", "--db", db, str(folder), str(labels))
    si = tmp_path / "si.labels"
    si.write_text("222\t0\t5\n", encoding="utf-8")
    result = run("import", "--db", db, "--annotator", "si", str(si))
    assert result.exit_code == 0, result.output
    assert "no article<ID>.txt beside it for 1 article(s)" in result.stderr


# -- the SemEval-2020 Task 11 training set and its official scorers ------------------------

DATASETS = os.environ.get("READER_PTC_DATASETS")
TOOLS = os.environ.get("READER_PTC_TOOLS")


def _sorted_rows(path: Path, unique: bool = False) -> str:
    """Rows in (article, start, end, technique) order: the scorers pair spans with the same
    start by their place in the file, and the gold file orders those arbitrarily."""
    rows = path.read_text(encoding="utf-8").splitlines()
    rows = sorted(set(rows) if unique else rows, key=lambda r: _key(r.split("\t")))
    return "\n".join(rows) + "\n"


def _key(fields: list[str]) -> tuple:
    return (fields[0], int(fields[-2]), int(fields[-1]), fields[1] if len(fields) == 4 else "")


@pytest.mark.slow
@pytest.mark.skipif(not (DATASETS and TOOLS), reason="READER_PTC_DATASETS/_TOOLS are not set")
def test_the_official_scorers_give_f1_1_on_the_round_trip_of_the_training_set(tmp_path):
    data, tools = Path(DATASETS), Path(TOOLS)
    db = str(tmp_path / "a.db")
    articles = str(data / "train-articles")
    assert run("import", "--db", db, articles, str(data / "train-task2-TC.labels")).exit_code == 0
    assert run("import", "--db", db, "--annotator", "si", articles,
               str(data / "train-task1-SI.labels")).exit_code == 0  # fmt: skip
    run("export", "--db", db, "--format", "ptc", "--annotator", "ptc", "-o", str(tmp_path / "tc"))
    run("export", "--db", db, "--format", "ptc", "--task", "si", "--annotator", "si",
        "-o", str(tmp_path / "si"))  # fmt: skip
    for task, gold_file, folder in (("TC", "train-task2-TC.labels", "tc/ptc"),
                                    ("SI", "train-task1-SI.labels", "si/si")):  # fmt: skip
        submission = tmp_path / f"{task}.txt"
        submission.write_text(
            "".join(
                f.read_text(encoding="utf-8") for f in sorted((tmp_path / folder).glob("*.labels"))
            ),
            encoding="utf-8",
        )
        submission.write_text(_sorted_rows(submission), encoding="utf-8")
        gold = tmp_path / f"gold-{task}.txt"
        # One TC row of the gold is an exact duplicate (article 711566593); reader holds it once.
        gold.write_text(_sorted_rows(data / gold_file, unique=task == "TC"), encoding="utf-8")
        if task == "TC":
            assert submission.read_text(encoding="utf-8") == gold.read_text(encoding="utf-8")
            assert len(submission.read_text(encoding="utf-8").splitlines()) == 6128  # README
            args = [
                "task-TC_scorer.py",
                "-p",
                "data/propaganda-techniques-names-semeval2020task11.txt",
            ]
        else:
            args = ["task-SI_scorer.py", "-m"]
        result = subprocess.run(
            [sys.executable, *args, "-s", str(submission), "-r", str(gold)],
            cwd=tools, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert "F1=1.000000" in result.stdout + result.stderr, (task, result.stdout[-2000:])
