"""ArticleView: wrapping by cells, exact offsets from keys and mouse, inert text.

The first half tests the pure layout (``reader.tui.wrap``) alone; the second drives
the widget with Pilot in a tiny app and reads back offsets and drawn rows.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult

from reader.core.text import is_grapheme_boundary
from reader.tui.article_view import AnnotationSpan, ArticleView
from reader.tui.layout import BLOCK, Layout, split_blocks
from reader.tui.wrap import (
    SIMPLE_RANGES,
    TAB_CELLS,
    _wrap_clusters,
    _wrap_simple,
    display,
    display_cluster,
    row_clusters,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
VI = "Lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 kẻ bạo loạn. Lãnh đạo bị bắt."


# -- the pure layout ------------------------------------------------------------------


def test_simple_ranges_are_single_cell_standalone_clusters():
    """The fast path counts code points as cells: every simple character must allow it."""
    for first, last in SIMPLE_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            assert cell_len(char) == 1, hex(code)
            assert regex.match(r"\p{Grapheme_Cluster_Break=Other}", char), hex(code)
            assert display(char) == char, hex(code)


def rows_of(layout: Layout) -> list[tuple[int, int]]:
    spans = []
    block = layout.first_block()
    while block is not None:
        for row in range(len(layout.wrap(block))):
            spans.append(layout.row_span(block, row))
        block = layout.next_block(block)
    return spans


def row_cells(text: str, start: int, end: int) -> int:
    """Cells of a row, not counting one space hanging into the cursor cell."""
    if end > start and text[end - 1] == " ":
        end -= 1
    return sum(c.cells for c in row_clusters(text, start, end))


def test_rows_fit_the_width_and_break_after_spaces():
    layout = Layout(VI, 20)
    rows = rows_of(layout)
    assert "".join(VI[s:e] for s, e in rows) == VI
    for start, end in rows:
        assert row_cells(VI, start, end) <= 19
        if end < len(VI):
            assert VI[end - 1] == " "  # every break falls after a space here
    assert [VI[s:e] for s, e in rows][:2] == ["Lực lượng an ninh ", "Kazakhstan bắt giữ "]


def test_wide_characters_take_two_cells_when_wrapping():
    text = "中文中文中文中文中文"  # 10 wide characters, 20 cells
    rows = rows_of(Layout(text, 9))  # 8 content cells per row: 4 characters
    assert [text[s:e] for s, e in rows] == ["中文中文", "中文中文", "中文"]


def test_combining_marks_take_no_cell_and_stay_with_their_letter():
    text = unicodedata.normalize("NFD", "Việt Nam Việt Nam")
    layout = Layout(text, 9)
    for start, end in rows_of(layout):
        assert row_cells(text, start, end) <= 8
        assert is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
    assert layout.x_of(text.index("Nam")) == (0, 0, 5)


def test_a_word_longer_than_the_row_is_cut_between_clusters():
    text = "x" + "e\u0301" * 30
    for start, end in rows_of(Layout(text, 8)):
        assert is_grapheme_boundary(text, start)
        assert row_cells(text, start, end) <= 7


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab cđươ", max_size=200), st.integers(2, 30), st.booleans())
def test_fast_and_cluster_wrapping_agree_on_simple_text(text, width, line_end):
    limit = width - 1
    assert _wrap_simple(text, 0, len(text), limit, line_end) == _wrap_clusters(
        text, 0, len(text), limit, line_end
    )


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="a b中😀\u0301\t\x1b\u202e\n\u200d\ufe0f☺\u2028", max_size=120),
    st.integers(3, 30),
)
def test_every_offset_maps_to_a_cell_and_back(text, width):
    layout = Layout(text, width)
    rows = rows_of(layout)
    assert "".join(text[s:e] for s, e in rows) == text.replace("\n", "")
    for start, end in rows:
        clusters = row_clusters(text, start, end)
        assert row_cells(text, start, end) <= width - 1 or len(clusters) <= 1
        # Rich measures the drawn row exactly as the layout counted it
        shown = "".join(display_cluster(text[c.start : c.end]) for c in clusters)
        assert cell_len(shown.replace("\t", " " * TAB_CELLS)) == sum(c.cells for c in clusters)
        for cluster in clusters:
            if cluster.cells == 0:
                continue
            block, row, x = layout.x_of(cluster.start)
            assert layout.row_span(block, row) == (start, end)
            assert layout.offset_at_x(block, row, x) == cluster.start
            assert layout.offset_at_x(block, row, x + cluster.cells - 1) == cluster.start


def test_long_line_is_cut_into_blocks_after_spaces():
    text = ("từ " * 5000).strip()
    starts, ends = split_blocks(text)
    assert len(starts) > 1
    assert all(e - s <= BLOCK for s, e in zip(starts, ends))
    assert all(text[s - 1] == " " for s in starts[1:])
    assert ends[-1] == len(text)


@pytest.mark.parametrize("tail", ["", "\n", "\n\n"])
def test_pages_and_blocks_cover_the_text_exactly(tail):
    rng = random.Random(5)
    lines = []
    for n in range(400):
        kind = n % 7
        if kind == 0:
            lines.append("")
        elif kind == 1:
            lines.append(
                " ".join(rng.choice(["Almaty", "bạo", "loạn", "中文"]) for _ in range(2500))
            )
        else:
            lines.append(VI * rng.randint(1, 5))
    text = "\n".join(lines) + tail
    layout = Layout(text, 50, eager_limit=0)
    assert len(layout.page_starts) > 10
    rebuilt = []
    block = layout.first_block()
    while block is not None:
        start, end = layout.block_span(block)
        assert end - start <= BLOCK
        rebuilt.append(text[start:end] + ("\n" if layout.line_end(block) else ""))
        block = layout.next_block(block)
    assert "".join(rebuilt) == text + "\n"
    assert layout.block_of(len(text)) == layout.last_block()


def test_estimates_become_exact_when_blocks_are_wrapped():
    text = "\n".join(VI * 3 for _ in range(2000))
    layout = Layout(text, 30, eager_limit=0)
    assert len(layout.page_starts) > 2
    assert all(layout._pages[n] is None for n in range(len(layout.page_starts)))
    block = layout.block_of(text.index("\n", 200_000) + 1)  # a line on a later page
    assert not layout.is_exact(block)
    total = layout.total_rows
    estimate = layout.row_count(block)
    rows = layout.wrap(block)
    assert layout.is_exact(block) and layout.row_count(block) == len(rows)
    assert layout.total_rows == total + len(rows) - estimate
    assert layout.locate(layout.y_of(block, 1)) == (block, 1)
    assert sum(page is not None for page in layout._pages) == 1  # only that page was split


def test_display_keeps_one_code_point_per_code_point():
    raw = "a\x1b[2J\x00\x7f\x85\u202e\u2066\u2028b\tc"
    shown = display(raw)
    assert len(shown) == len(raw)
    assert shown == "a␛[2J␀␡\ufffd\ufffd\ufffd b\tc"


# -- the widget ---------------------------------------------------------------------


class ViewApp(App):
    """A tiny host: one ArticleView filling the screen, no padding."""

    CSS = "ArticleView { padding: 0; scrollbar-size-vertical: 1; }"

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield ArticleView(self.text, "doc", id="view")


def drawn(view: ArticleView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height)]


async def test_arrow_keys_and_shift_select_exact_vietnamese_offsets():
    app = ViewApp(VI)
    messages = []
    async with app.run_test(size=(40, 10), message_hook=messages.append) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("ctrl+right", "ctrl+right", "right")
        assert view.cursor == VI.index("an")
        await pilot.press("ctrl+shift+right", "ctrl+shift+right")
        assert view.selection == (VI.index("an"), VI.index("ninh") + 4)
        assert VI[slice(*view.selection)] == "an ninh"
        await pilot.press("shift+left")
        assert VI[slice(*view.selection)] == "an nin"
        await pilot.press("left")
        assert view.selection is None and view.cursor == VI.index("ninh") + 2
    assert any(isinstance(m, ArticleView.SelectionChanged) for m in messages)
    assert any(isinstance(m, ArticleView.CursorMoved) for m in messages)


async def test_grapheme_steps_never_split_a_combining_mark():
    text = unicodedata.normalize("NFD", "Việt")  # V i e ̂ ̣ t
    async with ViewApp(text).run_test(size=(20, 4)) as pilot:
        view = app_view(pilot)
        await pilot.press("right", "right")
        assert view.cursor == 2
        await pilot.press("right")
        assert view.cursor == 5  # e + two marks is one step
        await pilot.press("shift+left")
        assert view.selection == (2, 5)


def app_view(pilot) -> ArticleView:
    return pilot.app.query_one(ArticleView)


async def test_up_down_move_by_wrapped_row_keeping_the_goal_column():
    text = "aaaa bbbb cccc\nxy\nmmmm nnnn"
    async with ViewApp(text).run_test(size=(12, 8)) as pilot:
        view = app_view(pilot)
        assert drawn(view)[:5] == ["aaaa bbbb", "cccc", "xy", "mmmm nnnn", ""]
        await pilot.press("right", "right", "right")
        await pilot.press("down")
        assert view.cursor == text.index("cccc") + 3
        await pilot.press("down")
        assert view.cursor == text.index("xy") + 2  # line end: short row
        await pilot.press("down")
        assert view.cursor == text.index("mmmm") + 3  # goal column kept
        await pilot.press("shift+up", "shift+up")
        assert view.selection == (text.index("cccc") + 3, text.index("mmmm") + 3)
        await pilot.press("end")
        assert view.cursor == text.index("cccc") + 4
        await pilot.press("home")
        assert view.cursor == text.index("cccc")
        await pilot.press("ctrl+end")
        assert view.cursor == len(text)
        await pilot.press("ctrl+shift+home")
        assert view.selection == (0, len(text))


async def test_page_down_moves_a_screen_and_scrolls():
    text = "\n".join(f"dòng {n}" for n in range(100))
    async with ViewApp(text).run_test(size=(30, 10)) as pilot:
        view = app_view(pilot)
        await pilot.press("pagedown")
        assert view.cursor == text.index("dòng 9\n")
        assert view.scroll_y == 9
        assert drawn(view)[0] == "dòng 9"
        await pilot.press("pageup")
        assert view.cursor == 0 and view.scroll_y == 0


async def test_click_and_drag_after_wide_characters_give_exact_offsets():
    text = "中文😀 Almaty e\u0301 bạo loạn"
    async with ViewApp(text).run_test(size=(40, 5)) as pilot:
        view = app_view(pilot)
        # cells: 中 0-1, 文 2-3, 😀 4-5, space 6, A 7
        await pilot.click(ArticleView, offset=(7, 0))
        assert view.cursor == text.index("Almaty")
        await pilot.click(ArticleView, offset=(3, 0))  # right half of 文
        assert view.cursor == 1
        await pilot.click(ArticleView, offset=(5, 0))
        assert view.cursor == 2
        # e + combining acute is one cell at x=14: the click lands on its start
        await pilot.click(ArticleView, offset=(15, 0))
        assert view.cursor == text.index("e\u0301") + 2  # the space after it
        await pilot.mouse_down(ArticleView, offset=(7, 0))
        await pilot.hover(ArticleView, offset=(10, 0))
        await pilot.mouse_up(ArticleView, offset=(10, 0))
        assert view.selection == (text.index("Almaty"), text.index("Almaty") + 3)
        assert view.offset_at(16, 0) == text.index("bạo")


async def test_clicking_an_annotation_posts_its_id():
    messages = []
    app = ViewApp(VI)
    async with app.run_test(size=(40, 5), message_hook=messages.append) as pilot:
        view = app_view(pilot)
        start = VI.index("Kazakhstan")
        view.set_annotations(
            [
                AnnotationSpan("outer", 0, 40, "a", "#cc3333"),
                AnnotationSpan("inner", start, start + 10, "b", "#3333cc"),
            ]
        )
        await pilot.pause()
        _, row, x = view._layout.x_of(start + 2)
        await pilot.click(ArticleView, offset=(x, row))
        assert view.annotation_at(start + 2) == "inner"
        assert view.annotation_at(2) == "outer"
        assert view.annotation_at(60) is None
    clicked = {
        id(m): m.annotation_id for m in messages if isinstance(m, ArticleView.AnnotationClicked)
    }
    assert list(clicked.values()) == ["inner"]


async def test_overlapping_annotations_draw_fill_then_underline():
    async with ViewApp(VI).run_test(size=(60, 5)) as pilot:
        view = app_view(pilot)
        view.set_annotations(
            [AnnotationSpan("a", 0, 9, "x", "#ff0000"), AnnotationSpan("b", 4, 20, "y", "#0000ff")]
        )
        await pilot.pause()
        view.move_to(len(VI))
        styles = [seg.style for seg in view.render_line(0) for _ in seg.text]
        assert styles[0].bgcolor.name == "#ff0000" and not styles[0].underline
        assert styles[5].bgcolor.name == "#ff0000" and styles[5].underline  # both
        assert styles[12].bgcolor != styles[0].bgcolor and styles[12].underline  # b alone
        assert not styles[25].underline and styles[25].bgcolor == styles[30].bgcolor


async def test_markup_and_escape_bytes_show_literally_and_inert():
    text = "[bold]x[/bold] [link=file:///etc]y[/link] \x1b[2J\x07 \u202eabc\u2066 a\u2028b"
    async with ViewApp(text).run_test(size=(80, 4)) as pilot:
        view = app_view(pilot)
        line = drawn(view)[0]
        assert line.startswith(
            "[bold]x[/bold] [link=file:///etc]y[/link] ␛[2J␇ \ufffdabc\ufffd a b"
        )
        view.move_to(len(text))  # the cursor is drawn bold: keep it off the row
        strip = view.render_line(0)
        assert all("\x1b" not in seg.text and "\u202e" not in seg.text for seg in strip)
        styles = [seg.style for seg in strip for _ in seg.text][: len(text)]
        assert not any(style.bold or style.link for style in styles)
        assert sum(seg.cell_length for seg in strip) == view.scrollable_content_region.width
        # the stand-ins keep offsets 1:1: a click on "x" still finds offset 6
        await pilot.click(ArticleView, offset=(6, 0))
        assert view.cursor == 6
        assert view.offset_at(text.index("\x1b") + 1, 0) == text.index("\x1b") + 1


async def test_tab_draws_as_spaces_and_maps_exactly():
    text = "a\tb"
    async with ViewApp(text).run_test(size=(20, 3)) as pilot:
        view = app_view(pilot)
        assert drawn(view)[0] == "a    b"
        assert view.offset_at(3, 0) == 1
        assert view.offset_at(5, 0) == 2


async def test_select_word_and_sentence_under_cursor():
    text = "Anh nói: “Tôi đi. Bạn ở lại.” Rồi anh đi."
    async with ViewApp(text).run_test(size=(60, 4)) as pilot:
        view = app_view(pilot)
        view.move_to(text.index("Bạn") + 1)
        assert view.select_word()
        assert text[slice(*view.selection)] == "Bạn"
        view.move_to(text.index("Bạn"))
        assert view.select_sentence()
        assert text[slice(*view.selection)] == "Anh nói: “Tôi đi. Bạn ở lại.”"
        view.move_to(text.index(":") + 1)
        assert not view.select_word()


async def test_double_click_selects_the_word_and_triple_click_the_sentence():
    text = "Một câu. Anh nói: “Tôi đi. Bạn ở lại.” Rồi anh đi."
    async with ViewApp(text).run_test(size=(80, 4)) as pilot:
        view = app_view(pilot)
        x = text.index("Bạn") + 1
        await pilot.double_click(ArticleView, offset=(x, 0))
        assert text[slice(*view.selection)] == "Bạn"
        await pilot.triple_click(ArticleView, offset=(x, 0))
        assert text[slice(*view.selection)] == "Anh nói: “Tôi đi. Bạn ở lại.”"


async def test_load_shows_another_document_from_its_start():
    messages = []
    app = ViewApp(VI)
    async with app.run_test(size=(40, 6), message_hook=messages.append) as pilot:
        view = app_view(pilot)
        view.set_annotations([AnnotationSpan("a", 0, 5, "x", "#ff0000")])
        view.select_range(3, 9)
        view.load("中文 [red]mới[/red]", "doc2")
        await pilot.pause()
        assert (view.cursor, view.selection, view.document_id) == (0, None, "doc2")
        assert view.annotation_at(1) is None
        assert drawn(view)[0] == "中文 [red]mới[/red]"
    assert not [m for m in messages if isinstance(m, ArticleView.Scrolled)]


async def test_following_another_pane_is_not_echoed_back():
    text = "\n".join(f"câu số {n}." for n in range(300))
    messages = []
    app = ViewApp(text)
    async with app.run_test(size=(30, 8), message_hook=messages.append) as pilot:
        view = app_view(pilot)
        view.scroll_to_relative(0.5)  # what the screen calls to follow another pane
        await pilot.pause()
        assert not [m for m in messages if isinstance(m, ArticleView.Scrolled)]
        view.scroll_to(y=view.scroll_y + 3, animate=False)  # the user scrolls this pane
        await pilot.pause()
        scrolled = {id(m): m for m in messages if isinstance(m, ArticleView.Scrolled)}
        assert len(scrolled) == 1
        (only,) = scrolled.values()
        assert only.relative == pytest.approx(view.relative_scroll)


async def test_other_annotators_and_given_layers_are_drawn_apart():
    async with ViewApp(VI).run_test(size=(60, 5)) as pilot:
        view = app_view(pilot)
        view.set_annotations(
            [
                AnnotationSpan("mine", 0, 3, "x", "#ff0000"),
                AnnotationSpan("theirs", 4, 9, "x", "#ff0000", other=True),
                AnnotationSpan("forced", 10, 12, "y", "#00ff00", layer=1),
            ]
        )
        view.move_to(len(VI))
        await pilot.pause()
        styles = [seg.style for seg in view.render_line(0) for _ in seg.text]
        assert styles[0].bgcolor.name == "#ff0000" and not styles[0].italic
        assert styles[5].italic and styles[5].bgcolor.name != "#ff0000"  # muted fill
        assert styles[10].underline and styles[10].bgcolor == styles[20].bgcolor


async def test_search_moves_between_matches_and_highlights_them():
    text = "Almaty, almaty. ALMATY và Bishkek."
    async with ViewApp(text).run_test(size=(60, 4)) as pilot:
        view = app_view(pilot)
        view.set_search("almaty")
        assert view.next_match() and view.cursor == 8
        assert view.next_match() and view.cursor == 16
        assert view.next_match() and view.cursor == 0  # wraps
        assert view.previous_match() and view.cursor == 16
        await pilot.pause()
        styles = [seg.style for seg in view.render_line(0) for _ in seg.text]
        plain = styles[len(text) - 2].bgcolor
        for start in (0, 8, 16):
            assert all(style.bgcolor != plain for style in styles[start : start + 6])
        assert styles[17] != styles[9]  # the current match stands out (and is selected)
        assert view.selection == (16, 22)  # selected, so a label key tags it
        assert styles[7].bgcolor == plain
        view.set_search("Bishkek")  # capitals: case-sensitive
        assert view.next_match() and view.cursor == text.index("Bishkek")


async def test_wrapping_follows_the_width_after_a_resize():
    async with ViewApp(VI).run_test(size=(30, 8)) as pilot:  # 29 cells: 28 + cursor
        view = app_view(pilot)
        rows = drawn(view)
        assert rows[0] == "Lực lượng an ninh Kazakhstan"
        assert all(cell_len(row) <= 28 for row in rows)
        view.move_to(VI.index("bạo"))
        await pilot.resize_terminal(20, 8)
        await pilot.pause()
        rows = drawn(view)
        assert rows[0] == "Lực lượng an ninh"
        assert all(cell_len(row) <= 18 for row in rows)
        assert view.cursor == VI.index("bạo")


async def test_scroll_to_offset_and_relative_position():
    text = "\n".join(f"câu số {n}." for n in range(500))
    async with ViewApp(text).run_test(size=(30, 10)) as pilot:
        view = app_view(pilot)
        target = text.index("câu số 250.")
        view.scroll_to_offset(target, center=False)
        await pilot.pause()
        assert drawn(view)[0] == "câu số 250."
        assert view.relative_scroll == pytest.approx(target / len(text))
        view.scroll_to_relative(0.0)
        await pilot.pause()
        assert drawn(view)[0] == "câu số 0."


def long_article(size: int, seed: int = 3, one_line: bool = False) -> str:
    rng = random.Random(seed)
    sentences = [
        part.strip() + "."
        for path in sorted(CORPUS.glob("*.txt"))
        for part in path.read_text(encoding="utf-8").split(".")
        if part.strip()
    ]
    paragraphs, total = [], 0
    while total < size:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 8)))
        paragraphs.append(paragraph)
        total += len(paragraph) + 1
    return (" " if one_line else "\n").join(paragraphs)


async def test_scrolling_into_unwrapped_text_moves_exactly_one_row():
    """Row counts far from the first screen are estimates; reaching them must not jump."""
    text = long_article(600_000)
    async with ViewApp(text).run_test(size=(60, 12)) as pilot:
        view = app_view(pilot)
        view.scroll_to_relative(0.5)
        await pilot.pause()
        before = drawn(view)
        for _ in range(3):
            view.scroll_to(y=view.scroll_y - 1, animate=False)  # as the mouse wheel does
            await pilot.pause()
            after = drawn(view)
            assert after[1:] == before[:-1]
            before = after
        view.scroll_to(y=view.scroll_y + 5, animate=False)
        await pilot.pause()
        assert drawn(view)[:-5] == before[5:]


async def test_cursor_stays_on_screen_while_paging_through_estimates():
    text = long_article(600_000, seed=4)
    async with ViewApp(text).run_test(size=(60, 12)) as pilot:
        view = app_view(pilot)
        view.move_to(len(text) // 3)
        await pilot.pause()
        for key in ["pagedown"] * 4 + ["pageup"] * 6 + ["down"] * 3:
            await pilot.press(key)
            block, row, _ = view._layout.x_of(view.cursor)
            screen_row = view._layout.y_of(block, row) - round(view.scroll_y)
            assert 0 <= screen_row < view.scrollable_content_region.height
            row_text = drawn(view)[screen_row]
            start, end = view._layout.row_span(block, row)
            assert row_text == text[start:end].rstrip()


@pytest.mark.slow
async def test_ten_megabyte_single_line_opens_and_moves():
    text = long_article(10_000_000, one_line=True)
    assert "\n" not in text
    async with ViewApp(text).run_test(size=(100, 30)) as pilot:
        view = app_view(pilot)
        assert drawn(view)[0] == text[: len(drawn(view)[0])]
        await pilot.press("ctrl+end")
        assert view.cursor == len(text)
        last = [row for row in drawn(view) if row][-1]
        assert text.endswith(last)
        await pilot.press("pageup", "up", "shift+up")
        assert view.selection is not None and view.selection[1] < len(text)
        view.scroll_to_relative(0.5)
        await pilot.pause()
        assert abs(view.relative_scroll - 0.5) < 0.001
        top = drawn(view)[0]
        assert top and top in text
        pages = view._layout._pages
        assert sum(page is not None for page in pages) < len(pages) // 10


async def test_each_row_gets_exactly_the_placed_spans_that_reach_it():
    """Rows look only at spans starting within the longest span's length before them."""
    text = ("Lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 kẻ bạo loạn. " * 200 + "\n") * 2
    rng = random.Random(3)
    spans = []
    for n in range(1500):
        start = rng.randrange(len(text) - 1)
        end = min(len(text), start + rng.choice([1, 3, 10, 50, 400, 3000]))
        spans.append(AnnotationSpan(str(n), start, end, "casualty", "red"))
    spans.sort(key=lambda s: (s[1], s[2]))
    app = ViewApp(text)
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(ArticleView)
        view.set_annotations(spans)
        await pilot.pause()
        layout = view._layout
        for offset in range(0, len(text), 331):
            block, row = layout.position(offset)
            start, end = layout.row_span(block, row)
            drawn = sorted((a, b) for a, b, _ in view._mark_spans(block, start, end))
            placed = view._placed(block)
            assert drawn == sorted((s[1], s[2]) for s, _ in placed if s[1] < end and s[2] > start)
