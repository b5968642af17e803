"""`reader assign`: the plan stored with its log, idempotent, --add/--remove, --show;
and `reader agree` then compares only documents both annotators were given."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from tests.helpers import CORPUS, file_digest

TEAM = "lan,minh,hoa"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path):
    from reader.core.corpus import read_corpus

    path = str(tmp_path / "team.db")
    with Store.open(path, annotator="lead") as store:
        store.sync_documents(read_corpus(CORPUS))
    return path


def show(db):
    result = run("assign", "--db", db, "--show", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_assign_with_overlap_is_stored_logged_and_idempotent(db, tmp_path):
    args = ("assign", "--db", db, "--annotator", "lead", "--annotators", TEAM, "--overlap", "0.4")
    args += ("--seed", "3")
    first = run(*args)
    assert first.exit_code == 0, first.output
    assert "assigned 5 documents (2 to several annotators)" in first.output
    table = show(db)["assignments"]
    ids = sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert [row["document"] for row in table] == ids
    assert sorted(len(row["annotators"]) for row in table) == [1, 1, 1, 2, 2]
    assert {a for row in table for a in row["annotators"]} == set(TEAM.split(","))
    before = file_digest(tmp_path / "team.db")
    again = run(*args)
    assert again.exit_code == 0 and "nothing to assign" in again.output
    assert show(db)["assignments"] == table
    assert file_digest(tmp_path / "team.db") == before
    with Store.open(db, annotator="lead") as store:
        events = store.assignment_events()
    assert len(events) == 7 and {e.action for e in events} == {"assign"}
    assert json.loads(events[0].via)["overlap"] == 0.4 and events[0].by == "lead"


def test_add_and_remove_change_the_table_explicitly(db):
    doc = min(p.stem for p in CORPUS.glob("*.txt"))
    added = run("assign", "--db", db, "--add", "--annotators", "lan,minh", "--documents", doc)
    assert added.exit_code == 0 and "assigned 2" in added.output
    assert show(db) == {"assignments": [{"document": doc, "annotators": ["lan", "minh"]}]}
    removed = run("assign", "--db", db, "--remove", "--annotators", "lan", "--documents", "00[0]*")
    assert removed.exit_code == 0 and "unassigned 1" in removed.output
    assert show(db) == {"assignments": [{"document": doc, "annotators": ["minh"]}]}
    plan = run("assign", "--db", db, "--annotators", TEAM)
    assert "assigned 4 documents" in plan.output  # the one given by hand stays as it is
    assert show(db)["assignments"][0] == {"document": doc, "annotators": ["minh"]}


def test_documents_pattern_limits_the_plan(db):
    result = run("assign", "--db", db, "--annotators", TEAM, "--documents", "000_*,001_*")
    assert result.exit_code == 0
    assert [r["document"][:3] for r in show(db)["assignments"]] == ["000", "001"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("--annotators", TEAM, "--documents", "zzz*"), "no document matches 'zzz*'"),
        (("--annotators", TEAM, "--overlap", "0.5", "--per-document", "4"), "only 3 named"),
        (("--add", "--annotators", "lan"), "--add needs --documents"),
        (("--annotators", "bad/name"), "may not contain '/'"),
        (("--json",), "--json goes with --show"),
        ((), "name at least one annotator"),
        (("--annotators", "lan,gold"), "gold is the adjudicator"),  # progress leaves gold out
        (("--add", "--annotators", "gold", "--documents", "000*"), "gold is the adjudicator"),
        (("--gold", "lead", "--annotators", "lan,lead"), "lead is the adjudicator"),
    ],
)
def test_bad_requests_are_one_line_and_change_nothing(db, tmp_path, args, message):
    before = file_digest(tmp_path / "team.db")
    result = run("assign", "--db", db, *args)
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert file_digest(tmp_path / "team.db") == before


def test_a_bad_name_is_refused_even_when_nothing_is_left_to_assign(db):
    assert run("assign", "--db", db, "--annotators", TEAM).exit_code == 0
    result = run("assign", "--db", db, "--annotators", "lan,bad/name")
    assert result.exit_code == 1 and "may not contain '/'" in result.output, result.output


def test_a_database_without_documents_is_refused_in_one_line(tmp_path):
    path = str(tmp_path / "empty.db")
    Store.open(path, annotator="lead").close()
    result = run("assign", "--db", path, "--annotators", TEAM)
    assert result.exit_code == 1 and "holds no documents yet" in result.output


def test_show_prints_a_table_with_who_is_done(db):
    run("assign", "--db", db, "--annotators", "lan,minh", "--overlap", "1")
    doc = show(db)["assignments"][0]["document"]
    with Store.open(db, annotator="lan") as store:
        store.set_status(doc, "done")
    result = run("assign", "--db", db, "--show")
    assert result.exit_code == 0
    assert "5 of 5 documents assigned" in result.output
    row = next(line for line in result.output.splitlines() if doc in line)
    assert "lan, minh" in row and row.rstrip(" │").endswith("lan")


def test_agree_compares_only_documents_both_were_assigned_and_marked_done(db):
    docs = sorted(p.stem for p in CORPUS.glob("*.txt"))
    run("assign", "--db", db, "--add", "--annotators", "lan,minh", "--documents", docs[0])
    run("assign", "--db", db, "--add", "--annotators", "lan", "--documents", docs[1])
    for name in ("lan", "minh"):
        with Store.open(db, annotator=name) as store:
            store.create(docs[0], 0, 4, "casualty")
            store.create(docs[1], 0, 4, "casualty" if name == "lan" else "propaganda")
            store.set_status(docs[0], "done")
            store.set_status(docs[1], "done")  # minh was never given docs[1]
    report = json.loads(run("agree", "--db", db, "--json").output)
    assert report["documents"] == [docs[0]] and report["options"]["assigned_only"] is True
    assert report["overall"]["char_krippendorff_alpha"] == 1.0
    everything = json.loads(run("agree", "--db", db, "--json", "--include-unassigned").output)
    assert everything["documents"] == docs[:2]
    assert everything["overall"]["char_krippendorff_alpha"] < 1.0
    assert everything["options"]["assigned_only"] is False
    alone = CliRunner().invoke(cli, ["agree", "--db", db, "--document", docs[1]])
    assert "were assigned and marked the same documents done" in alone.output
    assert "--include-unassigned" in alone.output


def test_progress_prints_bars_and_json_in_the_issue_shape(db):
    docs = sorted(p.stem for p in CORPUS.glob("*.txt"))
    run("assign", "--db", db, "--add", "--annotators", "lan,minh", "--documents", docs[0])
    run("assign", "--db", db, "--add", "--annotators", "lan", "--documents", ",".join(docs[1:3]))
    for name in ("lan", "minh"):
        with Store.open(db, annotator=name) as store:
            store.create(docs[0], 0, 4, "casualty")
            store.set_status(docs[0], "done")
    report = json.loads(run("progress", "--db", db, "--json").output)
    assert set(report) == {"annotators", "documents", "agreement"}
    assert report["annotators"]["lan"] == {
        "assigned": 3,
        "in_progress": 0,
        "done": 1,
        "annotations": {"casualty": 1},
    }
    assert report["documents"][docs[0]]["done"] == ["lan", "minh"]
    assert report["agreement"]["labels"]["casualty"] == {"char_krippendorff_alpha": 1.0, "spans": 2}
    text = run("progress", "--db", db).output
    lan = next(line for line in text.splitlines() if line.strip().startswith("lan "))
    assert "█" * 11 + "·" * 21 + "  1 of 3 done" in lan  # a third of 32 cells
    assert "1 of 1 done" in text
    assert "1.000 · 2 spans" in text


def test_two_leads_assigning_at_once_never_give_a_document_twice(db):
    import os
    import subprocess
    import sys

    from tests.helpers import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "reader", "assign", "--db", db, "--annotators", team],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for team in ("lan,minh", "hoa,tuan", "mai,duc")
    ]
    for run_ in runs:
        _, err = run_.communicate(timeout=60)
        assert run_.returncode == 0, err
    table = show(db)["assignments"]
    assert len(table) == 5 and all(len(row["annotators"]) == 1 for row in table)
    with Store.open(db, annotator="lead") as store:
        assert len(store.assignment_events()) == 5
