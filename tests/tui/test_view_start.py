"""ArticleView drawing a big article's first screen from its start (``load(..., rest)``).

The first frame drawn from the start must be the frame of the whole text, and nothing
may act on the start alone: moves, search, scrolling and ``text`` take in the whole
text first, and drawing does whenever the start would not draw the same screen.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from reader.tui.screens import annotate
from reader.tui.screens.annotate import AnnotateScreen
from tests.helpers import make_document
from tests.tui.test_article_view import VI
from tests.tui.waiting import until

TEXT = "\n".join(f"{n}. {VI}" for n in range(3000)) + "\nCUỐI BÀI."
SIZE = (60, 20)


class StartApp(App):
    """One view, given ``TEXT`` whole or only its first ``start`` code points."""

    CSS = "ArticleView { padding: 0; scrollbar-size-vertical: 1; }"

    def __init__(self, start: int | None = None):
        super().__init__()
        self.start = start
        self.reads = 0
        self.first_frame: str | None = None
        self.read_before_first_frame: bool | None = None

    def compose(self) -> ComposeResult:
        yield ArticleView("", "doc", id="view")

    def on_mount(self) -> None:
        self.load()

    def load(self, start: int | None = None) -> ArticleView:
        view = self.query_one(ArticleView)
        start = self.start if start is None else start
        if start is None:
            view.load(TEXT, "doc")
        else:
            view.load(TEXT[:start], "doc", self.rest)
        return view

    def rest(self) -> str:
        self.reads += 1
        return TEXT

    def _display(self, screen, renderable) -> None:
        if renderable is not None and self.first_frame is None:
            self.read_before_first_frame = self.reads > 0
            self.first_frame = self.export_screenshot()
        super()._display(screen, renderable)


def rows(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def test_the_first_frame_from_the_start_is_the_whole_texts_first_frame():
    whole = StartApp()
    async with whole.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected, settled = whole.first_frame, whole.export_screenshot()
    app = StartApp(start=40_000)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert app.read_before_first_frame is False  # drawn from the start alone
        assert app.first_frame == expected  # text, cursor and scrollbar alike
        # the whole comes in a moment (WHOLE_TEXT_DELAY) after it, by itself
        await until(pilot, lambda: view._rest is None, "the whole text read after the first frame")
        assert app.reads == 1 and view.text == TEXT
        await until(
            pilot, lambda: app.export_screenshot() == settled, "the whole text's settled screen"
        )


async def test_a_start_too_short_for_the_screen_or_its_scrollbar_is_not_drawn_alone():
    whole = StartApp()
    async with whole.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected = whole.first_frame
    for start in (500, 5_000):  # fewer rows than the screen; too few for a full-size thumb
        app = StartApp(start=start)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.read_before_first_frame is True
            assert app.first_frame == expected


async def test_moves_search_and_scrolling_take_in_the_whole_text_first():
    app = StartApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = 40_000
        app.load(start).action_move("document", 1)
        assert app.query_one(ArticleView).cursor == len(TEXT)

        view = app.load(start)
        view.move_to(len(TEXT) - 3, extend=True)
        assert view.selection == (0, len(TEXT) - 3)

        view = app.load(start)
        view.set_search("cuối bài")
        assert view.next_match() and view.cursor == TEXT.index("CUỐI BÀI")

        view = app.load(start)
        assert view.previous_match() and view.cursor == TEXT.index("CUỐI BÀI")

        view = app.load(start)
        view.scroll_to_relative(1.0)
        await pilot.pause()
        assert rows(view)[-1].rstrip() == "CUỐI BÀI."

        view = app.load(start)
        view.scroll_y = 5  # a wheel or the scrollbar: drawing needs the whole text
        await pilot.pause()
        assert view.text == TEXT and rows(view)[0].strip()

        view = app.load(start)
        assert view.opening(20) == TEXT[:20]  # a title reads only what is there
        assert view.text == TEXT
        assert app.reads == 7


async def test_the_annotator_draws_a_big_article_from_its_start_and_tags_at_its_end(
    store: Store, monkeypatch
):
    monkeypatch.setattr(annotate, "OPENING", 150_000)  # bytes, of TEXT's ~350 KB
    store.sync_documents([make_document("big", TEXT), make_document("small", VI)])
    app = ReaderApp(store)
    started: list[list[bool]] = []  # at the first frame: which views had only a start
    display = app._display

    def watched(screen, renderable) -> None:
        if renderable is not None and not started and isinstance(screen, AnnotateScreen):
            started.append([view._rest is not None for view in screen.query(ArticleView)])
        display(screen, renderable)

    app._display = watched
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+end", "left", *["shift+left"] * 8, "2")
        await pilot.pause()
        view = app.screen.query(ArticleView).first()
        assert started == [[True, False]]  # the big one from its start, the small whole
        assert view.text == store.document("big").text
    [ann] = store.iter_annotations()
    assert (ann.start, ann.text, ann.label) == (TEXT.index("CUỐI BÀI"), "CUỐI BÀI", "casualty")
