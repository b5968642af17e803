"""An annotator's queue in the app: assigned documents first, j opens the next undone
one, d on the last says the queue is finished, the status line counts, the picker marks
unassigned documents; and the Progress screen (% or the palette)."""

from __future__ import annotations

import html
import re

import pytest

from reader.core.assignment.queue import queue_of
from reader.core.corpus import read_corpus
from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from tests.helpers import CORPUS
from tests.tui.waiting import run_command, until

SIZE = (120, 36)
IDS = sorted(p.stem for p in CORPUS.glob("*.txt"))


def _screen_text(app) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def _said(app, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


@pytest.fixture
def team_store(db_path):
    """lan is assigned the 4th, 2nd and 5th documents; the 2nd is already done."""
    store = Store.open(db_path, annotator="lan")
    store.sync_documents(read_corpus(CORPUS))
    store.change_assignments(
        add=[(IDS[3], "lan"), (IDS[1], "lan"), (IDS[4], "lan"), (IDS[1], "minh")], via="test"
    )
    store.set_status(IDS[1], "done")
    yield store
    store.close()


def test_queue_orders_assigned_undone_then_done_then_the_rest(team_store):
    queue = queue_of(team_store)
    assert queue.assigned == (IDS[3], IDS[4], IDS[1])
    assert queue.others == (IDS[0], IDS[2])
    assert queue.summary() == "1 of 3 done"
    assert queue.next_undone(None) == IDS[3]
    assert queue.next_undone(IDS[3]) == IDS[4]
    assert queue.next_undone(IDS[4]) == IDS[3]
    assert queue_of(team_store, "hoa").active is False


async def test_the_app_opens_the_queue_and_j_d_walk_through_it(team_store):
    app = ReaderApp(team_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        views = list(app.screen.query(ArticleView))
        assert [v.document_id for v in views] == [IDS[3], IDS[4]]
        assert "1 of 3 done" in _screen_text(app)

        await pilot.press("d")  # the 4th document done
        await pilot.pause()
        assert team_store.status(IDS[3]) == "done"
        assert "2 of 3 done" in _screen_text(app)
        assert not _said(app, "queue is finished")

        await pilot.press("j")  # the next undone: the 5th
        await pilot.pause()
        assert views[0].document_id == IDS[4]
        await pilot.press("d")
        await pilot.pause()
        assert "3 of 3 done" in _screen_text(app)
        assert _said(app, "Your queue is finished: 3 of 3 done")

        await pilot.press("j")
        await pilot.pause()
        assert views[0].document_id == IDS[4]  # nothing left to open
        assert _said(app, "Your queue is finished")


async def test_the_picker_lists_the_queue_first_and_marks_unassigned_documents(team_store):
    app = ReaderApp(team_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        options = app.screen.query_one("#picker-list")
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [line.split()[0] for line in shown] == [IDS[3], IDS[4], IDS[1], IDS[0], IDS[2]]
        assert "to do" in shown[0] and "✔ done" in shown[2]
        assert all("not assigned" in line for line in shown[3:])
        assert not any("not assigned" in line for line in shown[:3])
        await pilot.press("escape")


async def test_without_assignments_nothing_changes_and_j_says_so(corpus_store):
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [v.document_id for v in app.screen.query(ArticleView)] == IDS[:2]
        assert " done " not in _screen_text(app).split("annotator", 1)[1].splitlines()[0]
        await pilot.press("j")
        await pilot.pause()
        assert _said(app, "No documents are assigned to you")


async def test_progress_screen_opens_with_percent_and_from_the_palette(team_store):
    from reader.tui.screens.progress import ProgressScreen

    app = ReaderApp(team_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("percent_sign")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        text = _screen_text(app)
        assert "Done per annotator" in text and "1 of 3 done" in text and "0 of 1 done" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProgressScreen)
        await run_command(pilot, "Progress")
        await until(pilot, lambda: isinstance(app.screen, ProgressScreen), "the progress screen")
