"""Making, seeing, following and removing links in the app, by keyboard and mouse; the
Claims screen. Driven as a person would, then checked in the database and on screen."""

from __future__ import annotations

import html
import re

import pytest

from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from tests.helpers import make_document
from tests.tui.review_pilot import open_review

SIZE = (120, 36)
ONE = "Theo Bộ Y tế, 164 người thiệt mạng ở Almaty 😢.\nNgày hôm sau, 170 người chết.\n"
TWO = "RIA Novosti: 164 người thiệt mạng trong bạo loạn.\n"


def screen_text(app) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def at(store: Store, doc: str, words: str, label: str, **attributes):
    text = store.document(doc).text
    start = text.index(words)
    return store.create(doc, start, start + len(words), label, attributes=attributes)


@pytest.fixture
def spans(store: Store):
    store.sync_documents([make_document("one", ONE), make_document("two", TWO)])
    made = {
        "who": at(store, "one", "Theo Bộ Y tế", "attribution", source="Bộ Y tế"),
        "one": at(store, "one", "164 người thiệt mạng", "casualty", outcome="killed",
                  victim_group="civilians", value_best=164),
        "two": at(store, "two", "164 người thiệt mạng", "casualty", outcome="killed",
                  victim_group="civilians", value_best=164),
        "later": at(store, "one", "170 người chết", "casualty", outcome="killed",
                    victim_group="civilians", value_best=170),
    }  # fmt: skip
    return store, made


def views(app) -> list[ArticleView]:
    return list(app.screen.query(ArticleView))


async def test_k_then_enter_links_two_spans_of_one_pane(spans):
    store, made = spans
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        first = views(app)[0]
        first.move_to(made["who"].start + 2)
        await pilot.press("k")
        await pilot.pause()
        assert "linking from 'Theo Bộ Y tế'" in screen_text(app)
        first.move_to(made["one"].start + 1)
        await pilot.press("enter")  # one type fits: no question
        await pilot.pause()
        [link] = store.iter_links()
        assert (link.type, link.source, link.target) == (
            "source_of",
            made["who"].id,
            made["one"].id,
        )
        assert "links: source_of ← 'Theo Bộ Y tế'" in screen_text(app)
        first.move_to(made["who"].start)
        await pilot.pause()
        assert "links: source_of → '164 người thiệt mạng'" in screen_text(app)


async def test_a_link_across_panes_asks_which_type_when_several_fit(spans):
    store, made = spans
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        first, second = views(app)
        first.move_to(made["one"].start)
        await pilot.press("k", "tab")
        second.move_to(made["two"].start + 3)
        await pilot.press("enter")
        await pilot.pause()
        assert "Which link?" in screen_text(app)  # same_claim and contradicts both fit
        await pilot.press("=")
        await pilot.pause()
        [link] = store.iter_links()
        assert link.type == "same_claim"
        assert {link.source, link.target} == {made["one"].id, made["two"].id}
        # f follows the link to its other end, in the pane that shows it.
        await pilot.press("f")
        await pilot.pause()
        assert app.focused is first and first.cursor == made["one"].start
        assert "(two)" in screen_text(app)  # the other end's document is named


async def test_no_fitting_type_is_said_and_nothing_is_made(spans):
    store, made = spans
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        first, second = views(app)
        first.move_to(made["who"].start)
        await pilot.press("k", "tab")
        second.move_to(made["two"].start)
        await pilot.press("enter")
        await pilot.pause()
        assert any(
            "No link type joins attribution and casualty across documents" in str(n.message)
            for n in app._notifications
        )
    assert list(store.iter_links()) == []


async def test_the_link_list_follows_and_removes_and_undo_brings_it_back(spans):
    store, made = spans
    store.create_link(made["who"].id, made["one"].id, "source_of")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        first = views(app)[0]
        first.move_to(made["one"].start)
        await pilot.press("L")
        await pilot.pause()
        assert "Links of 164 người thiệt mạng" in screen_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert list(store.iter_links()) == []
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(list(store.iter_links())) == 1
        await pilot.press("L", "enter")
        await pilot.pause()
        assert first.cursor == made["who"].start


