"""brat: events, equivalences and what hangs on them never stop an import; exports that
brat's own parser and verifier accept (tabs in spans, crossing spans, binary attributes).

The committed files were written by hand in brat's format. brat's example-data and its
server code are not committed: READER_BRAT_EXAMPLE_DATA (brat's example-data folder) and
READER_BRAT_SERVER (brat's server/src) run the slow tests below against them.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest
from formats_helpers import DATA, document, export, import_file

from reader.core.formats.brat import annotation_conf

EVENTS = DATA / "brat_events"


def test_events_equivalences_and_their_attributes_and_notes_import(new_store):
    store = new_store()
    warnings: list[str] = []
    import_file(store, "brat", EVENTS, add_labels=True, warn=warnings.append)
    by_text = {(a.label, a.text): a for a in store.iter_annotations()}
    trigger = by_text[("Arrest", "bắt giữ")]
    # The event's attribute and note are on its trigger, the span that stands for it.
    assert dict(trigger.attributes) == {"Negation": True}
    assert trigger.note == "Số liệu chưa xác nhận"
    assert dict(by_text[("Place", "Almaty")].attributes) == {"Individual": True}
    assert dict(by_text[("casualty", "44 người")].attributes) == {"outcome": "detained"}
    links = {
        (link.type, store.annotation(link.source).text, store.annotation(link.target).text)
        for link in store.iter_links()
    }
    assert ("Theme", "bắt giữ", "44 người") in links  # the event's arguments
    assert ("Site", "bắt giữ", "Almaty") in links
    equivalent = {(s, t) for kind, s, t in links if kind == "Equiv"}
    assert len(equivalent) == 2  # T3-T4, T4-T5: each member to the next
    # What reader cannot hold is counted in one line, never a refusal.
    assert len(warnings) == 1 and "A (on a relation) line(s)" in warnings[0]


def test_an_attribute_on_an_id_the_file_never_defines_is_refused(new_store, tmp_path):
    (tmp_path / "x.txt").write_text("Một hai ba\n", encoding="utf-8")
    (tmp_path / "x.ann").write_text("T1\tcasualty 0 3\tMột\nA1\tNegation E9\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"x.ann:2: attribute: refers to E9, which this file"):
        import_file(new_store(), "brat", tmp_path / "x.ann", annotator="lan")


def _tab_store(new_store):
    store = new_store()
    text = "Ông A\tnói: 164 người chết.\nDòng hai, Almaty.\n"
    store.sync_documents([document("tab", text)])
    store.create("tab", 0, text.index("nói") + 3, "attribution")  # holds a tab
    store.create("tab", text.index("nói"), text.index("người") + 5, "casualty")  # crosses it
    start = text.index("chết")
    store.create("tab", start, text.index("Almaty") + 6, "propaganda")  # crosses a line break
    return store


def test_export_keeps_a_tab_declares_overlap_and_binary_attributes(new_store, tmp_path):
    store = _tab_store(new_store)
    out = tmp_path / "brat"
    export(store, "brat", out)
    ann = (out / "tester" / "tab.ann").read_text(encoding="utf-8")
    assert "\tÔng A\tnói\n" in ann  # the span's own tab: brat reads the text by length
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in conf
    again = new_store("again.db")
    import_file(again, "brat", out)
    assert sorted(a.text for a in again.iter_annotations()) == sorted(
        a.text for a in store.iter_annotations()
    )


def test_binary_attributes_go_back_out_as_brat_writes_them(new_store, tmp_path):
    store = new_store()
    import_file(store, "brat", EVENTS, add_labels=True)
    out = tmp_path / "brat"
    export(store, "brat", out)
    ann = (out / "lan" / "tin.ann").read_text(encoding="utf-8").splitlines()
    place = next(line.split("\t")[0] for line in ann if "\tPlace " in line)
    assert f"Individual {place}" in [line.split("\t")[1] for line in ann if line[0] == "A"]
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Individual\tArg:<ENTITY>\n" in conf and "Negation\tArg:<ENTITY>\n" in conf
    assert "Value:" not in annotation_conf(["x"], {"Flag": {"\x00binary"}})


# -- brat's own files and tools ------------------------------------------------------------

EXAMPLES = os.environ.get("READER_BRAT_EXAMPLE_DATA")
SERVER = os.environ.get("READER_BRAT_SERVER")


@pytest.fixture
def brat_issues(monkeypatch, tmp_path):
    """brat's own parser and verifier: issues(ann, conf) lists what brat reports on an .ann
    file read with the annotation.conf text ``conf`` (written beside it)."""
    if not SERVER:
        pytest.skip("READER_BRAT_SERVER is not set")
    monkeypatch.syspath_prepend(SERVER)
    monkeypatch.setattr(sys, "argv", ["brat"])
    config = types.ModuleType("config")  # what brat's installer would write
    config.DEBUG, config.DATA_DIR = False, str(tmp_path)
    monkeypatch.setitem(sys.modules, "config", config)
    annotation = pytest.importorskip("annotation")
    projectconfig = pytest.importorskip("projectconfig")
    verify = pytest.importorskip("verify_annotations")

    def open_textfile(filename, mode="r"):  # brat's own asks for mode "rU", gone in 3.11
        return open(filename, mode.replace("U", ""), encoding="utf-8", errors="strict")

    for module in (annotation, projectconfig):
        monkeypatch.setattr(module, "open_textfile", open_textfile)

    def issues(ann: Path, conf: str) -> list[str]:
        # brat finds annotation.conf in the document's folder or a parent of it, and caches
        # a folder's configuration: a folder is checked with one conf only.
        (ann.parent / "annotation.conf").write_text(conf, encoding="utf-8")
        doc = annotation.TextAnnotations(str(ann.with_suffix("")), read_only=True)
        found = verify.verify_annotation(doc, projectconfig.ProjectConfiguration(str(ann.parent)))
        return [str(i) for i in found]

    return issues


def _brat_folders() -> list[Path]:
    return sorted({p.parent for p in Path(EXAMPLES).rglob("*.ann")})


@pytest.mark.slow
@pytest.mark.skipif(not EXAMPLES, reason="READER_BRAT_EXAMPLE_DATA is not set")
def test_every_folder_of_brat_example_data_imports(new_store):
    folders = _brat_folders()
    assert len(folders) == 11  # the README's figures
    documents = 0
    for n, folder in enumerate(folders):
        store = new_store(f"ex{n}.db")
        import_file(store, "brat", folder, annotator="brat", add_labels=True)
        assert any(True for _ in store.iter_annotations()), folder
        documents += len(store.documents())
    assert documents == 172  # one per .ann (its other .txt files are normalization lists)


@pytest.mark.slow
@pytest.mark.skipif(not EXAMPLES, reason="READER_BRAT_EXAMPLE_DATA is not set")
def test_brat_example_data_goes_back_out_as_brat_verifies_and_comes_back(
    new_store, tmp_path, brat_issues
):
    for n, folder in enumerate(_brat_folders()):
        store = new_store(f"ex{n}.db")
        import_file(store, "brat", folder, annotator="brat", add_labels=True)
        out = tmp_path / f"out{n}"
        export(store, "brat", out)
        conf = (out / "annotation.conf").read_text(encoding="utf-8")
        for ann in sorted(out.rglob("*.ann")):
            assert brat_issues(ann, conf) == [], ann
        again = new_store(f"again{n}.db")
        import_file(again, "brat", out, add_labels=True)
        assert _spans_and_links(again) == _spans_and_links(store), folder


def _spans_and_links(store) -> tuple[list, list]:
    spans = sorted((a.document, a.start, a.end, a.label) for a in store.iter_annotations())
    links = sorted(
        (link.type, *(store.annotation(end).start for end in (link.source, link.target)))
        for link in store.iter_links()
    )
    return spans, links


@pytest.mark.slow
def test_brat_s_parser_and_verifier_accept_the_export(new_store, tmp_path, brat_issues):
    store = _tab_store(new_store)
    import_file(store, "brat", EVENTS, add_labels=True)
    out = tmp_path / "brat"
    export(store, "brat", out)
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    anns = sorted(out.rglob("*.ann"))
    assert len(anns) == 2
    for ann in anns:
        assert brat_issues(ann, conf) == [], ann
    # The verifier does look: without the <OVERLAP> line it reports the crossing spans.
    plain = tmp_path / "plain"
    plain.mkdir()
    for suffix in (".txt", ".ann"):
        (plain / f"tab{suffix}").write_bytes((out / "tester" / f"tab{suffix}").read_bytes())
    without = "".join(line for line in conf.splitlines(True) if "<OVERLAP>" not in line)
    assert without != conf
    assert any("crossing span" in issue for issue in brat_issues(plain / "tab.ann", without))
