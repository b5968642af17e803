"""Times from outside are stored in one form, UTC with microseconds, the instant kept
(``times.check_timestamp``): in the database text order is then time order, which the
Label Studio export's latest ``updated_at`` and merge's "newer wins" rely on. A time
without an offset is taken as UTC (the reasons are in ``check_timestamp``'s docstring)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from formats_helpers import document, export, import_file

from reader.core.errors import ReaderError, ValidationError
from reader.core.links.values import LinkDraft
from reader.core.model import AnnotationDraft, DocumentStatus
from reader.core.store import Store
from reader.core.store.merge import merge_database
from reader.core.times import check_timestamp, instant

TEXT = "Bộ Y tế cho biết ít nhất 164 người đã thiệt mạng.\n"
# (as written, as stored)
STAMPS = [
    ("2022-01-05T10:00:00+07:00", "2022-01-05T03:00:00.000000+00:00"),  # Hanoi
    ("2022-01-05T10:00:00-05:00", "2022-01-05T15:00:00.000000+00:00"),
    ("2022-01-05T23:30:00-05:00", "2022-01-06T04:30:00.000000+00:00"),  # the next day in UTC
    ("2022-01-05T10:00:00.5+0700", "2022-01-05T03:00:00.500000+00:00"),
    ("2022-01-05T10:00:00,123456789Z", "2022-01-05T10:00:00.123456+00:00"),  # cut to µs
    ("2022-01-05T10:00:00.000000Z", "2022-01-05T10:00:00.000000+00:00"),  # Label Studio's
    ("2022-01-05T10:00:00", "2022-01-05T10:00:00.000000+00:00"),  # naive: UTC
    ("2022-01-05", "2022-01-05T00:00:00.000000+00:00"),  # a date alone: its start in UTC
    ("2022-01-05T03:00:00.000000+00:00", "2022-01-05T03:00:00.000000+00:00"),  # as stored
]


@pytest.mark.parametrize(("written", "stored"), STAMPS)
def test_a_time_is_stored_in_utc_with_its_instant_kept(written, stored):
    assert check_timestamp(written, "x") == stored
    assert instant(stored) == instant(written)


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:00:00-05:00"])
def test_a_time_outside_the_years_in_utc_is_refused_in_one_line(stamp):
    with pytest.raises(ValidationError, match=r"^f\.jsonl:3: created_at: .* years 1-9999"):
        check_timestamp(stamp, "f.jsonl:3: created_at")


@pytest.fixture
def store(new_store):
    store = new_store()
    store.sync_documents([document("tin", TEXT)])
    return store


def _line(n: int, stamp: str) -> dict:
    # One span per line: a different annotator each, so no line is another's twin.
    return {"document": "tin", "start": 0, "end": 4, "text": "Bộ Y", "label": "attribution",
            "attributes": {}, "note": "", "annotator": f"a{n}", "id": f"id{n}",
            "created_at": stamp, "updated_at": stamp}  # fmt: skip


def test_a_jsonl_import_stores_every_time_in_utc(store, tmp_path):
    # Each stamp twice: the second line takes the importer's path for times it has seen.
    lines = [_line(n, stamp) for n, (stamp, _) in enumerate(STAMPS + STAMPS)]
    path = tmp_path / "times.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    import_file(store, "jsonl", path)
    for n, (_, stored) in enumerate(STAMPS + STAMPS):
        annotation = store.annotation(f"id{n}")
        assert (annotation.created_at, annotation.updated_at) == (stored, stored)


def test_after_an_import_text_order_is_time_order(store, tmp_path):
    # 10:00 in Hanoi is 03:00 UTC: earlier than 09:30 UTC, though later as written text.
    written = ["2022-01-05T10:00:00+07:00", "2022-01-05T09:30:00Z"]
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(_line(n, s)) + "\n" for n, s in enumerate(written)))
    import_file(store, "jsonl", path)
    stored = [store.annotation(f"id{n}").updated_at for n in range(2)]
    assert sorted(stored) == stored  # and by instant, Hanoi's is the earlier
    assert instant(stored[0]) < instant(stored[1])


def test_a_label_studio_import_stores_its_z_times_in_utc(store, tmp_path):
    project = [{
        "id": 1, "data": {"text": TEXT, "document": "tin"},
        "annotations": [{
            "id": 7, "completed_by": 1, "was_cancelled": False,
            "created_at": "2024-05-02T17:00:00+07:00", "updated_at": "2024-05-02T10:05:00Z",
            "result": [{"id": "r1", "type": "labels", "from_name": "label", "to_name": "text",
                        "value": {"start": 0, "end": 4, "labels": ["attribution"]}}],
        }],
    }]  # fmt: skip
    path = tmp_path / "project.json"
    path.write_text(json.dumps(project), "utf-8")
    import_file(store, "labelstudio", path)
    [annotation] = store.iter_annotations()
    assert annotation.created_at == "2024-05-02T10:00:00.000000+00:00"
    assert annotation.updated_at == "2024-05-02T10:05:00.000000+00:00"


def test_the_label_studio_export_takes_the_latest_time_by_instant(store, tmp_path):
    """A database made before times were stored in UTC may hold them with offsets."""
    first = store.create("tin", 0, 4, "attribution")
    second = store.create("tin", 25, 35, "casualty")
    with store.conn:
        for made, stamp in [
            (first, "2026-01-08T10:00:00+07:00"),  # 03:00 UTC: the earlier
            (second, "2026-01-08T09:30:00+00:00"),
        ]:
            store.conn.execute(
                "UPDATE annotations SET updated_at = ? WHERE id = ?", (stamp, made.id)
            )
    out = tmp_path / "tasks.json"
    export(store, "labelstudio", out)
    [task] = json.loads(out.read_text("utf-8"))
    [item] = task["annotations"]
    assert item["updated_at"] == "2026-01-08T09:30:00+00:00"


def test_link_and_status_times_are_checked_and_stored_in_utc(store):
    store.import_items(
        [
            AnnotationDraft("tin", 0, 16, "attribution", "an", id="src"),
            AnnotationDraft("tin", 25, 48, "casualty", "an", id="claim"),
            LinkDraft(
                "source_of",
                "src",
                "claim",
                "an",
                id="l1",
                created_at="2022-01-05T10:00:00+07:00",
                updated_at="2022-01-05T10:00:00",
            ),
            DocumentStatus("tin", "an", "done", "2022-01-05T10:00:00-05:00"),
        ],
        source="drafts",
    )
    [link] = store.iter_links()
    assert (link.created_at, link.updated_at) == (
        "2022-01-05T03:00:00.000000+00:00", "2022-01-05T10:00:00.000000+00:00"
    )  # fmt: skip
    [status] = store.statuses("tin")
    assert status.updated_at == "2022-01-05T15:00:00.000000+00:00"


@pytest.mark.parametrize("field", ["created_at", "updated_at"])
def test_a_link_time_that_is_not_iso_8601_refuses_the_import(store, field):
    drafts = [
        AnnotationDraft("tin", 0, 16, "attribution", "an", id="src"),
        AnnotationDraft("tin", 25, 48, "casualty", "an", id="claim"),
        LinkDraft("source_of", "src", "claim", "an", where="links.json:2", **{field: "yesterday"}),
    ]
    with pytest.raises(ReaderError, match=f"links.json:2: {field}: 'yesterday' is not an ISO"):
        store.import_items(drafts, source="links.json")
    assert list(store.iter_annotations()) == []  # all or nothing


def test_merge_stores_their_times_in_utc(tmp_path):
    with Store.open(tmp_path / "a.db", annotator="an") as an:
        an.sync_documents([document("tin", TEXT)])
        made = an.create("tin", 0, 4, "attribution")
        an.set_status("tin", "done")
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    with Store.open(tmp_path / "b.db", annotator="an") as theirs, theirs.conn:
        # as an older reader's import left them: the writer's offset, kept
        theirs.conn.execute(
            "UPDATE annotations SET note = 'later', updated_at = '2099-01-05T10:00:00+07:00'"
        )
        theirs.conn.execute("UPDATE document_status SET updated_at = '2099-01-05T10:00:00-05:00'")
        theirs.conn.execute(  # the log is append-only: one more event, as written then
            "INSERT INTO events (id, annotation, action, before, after, annotator, session, at, "
            "reverts, subject) SELECT 'e-offset', annotation, action, before, after, annotator, "
            "session, '2022-01-05T10:00:00+07:00', reverts, subject FROM events LIMIT 1"
        )
    with Store.open(tmp_path / "lead.db", annotator="lead") as lead:
        merge_database(lead, tmp_path / "b.db")
        assert lead.annotation(made.id).updated_at == "2099-01-05T03:00:00.000000+00:00"
        assert lead.statuses("tin")[0].updated_at == "2099-01-05T15:00:00.000000+00:00"
        [at] = lead.conn.execute("SELECT at FROM events WHERE id = 'e-offset'").fetchone()
        assert at == "2022-01-05T03:00:00.000000+00:00"
    with Store.open(tmp_path / "a.db", annotator="lead") as ours:  # newer wins, by instant
        assert merge_database(ours, tmp_path / "b.db").annotations_updated == 1
        assert ours.annotation(made.id).note == "later"


# An event's before and after snapshot a row, times and all: (as another database may
# hold them, as stored after the merge). Undo puts a snapshot back as the row.
SNAPSHOT_TIMES = {
    "created_at": ("2022-01-05T10:00:00+07:00", "2022-01-05T03:00:00.000000+00:00"),
    "updated_at": ("2022-01-05T10:00:00Z", "2022-01-05T10:00:00.000000+00:00"),
    "deleted_at": ("2022-01-05T10:00:00", "2022-01-05T10:00:00.000000+00:00"),  # naive: UTC
}
STORED_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00")


def _annotate_and_link(store: Store) -> None:
    """Every kind of snapshot: annotations and a link made, changed, deleted."""
    store.sync_documents([document("tin", TEXT)])
    who = store.create("tin", 0, 7, "attribution")
    start = TEXT.index("164")
    one = store.create("tin", start, start + len("164 người đã thiệt mạng"), "casualty")
    link = store.create_link(who.id, one.id, "source_of")
    store.update_link(link.id, note="theo")
    store.update(who.id, note="nguồn")
    store.delete_link(link.id)
    store.delete(one.id)


@contextmanager
def _forged_log(path: Path) -> Iterator[sqlite3.Connection]:
    """Another database's log, rewritten as another tool (or a hand) could: reader's
    own keeps its log append-only (a trigger), theirs need not."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("DROP TRIGGER events_append_only_update")
            yield conn
    finally:
        conn.close()


