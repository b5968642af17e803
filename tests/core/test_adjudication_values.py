"""Settling attributes one by one: each attribute side by side, and gold taking each value
from the annotator who got it right, recording where it came from."""

from __future__ import annotations

import pytest

from reader.core import adjudication as adj
from reader.core.adjudication import values as av
from reader.core.errors import ValidationError
from reader.core.labels_file import default_schema
from reader.core.store import Store
from tests.helpers import VIETNAMESE, make_document


@pytest.fixture
def stores(tmp_path):
    db = tmp_path / "v.db"
    made = {}
    for name, attributes, note in (
        ("an", {"value_best": 164, "outcome": "killed", "qualifier": "exact"}, "theo Bộ Y tế"),
        ("binh", {"value_best": 160, "outcome": "killed", "victim_group": "unknown"}, ""),
    ):
        store = Store.open(db, annotator=name)
        store.sync_documents([make_document("vn1", VIETNAMESE)])
        start = store.document("vn1").text.index("164 người")
        made[name] = store.create(
            "vn1", start, start + 9, "casualty", attributes=attributes, note=note
        )
        store.close()
    store = Store.open(db, annotator="an")
    gold = adj.open_gold(store, "gold")
    yield store, gold, made
    gold.close()
    store.close()


def current(store, gold):
    review = adj.load_document(store, "vn1", ["an", "binh"], gold.annotator)
    [item] = review.comparison.disagreements
    return review, item


def test_rows_list_each_attribute_and_the_note_side_by_side(stores):
    store, gold, _ = stores
    _, item = current(store, gold)
    assert item.kind == adj.DIFFERENT_ATTRIBUTES
    rows = {r.name: r for r in av.attribute_rows(item, default_schema())}
    assert list(rows) == ["outcome", "victim_group", "value_best", "qualifier", "note"]
    assert rows["value_best"].values == (164, 160) and rows["value_best"].differs
    assert rows["outcome"].values == ("killed", "killed") and not rows["outcome"].differs
    assert rows["victim_group"].values == (None, "unknown") and rows["victim_group"].differs
    assert rows["note"].values == ("theo Bộ Y tế", None)


def test_taking_values_one_by_one_builds_gold_and_records_their_sources(stores):
    store, gold, made = stores
    review, item = current(store, gold)
    steps = av.take_value(item, 1, "value_best", review.gold)  # B's count
    with gold.transaction():
        list(adj.apply(gold, steps))
    review, item = current(store, gold)
    first = av.gold_version(item, review.gold)
    assert first.attributes["value_best"] == 160
    assert first.attributes["qualifier"] == "exact"  # the rest from A's version
    assert first.note == "theo Bộ Y tế"
    assert av.value_sources(first) == {"value_best": made["binh"].id}
    assert review.settled(item)
    steps = av.take_value(item, 1, "victim_group", review.gold)
    with gold.transaction():
        list(adj.apply(gold, steps))
    steps = av.take_value(item, 1, "note", current(store, gold)[0].gold)
    with gold.transaction():
        list(adj.apply(gold, steps))
    review, item = current(store, gold)
    [live] = [g for g in review.gold if g.live]
    assert live.attributes["victim_group"] == "unknown" and live.note == ""
    assert av.value_sources(live) == {
        "note": made["binh"].id,
        "value_best": made["binh"].id,
        "victim_group": made["binh"].id,
    }
    assert av.take_value(item, 1, "value_best", review.gold) == ()  # already so
    steps = av.take_value(item, 0, "value_best", review.gold)  # changed mind: A's
    with gold.transaction():
        list(adj.apply(gold, steps))
    review, item = current(store, gold)
    [live] = [g for g in review.gold if g.live]
    assert live.attributes["value_best"] == 164
    assert av.value_sources(live)["value_best"] == made["an"].id
    assert review.settled(item)


def test_values_are_taken_only_where_attributes_differ(stores):
    store, gold, made = stores
    store.update(made["an"].id, label="propaganda")
    _, item = current(store, gold)
    assert av.attribute_rows(item, default_schema()) == []
    with pytest.raises(ValidationError, match="only where attributes differ"):
        av.take_value(item, 0, "value_best", [])
