"""Moving about the review: panes scroll together (y toggles), / searches every pane,
and the current disagreement is scrolled whole into view."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.helpers import VIETNAMESE, make_document
from tests.tui.review_pilot import open_review

SIZE = (160, 30)
FILLER = "Dòng thứ {n}: lực lượng an ninh tuần tra trên các đường phố của thành phố.\n"


@pytest.fixture
def long_dispute(store: Store):
    """A long document whose one disagreement, two lines long, sits far down."""
    text = "".join(FILLER.format(n=n) for n in range(120)) + VIETNAMESE * 3
    store.sync_documents([make_document("long", text)])
    text = store.document("long").text
    start = text.index("Ngày 8/1", len(text) - len(VIETNAMESE) * 2)
    end = text.index("thiệt mạng", start) + len("thiệt mạng")
    store.create("long", start, end, "casualty")
    minh = Store.open(store.path, annotator="minh")
    minh.create("long", start, end, "propaganda")
    minh.close()
    return store, start, end


def on_screen(view, offset: int) -> bool:
    layout = view._ensure_layout()
    y = layout.y_of(*layout.position(offset))
    top = round(view.scroll_y)
    return top <= y < top + view.size.height


async def test_the_disagreement_is_scrolled_whole_into_view_in_every_pane(long_dispute):
    store, start, end = long_dispute
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        await pilot.pause()
        for pane in screen.panes:
            assert on_screen(pane.view, start) and on_screen(pane.view, end - 1), pane


async def test_panes_scroll_together_until_y_and_slash_searches_them_all(long_dispute):
    store, _, _ = long_dispute
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(app, pilot)
        first, second = screen.panes[0].view, screen.panes[1].view
        first.scroll_to_offset(len(first.text) // 4, center=False)
        first.post_message(first.Scrolled(first, first.relative_scroll))
        await pilot.pause()
        assert second.relative_scroll == pytest.approx(first.relative_scroll, abs=0.02)
        await pilot.press("y")
        before = second.relative_scroll
        first.scroll_to_offset(0, center=False)
        first.post_message(first.Scrolled(first, first.relative_scroll))
        await pilot.pause()
        assert second.relative_scroll == before
        first.focus()
        await pilot.press("slash", *"Dòng thứ 77", "enter")
        await pilot.pause()
        start, end = first.selection
        assert first.text[start:end] == "Dòng thứ 77"
        await pilot.press("slash", *"Dòng thứ 1", "enter")  # 1, 10-19, 100-119: many
        await pilot.pause()
        found = first.selection
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert first.selection[0] > found[0] and first.text.startswith(
            "Dòng thứ 1", first.selection[0]
        )
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert first.selection == found
        # every pane searches the same term: ] in the second finds its own matches
        second.focus()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert second.text.startswith("Dòng thứ 1", second.selection[0])


async def test_the_disagreement_list_gives_way_below_120_columns_and_d_toggles_it(long_dispute):
    """At 80 columns the panes take the width (three of 25-26 columns, not of 15 beside
    the list); d shows it there and hides it at any width; the panes share the rest."""
    store = long_dispute[0]
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        listed = screen.query_one("#disagreement-list", OptionList)

        def widths() -> list[int]:
            return [pane.size.width for pane in screen.panes]

        assert not listed.display and min(widths()) >= 25
        await pilot.press("d")
        await pilot.pause()
        assert listed.display and listed.outer_size.width == 34 and max(widths()) <= 16
        await pilot.press("d")
        await pilot.pause()
        assert not listed.display and min(widths()) >= 25
        await pilot.resize_terminal(160, 40)  # d decided: the width no longer does
        await pilot.pause()
        assert not listed.display
        await pilot.press("d")
        await pilot.pause()
        assert listed.display
        assert screen.focused is screen.panes[0].view  # the keys stay in the panes
    app = ReaderApp(store, gold="gold")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.query_one("#disagreement-list", OptionList).display
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not screen.query_one("#disagreement-list", OptionList).display
