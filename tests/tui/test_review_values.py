"""Review shows what differs: the attribute table of two matching spans whose attributes
differ, and keys that settle it value by value into gold."""

from __future__ import annotations

import pytest

from reader.core.adjudication import values as av
from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.helpers import VIETNAMESE, make_document
from tests.tui.review_pilot import open_review

SIZE = (160, 40)


@pytest.fixture
def valued(store: Store):
    """lan and minh mark "164 người thiệt mạng" alike but count it differently."""
    store.sync_documents([make_document("vn1", VIETNAMESE)])
    text = store.document("vn1").text
    start = text.index("164 người thiệt mạng")
    end = start + len("164 người thiệt mạng")
    lan = store.create(
        "vn1", start, end, "casualty",
        attributes={"value_best": 164, "outcome": "killed", "qualifier": "exact"},
        note="theo Bộ Y tế",
    )  # fmt: skip
    minh_store = Store.open(store.path, annotator="minh")
    minh = minh_store.create(
        "vn1", start, end, "casualty",
        attributes={"value_best": 160, "outcome": "killed", "victim_group": "unknown"},
    )  # fmt: skip
    minh_store.close()
    return store, lan, minh


async def test_the_attribute_table_shows_both_values_and_keys_take_each_into_gold(valued):
    store, lan, minh = valued
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        [item] = screen.items
        assert item.kind == "different_attributes"
        rows = screen.attribute_rows()
        assert [(r.name, r.values, r.differs) for r in rows] == [
            ("outcome", ("killed", "killed"), False),
            ("victim_group", (None, "unknown"), True),
            ("value_best", (164, 160), True),
            ("qualifier", ("exact", None), True),
            ("note", ("theo Bộ Y tế", None), True),
        ]
        assert screen.query_one("#attribute-table").display
        await pilot.press("v", "v")  # to value_best
        await pilot.press("B")  # minh's count
        await pilot.pause()
        await pilot.press("V")  # back to victim_group
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("q")  # not a review key: nothing happens
        await pilot.press("1")  # a label key outside the gold pane: says so, tags nothing
        await pilot.pause()
    gold = list(store.iter_annotations(annotator="gold"))
    assert len(gold) == 1
    [settled] = gold
    assert (
        settled.attributes["value_best"] == 160 and settled.attributes["victim_group"] == "unknown"
    )
    assert settled.attributes["qualifier"] == "exact" and settled.note == "theo Bộ Y tế"
    assert av.value_sources(settled) == {"value_best": minh.id, "victim_group": minh.id}
    assert sorted(settled.attributes["provenance"]) == sorted([lan.id, minh.id])


async def test_e_has_one_meaning_and_a_label_key_tags_gold_only_after_g(valued):
    store, _, _ = valued
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("e")  # nothing in gold yet: says so, opens nothing
        await pilot.pause()
        assert app.screen is screen
        assert any("Gold has nothing here yet" in str(n.message) for n in app._notifications)
        gold_view = screen.gold_pane.view
        gold_view.focus()  # the gold pane has the keyboard, but g was not pressed
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert list(store.iter_annotations(annotator="gold")) == []
        await pilot.press("g")
        await pilot.pause()
        gold_view.select_range(0, 4)
        await pilot.press("1")  # armed: one tag
        await pilot.pause()
        gold_view.select_range(5, 9)
        await pilot.press("1")  # disarmed again: nothing
        await pilot.pause()
        assert [g.text for g in store.iter_annotations(annotator="gold")] == [
            store.document("vn1").text[0:4]
        ]
        screen.panes[0].view.focus()
        await pilot.press("a")  # take lan's version
        await pilot.pause()
        await pilot.press("e")  # from lan's pane: edits gold's version all the same
        await pilot.pause()
        editor = app.screen
        assert type(editor).__name__ == "AttributeEditor" and editor.annotation.annotator == "gold"
        assert editor.annotation.attributes["value_best"] == 164
