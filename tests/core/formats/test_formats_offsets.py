"""Offsets counted the way peers count them translate to reader's exactly, or are refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.formats.offsets import NormalizedText, OffsetError, Utf16Index
from reader.core.text import normalize

PIECES = [
    "Hà",
    "Ho\u0300a",
    "Vie\u0323\u0302t",
    " ",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "👨‍👩‍👧",
    "🇻🇳",
    "漢",
    "a",
    "\t",
]
pieces = st.lists(st.sampled_from(PIECES), min_size=1, max_size=25)


@given(st.lists(st.sampled_from(["a", "à", "😀", "𝔸", "\n", "👍🏽"]), max_size=40).map("".join))
def test_utf16_offsets_match_javascript_string_indices_both_ways(text):
    index = Utf16Index(text)
    assert index.length == len(text.encode("utf-16-le")) // 2
    for offset in range(len(text) + 1):
        units = len(text[:offset].encode("utf-16-le")) // 2
        assert index.to_utf16(offset) == units
        assert index.to_codepoint(units) == offset


def test_utf16_offset_inside_a_surrogate_pair_is_refused():
    index = Utf16Index("a😀b")
    assert [index.to_codepoint(u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]
    with pytest.raises(OffsetError, match="surrogate pair"):
        index.to_codepoint(2)


@settings(max_examples=200)
@given(pieces, st.booleans())
def test_raw_offsets_map_to_the_normalized_text_or_are_refused(parts, bom):
    raw = ("\ufeff" if bom else "") + "".join(parts)
    cuts = [len(raw) - len("".join(parts[k:])) for k in range(len(parts) + 1)]
    mapping = NormalizedText(raw)
    mapping.prepare(cuts)
    assert mapping.text == normalize(raw)
    for k, cut in enumerate(cuts):
        splits_crlf = (
            0 < k < len(parts) and parts[k - 1].endswith("\r") and parts[k].startswith("\n")
        )
        if splits_crlf:
            with pytest.raises(OffsetError, match="CR LF"):
                mapping.to_normalized(cut)
        else:
            head = normalize(raw[:cut])
            assert mapping.to_normalized(cut) == len(head)
            assert mapping.text.startswith(head)


def test_normalized_text_is_its_own_mapping():
    mapping = NormalizedText("Hà Nội\n😀")
    mapping.prepare([0, 3])
    assert mapping.identity and mapping.to_normalized(3) == 3


def test_offset_between_a_letter_and_its_combining_mark_is_refused():
    raw = "Ho\u0300a"  # NFD: o + combining grave, which NFC composes into ò
    mapping = NormalizedText(raw)
    mapping.prepare([0, 2, 4])
    assert (mapping.to_normalized(0), mapping.to_normalized(4)) == (0, 3)
    with pytest.raises(OffsetError, match="NFC"):
        mapping.to_normalized(2)
