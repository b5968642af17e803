"""The review screen driven by keys: a lead settles disagreements, gold lands in the database."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable

from reader.cli import cli
from reader.core.adjudication import load_document
from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.annotate import AnnotateScreen
from reader.tui.screens.attributes import AttributeEditor
from reader.tui.screens.review import ReviewScreen
from reader.tui.screens.review_annotators import AnnotatorPicker
from reader.tui.screens.review_document import AdjudicationScreen
from tests.helpers import VIETNAMESE, make_document
from tests.tui.waiting import run_command, until

SIZE = (160, 40)
LAN, MINH = "lan", "minh"


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.fixture
def disputed(store: Store):
    """vn1 with three kinds of disagreement and one agreement; vn2 with full agreement."""
    store.sync_documents([make_document("vn1", VIETNAMESE), make_document("vn2", VIETNAMESE)])
    text = store.document("vn1").text
    minh = Store.open(store.path, annotator=MINH)
    ids = {}
    ids["label_a"] = store.create("vn1", *span(text, "4.500 kẻ bạo loạn"), "casualty").id
    ids["label_b"] = minh.create("vn1", *span(text, "4.500 kẻ bạo loạn"), "propaganda").id
    ids["bound_a"] = store.create("vn1", *span(text, "164 người thiệt mạng"), "casualty").id
    ids["bound_b"] = minh.create("vn1", *span(text, "164 người"), "casualty").id
    ids["only_a"] = store.create("vn1", *span(text, "Ông Tokayev nói"), "attribution").id
    ids["agree_a"] = store.create("vn1", *span(text, "Kazakhstan"), "propaganda").id
    ids["agree_b"] = minh.create("vn1", *span(text, "Kazakhstan"), "propaganda").id
    for s in (store, minh):
        s.create("vn2", *span(text, "Kazakhstan"), "propaganda")
    minh.close()
    return store, text, ids


async def open_review(app: ReaderApp, pilot) -> AdjudicationScreen:
    """r, accept the two preselected annotators, Enter on the first (least agreeing) row."""
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, AnnotatorPicker)
    await pilot.press("tab", "enter")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    assert [row.document for row in app.screen.rows] == ["vn1", "vn2"]  # lowest agreement first
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, AdjudicationScreen)
    return app.screen


def gold_rows(store: Store, include_deleted: bool = False):
    return list(store.iter_annotations(annotator="gold", include_deleted=include_deleted))


async def test_lead_settles_three_kinds_by_keys_and_gold_is_exported(disputed, db_path):
    store, text, ids = disputed
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        assert screen.annotators == (LAN, MINH)
        kinds = [d.kind for d in screen.items]
        assert kinds == ["different_label", "different_boundaries", "only_in_a"]
        shown = str(screen.query_one("#review-current").render())
        assert "1/3" in shown and "different label (lan: casualty; minh: propaganda)" in shown
        await pilot.press("b")  # label: take minh's propaganda
        await pilot.pause()
        assert screen.current.kind == "different_boundaries"  # moved on to the next open one
        assert screen.panes[1].view.selection == span(text, "164 người")  # minh's own extent
        await pilot.press("a")  # boundaries: take lan's longer span
        await pilot.pause()
        assert screen.current.kind == "only_in_a"
        await pilot.press("0")  # only in lan: take neither
        await pilot.pause()
        assert screen.review.remaining == []
        assert "0 of 3 disagreements remain" in str(screen.query_one("#review-status").render())
        await pilot.press("m")  # the agreement on Kazakhstan
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        first = app.screen.rows[0]
        assert (first.document, first.remaining, first.pending_agreements) == ("vn1", 0, 0)
        assert str(app.screen.query_one(DataTable).get_cell("vn1", "Remaining")) == "0"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)

    live = {(g.text, g.label): g for g in gold_rows(store)}
    assert set(live) == {("4.500 kẻ bạo loạn", "propaganda"), ("164 người thiệt mạng", "casualty"),
                         ("Kazakhstan", "propaganda")}  # fmt: skip
    assert all(g.annotator == "gold" and g.origin == "adjudicated" for g in live.values())
    assert live["4.500 kẻ bạo loạn", "propaganda"].attributes["provenance"] == [
        ids["label_a"],
        ids["label_b"],
    ]
    assert live["164 người thiệt mạng", "casualty"].attributes["provenance"] == [
        ids["bound_a"],
        ids["bound_b"],
    ]
    assert live["Kazakhstan", "propaganda"].attributes["provenance"] == [
        ids["agree_a"],
        ids["agree_b"],
    ]
    [rejected] = [g for g in gold_rows(store, include_deleted=True) if not g.live]
    assert rejected.attributes["provenance"] == [ids["only_a"]]

    result = CliRunner().invoke(
        cli, ["export", "--db", str(db_path), "--annotator", "gold", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    exported = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(
        (r["text"], r["origin"], tuple(r["attributes"]["provenance"])) for r in exported
    ) == sorted((g.text, "adjudicated", tuple(g.attributes["provenance"])) for g in live.values())


async def test_edit_in_gold_tags_with_provenance_and_undo_reverts_a_whole_decision(disputed):
    store, text, ids = disputed
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("n")  # to the boundary disagreement
        assert screen.current.kind == "different_boundaries"
        await pilot.press("g")  # focus gold, the disagreement's extent selected there
        await pilot.pause()
        gold_view = screen.gold_pane.view
        assert app.focused is gold_view and gold_view.selection == span(
            text, "164 người thiệt mạng"
        )
        gold_view.select_range(*span(text, "164 người thiệt"))
        await pilot.press("2")  # a third version, neither lan's nor minh's
        await pilot.pause()
        [edited] = gold_rows(store)
        assert (edited.text, edited.label, edited.origin) == (
            "164 người thiệt",
            "casualty",
            "adjudicated",
        )
        assert edited.attributes["provenance"] == [ids["bound_a"], ids["bound_b"]]
        assert screen.review.settled(screen.current)
        await pilot.press("e")  # in the gold pane, e edits the gold span's attributes
        await pilot.pause()
        assert isinstance(app.screen, AttributeEditor)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert gold_rows(store)[0].attributes["provenance"] == [ids["bound_a"], ids["bound_b"]]
        await pilot.press("N", "0")  # the label disagreement: take neither (create + tombstone)
        await pilot.pause()
        assert len(screen.review.remaining) == 1
        await pilot.press("ctrl+z")  # one key undoes the whole decision
        await pilot.pause()
        assert [d.kind for d in screen.review.remaining] == ["different_label", "only_in_a"]
    review = load_document(store, "vn1", [LAN, MINH], "gold")
    assert [g.text for g in review.gold] == ["164 người thiệt"]


async def test_keys_that_need_the_gold_pane_or_a_third_annotator_do_nothing_elsewhere(disputed):
    store, _, _ = disputed
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("2", "x", "c")  # focus is on lan's pane; no third annotator
        await pilot.pause()
        assert gold_rows(store, include_deleted=True) == []
        assert len(screen.review.remaining) == 3


async def test_review_needs_two_annotators_besides_gold(store: Store):
    store.sync_documents([make_document("vn1", VIETNAMESE)])
    store.create("vn1", 0, 4, "casualty")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)


async def test_the_palette_opens_the_review_too(disputed):
    store, _, _ = disputed
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "Review")
        await until(pilot, lambda: isinstance(app.screen, AnnotatorPicker), "the annotator picker")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)


async def test_a_browser_session_without_review_says_why_and_stays(disputed):
    store, _, _ = disputed
    app = ReaderApp(store, review=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
        assert any("Review writes the gold set" in str(n.message) for n in app._notifications)
