"""The hand-annotated fixture of the shipped corpus: every span is where it says it is."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from reader.core.corpus import read_corpus
from reader.core.labels_file import default_schema
from reader.core.segments import trim_span
from reader.core.text import snap_span
from tests.helpers import CORPUS, ROOT

GOLD = ROOT / "tests" / "data" / "corpus_gold.jsonl"


def _lines() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {d.id: d.text for d in read_corpus(CORPUS)}


def test_each_span_text_is_the_document_slice(texts):
    lines = _lines()
    assert len(lines) == 85
    for n, rec in enumerate(lines, 1):
        text = texts[rec["document"]]
        assert 0 <= rec["start"] < rec["end"] <= len(text), n
        assert text[rec["start"] : rec["end"]] == rec["text"], n


def test_spans_are_trimmed_whole_clusters_and_unique(texts):
    seen = Counter()
    for rec in _lines():
        text, start, end = texts[rec["document"]], rec["start"], rec["end"]
        assert trim_span(text, start, end) == (start, end), rec["text"]
        assert snap_span(text, start, end) == (start, end), rec["text"]
        seen[rec["document"], start, end, rec["label"]] += 1
    assert max(seen.values()) == 1


def test_attributes_fit_the_shipped_schema():
    schema = default_schema()
    for rec in _lines():
        assert schema.check_attributes(rec["label"], rec["attributes"]) == rec["attributes"]
        if rec["label"] == "casualty":
            assert {"outcome", "victim_group", "qualifier"} <= rec["attributes"].keys()
        if rec["label"] == "attribution":
            assert {"source", "cue", "quote_type", "source_type"} <= rec["attributes"].keys()


def test_every_document_is_annotated_and_counts_hold():
    labels = Counter(rec["label"] for rec in _lines())
    assert labels == {"attribution": 48, "propaganda": 27, "casualty": 10}
    assert {rec["document"] for rec in _lines()} == {p.stem for p in CORPUS.glob("*.txt")}


def test_reader_imports_it_as_gold(tmp_path: Path):
    from click.testing import CliRunner

    from reader.cli import cli

    db = tmp_path / "g.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "import", str(CORPUS)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--db", str(db), "import", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert "imported 85 new annotations" in result.output
    out = runner.invoke(cli, ["--db", str(db), "export", "--annotator", "gold", "-o", "-"])
    exported = [json.loads(line) for line in out.stdout.splitlines()]
    key = lambda r: (r["document"], r["start"], r["end"], r["label"])
    assert sorted(map(key, exported)) == sorted(map(key, _lines()))
    assert {r["text"] for r in exported} == {r["text"] for r in _lines()}
