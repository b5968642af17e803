"""Suggestions and shared passages in the app: nothing counts until accepted or copied."""

from __future__ import annotations

import json

from click.testing import CliRunner

from reader.cli import cli
from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from tests.tui.waiting import aligned

SIZE = (120, 36)


async def first_pane_on(app, pilot, document_id: str):
    """(screen, view) once passages are aligned and the first pane shows ``document_id``."""
    await aligned(pilot)
    screen = app.screen
    screen.open_document(screen.panes[0], document_id)
    return screen, screen.panes[0].view


async def test_accepting_a_suggestion_commits_it_and_rejecting_hides_it(corpus_store, db_path):
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await aligned(pilot)
        view = app.screen.query(ArticleView).first()
        text = view.text
        view.move_to(text.index("164 người thiệt mạng") + 3)
        await pilot.press("plus")  # suggestions hidden: nothing to accept
        await pilot.pause()
        assert list(corpus_store.iter_annotations()) == []
        await pilot.press("u", "plus")
        await pilot.pause()
        view.move_to(text.index("bắt giữ khoảng 4.500") + 2)
        await pilot.press("minus")
        await pilot.pause()
        assert not any(
            h[0].startswith("suggestion:") and h[1] == text.index("bắt giữ khoảng 4.500")
            for h in view.hints_at(text.index("bắt giữ khoảng 4.500") + 2)
        )
    [ann] = list(corpus_store.iter_annotations())
    start = text.index("164 người thiệt mạng")
    assert (ann.start, ann.end, ann.origin, ann.label) == (
        start,
        start + 20,
        "suggested",
        "casualty",
    )
    assert ann.attributes["value_best"] == 164 and ann.attributes["outcome"] == "killed"
    export = CliRunner().invoke(cli, ["export", "--db", str(db_path), "--format", "jsonl"])
    lines = [json.loads(line) for line in export.stdout.splitlines() if line.strip()]
    assert [line["origin"] for line in lines] == ["suggested"]  # only accepted ones export
    rejected = json.loads(
        CliRunner()
        .invoke(cli, ["suggest", "--db", str(db_path), "--annotator", "lan", "--json"])
        .stdout
    )
    assert all(s["text"] != "bắt giữ khoảng 4.500 kẻ bạo loạn" for s in rejected)


async def test_shared_passage_opens_its_counterpart_and_propagates_exact_offsets(corpus_store):
    ids = [d.id for d in corpus_store.documents()]
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await first_pane_on(app, pilot, ids[3])
        assert view.gutter_at(2805)  # the side mark
        view.select_range(2800, 2816)
        await pilot.press("3")
        await pilot.pause()
        view.move_to(2805)
        await pilot.press("c")
        await pilot.pause()
        assert screen.panes[1].document_id == ids[4]
        assert screen.panes[1].view.selection == (79, 147)
        await pilot.press("P")
        await pilot.pause()
    copied = list(corpus_store.iter_annotations(document=ids[4]))
    assert [(a.start, a.end, a.text, a.origin, a.label) for a in copied] == [
        (131, 147, "khủng bố quốc tế", "propagated", "attribution")
    ]


async def test_lexer_highlights_toggle_without_creating_annotations(corpus_store):
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await aligned(pilot)
        view = app.screen.query(ArticleView).first()
        offset = view.text.index("4.500") + 1
        assert view.hints_at(offset) == []
        await pilot.press("t")
        await pilot.pause()
        assert [h[0] for h in view.hints_at(offset)] == ["token:number"]
        view.move_to(offset)
        await pilot.press("1")  # tagging still tags the word, not the token
        await pilot.pause()
    assert [a.text for a in corpus_store.iter_annotations()] == ["4.500"]


async def test_c_anywhere_on_a_marked_row_opens_the_passage_on_it(corpus_store):
    """The ▌ mark covers the whole row; the passage may begin mid-row."""
    ids = [d.id for d in corpus_store.documents()]
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await first_pane_on(app, pilot, ids[3])
        passages = screen.assist.passages
        outside = None
        for passage in passages.for_document(ids[3]):
            for edge in (passage.a.start, passage.a.end):
                view.move_to(edge)
                for offset in range(*view.cursor_row()):
                    if not passages.at(ids[3], offset):
                        outside = offset
                        break
                if outside is not None:
                    break
            if outside is not None:
                break
        assert outside is not None  # a marked row with text outside every passage
        view.move_to(outside)
        on_row = passages.overlapping(ids[3], *view.cursor_row())
        await pilot.press("c")
        await pilot.pause()
        assert screen.panes[1].document_id == on_row[0].b.document
        assert screen.panes[1].view.selection == (on_row[0].b.start, on_row[0].b.end)
