"""The annotator driven as a person would: keys and mouse in, database and screen checked."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

from reader.core.corpus import read_corpus
from reader.core.store import Store
from reader.tui.app import ReaderApp
from reader.tui.article_view import ArticleView
from tests.helpers import CORPUS, make_document
from tests.tui.waiting import until

SIZE = (120, 36)


def live(store: Store, annotator: str | None = None):
    return list(store.iter_annotations(annotator=annotator))


def _export(app) -> str:
    """What the terminal shows, as plain text, from the app's own screenshot."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_start_shows_first_two_documents_with_cursor_at_zero(corpus_store):
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        views = list(app.screen.query(ArticleView))
        ids = sorted(p.stem for p in CORPUS.glob("*.txt"))
        assert [v.document_id for v in views] == ids[:2]
        assert [v.cursor for v in views] == [0, 0]
        assert app.focused is views[0]


async def test_keyboard_selection_tags_exact_vietnamese_span(corpus_store):
    text = corpus_store.document(corpus_store.documents()[0].id).text
    target = "4.500 kẻ bạo loạn"
    start = text.index(target)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query(ArticleView).first()
        view.move_to(start)
        await pilot.press(*["shift+right"] * len(target))
        assert view.selection == (start, start + len(target))
        await pilot.press("2")
        await pilot.pause()
    [ann] = live(corpus_store)
    assert (ann.start, ann.end, ann.text, ann.label) == (
        start,
        start + len(target),
        target,
        "casualty",
    )
    assert ann.annotator == "lan"


async def test_label_key_without_selection_tags_the_word_and_trims_punctuation(corpus_store):
    text = corpus_store.document(corpus_store.documents()[0].id).text
    start = text.index("Almaty,")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query(ArticleView).first().move_to(start + 2)
        await pilot.press("1")
        await pilot.pause()
    [ann] = live(corpus_store)
    assert (ann.text, ann.start) == ("Almaty", start)


async def test_word_and_sentence_selection(corpus_store):
    text = corpus_store.document(corpus_store.documents()[0].id).text
    sentence = "Lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 kẻ bạo loạn."
    start = text.index(sentence)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query(ArticleView).first()
        view.move_to(start + 20)
        await pilot.press("w")
        assert view.selection == (start + 18, start + 28)  # "Kazakhstan"
        await pilot.press("s")
        assert view.selection is not None
        s, e = view.selection
        assert text[s:e].rstrip() == sentence
        await pilot.press("3")
        await pilot.pause()
    [ann] = live(corpus_store)
    assert ann.text == sentence.rstrip(".")  # trailing punctuation trimmed, as in the PTC corpus


async def test_overlapping_spans_are_both_stored_and_drawn(corpus_store):
    text = corpus_store.document(corpus_store.documents()[0].id).text
    outer = text.index("khoảng 4.500 kẻ bạo loạn")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query(ArticleView).first()
        view.select_range(outer, outer + len("khoảng 4.500 kẻ bạo loạn"))
        await pilot.press("2")
        view.select_range(outer + 7, outer + 12)
        await pilot.press("1")
        await pilot.pause()
        assert view.annotation_at(outer + 8) is not None
    spans = sorted((a.start, a.end, a.label) for a in live(corpus_store))
    assert spans == [(outer, outer + 24, "casualty"), (outer + 7, outer + 12, "propaganda")]


async def test_mouse_drag_after_wide_characters_gives_exact_offsets(db_path):
    store = Store.open(db_path, annotator="lan")
    text = "中文报道：哈萨克斯坦 164 người thiệt mạng 😢 và nhiều người bị thương.\n"
    store.sync_documents([make_document("a-wide", text), make_document("b-plain", "Một dòng.\n")])
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query(ArticleView).first()
        await pilot.pause()
        # "中文报道：哈萨克斯坦 " is 11 characters over 21 cells; the view has 1 cell of padding
        x0 = view.region.x + 1 + 21
        await pilot.mouse_down(view, offset=(x0 - view.region.x, 0))
        await pilot.hover(view, offset=(x0 - view.region.x + 9, 0))
        await pilot.mouse_up(view, offset=(x0 - view.region.x + 9, 0))
        await pilot.pause()
        assert view.selection == (11, 20), view.selection
        assert text[11:20] == "164 người"
        await pilot.press("2")
        await pilot.pause()
    [ann] = live(store)
    assert (ann.start, ann.end, ann.text) == (11, 20, "164 người")
    store.close()


