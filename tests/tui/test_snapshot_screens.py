"""Snapshots of every screen, each at 80x24 (the smallest terminal reader is used in)
and at a wide 160x40: one class per feature, a fixed terminal size, deterministic data
(the shipped corpus, spans placed by their text), and a ``run_before`` that drives the
app into the state pinned, as a person would with the keyboard."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.tui.test_review_link_values import valued_links  # noqa: F401 (a fixture)
from tests.tui.test_snapshots import (  # noqa: F401 (fixtures)
    _team,
    annotated_app,
    claims_app,
    open_claims,
    settled,
    settled_progress,
    team_app,
)

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 40)], ids=["80x24", "160x40"])


def no_blink(pilot) -> None:
    """A blinking cursor is no difference: every Input is drawn steady."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


async def at_text(pilot, needle: str) -> None:
    """The cursor on the first letter of ``needle`` in the focused pane."""
    await settled(pilot)
    view = pilot.app.screen.pane.view
    view.move_to(view.text.index(needle), center=True)
    await pilot.pause()


def keys_after(needle: str | None, *keys: str, typed: str = ""):
    """A ``run_before``: settle, put the cursor on ``needle``, press ``keys``, type."""

    async def run_before(pilot) -> None:
        if needle is None:
            await settled(pilot)
        else:
            await at_text(pilot, needle)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        no_blink(pilot)
        if typed:
            await pilot.press(*typed)
        await pilot.pause()

    return run_before


@SIZES
class TestAnnotate:
    """Each label, an overlap (a casualty inside a propaganda span), the cursor on a span."""

    def test_each_label_and_an_overlap(self, snap_compare, annotated_app, size):  # noqa: F811
        run = keys_after("bạo loạn và lật đổ thất bại")
        assert snap_compare(annotated_app, terminal_size=size, run_before=run)


@pytest.fixture
def others_app(tmp_path):
    """lan's spans and minh's on the same article, some overlapping hers."""
    from reader.core.corpus import read_corpus
    from tests.helpers import CORPUS

    db = tmp_path / "others.db"
    store = Store.open(db, annotator="lan")
    store.sync_documents(read_corpus(CORPUS))
    first = store.documents()[0].id
    text = store.document(first).text
    spans = {
        "lan": [("4.500 kẻ bạo loạn", "casualty"), ("Almaty - Bishkek", "attribution")],
        "minh": [("kẻ bạo loạn", "propaganda"), ("bạo loạn và lật đổ", "propaganda")],
    }
    for name, found in spans.items():
        with Store.open(db, annotator=name) as own:
            for needle, label in found:
                start = text.index(needle)
                own.create(first, start, start + len(needle), label)
    yield ReaderApp(store)
    store.close()


