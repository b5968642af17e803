"""The codebook in the app: `?` lists labels, attributes and values with their meaning,
the palette finds fields by what they record ("number", "count", "technique"), and with
`o` on the status line says whose the other spans at the cursor are."""

from __future__ import annotations

import html
import re

from textual.command import CommandPalette
from textual.widgets import Input, OptionList, Static

from reader.core.store import Store
from reader.core.tagging import tag
from reader.tui.app import ReaderApp
from reader.tui.screens.help import HelpScreen
from tests.helpers import VIETNAMESE, make_document

SIZE = (120, 36)


def screen_text(app) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


async def palette_titles(app, pilot, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(Input).value = query
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    await pilot.pause(0.2)
    options = palette.query_one(OptionList)
    titles = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return titles


async def test_help_has_a_labels_section_with_every_description(corpus_store):
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.screen.sections)
        rows = dict(sections["Labels (reader schema prints them)"])
        assert rows["2 casualty"].startswith("A statement of how many people")
        assert "UCDP-style best estimate" in rows["  value_best"]
        assert rows["    at_least"].startswith("A floor")
        assert rows["    Whataboutism"].startswith("Deflects criticism")


async def test_the_palette_finds_fields_by_what_they_record(corpus_store):
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for query, wanted in (
            ("number", "Edit value_best (Casualty data)"),
            ("count", "Edit value_low (Casualty data)"),
            ("value", "Edit value_high (Casualty data)"),
            ("technique", "Edit technique (Propaganda claim)"),
            ("source", "Edit source (Attribution)"),
        ):
            titles = await palette_titles(app, pilot, query)
            assert any(wanted in t for t in titles), (query, titles)


async def test_a_field_from_the_palette_opens_the_editor_on_it(corpus_store):
    doc = corpus_store.documents()[0].id
    text = corpus_store.document(doc).text
    start = text.index("164 người thiệt mạng")
    tag(corpus_store, doc, text, start, (start, start + len("164 người thiệt mạng")), "casualty")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Edit technique", "enter")  # the cursor is on no propaganda span
        await pilot.pause()
        assert type(app.screen).__name__ == "AnnotateScreen"
        app.screen.pane.view.move_to(start + 1)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Edit value_high", "enter")
        await pilot.pause()
        editor = app.screen
        assert type(editor).__name__ == "AttributeEditor"
        assert editor.focused.id == "attr-value_high"


async def test_with_others_shown_the_status_line_names_their_spans_at_the_cursor(db_path):
    for name, best in (("binh", 160), ("chi", None)):
        with Store.open(db_path, annotator=name) as other:
            other.sync_documents([make_document("vn1", VIETNAMESE)])
            text = other.document("vn1").text
            start = text.index("164 người")
            attributes = {"outcome": "killed"} | ({"value_best": best} if best else {})
            other.create("vn1", start, start + 9, "casualty", attributes=attributes)
    store = Store.open(db_path, annotator="lan")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.pane.view
        view.move_to(start + 2)
        await pilot.pause()
        status = str(app.screen.query_one("#status", Static).render())
        assert "binh" not in status  # blind by default
        await pilot.press("o")
        await pilot.pause()
        status = str(app.screen.query_one("#status", Static).render())
        assert "binh: casualty outcome=killed value_best=160" in status
        assert "chi: casualty outcome=killed" in status
        view.move_to(0)
        await pilot.pause()
        assert "binh" not in str(app.screen.query_one("#status", Static).render())
    store.close()
