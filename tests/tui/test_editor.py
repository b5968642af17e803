"""The attribute editor as an annotator uses it at 80x24: every field on screen, numbers
read as typed, help for the focused field, values read from the text marked, and Esc on
a changed form asking first."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from reader.core.tagging import tag
from reader.tui.app import ReaderApp

SMALL = (80, 24)
PHRASE = "hơn 1.300 cảnh sát, quân đội Vệ binh Quốc gia và quân nhân bị thương"


def tagged(store):
    """A casualty span tagged as the app tags it (prefilled), and where it is."""
    doc = store.documents()[0].id
    text = store.document(doc).text
    start = text.index(PHRASE)
    annotation = tag(store, doc, text, start, (start, start + len(PHRASE)), "casualty")
    return annotation


async def open_editor(app, pilot, annotation):
    await pilot.pause()
    app.screen.pane.view.move_to(annotation.start + 2)
    await pilot.press("e")
    await pilot.pause()
    editor = app.screen
    assert type(editor).__name__ == "AttributeEditor"
    return editor


def shown(editor, selector: str) -> str:
    return str(editor.query_one(selector, Static).render())


async def test_every_field_and_the_note_fit_80_by_24_and_the_note_is_one_key_away(corpus_store):
    annotation = tagged(corpus_store)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_editor(app, pilot, annotation)
        screen = editor.region
        for widget in [*editor.query(Input), *editor.query(Select), editor.query_one("#note")]:
            region = widget.region
            assert region.height >= 1 and screen.contains_region(region), widget.id
            assert region.bottom <= SMALL[1] - 1, widget.id  # above the footer, no scrolling
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(editor.focused, TextArea)
        await pilot.press(*"theo Bộ Nội vụ")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert corpus_store.annotation(annotation.id).note == "theo Bộ Nội vụ"


async def test_numbers_show_what_they_read_as_you_type_and_a_bad_one_gets_the_focus(
    corpus_store,
):
    annotation = tagged(corpus_store)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_editor(app, pilot, annotation)
        assert shown(editor, "#parsed-value_best") == "= 1.300"
        best = editor.query_one("#attr-value_best", Input)
        for typed, reads in (("4.500", "= 4.500"), ("hai mươi", "= 20"), ("1,5 nghìn", "= 1.500")):
            best.value = typed
            await pilot.pause()
            assert shown(editor, "#parsed-value_best") == reads, typed
        high = editor.query_one("#attr-value_high", Input)
        high.value = "4,5"
        await pilot.pause()
        assert shown(editor, "#parsed-value_high") == "✗"
        editor.query_one("#attr-outcome").focus()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor and editor.focused is high  # refused: the field has focus
        assert "value_high: '4,5' is 4.5, not a whole number" in shown(editor, "#editor-error")
        high.value = "hàng trăm"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "hedged figure (vague, 100–999)" in shown(editor, "#editor-error")
        high.value = "hai nghìn"
        await pilot.pause()
        assert shown(editor, "#editor-error") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not editor
    stored = corpus_store.annotation(annotation.id).attributes
    assert stored["value_best"] == 1500 and stored["value_high"] == 2000
    # the text said 1300 and nothing about a high: both are the annotator's now
    assert "value_best" not in stored["from_text"] and "outcome" in stored["from_text"]


async def test_help_shows_the_focused_field_its_value_and_whether_the_text_gave_it(corpus_store):
    annotation = tagged(corpus_store)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_editor(app, pilot, annotation)
        editor.query_one("#attr-qualifier").focus()
        await pilot.pause()
        help_text = shown(editor, "#field-help")
        assert help_text.startswith("qualifier: How the text hedges the figure")
        assert "at_least: A floor" in help_text and "read from the span's text" in help_text
        editor.query_one("#attr-scope").focus()
        await pilot.pause()
        help_text = shown(editor, "#field-help")
        assert help_text.startswith("scope:") and "read from" not in help_text
        marks = {label.parent.id: str(label.render())[0] for label in editor.query(".field-label")}
        assert marks["field-victim_group"] == "◆" and marks["field-scope"] == " "


async def test_esc_on_a_changed_form_asks_save_discard_or_keep(corpus_store):
    annotation = tagged(corpus_store)
    before = dict(corpus_store.annotation(annotation.id).attributes)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_editor(app, pilot, annotation)
        await pilot.press("escape")  # nothing changed: it just closes
        await pilot.pause()
        assert type(app.screen).__name__ == "AnnotateScreen"
        editor = await open_editor(app, pilot, annotation)
        editor.query_one("#attr-value_best", Input).value = "1400"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "UnsavedChanges"
        await pilot.press("k")  # keep editing
        await pilot.pause()
        assert app.screen is editor
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")  # discard
        await pilot.pause()
        assert type(app.screen).__name__ == "AnnotateScreen"
        assert dict(corpus_store.annotation(annotation.id).attributes) == before
        editor = await open_editor(app, pilot, annotation)
        editor.query_one("#attr-value_best", Input).value = "1400"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")  # save
        await pilot.pause()
        assert type(app.screen).__name__ == "AnnotateScreen"
    assert corpus_store.annotation(annotation.id).attributes["value_best"] == 1400


async def test_several_values_of_a_multiple_enum_are_kept_and_can_be_typed(corpus_store):
    doc = corpus_store.documents()[0].id
    both = ["Name_Calling-Labeling", "Loaded_Language"]
    annotation = corpus_store.create(doc, 0, 4, "propaganda", attributes={"technique": both})
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_editor(app, pilot, annotation)
        field = editor.query_one("#attr-technique", Input)
        assert field.value == "Name_Calling-Labeling, Loaded_Language"
        editor.query_one("#attr-category", Select).value = "attack_on_reputation"
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored = corpus_store.annotation(annotation.id).attributes
        assert stored["technique"] == both and stored["category"] == "attack_on_reputation"
        editor = await open_editor(app, pilot, annotation)
        editor.query_one("#attr-technique", Input).value = "Doubt"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert corpus_store.annotation(annotation.id).attributes["technique"] == "Doubt"


async def test_a_low_estimate_above_the_best_is_refused_in_the_form_and_nothing_is_saved(
    corpus_store,
):
    annotation = tagged(corpus_store)
    before = dict(corpus_store.annotation(annotation.id).attributes)
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_editor(app, pilot, annotation)
        editor.query_one("#attr-value_low", Input).value = "4000"
        editor.query_one("#attr-value_best", Input).value = "hai nghìn rưỡi"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor  # refused: the form stays open
        assert "value_low 4000 is above value_best 2500" in shown(editor, "#editor-error")
    assert dict(corpus_store.annotation(annotation.id).attributes) == before


async def test_a_note_with_an_escape_is_kept_as_it_was_when_only_attributes_change(corpus_store):
    annotation = tagged(corpus_store)
    corpus_store.update(annotation.id, note="nguồn\x1b tin")
    app = ReaderApp(corpus_store)
    async with app.run_test(size=SMALL) as pilot:
        editor = await open_editor(app, pilot, annotation)
        shown_note = editor.query_one("#note", TextArea).text
        assert "\x1b" not in shown_note  # shown inert
        editor.query_one("#attr-value_best", Input).value = "1400"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not editor
        await pilot.press("a")  # the list of the document's annotations
        await pilot.pause()
        assert app.screen.query_one("#annotation-list").border_title == "1 annotation"
    saved = corpus_store.annotation(annotation.id)
    assert saved.note == "nguồn\x1b tin" and saved.attributes["value_best"] == 1400
