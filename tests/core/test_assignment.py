"""Assignment: the plan (overlap, balance by characters, idempotence), the stored table
and its log, and which done marks agreement counts."""

from __future__ import annotations

import sqlite3

import pytest

from reader.core.assignment import counted_done, plan_assignment
from reader.core.assignment.plan import overlap_count
from reader.core.errors import NotFoundError, ValidationError
from tests.helpers import make_document

TEAM = ["lan", "minh", "hoa"]


def _loads(plan, lengths):
    load = {}
    for doc, who in plan.items():
        for a in who:
            load[a] = load.get(a, 0) + lengths[doc]
    return load


def test_work_is_balanced_by_characters_not_by_document_count():
    lengths = {"long": 1000, **{f"short{i}": 100 for i in range(5)}}
    plan = plan_assignment(lengths, list(lengths), ["lan", "minh"], {})
    assert all(len(who) == 1 for who in plan.values())
    holder = plan["long"][0]
    other = "minh" if holder == "lan" else "lan"
    assert [d for d, who in plan.items() if who == (holder,)] == ["long"]
    assert _loads(plan, lengths) == {holder: 1000, other: 500}


def test_overlap_share_gets_per_document_annotators_and_the_rest_one():
    lengths = {f"d{i:02}": 500 + 37 * i for i in range(20)}
    plan = plan_assignment(lengths, list(lengths), TEAM, {}, overlap=0.25, per_document=2, seed=7)
    sizes = sorted(len(who) for who in plan.values())
    assert sizes == [1] * 15 + [2] * 5
    assert set(plan) == set(lengths)
    assert all(len(set(who)) == len(who) for who in plan.values())
    load = _loads(plan, lengths)
    assert max(load.values()) - min(load.values()) <= max(lengths.values())


def test_same_arguments_same_plan_and_seed_changes_the_overlap():
    lengths = {f"d{i:02}": 100 + i for i in range(30)}
    args = {"overlap": 0.2, "per_document": 2}
    one = plan_assignment(lengths, list(lengths), TEAM, {}, seed=1, **args)
    assert one == plan_assignment(lengths, list(lengths), TEAM, {}, seed=1, **args)
    shared = {d for d, who in one.items() if len(who) == 2}
    other = plan_assignment(lengths, list(lengths), TEAM, {}, seed=2, **args)
    assert shared != {d for d, who in other.items() if len(who) == 2}


def test_only_unassigned_documents_are_planned_and_existing_load_counts():
    lengths = {"a": 900, "b": 300, "c": 300, "d": 300}
    plan = plan_assignment(lengths, list(lengths), ["lan", "minh"], {"a": ["lan"]})
    assert "a" not in plan
    assert all(who == ("minh",) for who in plan.values())  # lan already carries 900
    assert plan_assignment(lengths, list(lengths), ["lan", "minh"], {**plan, "a": ["lan"]}) == {}


def test_overlap_counts_documents_already_shared():
    lengths = {f"d{i}": 100 for i in range(10)}
    current = {"d0": ["lan", "minh"], "d1": ["hoa", "lan"]}
    plan = plan_assignment(lengths, list(lengths), TEAM, current, overlap=0.3)
    assert sum(len(who) == 2 for who in plan.values()) == 1


def test_overlap_rounds_half_up():
    assert overlap_count(0.5, 5) == 3 and overlap_count(0.2, 5) == 1 and overlap_count(0, 9) == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"overlap": 1.5}, "--overlap"),
        ({"per_document": 0}, "--per-document"),
        ({"overlap": 0.5, "per_document": 4}, "only 3 named"),
    ],
)
def test_impossible_plans_are_refused(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        plan_assignment({"a": 1}, ["a"], TEAM, {}, **kwargs)


def test_counted_done_keeps_assigned_documents_and_the_unassigned_annotators():
    done = {"a": {"lan", "minh", "gold"}, "b": {"lan", "minh"}}
    assignments = {"a": ["lan", "minh"], "b": ["minh"]}
    assert counted_done(done, assignments) == {"a": {"lan", "minh", "gold"}, "b": {"minh"}}
    assert counted_done(done, {}) == done


def test_store_keeps_assignments_with_an_append_only_log(vn_store):
    added, removed = vn_store.change_assignments(
        add=[("vn1", "lan"), ("vn1", "minh"), ("vn2", "lan")], via="test"
    )
    assert (added, removed) == (3, 0)
    assert vn_store.assignments() == {"vn1": ("lan", "minh"), "vn2": ("lan",)}
    assert vn_store.assigned_documents("lan") == ["vn1", "vn2"]
    assert vn_store.change_assignments(add=[("vn1", "lan")], via="again") == (0, 0)
    assert vn_store.change_assignments(remove=[("vn2", "lan")], via="test") == (0, 1)
    events = vn_store.assignment_events()
    assert [(e.action, e.document, e.annotator, e.by) for e in events] == [
        ("assign", "vn1", "lan", "lan"),
        ("assign", "vn1", "minh", "lan"),
        ("assign", "vn2", "lan", "lan"),
        ("unassign", "vn2", "lan", "lan"),
    ]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        vn_store.conn.execute("DELETE FROM assignment_events")


def test_store_refuses_unknown_documents_and_bad_names_changing_nothing(vn_store):
    with pytest.raises(NotFoundError, match="nope"):
        vn_store.change_assignments(add=[("vn1", "lan"), ("nope", "lan")], via="t")
    with pytest.raises(ValidationError, match="may not contain"):
        vn_store.change_assignments(add=[("vn1", "a/b")], via="t")
    assert vn_store.assignments() == {} and vn_store.assignment_events() == []


def test_vietnamese_annotator_names_are_kept_as_given(store):
    store.sync_documents([make_document("tin-1", "Hà Nội\r\nsố liệu")])
    store.change_assignments(add=[("tin-1", "Lan Nguyễn")], via="t")
    assert store.assignments() == {"tin-1": ("Lan Nguyễn",)}
