"""The codebook in the app: `?` lists labels, attributes and values with their meaning,
the palette finds fields by what they record ("number", "count", "technique"), and with
`o` on the status line says whose the other spans at the cursor are."""

from __future__ import annotations

import html
import re

from textual.widgets import Input, Static

from reader.core.store import Store
from reader.core.tagging import tag
from reader.tui.app import ReaderApp
from reader.tui.screens.help import HelpScreen
from tests.helpers import VIETNAMESE, make_document
from tests.tui.waiting import open_palette, palette_titles, run_command, until

SIZE = (120, 36)


def screen_text(app) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


async def palette_lists(pilot, query: str, wanted: str) -> None:
    """Type ``query`` in the palette and wait for a command titled ``wanted`` (it
    searches in a worker)."""
    palette = await open_palette(pilot)
    palette.query_one(Input).value = query
    await until(
        pilot,
        lambda: any(wanted in title for title in palette_titles(palette)),
        lambda: f"{wanted!r} for {query!r} (listed: {palette_titles(palette)})",
    )
    await pilot.press("escape")


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
            await palette_lists(pilot, query, wanted)


async def test_a_field_from_the_palette_opens_the_editor_on_it(corpus_store):
    doc = corpus_store.documents()[0].id
    text = corpus_store.document(doc).text
    start = text.index("164 người thiệt mạng")
    tag(corpus_store, doc, text, start, (start, start + len("164 người thiệt mạng")), "casualty")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "Edit technique")  # the cursor is on no propaganda span
        refused = "Put the cursor on your Propaganda claim annotation to edit its technique"
        await until(
            pilot, lambda: any(refused in str(n.message) for n in app._notifications), refused
        )
        assert type(app.screen).__name__ == "AnnotateScreen"
        app.screen.pane.view.move_to(start + 1)
        await run_command(pilot, "Edit value_high")
        await until(
            pilot, lambda: type(app.screen).__name__ == "AttributeEditor", "the attribute editor"
        )
        assert app.screen.focused.id == "attr-value_high"


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
