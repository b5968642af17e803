"""Review settles a link's values as it does a span's: a link both annotators made with
different attributes or note is a disagreement n/N reach, its attribute table takes the
values one by one, a side's key copies that side's values, and gold's links of the span
at the gold pane's cursor are named under the panes. Driven by keys, at 80×24 and wide;
checked on screen and in the database."""

from __future__ import annotations

import pytest

from reader.core.adjudication import values as av
from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.helpers import VIETNAMESE, link_schema, make_document
from tests.tui.review_pilot import open_review
from tests.tui.test_review_stepping import screen_text, toasts
from tests.tui.waiting import until


def at(store: Store, words: str, label: str):
    start = store.document("vn1").text.index(words)
    return store.create("vn1", start, start + len(words), label)


@pytest.fixture
def valued_links(db_path):
    """lan and minh tag the source and the figure alike and link them source_of: lan
    sure of it, with a note; minh hedged, counting two sources."""
    stores = [Store.open(db_path, link_schema(), annotator=name) for name in ("lan", "minh")]
    stores[0].sync_documents([make_document("vn1", VIETNAMESE)])
    links = []
    for s, (attributes, note) in zip(
        stores,
        [({"certainty": "sure"}, "Bộ Y tế nói rõ"), ({"certainty": "hedged", "sources": 2}, "")],
    ):
        who = at(s, "Theo Bộ Y tế", "attribution")
        figure = at(s, "164 người thiệt mạng", "casualty")
        links.append(
            s.create_link(who.id, figure.id, "source_of", attributes=attributes, note=note)
        )
    stores[1].close()
    yield stores[0], links
    stores[0].close()


@pytest.mark.parametrize("size", [(80, 24), (160, 40)])
async def test_a_links_values_are_a_disagreement_settled_by_side_and_one_by_one(valued_links, size):
    store, (lan, minh) = valued_links
    app = ReaderApp(store)
    async with app.run_test(size=size) as pilot:
        screen = await open_review(app, pilot)
        assert [i.kind for i in screen.items] == ["link_attributes"]
        shown = screen_text(app)
        assert "1/1  link source_of 'Theo Bộ Y tế' → '164 người thiệt mạng'" in shown
        assert "made by all, different attributes or note" in shown or size[0] < 120
        assert "0 of 0 disagreements remain, 1 of 1 link open" in shown
        assert "a/b: whose values, 0: leave out" in shown
        assert "certainty" in shown and "hedged" in shown and "≠" in shown  # the A/B table
        assert "gold links:" not in shown
        await pilot.press("m")  # the agreed spans into gold: the link's ends
        await pilot.pause()
        await pilot.press("b")  # minh's side: minh's values
        await pilot.pause()
        [link] = store.iter_links(annotator="gold")
        assert (link.attributes["certainty"], link.attributes["sources"], link.note) == (
            "hedged", 2, ""
        )  # fmt: skip
        assert sorted(link.attributes["provenance"]) == sorted([lan.id, minh.id])
        shown = screen_text(app)
        assert "0 of 1 link open" in shown and "link: in gold" in shown
        assert "gold links: source_of ← 'Theo Bộ Y tế'" in shown
        await pilot.press("g", "ctrl+end")  # the gold pane's cursor off the span: no line
        await pilot.pause()
        assert "gold links:" not in screen_text(app)
        await pilot.press("n")  # back on the link: its end's gold links named again
        await pilot.pause()
        assert "gold links: source_of ← 'Theo Bộ Y tế'" in screen_text(app)
        await pilot.press("b")  # again: nothing changes
        await pilot.pause()
        assert "Already decided so" in toasts(app)
        # the note, then the certainty, taken from lan one by one
        await pilot.press("v", "v")  # certainty, sources, note
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("V", "V")  # back to certainty
        await pilot.press("A")
        await pilot.pause()
        [link] = store.iter_links(annotator="gold")
        assert (link.attributes["certainty"], link.attributes["sources"], link.note) == (
            "sure", 2, "Bộ Y tế nói rõ"
        )  # fmt: skip
        assert av.value_sources(link) == {"certainty": lan.id, "note": lan.id}
        assert "(A)" in screen_text(app)  # gold's column says where a value came from
        await pilot.press("ctrl+z")  # the certainty back to minh's
        await pilot.pause()
        [link] = store.iter_links(annotator="gold")
        assert link.attributes["certainty"] == "hedged"
        assert av.value_sources(link) == {"note": lan.id}
        await pilot.press("escape")  # the review table: nothing left there
        await pilot.pause()
        [row] = app.screen.rows
        assert (row.disagreements, row.remaining) == (1, 0)


async def test_e_on_a_link_disagreement_edits_gold_s_link(valued_links):
    """e has one meaning: gold's version here, which on a link is gold's link (its
    attributes and note, in the span editor's form); ctrl+z reverts the edit."""
    from textual.widgets import Input

    store, _ = valued_links
    app = ReaderApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("e")  # gold has no link yet: says so, opens nothing
        await pilot.pause()
        assert app.screen is screen
        assert any("Gold has no such link yet" in t for t in toasts(app))
        await pilot.press("m", "b")
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: type(app.screen).__name__ == "AttributeEditor", "the editor")
        editor = app.screen
        assert "'Theo Bộ Y tế' → '164 người thiệt mạng'" in str(
            editor.query_one("#editor-span").render()
        )
        count = editor.query_one("#attr-sources", Input)
        assert count.value == "2"
        count.focus()
        count.value = ""
        await pilot.press(*"ba", "ctrl+n", *"theo ba nguồn", "ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the editor saved and closed")
        [link] = store.iter_links(annotator="gold")
        assert (link.attributes["sources"], link.attributes["certainty"], link.note) == (
            3, "hedged", "theo ba nguồn"
        )  # fmt: skip
        assert link.attributes["provenance"]  # what review recorded stays
        await pilot.press("ctrl+z")
        await pilot.pause()
        [link] = store.iter_links(annotator="gold")
        assert (link.attributes["sources"], link.note) == (2, "")
