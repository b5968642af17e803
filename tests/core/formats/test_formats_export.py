"""Exports never write outside their folder, never leave half a file, keep a terminal
safe, and say what they left out."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest
from formats_helpers import DATA, document, export, import_file

from reader.core.display import TerminalSafe
from reader.core.errors import ConflictError, FormatError, ReaderError
from reader.core.formats import ExportFilters, guess_format
from reader.core.formats.csv import cell
from reader.core.formats.folder import MARKER, OutputFolder
from reader.core.formats.jsonl import record
from reader.core.labels_file import default_schema
from reader.core.model import AnnotationDraft


def test_folder_refuses_names_that_climb_out_or_are_unsafe(tmp_path):
    with OutputFolder(tmp_path / "out") as folder:
        with pytest.raises(FormatError, match="outside"):
            folder.path("..", "escaped.txt")
        with pytest.raises(FormatError, match="outside"):
            folder.path(str(tmp_path / "absolute.txt"))
        home = folder.annotator_dir("alice")
        for bad in ("../evil", "/etc/passwd", "..", ".hidden"):
            with pytest.raises(ReaderError):
                folder.document_file(home, bad, ".txt")
        for bad in ("../bob", "a/b", ".."):
            with pytest.raises(ReaderError):
                folder.annotator_dir(bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [MARKER, "alice"]


def test_folder_refuses_names_that_differ_only_in_case(tmp_path):
    with OutputFolder(tmp_path / "out") as folder:
        folder.annotator_dir("Alice")
        with pytest.raises(FormatError, match="letter case"):
            folder.annotator_dir("alice")


def exported_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("fmt", ["brat", "ptc", "doccano"])
def test_a_folder_export_refuses_a_folder_with_files_and_overwrite_replaces_only_its_own(
    new_store, tmp_path, fmt
):
    """Stale files of an earlier export must not sit beside a new one; --overwrite must
    never delete a folder reader did not make."""
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    doc = store.documents()[0]
    technique = {"category": "justification", "technique": "Loaded_Language"}  # for PTC
    store.create(
        doc.id, 0, store.document(doc.id).text.index(" "), "propaganda", attributes=technique
    )
    tmp_path = tmp_path / "exports"  # the database lives in tmp_path itself
    mine = tmp_path / "mine"
    mine.mkdir(parents=True)
    (mine / "thesis.docx").write_bytes(b"years of work")
    for overwrite in (False, True):
        with pytest.raises(FormatError, match="holds files already" if not overwrite else MARKER):
            export(store, fmt, mine, overwrite=overwrite)
    assert exported_files(mine) == ["thesis.docx"] and len(list(tmp_path.iterdir())) == 1

    out = tmp_path / "out"
    export(store, fmt, out)
    first = exported_files(out)
    assert MARKER in first and len(first) > 1
    (out / "stale.ann").write_text("T1\tcasualty 0 1\tx\n", encoding="utf-8")
    with pytest.raises(FormatError, match="holds files already"):
        export(store, fmt, out)
    export(store, fmt, out, overwrite=True)
    assert exported_files(out) == first  # the stale file is gone with the old export
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "out"]  # no staging left


def test_a_failed_folder_export_leaves_the_earlier_export_as_it_was(new_store, tmp_path):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    tmp_path = tmp_path / "exports"
    out = tmp_path / "out"
    export(store, "brat", out)
    before = {name: (out / name).read_bytes() for name in exported_files(out)}
    from reader.core.formats import FormatOptions, get_format

    with pytest.raises(OSError, match="disk full"):
        get_format("brat").load().write(
            Failing(store), out, filters=ExportFilters(), options=FormatOptions(overwrite=True)
        )
    assert {name: (out / name).read_bytes() for name in exported_files(out)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_symlink_in_an_earlier_export_never_leads_writes_outside(new_store, tmp_path):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    export(store, "brat", out)
    annotator = next(p for p in out.iterdir() if p.is_dir())
    shutil.rmtree(annotator)
    annotator.symlink_to(outside, target_is_directory=True)
    export(store, "brat", out, overwrite=True)
    assert list(outside.iterdir()) == [] and not annotator.is_symlink()


def test_files_that_arrive_during_an_export_are_never_deleted(tmp_path):
    root = tmp_path / "out"
    with pytest.raises(FormatError, match="holds files already"), OutputFolder(root) as folder:
        (folder.annotator_dir("alice") / "a.ann").write_text("", encoding="utf-8")
        root.mkdir()
        (root / "thesis.docx").write_bytes(b"written meanwhile")
    assert exported_files(root) == ["thesis.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_symlinked_destination_is_followed_not_replaced(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    for overwrite in (False, True):
        with OutputFolder(link, overwrite=overwrite) as folder:
            (folder.annotator_dir("alice") / "a.ann").write_text("T1", encoding="utf-8")
    assert link.is_symlink() and exported_files(real) == [MARKER, "alice/a.ann"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_an_empty_current_folder_is_written_into_and_kept(tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    inode = here.stat().st_ino
    monkeypatch.chdir(here)
    with OutputFolder(Path(".")) as folder:
        (folder.annotator_dir("alice") / "a.ann").write_text("T1", encoding="utf-8")
    assert here.stat().st_ino == inode and exported_files(here) == [MARKER, "alice/a.ann"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]


def test_an_empty_folder_is_a_fine_destination(new_store, tmp_path):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    (tmp_path / "empty").mkdir()
    assert export(store, "brat", tmp_path / "empty") > 0
    assert any(name.endswith(".ann") for name in exported_files(tmp_path / "empty"))


def test_folder_format_refuses_standard_output(new_store):
    store = new_store()
    with pytest.raises(FormatError, match="folder"):
        export(store, "brat", io.StringIO())


class Failing:
    """An export source that breaks after a few annotations, like a disk or a bug would."""

    def __init__(self, store):
        self.store = store
        self.schema = store.schema

    def documents(self):
        return self.store.documents()

    def document(self, doc_id):
        return self.store.document(doc_id)

    def statuses(self):
        return self.store.statuses()

    def count_orphaned(self, **filters):
        return self.store.count_orphaned(**filters)

    def iter_annotations(self, **filters):
        for n, a in enumerate(self.store.iter_annotations(**filters)):
            if n == 1:
                raise OSError("disk full")
            yield a

    def iter_records(self, fields, **filters):
        for n, r in enumerate(self.store.iter_records(fields, **filters)):
            if n == 1:
                raise OSError("disk full")
            yield r


def test_failed_export_leaves_the_previous_file_whole_and_no_partial_file(new_store, tmp_path):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    dest = tmp_path / "out.jsonl"
    dest.write_text("the previous export\n", encoding="utf-8")
    with pytest.raises(FormatError, match="disk full"):
        from reader.core.formats import FormatOptions, get_format

        get_format("jsonl").load().write(
            Failing(store), dest, filters=ExportFilters(), options=FormatOptions()
        )
    assert dest.read_text(encoding="utf-8") == "the previous export\n"
    assert [
        p.name for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl")
    ] == []  # no temp file left


def test_terminal_output_escapes_control_characters_and_json_keeps_its_value():
    screen = io.StringIO()
    line = json.dumps({"text": "tin \x1b[2J nóng \x9b1m \u202eabc", "n": 1}, ensure_ascii=False)
    TerminalSafe(screen).write(line + "\n")
    shown = screen.getvalue()
    assert "\x1b" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert json.loads(shown) == json.loads(line)


def test_csv_cells_never_start_a_formula_and_numbers_stay_numbers():
    assert cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert cell("+1") == "'+1" and cell("-5 người") == "'-5 người" and cell("@x") == "'@x"
    assert cell("Hà Nội") == "Hà Nội" and cell(12) == 12 and cell(None) == ""


def test_orphaned_annotations_are_left_out_and_counted(new_store):
    store = new_store()
    store.import_items([document("d", "Bạo loạn ở Almaty hôm nay.")], source="v1")
    store.import_items(
        [AnnotationDraft(document="d", start=11, end=17, label="casualty", annotator="alice")],
        source="a",
    )
    store.import_items(
        [document("d", "Bạo loạn ở Astana hôm nay.")], source="v2"
    )  # the span's text is gone
    assert [a.orphaned for a in store.iter_annotations()] == [True]
    warnings: list[str] = []
    out = io.StringIO()
    assert export(store, "jsonl", out, warn=warnings.append) == 0
    assert out.getvalue() == ""
    assert any("1 orphaned" in w for w in warnings)


def test_doccano_single_file_needs_one_annotator(new_store, tmp_path):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    with pytest.raises(FormatError, match="one file per annotator"):
        export(store, "doccano", tmp_path / "all.jsonl")
    assert export(store, "doccano", tmp_path / "alice.jsonl", ExportFilters(annotator="alice")) == 1
    line = json.loads((tmp_path / "alice.jsonl").read_text(encoding="utf-8"))
    assert line["label"] == [[13, 44, "casualty"]]  # UTF-16: the emoji before counts two


def test_native_record_has_exactly_the_foundation_keys_in_order(new_store):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    keys = list(record(next(store.iter_annotations())))
    assert keys == ["id", "document", "document_sha256", "start", "end", "text", "label", "attributes",
                    "note", "annotator", "origin", "created_at", "updated_at"]  # fmt: skip
    out = io.StringIO()
    export(store, "jsonl", out)
    assert "Ít nhất" in out.getvalue()  # UTF-8, not \u-escaped


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (DATA / "doccano", "doccano"),
        (DATA / "doccano" / "alice.jsonl", "doccano"),
        (DATA / "prodigy" / "tasks.jsonl", "prodigy"),
        (DATA / "brat", "brat"),
        (DATA / "brat" / "alice" / "almaty.ann", "brat"),
        (DATA / "ptc", "ptc"),
        (DATA / "w3c" / "page.jsonld", "w3c"),
        (DATA / "jsonl" / "annotations.jsonl", "jsonl"),
        (DATA / "jsonl" / "by_document.jsonl", "jsonl"),
        (DATA / "brat" / "alice" / "almaty.txt", "articles"),
    ],
)
def test_auto_format_guess_from_path_and_first_line(path, expected):
    name, why = guess_format(path)
    assert name == expected and why


def test_csv_cannot_be_imported(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id\n", encoding="utf-8")
    with pytest.raises(FormatError, match="export format only"):
        guess_format(path)


def test_schema_attribute_columns_cover_every_label():
    from reader.core.formats.csv import header

    columns = header(default_schema())
    assert columns[:4] == ["id", "document", "start", "end"]
    assert (
        "attr.technique" in columns and "attr.value_best" in columns and columns[-1] == "attr.other"
    )
    assert len(columns) == len(set(columns))


def test_atomic_temp_files_do_not_survive_a_crash_in_a_folder_export(new_store, tmp_path):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    export(store, "brat", tmp_path / "brat")
    names = sorted(str(p.relative_to(tmp_path / "brat")) for p in (tmp_path / "brat").rglob("*"))
    assert names == [
        MARKER,
        "alice",
        "alice/almaty.ann",
        "alice/almaty.txt",
        "annotation.conf",
        "bob",
        "bob/almaty.ann",
        "bob/almaty.txt",
    ]
    assert not any(name.endswith(".part") for name in os.listdir(tmp_path))
    assert (tmp_path / "brat" / "alice" / "almaty.txt").read_bytes() == Path(
        DATA / "brat" / "alice" / "almaty.txt"
    ).read_bytes()


def test_the_same_annotations_through_a_second_format_are_already_present(new_store, tmp_path):
    """jsonl then brat, brat then doccano (which carries no attributes): no duplicates, no
    refusal, and the richer stored attributes stay."""
    source = new_store("source.db")
    import_file(source, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    for a in source.iter_annotations():
        if a.label == "casualty":
            source.update(a.id, attributes={"outcome": "killed"})
            break
    live = len(list(source.iter_annotations()))
    files = tmp_path / "files"
    files.mkdir()
    export(source, "jsonl", files / "all.jsonl", by_document=True)
    for fmt in ("brat", "doccano", "prodigy", "w3c"):
        export(source, fmt, files / fmt if fmt in ("brat", "doccano") else files / f"{fmt}.jsonl")

    target = new_store("target.db")
    assert import_file(target, "jsonl", files / "all.jsonl").annotations_added == live
    for fmt, path in (("brat", files / "brat"), ("doccano", files / "doccano"),
                      ("prodigy", files / "prodigy.jsonl"), ("w3c", files / "w3c.jsonl")):  # fmt: skip
        assert import_file(target, fmt, path).annotations_added == 0, fmt
    assert len(list(target.iter_annotations())) == live
    assert {a.attributes.get("outcome") for a in target.iter_annotations()} >= {"killed"}


def test_a_second_identical_span_by_the_same_annotator_is_refused(new_store):
    store = new_store()
    store.import_items([document("d", "Bạo loạn ở Almaty hôm nay.")], source="d")
    store.create("d", 11, 17, "casualty")
    with pytest.raises(ConflictError, match="already"):
        store.create("d", 11, 17, "casualty")
    store.create("d", 11, 17, "attribution")  # another label: another annotation
    assert len(list(store.iter_annotations())) == 2


def test_exported_files_follow_the_umask_not_private_temp_file_modes(new_store, tmp_path):
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    old = os.umask(0o022)
    try:
        export(store, "jsonl", tmp_path / "all.jsonl")
        export(store, "brat", tmp_path / "brat")
    finally:
        os.umask(old)
    assert (tmp_path / "all.jsonl").stat().st_mode & 0o777 == 0o644
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in (tmp_path / "brat").rglob("*.ann"))


def test_a_brat_export_declares_its_labels_and_attribute_values_for_brat(new_store, tmp_path):
    """Without annotation.conf brat cannot show the folder it is given."""
    store = new_store()
    import_file(store, "jsonl", DATA / "jsonl" / "by_document.jsonl")
    first = next(a for a in store.iter_annotations() if a.label == "casualty")
    store.update(first.id, attributes={"outcome": "killed", "value_best": 164})
    export(store, "brat", tmp_path / "brat")
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    sections = conf.split("[relations]")[0]
    assert all(label in sections.split() for label in ("propaganda", "casualty", "attribution"))
    assert (
        "outcome\tArg:<ENTITY>, Value:killed" in conf
        and "value_best\tArg:<ENTITY>, Value:164" in conf
    )
    target = new_store("again.db")  # and the folder still imports
    target.import_items(
        [document(d.id, store.document(d.id).text) for d in store.documents()], source="docs"
    )
    assert import_file(target, "brat", tmp_path / "brat").annotations_added == len(
        list(store.iter_annotations())
    )


def test_overwrite_never_replaces_the_folder_the_user_is_in(tmp_path, monkeypatch):
    out = tmp_path / "out"
    with OutputFolder(out) as folder:
        folder.annotator_dir("alice")
    monkeypatch.chdir(out)
    with pytest.raises(FormatError, match="the folder you are in"):
        OutputFolder(Path("."), overwrite=True)
    assert (out / MARKER).is_file()


def test_a_first_line_that_is_not_utf8_is_named_so_not_an_unknown_format(tmp_path):
    """`reader import` of a JSONL file with a Latin-1 byte said 'cannot tell the format
    from the first line; give --format', and with --format it said 'not UTF-8' (as now,
    in the same words)."""
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'\n{"document": "caf\xe9", "start": 0}\n')
    with pytest.raises(
        FormatError, match=r"latin1\.jsonl:2: not UTF-8: invalid byte 18 of the line"
    ):
        guess_format(path)
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_text('{"document": "x"}\n', encoding="utf-16")
    with pytest.raises(FormatError, match=r"utf16\.jsonl:1: not UTF-8: invalid byte 1 of"):
        guess_format(utf16)


def test_a_folder_is_guessed_from_the_files_its_readers_read(tmp_path):
    """A parent of several exports was guessed 'brat (the folder holds .ann files)' from
    an .ann three levels down, then brat said 'no .ann files in the folder or its
    subfolders': the guess looks where the readers look (the folder and its subfolders;
    doccano's .jsonl files in the folder itself)."""
    import shutil

    shutil.copytree(DATA / "brat", tmp_path / "exports" / "brat")
    (tmp_path / "exports" / "doccano").mkdir()
    shutil.copy(DATA / "doccano" / "alice.jsonl", tmp_path / "exports" / "doccano")
    with pytest.raises(FormatError, match=r"exports: cannot tell the format of this folder"):
        guess_format(tmp_path / "exports")
    assert guess_format(tmp_path / "exports" / "brat")[0] == "brat"
    assert guess_format(tmp_path / "exports" / "doccano")[0] == "doccano"