async def test_attribute_editor_refuses_an_invalid_number_then_saves(corpus_store):
    doc = corpus_store.documents()[0].id
    ann = corpus_store.create(doc, 0, 4, "casualty")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert type(editor).__name__ == "AttributeEditor"
        field = editor.query_one("#attr-value_best")
        field.value = "12a"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor  # refused: still open
        assert "value_best" in str(editor.query_one("#editor-error").render())
        field.value = "164"
        editor.query_one("#note").text = "theo Bộ Y tế"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "AnnotateScreen"
    stored = corpus_store.annotation(ann.id)
    assert stored.attributes == {"value_best": 164} and stored.note == "theo Bộ Y tế"


async def test_undo_and_redo_survive_an_app_restart(db_path):
    store = Store.open(db_path, annotator="lan")
    store.sync_documents(read_corpus(CORPUS))
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+right", "2")
        await pilot.pause()
    assert len(live(store)) == 1
    store.close()
    store = Store.open(db_path, annotator="lan")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert live(store) == []
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert len(live(store)) == 1
    store.close()


async def test_blind_mode_hides_another_annotators_spans_until_toggled(db_path):
    other = Store.open(db_path, annotator="binh")
    other.sync_documents(read_corpus(CORPUS))
    doc = other.documents()[0].id
    theirs = other.create(doc, 0, 4, "casualty")
    other.close()
    store = Store.open(db_path, annotator="lan")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query(ArticleView).first()
        await pilot.pause()
        assert view.annotation_at(1) is None
        await pilot.press("o")
        await pilot.pause()
        assert view.annotation_at(1) == theirs.id
        await pilot.press("x")  # not yours: refused
        await pilot.pause()
    assert store.annotation(theirs.id).deleted_at is None
    store.close()


async def test_another_annotators_orphaned_span_is_never_drawn_at_its_old_offsets(db_path):
    """Its text left the document: drawn at the old offsets it would mark other words."""
    text = "Ngày 8/1, lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 kẻ bạo loạn.\n"
    other = Store.open(db_path, annotator="binh")
    other.sync_documents([make_document("d1", text)])
    at = text.index("Kazakhstan")
    theirs = other.create("d1", at, at + len("Kazakhstan"), "attribution")
    other.sync_documents([make_document("d1", text.replace("Kazakhstan ", ""))])
    assert other.annotation(theirs.id).orphaned
    other.close()
    store = Store.open(db_path, annotator="lan")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")  # show other annotators
        await pilot.pause()
        view = app.screen.query(ArticleView).first()
        assert all(view.annotation_at(offset) is None for offset in range(len(view.text)))
    store.close()


async def test_done_status_toggles_and_shows_in_the_title(corpus_store):
    doc = corpus_store.documents()[0].id
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert corpus_store.status(doc) == "done"
        assert "✔ done" in _export(app)
        await pilot.press("d")
        await pilot.pause()
        assert corpus_store.status(doc) == "in_progress"


async def test_document_picker_fills_the_focused_pane(corpus_store):
    ids = [d.id for d in corpus_store.documents()]
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await pilot.pause()
        second = app.screen.query(ArticleView)[1]
        assert app.focused is second
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"004")
        await pilot.press("enter")
        await pilot.pause()
        assert second.document_id == ids[4]
        assert app.screen.query(ArticleView)[0].document_id == ids[0]