def _snapshots(conn) -> list[tuple[str, str, dict]]:
    """(subject, before or after, the record) of every snapshot in a database's log."""
    rows = conn.execute("SELECT subject, before, after FROM events WHERE action != 'import'")
    return [
        (subject, name, json.loads(state))
        for subject, *states in rows
        for name, state in zip(("before", "after"), states, strict=True)
        if state is not None
    ]


def test_merge_stores_the_times_in_their_event_snapshots_in_utc(tmp_path):
    with Store.open(tmp_path / "a.db", annotator="an") as an:
        _annotate_and_link(an)
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    with _forged_log(tmp_path / "b.db") as theirs:
        for seq, *states in theirs.execute("SELECT seq, before, after FROM events").fetchall():
            written = [None if s is None else json.loads(s) for s in states]
            for record in filter(None, written):
                for name, (given, _) in SNAPSHOT_TIMES.items():
                    if record.get(name) is not None:
                        record[name] = given
            theirs.execute(
                "UPDATE events SET before = ?, after = ? WHERE seq = ?",
                (*(None if r is None else json.dumps(r) for r in written), seq),
            )
    with Store.open(tmp_path / "lead.db", annotator="lead") as lead:
        merge_database(lead, tmp_path / "b.db")
        snapshots = _snapshots(lead.conn)
        seen = {(subject, name) for subject, _, record in snapshots for name in SNAPSHOT_TIMES
                if record.get(name) is not None}  # fmt: skip
        # both subjects, each time: the rewrite reached every kind of snapshot
        assert seen == {(s, n) for s in ("annotation", "link") for n in SNAPSHOT_TIMES}
        for _, _, record in snapshots:
            for name, (_, stored) in SNAPSHOT_TIMES.items():
                assert record.get(name) in (None, stored), (name, record)
        # the history reads them back: every event's after, live or a tombstone
        assert {e.after.created_at for e in lead.events()} == {SNAPSHOT_TIMES["created_at"][1]}


