"""A second app of the same annotator shows what the first one saves (issue 13, finding 10).

Two terminals on one database, both as ``lan``: tags made in one never appeared in the
other, and its counts stayed wrong. Here the "other app" is a second connection writing
as the same annotator while the app runs; the app must show its tags, and their removal.
"""

from __future__ import annotations

from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.tui.waiting import until

SIZE = (120, 36)


async def test_tags_saved_by_another_app_of_the_same_annotator_show_and_count(corpus_store):
    app = ReaderApp(corpus_store)
    other = Store.open(corpus_store.path, annotator="lan")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            pane = app.screen.pane
            assert pane.spans.mine_total() == 0
            made = other.create(pane.document_id, 0, 4, "casualty")
            await until(pilot, lambda: pane.spans.mine_total() == 1, "the other app's tag shown")
            assert pane.view.annotation_at(1) == made.id
            assert "Casualty data: 1" in str(app.screen.query_one("#status").render())
            other.delete(made.id)
            await until(pilot, lambda: pane.spans.mine_total() == 0, "its removal shown")
            assert pane.view.annotation_at(1) is None
    finally:
        other.close()
