"""INCEpTION / WebAnno TSV 3.3: UTF-16 offsets, stacked and multi-token spans, the suite.

The committed file was written by hand in the format of INCEpTION's own test suite.
INCEpTION's suite itself (inception-io-webanno-tsv/src/test/resources/tsv3-suite, each
case a reference.tsv and the reference.xmi INCEpTION made from it) is not committed:
point READER_INCEPTION_TSV_SUITE at a copy to run the slow test below.
"""

from __future__ import annotations

import os
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from formats_helpers import DATA, document, export, import_file

from reader.core.errors import ReaderError
from reader.core.formats.offsets import Utf16Index
from reader.core.formats.registry import guess_format
from reader.core.formats.webanno import tsv_text
from reader.core.formats.webanno_syntax import escape_value

FOLDER = DATA / "webanno"


def test_utf16_offsets_after_an_emoji_land_on_the_marked_words(new_store):
    store = new_store()
    warnings: list[str] = []
    summary = import_file(store, "webanno", FOLDER, warn=warnings.append)
    assert summary.documents_added == 1
    got = sorted((a.document, a.annotator, a.label, a.text) for a in store.iter_annotations())
    assert got == [
        ("almaty", "lan", "attribution", "Bộ Y tế cho biết"),
        ("almaty", "lan", "casualty", "Ít nhất 164 người đã thiệt mạng"),
    ]
    assert warnings == []
    # The relation on the casualty's first token names its governor, the attribution.
    [link] = store.iter_links()
    assert (link.type, store.annotation(link.source).label) == ("source_of", "attribution")
    assert store.annotation(link.target).label == "casualty"
    assert guess_format(FOLDER)[0] == "webanno"


def test_round_trip_of_a_vietnamese_nfd_crlf_document(new_store, tmp_path):
    store = new_store()
    nfd = unicodedata.normalize("NFD", "người")
    raw = f'Ông Tô-ca-ép 🇰🇿 nói:\r\n\r\n  "164 {nfd}" đã chết | [1] _x_.\r\nHết.\r\n'
    doc = document("vn", raw)
    store.sync_documents([doc])
    text = doc.text
    a = store.create("vn", text.index("164"), text.index("164") + 9, "casualty",
                     attributes={"outcome": "killed", "value_best": 164}, note="ghi chú\tmột | [1] _x_")  # fmt: skip
    store.create("vn", text.index("164"), text.index("164") + 3, "attribution")  # stacked
    store.create("vn", text.index("|"), text.index("_x_") + 3, "propaganda")  # escapes
    source = store.create("vn", text.index("Ông"), text.index("nói") + 3, "attribution")
    store.create_link(source.id, a.id, "source_of")  # across sentences, governor first
    assert a.text == "164 người"
    out = tmp_path / "tsv"
    assert export(store, "webanno", out) == 4
    written = (out / "vn" / "tester.tsv").read_text(encoding="utf-8")
    assert "ghi chú\\tmột \\| \\[1\\] \\_x\\_[" in written  # the note, escaped
    again = new_store("again.db")
    import_file(again, "webanno", out)
    key = lambda s: sorted(
        (x.start, x.end, x.label, x.annotator, dict(x.attributes), x.note)
        for x in s.iter_annotations()
    )
    assert key(again) == key(store)
    [link] = again.iter_links()
    ends = again.annotation(link.source).text, again.annotation(link.target).text
    assert (link.type, *ends) == ("source_of", "Ông Tô-ca-ép 🇰🇿 nói", "164 người")
    assert "#T_RL=webanno.custom.ReaderLink|label|BT_webanno.custom.ReaderSpan" in written
    assert again.document("vn").text == text  # it ends in a line break, so nothing was added


def test_a_document_without_a_final_line_break_gains_one_as_in_inception(new_store, tmp_path):
    store = new_store()
    store.sync_documents([document("end", "Một câu. Hai câu")])
    store.create("end", 9, 12, "casualty")
    export(store, "webanno", tmp_path / "tsv")
    again = new_store("again.db")
    import_file(again, "webanno", tmp_path / "tsv")
    assert again.document("end").text == "Một câu. Hai câu\n"
    assert [a.text for a in again.iter_annotations()] == ["Hai"]


def test_a_span_edge_in_whitespace_is_left_out_and_counted(new_store):
    store = new_store()
    doc = document("ws", "Một  hai ba\n")
    store.sync_documents([doc])
    store.create("ws", 3, 8, "casualty")  # " hai" from inside the double space
    content, missed = tsv_text(store.document("ws"), list(store.iter_annotations()))
    assert missed == 1 and "casualty" not in content


def test_values_are_escaped_as_inception_escapes_them():
    assert escape_value("a|b[1]_c->d;e*\\") == "a\\|b\\[1\\]\\_c\\->d\\;e\\*\\\\"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1-1\t0-3\tTin\t_\t", "expected 7 tab-separated fields"),
        ("1-1\t0-x\tTin\t_\t_\t_\t_\t", "expected '<sentence>-<token>'"),
        ("1-1\t0-99\tTin\t_\t_\t_\t_\t", "not inside the text"),
    ],
)
def test_bad_token_lines_are_refused_naming_the_line(new_store, tmp_path, line, message):
    lines = (FOLDER / "almaty" / "lan.tsv").read_text(encoding="utf-8").split("\n")
    lines[5] = line
    bad = tmp_path / "almaty.tsv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    store = new_store()
    with pytest.raises(ReaderError, match=rf"almaty.tsv:6: .*{message}"):
        import_file(store, "webanno", bad, annotator="lan")
    assert store.documents() == []


