"""n/N in review step through every disagreement of a document in text order, span and
link ones alike; Enter puts a link disagreement in gold, as under k, and the decision
keys decide it (a side that made it keeps it, 0 leaves it out). Driven by keys, then
checked on screen and in the database."""

from __future__ import annotations

import html
import re

import pytest

from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.helpers import VIETNAMESE, make_document
from tests.tui.review_pilot import open_review


def screen_text(app) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def at(store: Store, words: str, label: str):
    start = store.document("vn1").text.index(words)
    return store.create("vn1", start, start + len(words), label)


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def both_kinds(store: Store):
    """lan and minh agree on two spans; a span only lan has (line 1), a link only lan
    made between the agreed spans (placed at its later end, line 2), a span only minh
    has (line 3)."""
    store.sync_documents([make_document("vn1", VIETNAMESE)])
    minh = Store.open(store.path, annotator="minh")
    for s in (store, minh):
        who = at(s, "Theo Bộ Y tế", "attribution")
        figure = at(s, "164 người thiệt mạng", "casualty")
        if s is store:  # only lan links them
            store.create_link(who.id, figure.id, "source_of")
    at(store, "4.500 kẻ bạo loạn", "casualty")
    at(minh, "Ông Tokayev nói", "attribution")
    minh.close()
    return store


async def test_n_and_N_step_through_span_and_link_disagreements_and_enter_settles_a_link(
    both_kinds,
):
    store = both_kinds
    app = ReaderApp(store)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_review(app, pilot)
        assert [i.kind for i in screen.items] == ["only_in_a", "link", "only_in_b"]
        shown = screen_text(app)
        assert "1/3  only in lan" in shown
        assert "2 of 2 disagreements remain, 1 of 1 link open" in shown
        await pilot.press("n")
        await pilot.pause()
        shown = screen_text(app)
        assert "2/3  link source_of 'Theo Bộ Y tế' → '164 người thiệt mạng', only in lan" in shown
        assert "enter: into gold, 0: leave out" in shown
        assert "made it" in shown and "did not" in shown  # A's and B's pane titles
        view = screen.panes[0].view
        assert view.text[slice(*sorted(view.selection))] == "164 người thiệt mạng"  # later end
        await pilot.press("n")
        await pilot.pause()
        assert "3/3  only in minh" in screen_text(app)
        await pilot.press("N")
        await pilot.pause()
        assert "2/3  link source_of" in screen_text(app)
        # Gold lacks its ends, which both annotators made alike: enter copies them along.
        await pilot.press("enter")
        await pilot.pause()
        assert "3/3  only in minh" in screen_text(app)
        assert sorted(a.text for a in store.iter_annotations(annotator="gold")) == [
            "164 người thiệt mạng", "Theo Bộ Y tế",
        ]  # fmt: skip
        assert len(list(store.iter_links(annotator="gold"))) == 1
        await pilot.press("ctrl+z")  # one decision, one undo: the link and both spans
        await pilot.pause()
        assert list(store.iter_links(annotator="gold")) == []
        assert list(store.iter_annotations(annotator="gold")) == []
        assert "1 of 1 link open" in screen_text(app)
        await pilot.press("m")  # the two agreed spans into gold, then the link alone
        await pilot.pause()
        await pilot.press("N")
        await pilot.pause()
        assert "2/3  link source_of" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "3/3  only in minh" in screen_text(app)  # on to the next open one
        [link] = store.iter_links(annotator="gold")
        assert (link.type, link.origin) == ("source_of", "adjudicated")
        assert store.annotation(link.source).text == "Theo Bộ Y tế"
        assert "0 of 1 link open" in screen_text(app)
        await pilot.press("N")
        await pilot.pause()
        shown = screen_text(app)
        assert "link: in gold" in shown and "settled" in shown
        await pilot.press("0")  # neither: gold's copy is deleted on purpose
        await pilot.pause()
        assert "3/3  only in minh" in screen_text(app)
        assert list(store.iter_links(annotator="gold")) == []
        [tombstone] = store.iter_links(annotator="gold", include_deleted=True)
        assert tombstone.deleted_at is not None
        assert "0 of 1 link open" in screen_text(app)  # left out is settled too
        await pilot.press("N")
        await pilot.pause()
        assert "link: left out of gold" in screen_text(app)
        await pilot.press("ctrl+z", "ctrl+z")  # undo: back in gold, then out of it
        await pilot.pause()
        assert list(store.iter_links(annotator="gold")) == []
        assert "1 of 1 link open" in screen_text(app)
        await pilot.press("a")  # lan's side: lan made it, so gold keeps it
        await pilot.pause()
        [link] = store.iter_links(annotator="gold")
        assert link.type == "source_of"
        await pilot.press("k")  # the list under k is as it was
        await pilot.pause()
        assert "A·  source_of 'Theo Bộ Y tế' → '164 người thiệt mạng'" in screen_text(app)


async def test_rejecting_a_span_settles_the_links_only_its_annotator_made_from_it(store: Store):
    """lan alone tags "Ông Tokayev nói" and links it to the figure both tagged: 0 on the
    span leaves it out of gold, and its link with it; nothing is linked in gold."""
    store.sync_documents([make_document("vn1", VIETNAMESE)])
    minh = Store.open(store.path, annotator="minh")
    at(minh, "164 người thiệt mạng", "casualty")
    minh.close()
    figure = at(store, "164 người thiệt mạng", "casualty")
    who = at(store, "Ông Tokayev nói", "attribution")
    store.create_link(who.id, figure.id, "source_of")
    app = ReaderApp(store)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_review(app, pilot)
        # the link at its later end, after the span there: the span is decided first
        assert [i.kind for i in screen.items] == ["only_in_a", "link"]
        assert "1 of 1 disagreements remain, 1 of 1 link open" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        [row] = app.screen.rows
        assert (row.disagreements, row.remaining) == (2, 2)  # the span and the link
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("0")
        await pilot.pause()
        shown = screen_text(app)
        assert "0 of 1 disagreements remain, 0 of 1 link open" in shown
        await pilot.press("N")
        await pilot.pause()
        assert "link: its span left out of gold" in screen_text(app)
        await pilot.press("escape")  # the review table counts the link among what is done
        await pilot.pause()
        [row] = app.screen.rows
        assert (row.disagreements, row.remaining) == (2, 0)
        assert "0 disagreements remain in 0 documents" in screen_text(app)
    assert list(store.iter_links(annotator="gold", include_deleted=True)) == []
