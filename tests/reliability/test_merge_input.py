"""A merged database is outside input (issue 13): every row of it passes the checks an
imported line does (label, attribute values and bounds, offsets inside the text and on
grapheme boundaries, covered text, names, ids, origin, times), and links and
assignments come in by the same rules. A bad row refuses the whole file in one line
naming the file, the row and what is wrong; the database stays byte for byte the same.
Merging the same file twice changes nothing, links and assignments included."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reader.cli import cli
from reader.core.store import Store
from reader.core.store.merge import merge_database
from tests.helpers import file_digest, make_document

#: Vietnamese, an emoji of two code points drawn as one (thumbs up, skin tone), a CRLF
#: and an NFD "ư" in the raw form: the stored text is NFC with "\n".
RAW = "Ngày 8/1, 164 người thiệt mạng 👍🏽 tại Almaty.\r\nCu\u031bo\u031b\u0300i.\n"
FIGURE = (10, 13)  # "164"
EMOJI = RAW.index("👍")


@pytest.fixture
def db(tmp_path):
    """The lead's database, holding the document "tin"."""
    path = tmp_path / "annotations.db"
    with Store.open(path, annotator="lead") as store:
        store.sync_documents([make_document("tin", RAW)])
    return path


def annotator_db(path: Path, name: str = "binh") -> dict[str, str]:
    """Her database: "tin", a casualty on "164", an attribution on "Almaty", a link
    from the attribution to the casualty; returns their ids."""
    with Store.open(path, annotator=name) as store:
        store.sync_documents([make_document("tin", RAW)])
        text = store.document("tin").text
        casualty = store.create(
            "tin", *FIGURE, "casualty", attributes={"value_best": 164, "outcome": "killed"}
        )
        at = text.index("Almaty")
        attribution = store.create("tin", at, at + 6, "attribution")
        link = store.create_link(attribution.id, casualty.id, "source_of")
    return {"casualty": casualty.id, "attribution": attribution.id, "link": link.id}