async def test_two_panes_tag_different_documents(corpus_store):
    ids = [d.id for d in corpus_store.documents()]
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+right", "1", "tab", "ctrl+right", "3")
        await pilot.pause()
    docs = sorted((a.document, a.label) for a in live(corpus_store))
    assert docs == [(ids[0], "propaganda"), (ids[1], "attribution")]


async def test_markup_and_escape_sequences_in_an_article_show_literally(db_path):
    store = Store.open(db_path, annotator="lan")
    hostile = "Tin [bold]đậm[/bold] và [link=file:///etc/passwd]link[/link] \x1b[2J\x1b]52;c;aGk=\x07 hết.\n"
    store.sync_documents(
        [make_document("hostile", hostile), make_document("other", "Bình thường.\n")]
    )
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = _export(app)
        assert "[bold]đậm[/bold]" in shown
        assert "[link=file:///etc/passwd]link[/link]" in shown
        assert "\x1b" not in shown and "␛[2J" in shown
        await pilot.press("ctrl+right", "2")
        await pilot.pause()
    [ann] = live(store)
    assert ann.text == "Tin"
    store.close()


async def test_search_selects_the_match_so_a_label_key_tags_it(corpus_store):
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.press(*"164 người thiệt mạng")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
    [ann] = list(corpus_store.iter_annotations())
    assert ann.text == "164 người thiệt mạng"


async def test_a_theme_change_repaints_the_articles_in_the_new_colours(corpus_store):
    """The view keeps its styles between paints: a new theme must still reach them."""
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query(ArticleView).first()
        dark = list(view.render_line(0))[-1].style.bgcolor  # the row's padding: base style
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await pilot.pause()
        light = list(view.render_line(0))[-1].style.bgcolor
        assert light != dark and light == view.rich_style.bgcolor


async def test_tagging_the_same_word_twice_keeps_one_annotation(corpus_store):
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "2")
        await pilot.pause()
        assert any("Already tagged" in str(n.message) for n in app._notifications)
    assert [a.text for a in corpus_store.iter_annotations()] == ["Ngày"]


async def test_the_annotation_list_opens_on_the_annotation_at_the_cursor(corpus_store):
    doc = corpus_store.documents()[0].id
    text = corpus_store.document(doc).text
    for word in ("Almaty", "Kazakhstan", "Bishkek"):
        start = text.index(word)
        corpus_store.create(doc, start, start + len(word), "attribution")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query(ArticleView).first()
        view.move_to(text.index("Kazakhstan") + 2)
        await pilot.press("a")
        await pilot.pause()
        panel = app.screen.query_one("#annotation-list")
        picked = app.screen.pane.spans.row(panel.options[panel.highlighted].id)
        assert picked.start == text.index("Kazakhstan")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert view.cursor == text.index("Bishkek")


async def test_a_long_annotation_list_shows_a_window_around_the_cursor(db_path):
    from reader.core.model import AnnotationDraft
    from reader.tui.screens.annotate_list import LIST_LIMIT

    words = [f"từ{n}" for n in range(LIST_LIMIT + 100)]
    text = " ".join(words) + "\n"
    store = Store.open(db_path, annotator="lan")
    store.sync_documents([make_document("long", text)])
    starts = [sum(len(x) + 1 for x in words[:n]) for n in range(len(words))]
    store.import_items(
        [AnnotationDraft("long", s, s + len(w), "casualty", "lan") for s, w in zip(starts, words)],
        source="test",
    )
    app = ReaderApp(store, panes=1)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query(ArticleView).first()
        view.move_to(starts[-5])
        await pilot.press("a")
        await pilot.pause()
        panel = app.screen.query_one("#annotation-list")
        assert (
            panel.option_count == LIST_LIMIT
            and f"of {len(words)} annotations" in panel.border_title
        )
        assert app.screen.pane.spans.row(panel.options[panel.highlighted].id).start == starts[-5]
    store.close()


