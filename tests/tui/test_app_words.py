"""Words in the app (issue 19, item 1): the segmenter loads in the background after the
first paint, and then `w`, ctrl+left/right, double click and a label key on the word
under the cursor all take Vietnamese words."""

from __future__ import annotations

import pytest

from reader.core.segments import words_state
from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from reader.tui.screens.annotate import AnnotateScreen
from tests.tui.test_article_view import ViewApp, app_view
from tests.tui.waiting import until

SIZE = (120, 36)


async def test_the_app_loads_words_in_the_background_and_w_selects_a_word(
    corpus_store, monkeypatch
):
    pytest.importorskip("underthesea")
    monkeypatch.delenv("READER_WORDS")
    doc = corpus_store.documents()[0].id
    text = corpus_store.document(doc).text
    start = text.index("chính trị gia")
    app = ReaderApp(corpus_store)
    display = app._display
    at_first_paint: list[str] = []  # read later, a slow machine may have loaded words by then

    def first_paint(screen, renderable) -> None:
        if not at_first_paint and isinstance(screen, AnnotateScreen) and renderable:
            at_first_paint.append(words_state())
        display(screen, renderable)

    app._display = first_paint  # each frame the app sends to its terminal
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: at_first_paint, "the first frame of the annotate screen")
        assert at_first_paint == ["syllables"]  # the first paint does not wait for it
        # it starts WORDS_DELAY after the first paint; importing underthesea takes a second
        await until(pilot, lambda: words_state() == "words", "the segmenter loaded", 60)
        view = app.screen.query(ArticleView).first()
        view.move_to(start + 2)
        await pilot.press("w")
        assert text[slice(*view.selection)] == "chính trị gia"
        await pilot.press("escape", "ctrl+left")
        assert view.cursor == start
        await pilot.press("ctrl+right")
        assert view.cursor == start + len("chính trị gia")
        view.move_to(text.index("bạo loạn") + 1)  # "… 4.500 kẻ bạo loạn"
        await pilot.press("2")
        await pilot.pause()
    [ann] = corpus_store.iter_annotations()
    assert ann.text == "bạo loạn" and ann.start == text.index("bạo loạn")


async def test_double_click_selects_the_whole_word(words):
    text = "Các chính trị gia nước ngoài lên tiếng."
    async with ViewApp(text).run_test(size=(80, 4)) as pilot:
        view = app_view(pilot)
        await pilot.double_click(ArticleView, offset=(text.index("trị") + 1, 0))
        assert text[slice(*view.selection)] == "chính trị gia"
