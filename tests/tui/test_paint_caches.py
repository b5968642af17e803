"""The view's drawing caches follow every change: what is drawn equals a fresh drawing.

ArticleView keeps finished rows, each block's stacked spans and their styles, keyed by
what they depend on (``reader.tui.article_paint``). After each way the drawing can
change (a tag, an undo, ``o`` both ways, another program's write, a resize, a theme),
the rows on screen must be exactly what the same view draws with every cache empty,
and the changed span must show (or not) where it is.
"""

from __future__ import annotations

from textual.cache import LRUCache

from reader.core.corpus import read_corpus
from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from tests.helpers import CORPUS
from tests.tui.waiting import until


def screen_rows(view: ArticleView) -> list[list[tuple]]:
    height = view.scrollable_content_region.height
    return [[(seg.text, seg.style) for seg in view.render_line(y)] for y in range(height)]


def fresh_rows(view: ArticleView) -> list[list[tuple]]:
    """The same rows drawn with every drawing cache of the view empty."""
    kept = view._strips, view._block_marks, view._block_styles
    view._strips, view._block_marks, view._block_styles = (LRUCache(1024), LRUCache(256),
                                                           LRUCache(256))  # fmt: skip
    try:
        return screen_rows(view)
    finally:
        view._strips, view._block_marks, view._block_styles = kept


def fill_at(view: ArticleView, offset: int):
    """The background drawn on the cell of ``offset`` (plain text rows: a cell a code point)."""
    layout = view._layout
    block, row = layout.position(offset)
    y = layout.y_of(block, row) - round(view.scroll_y)
    start = layout.row_span(block, row)[0]
    cells = offset - start + view._gutter_cells
    for seg in view.render_line(y):
        if cells < len(seg.text):
            return seg.style.bgcolor
        cells -= len(seg.text)
    raise AssertionError(f"offset {offset} is not drawn")


async def test_every_change_is_drawn_as_a_fresh_drawing_would(db_path):
    other = Store.open(db_path, annotator="binh")
    other.sync_documents(read_corpus(CORPUS))
    doc = other.documents()[0].id
    text = other.document(doc).text
    first_word = text.index(" ") + 1  # binh's span: the second word
    theirs = other.create(doc, first_word, text.index(" ", first_word), "casualty")
    store = Store.open(db_path, annotator="lan")
    app = ReaderApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        view = app.screen.query(ArticleView).first()
        base = fill_at(view, theirs.start + 1)

        def check(where: int, filled: bool) -> None:
            assert screen_rows(view) == fresh_rows(view)
            assert (fill_at(view, where) != base) is filled

        check(theirs.start + 1, False)  # blind: binh's span is not drawn
        await pilot.press("2")  # tags the first word, under the cursor
        await pilot.pause()
        check(1, True)
        await pilot.press("ctrl+z")
        await pilot.pause()
        check(1, False)
        await pilot.press("o")
        await pilot.pause()
        check(theirs.start + 1, True)
        await pilot.press("o")
        await pilot.pause()
        check(theirs.start + 1, False)
        await pilot.press("o")
        await pilot.pause()
        later = text.index(" ", theirs.end + 1) + 1  # another program tags the next word
        other.create(doc, later, text.index(" ", later), "casualty")
        check(later, False)
        # the screen looks for other writers every second (WATCH_SECONDS)
        await until(pilot, lambda: fill_at(view, later) != base, "the other program's tag drawn")
        check(later, True)
        await pilot.resize_terminal(70, 24)
        await pilot.pause()
        check(later, True)
        check(theirs.start + 1, True)
        before = fill_at(view, later)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        check(later, True)
        assert fill_at(view, later) != before  # another annotator's fill follows the theme
    other.close()
    store.close()