async def test_the_annotation_list_is_built_by_its_key_and_toggles(corpus_store):
    """Not mounted before its key (start-up draws the first screen without it); a shows it
    on the right with the focus, a again hides it and gives the focus back, and it shows
    what was tagged while it was hidden."""
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert not screen.query("#annotation-list")
        await pilot.press("a")
        await pilot.pause()
        panel = screen.query_one("#annotation-list")
        assert panel.display and app.focused is panel and panel.region.right == SIZE[0]
        assert panel.border_title == "0 annotations"
        await pilot.press("a")
        await pilot.pause()
        view = screen.pane.view
        assert not panel.display and app.focused is view
        view.select_range(0, view.text.index(" "))
        await pilot.press("1")
        await pilot.press("a")
        await pilot.pause()
        assert panel.display and panel.border_title == "1 annotation"
        assert len(screen.query("#annotation-list")) == 1


async def test_tagging_fills_what_the_span_says_and_records_it(db_path):
    store = Store.open(db_path, annotator="lan")
    text = "Theo Bộ Y tế, hơn 1.300 cảnh sát bị thương 😢 trong bạo loạn.\n"
    store.sync_documents([make_document("a-vn", text), make_document("b-plain", "Một dòng.\n")])
    start = text.index("hơn 1.300")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query(ArticleView).first()
        view.select_range(start, start + len("hơn 1.300 cảnh sát bị thương"))
        await pilot.press("2")
        await pilot.pause()
    [ann] = live(store)
    assert dict(ann.attributes) == {
        "qualifier": "at_least",
        "value_low": 1300,
        "value_best": 1300,
        "outcome": "injured",
        "victim_group": "security_forces",
        "from_text": ["outcome", "qualifier", "value_best", "value_low", "victim_group"],
    }
    store.close()


async def test_two_labels_on_one_span_each_reach_edit_relabel_and_delete(corpus_store):
    """An annotator may tag one span with two labels (a claim that is also attributed
    content). e, l and x at it ask which one (by its label key) instead of always taking
    the same one: the other could never be edited or removed from the keyboard."""
    doc = corpus_store.documents()[0].id
    casualty = corpus_store.create(doc, 0, 4, "casualty")
    attribution = corpus_store.create(doc, 0, 4, "attribution")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await until(pilot, lambda: _on(app, "LabelPicker"), "the question which annotation")
        assert "Which annotation" in _export(app)
        await pilot.press("3")
        await until(pilot, lambda: _on(app, "AttributeEditor"), "the attribution's editor")
        app.screen.query_one("#note").text = "theo Bộ Y tế"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: _on(app, "AnnotateScreen"), "the editor closed")
        assert corpus_store.annotation(attribution.id).note == "theo Bộ Y tế"
        await pilot.press("x")
        await until(pilot, lambda: _on(app, "LabelPicker"), "the question which to remove")
        await pilot.press("2")
        await until(
            pilot,
            lambda: corpus_store.annotation(casualty.id).deleted_at is not None,
            "the casualty removed",
        )
        await pilot.press("x")  # one left: no question
        await until(
            pilot,
            lambda: corpus_store.annotation(attribution.id).deleted_at is not None,
            "the attribution removed without a question",
        )
        assert _on(app, "AnnotateScreen")


async def test_a_link_starts_from_the_label_asked_for_and_shows_on_its_span(corpus_store):
    """k on a span with two labels asks which one the link starts from; the status line
    and L show the links of every label of the span at the cursor."""
    doc = corpus_store.documents()[0].id
    text = corpus_store.document(doc).text
    figure = text.index("4.500")
    corpus_store.create(doc, 0, 4, "propaganda")
    source = corpus_store.create(doc, 0, 4, "attribution")
    casualty = corpus_store.create(doc, figure, figure + 5, "casualty")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await until(pilot, lambda: _on(app, "LabelPicker"), "the question which label links")
        await pilot.press("3")
        await until(pilot, lambda: _on(app, "AnnotateScreen"), "the question answered")
        app.screen.query(ArticleView).first().move_to(figure + 1)
        await pilot.press("enter")
        await until(pilot, lambda: list(corpus_store.iter_links()), "the link made")
        app.screen.query(ArticleView).first().move_to(1)
        await until(pilot, lambda: "source_of → '4.500'" in _export(app), "the link named")
        await pilot.press("L")
        await until(pilot, lambda: _on(app, "LinkList"), "the link list")
        assert "source_of → '4.500'" in _export(app)
    [link] = corpus_store.iter_links()
    assert (link.type, link.source, link.target) == ("source_of", source.id, casualty.id)


