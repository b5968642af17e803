"""`u` shows every recommender's suggestions, and the status line names the one at the
cursor and its source (issue 19, item 4)."""

from __future__ import annotations

from textual.widgets import Static

from reader.tui.app import ReaderApp
from tests.tui.test_assist import SIZE, first_pane_on
from tests.tui.waiting import until


def status(app) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_status_names_the_source_of_the_suggestion_at_the_cursor(corpus_store):
    doc = "003_e2589d88276cfd6c"
    text = corpus_store.document(doc).text
    first = text.index("các bên kiềm chế")
    corpus_store.create(doc, first, first + len("các bên kiềm chế"), "attribution")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await first_pane_on(app, pilot, doc)
        await pilot.press("u")
        await until(pilot, lambda: screen.assist.learned is not None, "the recommenders trained")
        view.move_to(text.index("các bên kiềm chế", first + 1) + 2)
        await pilot.pause()
        assert "suggestion: attribution from strings (1.00)" in status(app)
        view.move_to(text.index("Chúng tôi coi") + 2)  # a quotation the lexer proposes
        await pilot.pause()
        assert "suggestion: attribution from lexer" in status(app)
        view.move_to(0)
        await pilot.pause()
        assert "suggestion:" not in status(app)
        await pilot.press("u")  # hidden: the status line says nothing of suggestions
        view.move_to(text.index("Chúng tôi coi") + 2)
        await pilot.pause()
        assert "suggestion:" not in status(app)
