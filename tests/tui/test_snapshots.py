"""Snapshots pin the look of the key screens at a fixed terminal size (120x36)."""

from __future__ import annotations

import pytest

from reader.core.corpus import read_corpus
from reader.core.store import Store
from reader.tui.app import ReaderApp
from tests.helpers import CORPUS
from tests.tui.review_pilot import open_review
from tests.tui.waiting import aligned, until

SIZE = (120, 36)


@pytest.fixture
def annotated_app(tmp_path):
    store = Store.open(tmp_path / "snap.db", annotator="lan")
    store.sync_documents(read_corpus(CORPUS))
    first, second = [d.id for d in store.documents()[:2]]
    text = store.document(first).text
    for needle, label in (
        ("4.500 kẻ bạo loạn", "casualty"),
        ("Almaty - Bishkek", "attribution"),
        ("bạo loạn và lật đổ thất bại", "propaganda"),
        ("lật đổ", "casualty"),
    ):
        start = text.index(needle)
        store.create(first, start, start + len(needle), label)
    other = store.document(second).text
    start = other.index("quân đội Nga")
    store.create(second, start, start + len("quân đội Nga"), "attribution")
    yield ReaderApp(store)
    store.close()


async def settled(pilot) -> None:
    """Shared passages are aligned in a worker after the first paint: wait for it, so the
    side marks are always in the picture."""
    await aligned(pilot)