async def test_the_mouse_links_ctrl_click_one_end_then_click_the_other(spans):
    store, made = spans
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(ArticleView, offset=(2, 0), control=True)  # on "Theo Bộ Y tế"
        await pilot.pause()
        assert "linking from" in screen_text(app)
        await pilot.click(ArticleView, offset=(16, 0))  # on "164 người thiệt mạng"
        await pilot.pause()
    [link] = store.iter_links()
    assert (link.source, link.target) == (made["who"].id, made["one"].id)


async def test_the_claims_screen_shows_figures_and_enter_goes_to_a_claim(spans):
    store, made = spans
    store.create_link(made["who"].id, made["one"].id, "source_of")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("C")
        await pilot.pause()
        shown = screen_text(app)
        assert "Claims in one, two by lan: 3" in shown
        assert "figures differ" in shown  # one says 164 and 170, two says 164
        assert "Bộ Y tế" in shown
        await pilot.press("down", "enter")  # the second claim: 170 in one
        await pilot.pause()
        assert views(app)[0].cursor == made["later"].start


async def test_review_lists_link_disagreements_and_settles_one_into_gold(store):
    from tests.helpers import VIETNAMESE

    store.sync_documents([make_document("vn1", VIETNAMESE)])
    minh = Store.open(store.path, annotator="minh")
    for s in (store, minh):
        who = at(s, "vn1", "Theo Bộ Y tế", "attribution")
        figure = at(s, "vn1", "164 người thiệt mạng", "casualty")
        if s is store:  # only lan links them
            store.create_link(who.id, figure.id, "source_of")
    minh.close()
    app = ReaderApp(store)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("k")
        await pilot.pause()
        assert "A·  source_of 'Theo Bộ Y tế' → '164 người thiệt mạng'" in screen_text(app)
        assert list(store.iter_annotations(annotator="gold")) == []
        await pilot.press("enter")  # both spans agree: copied to gold along with the link
        await pilot.pause()
    [link] = store.iter_links(annotator="gold")
    assert (link.type, link.origin) == ("source_of", "adjudicated")
    assert store.annotation(link.source).text == "Theo Bộ Y tế"
    assert store.annotation(link.target).annotator == "gold"


async def test_a_suggested_link_is_named_and_plus_accepts_it_minus_rejects(spans):
    store, made = spans
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        first = views(app)[0]
        await pilot.press("u")  # suggestions on
        first.move_to(made["who"].start)
        await pilot.pause()
        assert "suggested link: source_of '164 người thiệt mạng'" in screen_text(app)
        await pilot.press("+")
        await pilot.pause()
        [link] = store.iter_links()
        assert (link.type, link.origin, link.target) == ("source_of", "suggested", made["one"].id)
        # 164 killed in one and in two: the same claim retold, proposed; - rejects it.
        first.move_to(made["one"].start)
        await pilot.pause()
        assert "suggested link: same_claim" in screen_text(app)
        await pilot.press("-")
        await pilot.pause()
        assert "suggested link" not in screen_text(app)
    assert [l.type for l in store.iter_links()] == ["source_of"]


def shown(app, words: str) -> bool:
    """A toast says ``words``, drawn as the screen draws it (a message read as markup
    raised MarkupError there and stopped the app)."""
    return any(words in str(toast.render()) for toast in app.screen.query("Toast"))


async def test_a_link_type_name_that_reads_as_markup_is_shown_as_written(spans):
    """A link type an import added (--add-labels) is any printable name: "[/x]" in a
    notification parsed as markup stopped the app with a MarkupError."""
    store, made = spans
    with store.conn:
        store.conn.execute(
            "INSERT INTO extra_link_types VALUES ('[/x]', '2026-01-08T09:30:00+00:00')"
        )
    store.schema = store._schema_with_extra_labels()
    store.create_link(made["who"].id, made["one"].id, "[/x]")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        views(app)[0].move_to(made["one"].start)
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert shown(app, "Removed the [/x] link")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert shown(app, "Undo done: the [/x] link is back")
        assert len(list(store.iter_links())) == 1