def tamper(path: Path, sql: str, *args: object) -> None:
    """Change their database behind reader's back, as a hostile or broken file would."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql, args)
    conn.close()


def merge_refused(db: Path, other: Path, *fragments: str) -> str:
    before = file_digest(db)
    result = CliRunner().invoke(cli, ["merge", "--db", str(db), str(other)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert other.name in lines[0], result.output
    for fragment in fragments:
        assert fragment in lines[0], result.output
    assert file_digest(db) == before
    return lines[0]


@pytest.mark.parametrize(
    "column, value, fragments",
    [
        ("label", "bogus", ("label: unknown label 'bogus'",)),
        ("attributes", '{"value_best": 1180591620717411303424}', ("value_best", "64-bit")),
        ("attributes", '{"value_best": -5}', ("value_best", "below 0")),
        ("attributes", '{"outcome": "exploded"}', ("outcome", "'exploded' is not one of")),
        ("attributes", '{"colour": "red"}', ("colour",)),
        ("attributes", "not json", ("attributes: not a JSON object",)),
        ("attributes", "[1, 2]", ("attributes: not a JSON object",)),
        ("end", 10_000, ("end:", "not inside document tin")),
        ("text", "999", ("text: '999' does not match the document", "'164'")),
        ("annotator", "bi\x1bnh", ("annotator", "U+001B")),
        ("annotator", "../etc", ("annotator", "'/'")),
        ("origin", "stolen", ("origin: 'stolen' is not one of",)),
        ("note", "x" * 10_001, ("note must be text",)),
        ("document", "../../etc", ("document", "not a safe name")),
        ("document_sha256", "0" * 64, ("document_sha256", "no version of tin")),
        ("created_at", "yesterday", ("created_at", "ISO 8601")),
        ("deleted_at", "\x1b[2J", ("deleted_at", "ISO 8601")),
        ("orphaned", 7, ("orphaned: 7",)),
    ],
)
def test_a_bad_annotation_row_refuses_the_file(db, tmp_path, column, value, fragments):
    other = tmp_path / "other.db"
    ids = annotator_db(other)
    tamper(other, f'UPDATE annotations SET "{column}" = ? WHERE id = ?', value, ids["casualty"])
    line = merge_refused(db, other, f"annotation {ids['casualty']}", *fragments)
    assert "\x1b" not in line


def test_an_offset_splitting_an_emoji_is_refused(db, tmp_path):
    other = tmp_path / "other.db"
    ids = annotator_db(other)
    # [EMOJI, EMOJI + 1) would cut the thumbs up from its skin tone.
    tamper(
        other, 'UPDATE annotations SET start = ?, "end" = ?, text = ? WHERE id = ?',
        EMOJI, EMOJI + 1, "👍", ids["casualty"],
    )  # fmt: skip
    merge_refused(db, other, f"annotation {ids['casualty']}", "end: offset", "splits a character")


def test_an_unusable_annotation_id_is_refused(db, tmp_path):
    other = tmp_path / "other.db"
    ids = annotator_db(other)
    conn = sqlite3.connect(other)  # the link and the events follow the id, as a file would
    with conn:
        for sql in (
            "UPDATE annotations SET id = ? WHERE id = ?",
            "UPDATE links SET target = ? WHERE target = ?",
        ):
            conn.execute(sql, ("bad\nid", ids["casualty"]))
    conn.close()
    merge_refused(db, other, "annotations: id: 'bad\\nid' is not a usable annotation id")


def test_a_tombstone_and_an_orphan_on_an_older_text_come_in(db, tmp_path):
    """Rows made on an earlier version are checked against that version, which the
    merge brings along: a lead can merge a merged database again."""
    other = tmp_path / "other.db"
    ids = annotator_db(other)
    with Store.open(other, annotator="binh") as store:
        store.delete(ids["attribution"])
        store.sync_documents([make_document("tin", "Tin mới hoàn toàn khác.\n")])
        assert store.annotation(ids["casualty"]).orphaned
    with Store.open(db, annotator="lead") as lead:
        merge_database(lead, other)
        assert lead.annotation(ids["attribution"]).deleted_at is not None
    third = tmp_path / "third.db"
    with Store.open(third, annotator="lead") as store:
        summary = merge_database(store, db)
        assert summary.annotations_added == 2
        again = merge_database(store, db)
        assert (again.annotations_added, again.annotations_updated) == (0, 0)
        assert again.documents_versioned == again.documents_added == 0


@pytest.mark.parametrize(
    "sql, fragments",
    [
        ("UPDATE links SET type = 'bogus'", ("type:", "unknown link type 'bogus'")),
        ("UPDATE links SET annotator = 'hoa'", ("hoa's own annotations",)),
        ("UPDATE links SET attributes = '{\"x\": 1}'", ("attributes",)),
        ("UPDATE links SET origin = 'stolen'", ("origin: 'stolen'",)),
        ("UPDATE links SET updated_at = 'soon'", ("updated_at", "ISO 8601")),
        # source_of runs from an attribution to a claim, not back.
        ("UPDATE links SET source = target, target = source", ("source_of runs from attribution",)),
    ],
)
def test_a_bad_link_row_refuses_the_file(db, tmp_path, sql, fragments):
    other = tmp_path / "other.db"
    ids = annotator_db(other)
    tamper(other, sql)
    merge_refused(db, other, f"link {ids['link']}", *fragments)


def test_a_link_to_an_annotation_in_neither_database_is_refused(db, tmp_path):
    other = tmp_path / "other.db"
    ids = annotator_db(other)
    tamper(other, "UPDATE links SET target = 'gone'")  # foreign keys are off outside reader
    merge_refused(db, other, f"link {ids['link']}", "to: annotation 'gone' is in neither database")


def test_links_merge_once_and_a_deleted_end_shows_as_dangling(db, tmp_path):
    other = tmp_path / "other.db"
    ids = annotator_db(other)
    with Store.open(db, annotator="lead") as lead:
        first = merge_database(lead, other)
        assert first.links_added == 1
        before = lead.conn.execute("SELECT * FROM links").fetchall()
        events = len(lead.events())
        again = merge_database(lead, other)
        assert (again.links_added, again.links_updated, again.links_unchanged) == (0, 0, 1)
        assert lead.conn.execute("SELECT * FROM links").fetchall() == before
        assert len(lead.events()) == events
    with Store.open(other, annotator="binh") as store:
        store.delete(ids["casualty"])  # the link stays, its end gone
    with Store.open(db, annotator="lead") as lead:
        merge_database(lead, other)
        assert lead.link_state(ids["link"]) == "dangling"


def test_a_status_for_a_document_in_neither_database_is_refused(db, tmp_path):
    other = tmp_path / "other.db"
    annotator_db(other)
    tamper(
        other, "INSERT INTO document_status VALUES ('ghost', 'binh', 'done', ?)",
        "2026-01-08T09:30:00+00:00",
    )  # fmt: skip
    merge_refused(db, other, "status of 'ghost'", "not in the database")


def test_a_status_keeps_the_later_by_time_not_by_text(db, tmp_path):
    """Her "in progress" at 10:00+07:00 (03:00 UTC) came before the lead's "done" at 09:30Z."""
    other = tmp_path / "other.db"
    annotator_db(other)
    row = "INSERT OR REPLACE INTO document_status VALUES ('tin', 'binh', ?, ?)"
    tamper(other, row, "in_progress", "2026-01-08T10:00:00+07:00")
    tamper(db, row, "done", "2026-01-08T09:30:00Z")
    with Store.open(db, annotator="lead") as lead:
        assert merge_database(lead, other).statuses_set == 0
        assert lead.status("tin", "binh") == "done"
    tamper(other, row, "new", "2026-01-08T09:31:00Z")
    with Store.open(db, annotator="lead") as lead:
        assert merge_database(lead, other).statuses_set == 1
        assert lead.status("tin", "binh") == "new"