def test_a_tsv_file_outside_the_document_annotator_layout_asks_who_annotated(new_store):
    one = FOLDER / "almaty" / "lan.tsv"
    with pytest.raises(ReaderError) as refused:
        import_file(new_store(), "webanno", one)
    assert str(refused.value) == (
        f"{one}: TSV files outside DIR/<document>/<annotator>.tsv do not say who annotated;"
        " pass --annotator NAME"
    )


def test_a_file_that_is_not_tsv3_is_refused(new_store, tmp_path):
    bad = tmp_path / "x.tsv"
    bad.write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(ReaderError, match=r"x.tsv:1: expected '#FORMAT=WebAnno TSV 3.3'"):
        import_file(new_store(), "webanno", bad, annotator="lan")


# -- INCEpTION's own test suite ------------------------------------------------------------

SUITE = os.environ.get("READER_INCEPTION_TSV_SUITE")
#: Cases reader refuses on purpose: a label holding a tab and a line break.
REFUSED = {"testTokenBoundedSpanWithSpecialSymbolsValue": "not a usable label name"}


def _xmi_spans(path: Path) -> tuple[str, set[tuple[int, int]]]:
    """The text and the (begin, end) of every non-empty annotation INCEpTION wrote into
    its reference CAS on a span layer (custom layers, named entities, POS, lemma...)."""
    root = ET.parse(path).getroot()
    text, spans = "", set()
    skip = ("Token", "Sentence", "DocumentMetaData", "TagsetDescription")
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "Sofa":
            text = element.get("sofaString", "")
        begin, end = element.get("begin"), element.get("end")
        if begin is None or tag in skip or element.get("Governor") or element.get("Dependent"):
            continue
        if any(element.get(k) for k in ("Dependent", "Governor", "next", "first")):
            continue
        if "Relation" in tag or "Chain" in tag or "Link" in tag and "Host" not in tag:
            continue
        if int(begin) < int(end):
            spans.add((int(begin), int(end)))
    # TSV cells sit on tokens: a CAS span with whitespace at an edge comes back without it
    # (INCEpTION's testAnnotationWithLeadingWhitespace and its siblings).
    index = Utf16Index(text)
    trimmed = set()
    for begin, end in spans:
        s, e = index.to_codepoint(begin), index.to_codepoint(end)
        covered = text[s:e]
        s += len(covered) - len(covered.lstrip())
        e -= len(covered) - len(covered.rstrip())
        trimmed.add((index.to_utf16(s), index.to_utf16(e)))
    return text, spans | trimmed


def _xmi_relations(path: Path) -> set[tuple[int, int, int, int]]:
    """(governor begin, end, dependent begin, end) of each relation in INCEpTION's CAS."""
    elements = {e.get("{http://www.omg.org/XMI}id"): e for e in ET.parse(path).getroot()}
    found = set()
    for e in elements.values():
        ends = [elements.get(e.get("Governor")), elements.get(e.get("Dependent"))]
        if e.get("Governor") and None not in ends:
            found.add(tuple(int(x.get(k)) for x in ends for k in ("begin", "end")))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not SUITE, reason="READER_INCEPTION_TSV_SUITE is not set")
def test_inception_tsv3_suite_imports_with_inception_s_own_text_and_offsets(new_store, tmp_path):
    cases = sorted(p for p in Path(SUITE).iterdir() if (p / "reference.tsv").is_file())
    assert len(cases) == 75  # the README's figures, here and at the end
    imported = compared = linked = round_trips = 0
    for case in cases:
        store = new_store(f"{case.name}.db")
        tsv = case / "reference.tsv"
        if case.name in REFUSED:
            with pytest.raises(ReaderError, match=REFUSED[case.name]):
                import_file(store, "webanno", tsv, annotator="inc", add_labels=True)
            continue
        import_file(store, "webanno", tsv, annotator="inc", add_labels=True)
        imported += 1
        if any(True for _ in store.iter_annotations()):  # reader's own TSV brings it back
            export(store, "webanno", tmp_path / case.name)
            again = new_store(f"{case.name}-again.db")
            import_file(again, "webanno", tmp_path / case.name, add_labels=True)
            assert _content(again) == _content(store), case.name
            round_trips += 1
        xmi = case / "reference.xmi"
        if not xmi.is_file():
            continue
        text, expected = _xmi_spans(xmi)
        docs = store.documents()
        stored = store.document(docs[0].id).text if docs else ""
        assert stored.rstrip() == text.rstrip(), case.name  # TSV drops text after the last token
        index = Utf16Index(stored)
        got = {(index.to_utf16(a.start), index.to_utf16(a.end)) for a in store.iter_annotations()}
        assert got <= expected, case.name  # every span reader made is one INCEpTION made
        links = {
            tuple(index.to_utf16(o) for a in (store.annotation(link.source), store.annotation(link.target))
                  for o in (a.start, a.end))
            for link in store.iter_links()
        }  # fmt: skip
        # Every link is a relation INCEpTION holds between the same offsets (its
        # dependencies join tokens, which the TSV shows on their POS spans); relations
        # on the Token layer itself have no span to join and are counted instead.
        assert links <= _xmi_relations(xmi), case.name
        linked += bool(links)
        compared += 1
    # 74 import; 72 of them have a CAS (sampleSlotAnnotation1 and 2 have none; the refused
    # case has one); 12 of those hold relations between spans.
    assert (imported, compared, linked) == (74, 72, 12)
    assert round_trips == 57  # the others hold only chains, slots or zero-length spans


def _content(store) -> tuple:
    [doc] = store.documents()
    spans = sorted(
        (a.start, a.end, a.label, sorted(a.attributes.items())) for a in store.iter_annotations()
    )
    links = sorted(
        (link.type, *(store.annotation(end).start for end in (link.source, link.target)))
        for link in store.iter_links()
    )
    return store.document(doc.id).text, spans, links