def _status(app) -> str:
    return app.screen.query_one("#status").render().plain


async def test_the_status_line_fits_80_columns_with_every_count(corpus_store):
    """At 80x24 the full titles would cut the row before the attribution count and the
    orphans; the footer names each label by its key, so the counts go by key alone."""
    doc = corpus_store.documents()[0].id
    corpus_store.create(doc, 0, 4, "attribution")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "orphaned" in _status(app), "the status line")
        assert cell_len(_status(app)) <= 80, _status(app)
        assert " ".join(_status(app).split()).endswith(" 3 1 unsaved: 0 orphaned: 0")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "orphaned" in _status(app), "the status line")
        assert " ".join(_status(app).split()).endswith("3 Attribution: 1 unsaved: 0 orphaned: 0")
        await pilot.resize_terminal(80, 24)  # narrowed while open: the row follows
        await until(pilot, lambda: cell_len(_status(app)) <= 80, lambda: _status(app))
        assert " 3  1 " in _status(app)


async def test_pickers_keep_their_keys_in_view_at_80_columns_on_a_long_span(corpus_store):
    """The link list's 'Enter: go, e: edit, x: remove' and the label picker's 'press its
    key' stood after the span's text on one row, and a long span pushed them off it."""
    doc = corpus_store.documents()[0].id
    text = corpus_store.document(doc).text
    sentence = "Lực lượng an ninh Kazakhstan bắt giữ khoảng 4.500 kẻ bạo loạn"
    start, figure = text.index(sentence), text.index("4.500")
    source = corpus_store.create(doc, start, start + len(sentence), "attribution")
    target = corpus_store.create(doc, figure, figure + 5, "casualty")
    corpus_store.create_link(source.id, target.id, "source_of")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query(ArticleView).first().move_to(start)
        await pilot.press("L")
        await until(pilot, lambda: _on(app, "LinkList"), "the link list")
        assert "x: remove" in _export(app)
        await pilot.press("escape")
        await until(pilot, lambda: _on(app, "AnnotateScreen"), "the link list closed")
        await pilot.press("l")
        await until(pilot, lambda: _on(app, "LabelPicker"), "the label picker")
        assert "Press its key" in _export(app)


async def test_with_others_shown_keys_act_on_my_span_where_theirs_covers_it_too(db_path):
    """With o on, another annotator's span on the same words (or inside mine) was the one
    e and x found, and they refused it as not mine: my own span at the cursor is the one."""
    other = Store.open(db_path, annotator="binh")
    other.sync_documents(read_corpus(CORPUS))
    doc = other.documents()[0].id
    theirs = [other.create(doc, 0, 4, "casualty"), other.create(doc, 1, 3, "propaganda")]
    other.close()
    store = Store.open(db_path, annotator="lan")
    mine = store.create(doc, 0, 4, "casualty")
    app = ReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        view = app.screen.query(ArticleView).first()
        await until(pilot, lambda: len(view.annotations_at(1)) == 3, "their spans shown")
        view.move_to(2)
        await pilot.press("x")
        await until(
            pilot, lambda: store.annotation(mine.id).deleted_at is not None, "my span removed"
        )
    assert all(store.annotation(a.id).deleted_at is None for a in theirs)
    store.close()


def _on(app, screen: str) -> bool:
    return type(app.screen).__name__ == screen