# -- assignments ----------------------------------------------------------------------


def assign(db: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["assign", "--db", str(db), *args])
    assert result.exit_code == 0, result.output


def test_assignments_merge_with_their_log_and_twice_changes_nothing(db, tmp_path):
    other = tmp_path / "other.db"
    annotator_db(other)
    assign(other, "--annotators", "binh,hoa", "--per-document", "2", "--overlap", "1")
    with Store.open(db, annotator="lead") as lead:
        first = merge_database(lead, other)
        assert first.assignments_added == 2
        assert lead.assignments() == {"tin": ("binh", "hoa")}
        log = lead.assignment_events()
        assert [(e.action, e.annotator) for e in log] == [("assign", "binh"), ("assign", "hoa")]
        again = merge_database(lead, other)
        assert (again.assignments_added, again.assignments_removed) == (0, 0)
        assert lead.assignment_events() == log


def test_an_assignment_the_lead_removed_since_stays_removed(db, tmp_path):
    """The lead hands out copies, then unassigns hoa; hoa's copy comes back with the old
    assignment in it. The later event wins: hoa stays unassigned, binh stays assigned."""
    assign(db, "--annotators", "binh,hoa", "--per-document", "2", "--overlap", "1")
    copy = tmp_path / "hoa.db"
    shutil.copy(db, copy)
    assign(db, "--annotators", "hoa", "--documents", "tin", "--remove")
    with Store.open(copy, annotator="hoa") as store:
        store.create("tin", *FIGURE, "casualty")
    with Store.open(db, annotator="lead") as lead:
        summary = merge_database(lead, copy)
        assert (summary.assignments_added, summary.assignments_removed) == (0, 0)
        assert lead.assignments() == {"tin": ("binh",)}
        assert summary.annotations_added == 1
    # And the other way: the lead's database merged into the stale copy removes hoa there.
    with Store.open(copy, annotator="hoa") as store:
        assert merge_database(store, db).assignments_removed == 1
        assert store.assignments() == {"tin": ("binh",)}


def test_the_latest_assignment_event_is_latest_by_time_not_by_text(db, tmp_path):
    """Their assign at 10:00+07:00 (03:00 UTC) came before our unassign at 09:30 UTC."""
    other = tmp_path / "other.db"
    annotator_db(other)
    event = "INSERT INTO assignment_events (action, document, annotator, by, via, at) "
    tamper(other, "INSERT INTO assignments VALUES ('tin', 'hoa', ?)", "2026-01-08T10:00:00+07:00")
    tamper(
        other,
        event + "VALUES ('assign', 'tin', 'hoa', 'lead', '{}', ?)",
        "2026-01-08T10:00:00+07:00",
    )
    tamper(db, event + "VALUES ('unassign', 'tin', 'hoa', 'lead', '{}', ?)", "2026-01-08T09:30:00Z")
    with Store.open(db, annotator="lead") as lead:
        summary = merge_database(lead, other)
        assert summary.assignments_added == 0 and lead.assignments() == {}
        assert [e.action for e in lead.assignment_events()] == ["unassign", "assign"]


@pytest.mark.parametrize(
    "sql, fragments",
    [
        (
            "INSERT INTO assignments VALUES ('ghost', 'binh', '2026-01-08T09:30:00+00:00')",
            ("assignment of 'ghost' to 'binh'", "in neither database"),
        ),
        (
            "INSERT INTO assignments VALUES ('tin', 'b/inh', '2026-01-08T09:30:00+00:00')",
            ("annotator", "'/'"),
        ),
        (
            (
                "INSERT INTO assignment_events (action, document, annotator, by, via, at) "
                "VALUES ('assign', 'tin', 'binh', 'lead', 'x', 'later')"
            ),
            ("assignment event 1", "at:", "ISO 8601"),
        ),
    ],
)
def test_a_bad_assignment_refuses_the_file(db, tmp_path, sql, fragments):
    other = tmp_path / "other.db"
    annotator_db(other)
    tamper(other, sql)
    merge_refused(db, other, *fragments)
