"""The review table and the annotator picker before it, as a lead meets them at 80x24
and 160x40: documents the compared annotators do not share, the picker's keys, the
heading's words and width."""

from __future__ import annotations

import pytest

from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.screens.review import ReviewScreen
from reader.tui.screens.review_annotators import AnnotatorPicker
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