def test_event_snapshots_already_in_the_stored_form_are_merged_as_written(tmp_path):
    with Store.open(tmp_path / "a.db", annotator="an") as an:
        _annotate_and_link(an)
    query = "SELECT id, before, after FROM events ORDER BY id"
    with Store.open(tmp_path / "a.db", annotator="an") as an:
        theirs = an.conn.execute(query).fetchall()
    with Store.open(tmp_path / "lead.db", annotator="lead") as lead:
        merge_database(lead, tmp_path / "a.db")
        assert lead.conn.execute(query).fetchall() == theirs


@pytest.mark.parametrize(
    ("state", "fault"),
    [
        ('{"updated_at": "yesterday"}', r"after: updated_at: 'yesterday' is not an ISO 8601 time"),
        ('{"deleted_at": "2022-02-30T10:00:00Z"}', r"after: deleted_at: .* is not an ISO 8601"),
        ("[1, 2]", r"after: not a JSON object"),
        ("{", r"after: not JSON"),
    ],
)
def test_a_bad_event_snapshot_refuses_the_merge_in_one_line(tmp_path, state, fault):
    with Store.open(tmp_path / "a.db", annotator="an") as an:
        _annotate_and_link(an)
    with _forged_log(tmp_path / "a.db") as theirs:
        theirs.execute("UPDATE events SET after = ? WHERE action = 'delete'", (state,))
    with Store.open(tmp_path / "lead.db", annotator="lead") as lead:
        with pytest.raises(ValidationError, match=rf"^{tmp_path / 'a.db'}: event [^:]+: {fault}"):
            merge_database(lead, tmp_path / "a.db")
        assert lead.conn.execute("SELECT count(*) FROM events").fetchone() == (0,)
        assert list(lead.iter_annotations()) == []  # all or nothing


def test_every_time_reader_writes_into_a_snapshot_is_in_the_stored_form(tmp_path):
    """Its own snapshots need no normalizing: made, changed, deleted, undone, redone, and
    those a merge brought in."""
    from reader.core import history

    with Store.open(tmp_path / "b.db", annotator="binh") as binh:
        _annotate_and_link(binh)
    with Store.open(tmp_path / "a.db", annotator="an") as an:
        _annotate_and_link(an)
        history.undo(an)
        history.undo(an)
        history.redo(an)
        merge_database(an, tmp_path / "b.db")
        snapshots = _snapshots(an.conn)
    times = [record[n] for _, _, record in snapshots for n in SNAPSHOT_TIMES if record.get(n)]
    assert len(times) > 3 * len(snapshots) / 2  # every snapshot has two, deletions three
    assert [t for t in times if not STORED_TIME.fullmatch(t) or check_timestamp(t, "") != t] == []
