"""`reader agree` on links and `reader claims`, from the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from tests.helpers import make_document

ONE = "Theo Bộ Y tế, 164 người thiệt mạng ở Almaty.\n"
TWO = "RIA Novosti: =225 người chết.\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def at(store: Store, doc: str, words: str, label: str, **attributes):
    text = store.document(doc).text
    start = text.index(words)
    return store.create(doc, start, start + len(words), label, attributes=attributes)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "links.db"
    for name in ("an", "binh"):
        with Store.open(path, annotator=name) as s:
            s.sync_documents([make_document("one", ONE), make_document("two", TWO)])
            who = at(s, "one", "Theo Bộ Y tế", "attribution", source="Bộ Y tế")
            one = at(s, "one", "164 người thiệt mạng", "casualty", outcome="killed", value_best=164)
            two = at(s, "two", "=225 người chết", "casualty", outcome="killed", value_best=225)
            s.create_link(who.id, one.id, "source_of")
            if name == "an":  # binh does not see the two reports as one claim
                s.create_link(one.id, two.id, "same_claim")
            for doc in ("one", "two"):
                s.set_status(doc, "done")
    return str(path)


def test_agree_json_gives_each_pair_link_values(db):
    result = run("agree", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    [pair] = json.loads(result.stdout)["pairs"]
    links = pair["links"]
    # an has 2 links, binh 1, and the source_of link matches: P = 1/1, R = 1/2, F1 = 2/3.
    assert (links["precision"], links["recall"]) == (1.0, 0.5)
    assert links["f1"] == pytest.approx(2 / 3)
    assert links["types"]["source_of"]["f1"] == 1.0
    assert links["types"]["same_claim"]["f1"] == 0.0
    text = run("agree", "--db", db)
    assert "Link F1" in text.output


def test_claims_json_csv_and_text(db):
    result = run("claims", "--db", db, "--annotator", "an", "--json")
    assert result.exit_code == 0, result.output
    ledger = json.loads(result.stdout)
    assert [(c["document"], c["figure"]) for c in ledger["claims"]] == [("one", 164), ("two", 225)]
    assert ledger["claims"][0]["sources"][0]["source"] == "Bộ Y tế"
    [group] = ledger["summary"]
    assert (group["lowest"], group["highest"], group["disagree"]) == (164, 225, True)
    rows = list(
        csv.reader(io.StringIO(run("claims", "--db", db, "--reference", "binh", "--csv").stdout))
    )
    assert rows[0][:5] == ["document", "start", "end", "text", "label"]
    assert rows[2][3] == "'=225 người chết"  # never a formula in a spreadsheet
    assert rows[1][-1] == "Bộ Y tế"
    text = run("claims", "--db", db, "--annotator", "an", "--label", "casualty").output
    assert "killed / ?: one: 164; two: 225 (lowest 164, highest 225)  DISAGREE" in text


def test_claims_refuses_two_whose(db):
    result = run("claims", "--db", db, "--annotator", "an", "--reference", "gold")
    assert result.exit_code == 1
    assert "reader: error: give --annotator or --reference, not both" in result.output


def test_claims_of_an_unknown_annotator_name_the_known_ones_instead_of_printing_nothing(db):
    for option in ("--annotator", "--reference"):
        result = run("claims", "--db", db, option, "nobody")
        assert result.exit_code == 1 and result.stdout == ""
        assert f"unknown annotator 'nobody' for {option} (known: an, binh)" in result.stderr


def test_stats_counts_links_by_state(db):
    assert "links: 3 (orphaned 0, dangling 0)" in run("stats", "--db", db).output
    report = json.loads(run("stats", "--db", db, "--json").stdout)
    assert report["links"] == {"live": 3, "orphaned": 0, "dangling": 0}


def test_claims_text_of_a_group_without_figures_prints_no_none(tmp_path):
    """A casualty span tagged without a figure yet: the summary says it has none, never
    'lowest None, highest None'."""
    path = tmp_path / "bare.db"
    with Store.open(path, annotator="an") as s:
        s.sync_documents([make_document("one", ONE)])
        at(s, "one", "người thiệt mạng", "casualty")
    text = run("claims", "--db", str(path), "--annotator", "an").output
    assert "None" not in text
    assert "? / ?: one: - (no figure)" in text