@SIZES
class TestOthersShown:
    """o: other annotators' spans, muted and italic, beside the annotator's own."""

    def test_others_spans_shown(self, snap_compare, others_app, size):
        async def run(pilot) -> None:
            await keys_after("4.500 kẻ bạo loạn", "o")(pilot)
            pilot.app.clear_notifications()  # the spans are the picture, not the toast
            await pilot.pause()

        assert snap_compare(others_app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", [(160, 40)], ids=["160x40"])
class TestAttributeEditor:
    """e on a casualty span: its attributes and the note (at 80x24 it is pinned with
    the editor's own tests in test_snapshots.py)."""

    def test_attribute_editor(self, snap_compare, annotated_app, size):  # noqa: F811
        run = keys_after("4.500 kẻ bạo loạn", "e")
        assert snap_compare(annotated_app, terminal_size=size, run_before=run)


@SIZES
class TestLabelPicker:
    """l on a span: the labels to change it to, its own marked."""

    def test_label_picker(self, snap_compare, annotated_app, size):  # noqa: F811
        run = keys_after("Almaty - Bishkek", "l")
        assert snap_compare(annotated_app, terminal_size=size, run_before=run)


@SIZES
class TestDocumentPicker:
    """p: every document with how it begins, the open one first."""

    def test_document_picker(self, snap_compare, annotated_app, size):  # noqa: F811
        run = keys_after(None, "p")
        assert snap_compare(annotated_app, terminal_size=size, run_before=run)


@SIZES
class TestSearch:
    """/ with a term typed, then its matches highlighted and the first one selected."""

    def test_search_prompt(self, snap_compare, annotated_app, size):  # noqa: F811
        run = keys_after(None, "slash", typed="bạo loạn")
        assert snap_compare(annotated_app, terminal_size=size, run_before=run)

    def test_search_matches(self, snap_compare, annotated_app, size):  # noqa: F811
        async def run(pilot) -> None:
            await keys_after(None, "slash", typed="bạo loạn")(pilot)
            await pilot.press("enter")
            await pilot.pause()

        assert snap_compare(annotated_app, terminal_size=size, run_before=run)


@SIZES
class TestHelp:
    """? lists every key by screen."""

    def test_help(self, snap_compare, annotated_app, size):  # noqa: F811
        assert snap_compare(annotated_app, terminal_size=size, run_before=keys_after(None, "?"))


@pytest.fixture
def review_app(tmp_path):
    """lan and minh have both finished the first article, with one disagreement."""
    store = _team(tmp_path)
    yield ReaderApp(store)
    store.close()


@SIZES
class TestReview:
    """r: whom to compare, then the review list (agreement per document), then the first
    document side by side with the gold pane."""

    def test_annotators_to_compare(self, snap_compare, review_app, size):
        assert snap_compare(review_app, terminal_size=size, run_before=keys_after(None, "r"))

    def test_review_list(self, snap_compare, review_app, size):
        run = keys_after(None, "r", "tab", "enter")
        assert snap_compare(review_app, terminal_size=size, run_before=run)

    def test_review_document(self, snap_compare, review_app, size):
        """Below 120 columns without the disagreement list: the panes take the width."""
        run = keys_after(None, "r", "tab", "enter", "enter")
        assert snap_compare(review_app, terminal_size=size, run_before=run)

    def test_review_document_list_toggled(self, snap_compare, review_app, size):
        """d: the list shown at 80x24, hidden at 160x40."""
        run = keys_after(None, "r", "tab", "enter", "enter", "d")
        assert snap_compare(review_app, terminal_size=size, run_before=run)


@SIZES
class TestErrorMessage:
    """A value the schema refuses: the editor stays open and says why, nothing saved."""

    def test_refused_number(self, snap_compare, annotated_app, size):  # noqa: F811
        async def run(pilot) -> None:
            await keys_after("4.500 kẻ bạo loạn", "e")(pilot)
            field = pilot.app.screen.query_one("#attr-value_best", Input)
            field.focus()
            field.value = ""
            await pilot.press(*"4,5")
            await pilot.press("ctrl+s")
            await pilot.pause()

        assert snap_compare(annotated_app, terminal_size=size, run_before=run)


@SIZES
class TestClaimsAtEverySize:
    """C: the claims ledger (pinned at 120x36 in test_snapshots.py) at the smallest and
    a wide terminal."""

    def test_claims(self, snap_compare, claims_app, size):  # noqa: F811
        assert snap_compare(claims_app, terminal_size=size, run_before=open_claims)


@SIZES
class TestProgressAtEverySize:
    """%: done per annotator and agreement so far (pinned at 120x36 in
    test_snapshots.py) at the smallest and a wide terminal."""

    def test_progress(self, snap_compare, team_app, size):  # noqa: F811
        assert snap_compare(team_app, terminal_size=size, run_before=settled_progress)


@pytest.fixture
def linked_app(db_path):
    """A team schema whose source_of declares attributes; one link, at the figure."""
    from tests.tui.test_link_editor import team_schema_store

    store, figure, _ = team_schema_store(db_path)
    yield ReaderApp(store), figure
    store.close()


@SIZES
class TestLinkEditor:
    """L on a linked span: its links; e on one: the span editor's form for the link's
    attributes and note, headed by its type and ends."""

    def test_link_list(self, snap_compare, linked_app, size):
        app, figure = linked_app
        run = at_offset(figure.start + 2, "L")
        assert snap_compare(app, terminal_size=size, run_before=run)

    def test_link_editor(self, snap_compare, linked_app, size):
        app, figure = linked_app
        run = at_offset(figure.start + 2, "L", "e")
        assert snap_compare(app, terminal_size=size, run_before=run)


def at_offset(offset: int, *keys: str):
    """A ``run_before``: the cursor on ``offset`` in the focused pane, then ``keys``."""

    async def run_before(pilot) -> None:
        await settled(pilot)
        pilot.app.screen.pane.view.move_to(offset)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        no_blink(pilot)
        await pilot.pause()

    return run_before


@SIZES
class TestReviewLinkValues:
    """A link both annotators made with different values, put in gold with B's: the
    A/B table of its attributes and note, and gold's link named under the panes."""

    def test_link_values_and_gold_links(self, snap_compare, valued_links, size):  # noqa: F811
        store, _ = valued_links

        async def run(pilot) -> None:
            await keys_after(None, "r", "tab", "enter", "enter", "m", "b")(pilot)
            pilot.app.clear_notifications()  # the table and the line are the picture
            await pilot.pause()

        assert snap_compare(ReaderApp(store), terminal_size=size, run_before=run)