async def settled_help(pilot) -> None:
    await settled(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


class TestAnnotateScreen:
    def test_annotate_screen_with_all_three_labels(self, snap_compare, annotated_app):
        assert snap_compare(annotated_app, terminal_size=SIZE, run_before=settled)

    def test_help_screen_lists_every_binding(self, snap_compare, annotated_app):
        assert snap_compare(annotated_app, terminal_size=SIZE, run_before=settled_help)


def _team(tmp_path) -> Store:
    """Three annotators: lan and minh share the first document (both done, with one
    disagreement), lan has finished hers, hoa has begun one of two."""
    db = tmp_path / "team.db"
    store = Store.open(db, annotator="lan")
    store.sync_documents(read_corpus(CORPUS))
    ids = [d.id for d in store.documents()]
    store.change_assignments(
        add=[
            (ids[0], "lan"), (ids[0], "minh"), (ids[1], "lan"), (ids[2], "minh"),
            (ids[3], "hoa"), (ids[4], "hoa"),
        ],
        via="snapshot",
    )  # fmt: skip
    text = store.document(ids[0]).text
    work = {
        "lan": [("4.500 kẻ bạo loạn", "casualty"), ("Almaty - Bishkek", "attribution")],
        "minh": [("4.500 kẻ bạo loạn", "casualty"), ("bạo loạn và lật đổ", "propaganda")],
    }
    for name, spans in work.items():
        with Store.open(db, annotator=name) as own:
            for needle, label in spans:
                start = text.index(needle)
                own.create(ids[0], start, start + len(needle), label)
            own.set_status(ids[0], "done")
    store.set_status(ids[1], "done")
    with Store.open(db, annotator="hoa") as own:
        own.create(ids[3], 0, 4, "casualty")
    return store


@pytest.fixture
def team_app(tmp_path):
    store = _team(tmp_path)
    yield ReaderApp(store)
    store.close()


@pytest.fixture
def queue_app(tmp_path):
    """lan's second assigned document is open again: her queue is half done."""
    store = _team(tmp_path)
    store.set_status(store.documents()[1].id, "in_progress")
    yield ReaderApp(store)
    store.close()


async def settled_progress(pilot) -> None:
    await settled(pilot)
    await pilot.press("percent_sign")
    await pilot.pause()


class TestProgressScreen:
    def test_progress_screen_draws_bars_for_done_and_agreement(self, snap_compare, team_app):
        assert snap_compare(team_app, terminal_size=SIZE, run_before=settled_progress)


async def settled_picker(pilot) -> None:
    from textual.widgets import Input

    await settled(pilot)
    await pilot.press("p")
    await pilot.pause()
    pilot.app.screen.query_one(Input).cursor_blink = False  # a blink is no difference
    await pilot.pause()


class TestQueue:
    def test_picker_lists_the_queue_first_and_marks_unassigned(self, snap_compare, queue_app):
        """lan's queue: the status line says '1 of 2 done'; the picker lists her document
        to do, then the one done, then the others marked not assigned."""
        assert snap_compare(queue_app, terminal_size=SIZE, run_before=settled_picker)


@pytest.fixture
def claims_app(tmp_path):
    """Two outlets' casualty figures, one attributed: the Claims screen's picture."""
    from tests.helpers import make_document

    store = Store.open(tmp_path / "claims.db", annotator="lan")
    store.sync_documents(
        [
            make_document("almaty", "Theo Bộ Y tế, 164 người thiệt mạng; 2.200 người bị thương.\n"),
            make_document("ria", "RIA Novosti: 225 người chết và hơn 2.000 người bị thương.\n"),
        ]
    )
    made = {}
    for doc, words, label, attributes in (
        ("almaty", "Theo Bộ Y tế", "attribution", {"source": "Bộ Y tế", "cue": "theo"}),
        ("almaty", "164 người thiệt mạng", "casualty", {"outcome": "killed", "value_best": 164}),
        ("almaty", "2.200 người bị thương", "casualty", {"outcome": "injured", "value_best": 2200}),
        ("ria", "225 người chết", "casualty", {"outcome": "killed", "value_best": 225}),
        ("ria", "hơn 2.000 người bị thương", "casualty", {"outcome": "injured", "value_low": 2000}),
    ):
        text = store.document(doc).text
        start = text.index(words)
        made[words] = store.create(doc, start, start + len(words), label, attributes=attributes)
    store.create_link(made["Theo Bộ Y tế"].id, made["164 người thiệt mạng"].id, "source_of")
    yield ReaderApp(store)
    store.close()


async def open_claims(pilot) -> None:
    await settled(pilot)
    await pilot.press("C")
    await pilot.pause()


class TestClaimsScreen:
    def test_claims_with_sources_and_a_bar_per_document(self, snap_compare, claims_app):
        assert snap_compare(claims_app, terminal_size=SIZE, run_before=open_claims)


@pytest.fixture
def editing_app(tmp_path):
    """A casualty span tagged as the app tags it, the cursor on it."""
    from reader.core.tagging import tag

    store = Store.open(tmp_path / "edit.db", annotator="lan")
    store.sync_documents(read_corpus(CORPUS))
    first = store.documents()[0].id
    text = store.document(first).text
    phrase = "hơn 1.300 cảnh sát, quân đội Vệ binh Quốc gia và quân nhân bị thương"
    start = text.index(phrase)
    tag(store, first, text, start, (start, start + len(phrase)), "casualty")
    app = ReaderApp(store)
    app.editing_at = start + 2
    yield app
    store.close()


async def open_editor_on_value_best(pilot) -> None:
    await settled(pilot)
    pilot.app.screen.pane.view.move_to(pilot.app.editing_at)
    await pilot.press("e")
    await pilot.pause()
    pilot.app.screen.query_one("#attr-value_best").focus()
    await pilot.pause()


class TestAttributeEditor:
    def test_the_editor_at_80_by_24(self, snap_compare, editing_app):
        assert snap_compare(
            editing_app, terminal_size=(80, 24), run_before=open_editor_on_value_best
        )


@pytest.fixture
def valued_review_app(tmp_path):
    """lan and minh mark the same casualty span with different counts and groups."""
    store = Store.open(tmp_path / "values.db", annotator="lan")
    store.sync_documents(read_corpus(CORPUS))
    first = store.documents()[0].id
    text = store.document(first).text
    start = text.index("164 người thiệt mạng")
    end = start + len("164 người thiệt mạng")
    store.create(
        first, start, end, "casualty",
        attributes={"value_best": 164, "outcome": "killed", "qualifier": "exact"},
        note="theo Bộ Y tế",
    )  # fmt: skip
    store.set_status(first, "done")
    minh = Store.open(store.path, annotator="minh")
    minh.create(
        first, start, end, "casualty",
        attributes={"value_best": 160, "outcome": "killed", "victim_group": "unknown"},
    )  # fmt: skip
    minh.set_status(first, "done")
    minh.close()
    yield ReaderApp(store, gold="gold")
    store.close()


async def open_valued_review(pilot) -> None:
    await settled(pilot)
    await open_review(pilot.app, pilot)
    await pilot.press("v", "v", "B")
    await pilot.pause()


class TestReviewValues:
    def test_the_attribute_table_of_a_disagreement(self, snap_compare, valued_review_app):
        assert snap_compare(valued_review_app, terminal_size=SIZE, run_before=open_valued_review)


@pytest.fixture
def overlapped_app(tmp_path):
    """As after `reader assign --overlap`: the first document given to lan and minh (one
    disagreement), the second to lan only, the third to minh only; hà tagged one span."""
    store = Store.open(tmp_path / "overlap.db", annotator="lan")
    store.sync_documents(read_corpus(CORPUS))
    first, second, third = [d.id for d in store.documents()[:3]]
    pairs = [(first, "lan"), (first, "minh"), (second, "lan"), (third, "minh")]
    store.change_assignments(pairs, via="test")
    minh = Store.open(store.path, annotator="minh")
    hà = Store.open(store.path, annotator="hà")
    for s, doc in ((store, first), (minh, first), (store, second), (minh, third)):
        s.create(doc, 0, 9, "casualty")
    minh.create(first, 20, 30, "propaganda")
    hà.create(first, 0, 9, "casualty")
    minh.close()
    hà.close()
    yield ReaderApp(store, gold="gold")
    store.close()


async def open_picker(pilot) -> None:
    await settled(pilot)
    await pilot.press("r")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "AnnotatorPicker", "picker")


async def open_table(pilot) -> None:
    await open_picker(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "ReviewScreen", "the table")


class TestReviewTable:
    def test_the_picker_says_who_is_chosen_in_text(self, snap_compare, overlapped_app):
        assert snap_compare(overlapped_app, terminal_size=(80, 24), run_before=open_picker)

    def test_the_table_at_80_by_24_lists_unshared_documents_apart(
        self, snap_compare, overlapped_app
    ):
        assert snap_compare(overlapped_app, terminal_size=(80, 24), run_before=open_table)

    def test_the_table_at_160_by_40(self, snap_compare, overlapped_app):
        assert snap_compare(overlapped_app, terminal_size=(160, 40), run_before=open_table)
