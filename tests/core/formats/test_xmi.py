"""UIMA CAS XMI through dkpro-cassis: reader's export read by dkpro-cassis, a CAS that
dkpro-cassis wrote read by reader, and (slow) a CAS INCEpTION wrote.

INCEpTION's file is not committed: READER_INCEPTION_XMI names a folder holding
``relation_test.xmi`` and its ``TypeSystem.xml`` (INCEpTION's
inception-imls-stringmatch/src/test/resources/relation/simple).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from formats_helpers import document, export, import_file

from reader.core.errors import ReaderError
from reader.core.formats.offsets import Utf16Index

cassis = pytest.importorskip("cassis")

TEXT = "Tin nóng 😀: Ít nhất 164 ngu\u031bo\u031b\u0300i chết, Bộ Y tế cho biết.\n"


def _store(new_store):
    store = new_store()
    store.sync_documents([document("vn", TEXT)])
    text = store.document("vn").text
    claim = store.create("vn", text.index("Ít"), text.index(" chết") + 5, "casualty",
                         attributes={"outcome": "killed", "value_best": 164}, note="Số liệu\tBộ")  # fmt: skip
    source = store.create("vn", text.index("Bộ"), text.index("biết") + 4, "attribution")
    store.create("vn", text.index("Tin"), text.index("nóng") + 4, "propaganda",
                 attributes={"technique": ["Name_Calling-Labeling", "Loaded_Language"]})  # fmt: skip
    store.create_link(source.id, claim.id, "source_of")
    return store


def _key(store):
    spans = sorted(
        (a.start, a.end, a.label, dict(a.attributes), a.note) for a in store.iter_annotations()
    )
    links = sorted(
        (link.type, store.annotation(link.source).text, store.annotation(link.target).text)
        for link in store.iter_links()
    )
    return spans, links


def test_dkpro_cassis_reads_the_export_with_utf16_offsets(new_store, tmp_path):
    store = _store(new_store)
    out = tmp_path / "xmi"
    assert export(store, "xmi", out) == 3
    xmi = out / "vn" / "tester.xmi"
    with (out / "TypeSystem.xml").open("rb") as handle:
        ts = cassis.load_typesystem(handle)
    with xmi.open("rb") as handle:
        cas = cassis.load_cas_from_xmi(handle, typesystem=ts)
    text = store.document("vn").text
    assert cas.sofa_string == text
    got = {(fs.get_covered_text(), fs.label) for fs in cas.select("webanno.custom.ReaderSpan")}
    assert got == {(a.text, a.label) for a in store.iter_annotations()}
    [link] = cas.select("webanno.custom.ReaderLink")
    assert (link.label, link.Governor.label, link.Dependent.label) == (
        "source_of", "attribution", "casualty",
    )  # fmt: skip
    # In the file itself the offsets count UTF-16 units, as UIMA (Java) does.
    index = Utf16Index(text)
    start = text.index("Ít")
    assert f'begin="{index.to_utf16(start)}"' in xmi.read_text(encoding="utf-8")
    assert index.to_utf16(start) == start + 1  # the emoji counts two


def test_round_trip_keeps_spans_attributes_notes_and_links(new_store, tmp_path):
    store = _store(new_store)
    export(store, "xmi", tmp_path / "xmi")
    again = new_store("again.db")
    import_file(again, "xmi", tmp_path / "xmi")
    assert _key(again) == _key(store)


def test_an_xmi_file_outside_the_document_annotator_layout_asks_who_annotated(new_store, tmp_path):
    export(_store(new_store), "xmi", tmp_path / "xmi")
    one = next((tmp_path / "xmi").glob("*/*.xmi"))
    # Named on its own, a file takes the type system beside it, not the export's above it.
    with pytest.raises(ReaderError) as refused:
        import_file(new_store("a.db"), "xmi", one, annotator="lan")
    assert str(refused.value) == (
        f"{one}: no TypeSystem.xml beside it (one in a folder above is read only when that"
        " folder is the one named)"
    )
    (one.parent / "TypeSystem.xml").write_bytes((tmp_path / "xmi" / "TypeSystem.xml").read_bytes())
    single = re.escape(f"{one}: XMI files outside DIR/<document>/<annotator>.xmi do not say")
    with pytest.raises(ReaderError, match=single + " who annotated; pass --annotator NAME$"):
        import_file(new_store("b.db"), "xmi", one)
    store = new_store("c.db")
    import_file(store, "xmi", one, annotator="lan")
    assert {a.annotator for a in store.iter_annotations()} == {"lan"}


def test_a_cas_written_by_dkpro_cassis_imports(new_store, tmp_path):
    ts = cassis.TypeSystem()
    claim = ts.create_type("webanno.custom.Claim", supertypeName="uima.tcas.Annotation")
    ts.create_feature(claim, "value", "uima.cas.String")
    ts.create_feature(claim, "outcome", "uima.cas.String")
    relation = ts.create_type("webanno.custom.Support", supertypeName="uima.tcas.Annotation")
    ts.create_feature(relation, "Governor", "webanno.custom.Claim")
    ts.create_feature(relation, "Dependent", "webanno.custom.Claim")
    token = ts.create_type(
        "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
        supertypeName="uima.tcas.Annotation",
    )
    cas = cassis.Cas(typesystem=ts)
    text = "Bộ Y tế 😀 nói: 164 người chết ở Almaty.\r\n"
    cas.sofa_string = text
    a = claim(begin=text.index("164"), end=text.index(" ở"), value="casualty", outcome="killed")
    b = claim(begin=0, end=7)  # no value: its label is the type's short name
    cas.add_all([a, b, token(begin=0, end=2), claim(begin=5, end=5, value="casualty")])
    cas.add(relation(begin=0, end=7, Governor=b, Dependent=a))
    folder = tmp_path / "inception" / "doc1"
    folder.mkdir(parents=True)
    (folder / "an.xmi").write_text(cas.to_xmi(), encoding="utf-8")
    (tmp_path / "inception" / "TypeSystem.xml").write_text(ts.to_xml(), encoding="utf-8")
    store = new_store()
    warnings: list[str] = []
    import_file(store, "xmi", tmp_path / "inception", add_labels=True, warn=warnings.append)
    got = sorted(
        (a.annotator, a.label, a.text, dict(a.attributes)) for a in store.iter_annotations()
    )
    assert got == [
        ("an", "Claim", "Bộ Y tế", {}),
        ("an", "casualty", "164 người chết", {"outcome": "killed"}),
    ]
    [link] = store.iter_links()
    assert (link.type, store.annotation(link.source).text) == ("Support", "Bộ Y tế")
    assert warnings == [f"{tmp_path / 'inception'}: skipped 1 zero-length span(s)"]


def test_without_a_type_system_the_import_is_refused(new_store, tmp_path):
    store = _store(new_store)
    export(store, "xmi", tmp_path / "xmi")
    (tmp_path / "xmi" / "TypeSystem.xml").unlink()
    with pytest.raises(ReaderError, match="no TypeSystem.xml beside it"):
        import_file(new_store("b.db"), "xmi", tmp_path / "xmi")
    bad = tmp_path / "bad"
    (bad / "d").mkdir(parents=True)
    (bad / "d" / "x.xmi").write_text("<not xmi", encoding="utf-8")
    (bad / "TypeSystem.xml").write_text(
        (tmp_path / "xmi" / ".reader-export").read_text(), encoding="utf-8"
    )
    with pytest.raises(ReaderError, match="TypeSystem.xml: not a UIMA type system"):
        import_file(new_store("c.db"), "xmi", bad)


INCEPTION = os.environ.get("READER_INCEPTION_XMI")


@pytest.mark.slow
@pytest.mark.skipif(not INCEPTION, reason="READER_INCEPTION_XMI is not set")
def test_a_cas_inception_wrote_imports_with_its_relation(new_store):
    store = new_store()
    import_file(
        store, "xmi", Path(INCEPTION) / "relation_test.xmi", annotator="inc", add_labels=True
    )
    got = sorted((a.label, a.text) for a in store.iter_annotations())
    assert got == [("city", "Darmstadt"), ("city", "Hannover"),
                   ("state", "Hessen"), ("state", "Lower Saxony")]  # fmt: skip
    [link] = store.iter_links()
    assert (link.type, store.annotation(link.source).text, store.annotation(link.target).text) == (
        "located in", "Darmstadt", "Hessen",
    )  # fmt: skip
    assert not re.search("\r", store.document("relation_test").text)  # its CRLF, normalized
