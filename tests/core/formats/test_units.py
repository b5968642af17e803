"""Offset units peers count in: code points, UTF-16 units, grapheme clusters."""

from __future__ import annotations

import json

import pytest
import regex
from formats_helpers import document, export, import_file
from hypothesis import given
from hypothesis import strategies as st

from reader.core.errors import ReaderError
from reader.core.formats.offsets import GraphemeIndex, OffsetError, Utf16Index, unit_index

TEXT = "Tin 👨‍👩‍👧 và 🇰🇿: Ngu\u0300y\u00ean nói 164 người."


@given(st.text(alphabet=st.sampled_from(["a", " ", "\u0300", "😀", "\u200d", "🇰", "ế", "\n"])))
def test_grapheme_offsets_are_the_index_of_each_cluster(text):
    index = GraphemeIndex(text)
    clusters = regex.findall(r"\X", text)
    assert index.length == len(clusters)
    position = 0
    for i, cluster in enumerate(clusters):
        assert index.to_codepoint(i) == position
        assert index.to_unit(position) == i
        position += len(cluster)
    assert index.to_codepoint(len(clusters)) == len(text)


def test_an_offset_inside_a_cluster_has_no_grapheme_index():
    index = GraphemeIndex("👨‍👩‍👧 x")
    with pytest.raises(OffsetError, match="inside a grapheme cluster"):
        index.to_unit(2)


def test_units_agree_on_plain_text_and_differ_after_an_emoji():
    text = "😀 Almaty"
    at = text.index("Almaty")
    assert [unit_index(text, u).to_unit(at) for u in ("codepoint", "utf16", "grapheme")] == [
        2, 3, 2,
    ]  # fmt: skip
    assert Utf16Index(TEXT).to_codepoint(Utf16Index(TEXT).to_utf16(20)) == 20


def test_doccano_grapheme_mode_round_trip(new_store, tmp_path):
    store = new_store()
    store.sync_documents([document("g", TEXT)])
    start = store.document("g").text.index("164")
    store.create("g", start, start + 9, "casualty")
    export(store, "doccano", tmp_path / "out", offsets="grapheme")
    line = json.loads((tmp_path / "out" / "tester.jsonl").read_text(encoding="utf-8"))
    [[s, e, label]] = line["label"]
    clusters = regex.findall(r"\X", line["text"])
    assert "".join(clusters[s:e]) == "164 người" and label == "casualty"
    # Read as grapheme offsets, the file lands on the same words; read as UTF-16 it does not.
    again = new_store("again.db")
    import_file(again, "doccano", tmp_path / "out", offsets="grapheme")
    assert [a.text for a in again.iter_annotations()] == ["164 người"]
    shifted = new_store("shifted.db")
    import_file(shifted, "doccano", tmp_path / "out")
    assert [a.text for a in shifted.iter_annotations()] != ["164 người"]


def test_doccano_grapheme_offsets_past_the_end_are_refused(new_store, tmp_path):
    path = tmp_path / "ann.jsonl"
    path.write_text(json.dumps({"text": "😀 ab", "label": [[2, 5, "casualty"]]}), encoding="utf-8")
    with pytest.raises(ReaderError, match=r"not inside the text \(4 grapheme clusters\)"):
        import_file(new_store(), "doccano", path, offsets="grapheme")
