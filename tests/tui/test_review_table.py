"""The review table and the annotator picker before it, as a lead meets them at 80x24
and 160x40: documents the compared annotators do not share, the picker's keys, the
heading's words and width."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.review import ReviewScreen
from reader.tui.screens.review_annotators import AnnotatorPicker
from reader.tui.screens.review_document import AdjudicationScreen
from tests.helpers import VIETNAMESE, make_document
from tests.tui.waiting import until

SIZES = [(80, 24), (160, 40)]
LAN, MINH = "lan", "minh"


@pytest.fixture
def overlapped(store: Store) -> Store:
    """As after `reader assign --overlap 0.5`: 001 given to both, 003 to lan only, 004 to
    minh only; each tagged what they were given, 001 with one disagreement."""
    store.sync_documents([make_document(d, VIETNAMESE) for d in ("001", "003", "004")])
    pairs = [("001", LAN), ("001", MINH), ("003", LAN), ("004", MINH)]
    store.change_assignments(pairs, via="test")
    minh = Store.open(store.path, annotator=MINH)
    for s, doc in ((store, "001"), (minh, "001"), (store, "003"), (minh, "004")):
        s.create(doc, 0, 9, "casualty")
    minh.create("001", 20, 30, "propaganda")
    minh.close()
    return store


def cell(screen: ReviewScreen, row: str, column: str) -> str:
    return str(screen.query_one(DataTable).get_cell(row, column))


async def open_table(pilot) -> ReviewScreen:
    await pilot.press("r")
    await until(pilot, lambda: isinstance(pilot.app.screen, AnnotatorPicker), "the picker")
    await pilot.press("enter")  # compare the two preselected
    await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the review table")
    return pilot.app.screen


@pytest.mark.parametrize("size", SIZES)
async def test_a_document_given_to_one_annotator_has_no_figures_and_still_reaches_gold(
    overlapped, size
):
    app = ReaderApp(overlapped, gold="gold")
    async with app.run_test(size=size) as pilot:
        screen = await open_table(pilot)
        assert [r.document for r in screen.rows] == ["001", "003", "004"]  # shared first
        assert cell(screen, "001", "Disagreements") == "1"
        assert cell(screen, "003", "Agreement") == "only lan"
        assert cell(screen, "004", "Agreement") == "only minh"
        assert cell(screen, "003", "Disagreements") == cell(screen, "004", "Disagreements") == "—"
        heading = screen.query_one("#review-heading").render_line(0).text  # as drawn
        assert "1 disagreement remains in 1 document" in heading  # whole, at 80 too
        wide = "sorted by Krippendorff's alpha, lowest first" in heading
        assert wide == (size[0] >= 160)
        table = screen.query_one(DataTable)
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= size[0]
        await pilot.press("down", "enter")  # open 003, lan's alone
        await until(pilot, lambda: isinstance(app.screen, AdjudicationScreen), "003 opened")
        assert app.screen.document == "003"
        assert [d.kind for d in app.screen.items] == ["only_in_b"]  # minh, with more spans, is A
        await pilot.press("b")  # take lan's span into gold
        await until(
            pilot,
            lambda: list(overlapped.iter_annotations(annotator="gold", document="003")),
            "lan's span of 003 in gold",
        )
        [copy] = overlapped.iter_annotations(annotator="gold", document="003")
        assert (copy.start, copy.end, copy.label) == (0, 9, "casualty")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back at the table")
        assert cell(screen, "003", "Remaining") == "0"
        assert "1 disagreement remains in 1 document" in str(
            screen.query_one("#review-heading").render()
        )


def shown_names(picker: AnnotatorPicker) -> list[str]:
    """The picker's list as the terminal shows it, one line per name."""
    names = picker.query_one("#review-annotator-list")
    return [names.render_line(y).text.rstrip() for y in range(names.option_count)]


@pytest.mark.parametrize("size", SIZES)
async def test_the_picker_says_in_text_who_is_chosen_space_toggles_and_enter_compares(
    overlapped, size
):
    """Chosen or not reads without colour ([x] / [ ]); space toggles, enter compares."""
    Store.open(overlapped.path, annotator="hà").create("001", 0, 9, "casualty")
    app = ReaderApp(overlapped, gold="gold")
    async with app.run_test(size=size) as pilot:
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, AnnotatorPicker), "the picker")
        picker = app.screen
        hint = str(picker.query_one(".review-hint").render())
        assert "space" in hint and "enter compares" in hint
        await until(pilot, lambda: len(shown_names(picker)) == 3, "three names drawn")
        lines = shown_names(picker)
        assert [line[:4] for line in lines] == ["[x] ", "[x] ", "[ ] "]
        assert [line[4:].split()[0] for line in lines] == [MINH, LAN, "hà"]
        await pilot.press("space")  # unchoose minh
        await until(pilot, lambda: shown_names(picker)[0].startswith("[ ] "), "minh unchosen")
        await pilot.press("enter")  # one chosen: refused, the picker stays
        await until(
            pilot,
            lambda: "1 chosen" in str(picker.query_one("#review-annotators-error").render()),
            "the refusal",
        )
        assert app.screen is picker
        await pilot.press("down", "down", "space")  # choose hà
        await until(pilot, lambda: shown_names(picker)[2].startswith("[x] "), "hà chosen")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review table")
        assert app.screen.annotators == [LAN, "hà"]
