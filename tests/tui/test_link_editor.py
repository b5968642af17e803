"""A link's attributes (those a team's schema declares for its type) and note, edited
from the link list (L, then e) with the span editor's form; checked in the database."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static, TextArea

from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.helpers import VIETNAMESE, link_schema, make_document

SMALL = (80, 24)


def at(store: Store, words: str, label: str):
    start = store.document("vn1").text.index(words)
    return store.create("vn1", start, start + len(words), label)


def team_schema_store(db_path):
    """lan's store under the default schema plus ``LINK_ATTRIBUTES``: a source_of link
    from "Theo Bộ Y tế" to the figure. Returns (store, figure, link)."""
    store = Store.open(db_path, link_schema(), annotator="lan")
    store.sync_documents([make_document("vn1", VIETNAMESE)])
    who = at(store, "Theo Bộ Y tế", "attribution")
    figure = at(store, "164 người thiệt mạng", "casualty")
    return store, figure, store.create_link(who.id, figure.id, "source_of")


@pytest.fixture
def linked(db_path):
    store, figure, link = team_schema_store(db_path)
    yield store, figure, link
    store.close()


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def press_l_e(app, pilot, offset: int):
    """The cursor on ``offset``, L, then e on the first link listed."""
    await pilot.pause()
    app.screen.pane.view.move_to(offset)
    await pilot.press("L")
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    return app.screen


async def open_link_editor(app, pilot, figure):
    editor = await press_l_e(app, pilot, figure.start + 2)
    assert type(editor).__name__ == "AttributeEditor"
    return editor


async def test_l_then_e_edits_a_links_attributes_and_note_and_undo_reverts_it(linked):
    store, figure, link = linked
    app = ReaderApp(store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_link_editor(app, pilot, figure)
        assert shown(editor, "#editor-span") == (
            " Source of  '164 người thiệt mạng' ← 'Theo Bộ Y tế'"
        )
        assert "certainty: Whether the text attributes" in shown(editor, "#field-help")
        await pilot.press("enter", "down", "down", "enter")  # the Select: blank, sure, hedged
        await pilot.pause()
        assert editor.query_one("#attr-certainty", Select).value == "hedged"
        count = editor.query_one("#attr-sources", Input)
        count.focus()
        await pilot.press(*"hai")  # numbers as written
        await pilot.pause()
        assert shown(editor, "#parsed-sources") == "= 2"
        await pilot.press("ctrl+n", *"theo một quan chức")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not editor
        saved = store.link(link.id)
        assert dict(saved.attributes) == {"certainty": "hedged", "sources": 2}
        assert saved.note == "theo một quan chức"
        await pilot.press("ctrl+z")  # one change, one undo
        await pilot.pause()
        assert dict(store.link(link.id).attributes) == {} and store.link(link.id).note == ""


async def test_a_value_the_link_type_refuses_keeps_the_form_open_and_saves_nothing(linked):
    store, figure, link = linked
    app = ReaderApp(store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_link_editor(app, pilot, figure)
        count = editor.query_one("#attr-sources", Input)
        count.focus()
        await pilot.press("0")  # below the type's minimum of 1
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor and editor.focused is count
        assert "sources" in shown(editor, "#editor-error")
        assert isinstance(editor.query_one("#note"), TextArea)
    assert dict(store.link(link.id).attributes) == {}


async def test_another_annotators_link_is_not_edited(linked):
    store, _, _ = linked
    minh = Store.open(store.path, store.schema, annotator="minh")
    who = at(minh, "Ông Tokayev nói", "attribution")
    claim = at(minh, "Trật tự đã được khôi phục", "propaganda")
    theirs = minh.create_link(who.id, claim.id, "source_of")
    minh.close()
    app = ReaderApp(store)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("o")  # others' spans shown
        await pilot.pause()
        assert type(await press_l_e(app, pilot, claim.start + 2)).__name__ != "AttributeEditor"
        assert any("That link is minh's" in str(n.message) for n in app._notifications)
    assert store.link(theirs.id).updated_at == theirs.updated_at
